//! How well entity keys and spans tell proclitics from a name's own letters, on the names of
//! UD Arabic-PADT (words tagged PROPN or X, alone in their surface token or after proclitics
//! و ف ب ل ك only): the gold name is the host word's form, the gold span its visible part.
//!
//! Also prints how often each proclitic precedes the built-in list's one-word names in the
//! model's SaudiNewsNet word counts (the rates behind the priors of `ner/mention.rs`).
//!
//! `cargo run --release -p qalam-tagger --example ner_clitics -- ../shared/data/ud-padt/train.conllu [MODEL]`
//! (MODEL: a file of `qalam train ner`; default: the embedded model).

use qalam_tagger::ner::{NerTagger, Resources, names};
use qalam_tagger::padt::data::{dediacritize, read_words, rebuild_sentence};
use qalam_text::{Profile, normalize_str};

/// `split_proclitics` of `ner/clitics.rs`: و/ف, then لل → ل + ال, or ب/ل/ك before ال.
fn split_proclitics(word: &str) -> (String, String) {
    let mut rest = word;
    let mut conj = "";
    if let Some(r) = rest.strip_prefix(['و', 'ف'])
        && r.chars().count() >= 2
    {
        conj = if rest.starts_with('و') { "و" } else { "ف" };
        rest = r;
    }
    if let Some(r) = rest.strip_prefix("لل")
        && r.chars().count() + 2 >= 4
    {
        return (format!("{conj}ل"), format!("ال{r}"));
    }
    for c in ['ب', 'ل', 'ك'] {
        if let Some(r) = rest.strip_prefix(c)
            && r.starts_with("ال")
            && r.chars().count() >= 4
        {
            return (format!("{conj}{c}"), r.to_string());
        }
    }
    (conj.to_string(), rest.to_string())
}

/// The key rule used before evidence was asked for (`Resources::key` until this change): strip
/// whenever what is left is listed, or long enough.
fn blind_key(res: &Resources, norm: &str) -> String {
    let (p, rest) = split_proclitics(norm);
    let mut cand = rest.clone();
    if !(p.ends_with(['ب', 'ل', 'ك']) || rest.starts_with("ال")) {
        for c in ['ب', 'ل', 'ك'] {
            if let Some(r) = rest.strip_prefix(c)
                && r.chars().count() >= 3
            {
                cand = r.to_string();
                break;
            }
        }
    }
    if cand == norm {
        return cand;
    }
    let known = |w: &str| res.lexicon.contains(w) || res.gazetteer.kinds_of(w) != 0;
    if known(&cand) {
        return cand;
    }
    if known(norm) {
        return norm.to_string();
    }
    let n = cand.chars().count();
    let plausible = if cand.starts_with("ال") {
        n >= 4
    } else if p == "و" || p == "ف" {
        n >= 3
    } else {
        n >= 4
    };
    if plausible { cand } else { norm.to_string() }
}

/// Occurrences of clitic + name over occurrences of the name, for the built-in one-word names.
fn clitic_rates(res: &Resources) {
    let names: Vec<String> = names::BUILTIN
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').nth(1))
        .filter(|n| !n.contains(' '))
        .map(|n| normalize_str(n, Profile::Search))
        .collect();
    let c = &res.counts;
    let base: u64 = names.iter().map(|n| c.get(n) as u64).sum();
    let mut line = format!(
        "clitic rates before {} listed names ({base} occurrences):",
        names.len()
    );
    for p in ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"] {
        let mut n: u64 = names.iter().map(|n| c.get(&format!("{p}{n}")) as u64).sum();
        if p.ends_with('ل') {
            // ل + ال: للعراق.
            n += names
                .iter()
                .filter_map(|n| n.strip_prefix('ا'))
                .filter(|r| r.starts_with('ل'))
                .map(|r| c.get(&format!("{p}{r}")) as u64)
                .sum::<u64>();
        }
        line.push_str(&format!(
            " {p} {:.2}%",
            100.0 * n as f64 / base.max(1) as f64
        ));
    }
    println!("{line}");
}

#[derive(Default)]
struct Tally {
    n: usize,
    key: usize,
    span: usize,
    blind: usize,
    whole: usize,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: ner_clitics PADT.conllu [MODEL]");
    let tagger = match args.next() {
        Some(m) => std::sync::Arc::new(NerTagger::load(m.as_ref()).expect("a NER model file")),
        None => NerTagger::embedded(),
    };
    let res = tagger.resources();
    let text = std::fs::read_to_string(&path).expect("readable CoNLL-U");
    // [with proclitics, without proclitics but starting with one of their letters, other]
    let mut t: [Tally; 3] = Default::default();
    let mut examples = Vec::new();
    for words in read_words(&text) {
        let s = rebuild_sentence(words);
        for tok in &s.tokens {
            let ws = &s.words[tok.words.clone()];
            let Some((host, clitics)) = ws.split_last() else {
                continue;
            };
            if !matches!(host.upos.as_str(), "PROPN" | "X")
                || !host.form.chars().any(qalam_text::chars::is_arabic_letter)
                || !clitics.iter().all(|w| {
                    matches!(w.upos.as_str(), "CCONJ" | "ADP")
                        && matches!(dediacritize(&w.form).as_str(), "و" | "ف" | "ب" | "ل" | "ك")
                })
            {
                continue;
            }
            let surface = &s.text[tok.start..tok.end];
            let gold_key = normalize_str(&host.form, Profile::Search);
            let gold_start = tok.pieces.last().map_or(0, |p| p.start);
            let norm = normalize_str(surface, Profile::Search);
            let m = res.mention(&[surface]);
            let class = if !clitics.is_empty() {
                0
            } else if norm.starts_with(['و', 'ف', 'ب', 'ل', 'ك']) {
                1
            } else {
                2
            };
            let c = &mut t[class];
            c.n += 1;
            c.key += usize::from(m.key == gold_key);
            c.span += usize::from(m.start == gold_start);
            c.blind += usize::from(blind_key(res, &norm) == gold_key);
            c.whole += usize::from(norm == gold_key);
            if m.key != gold_key && examples.len() < 40 {
                examples.push(format!("{surface}: {} (gold {gold_key})", m.key));
            }
        }
    }
    let pct = |a: usize, n: usize| 100.0 * a as f64 / n.max(1) as f64;
    clitic_rates(res);
    println!("tokens\tkey\tspan\tblind key\tunchanged");
    for (name, c) in ["with proclitics", "clitic letter, none", "other"]
        .iter()
        .zip(&t)
    {
        println!(
            "{name}: {}\t{:.1}\t{:.1}\t{:.1}\t{:.1}",
            c.n,
            pct(c.key, c.n),
            pct(c.span, c.n),
            pct(c.blind, c.n),
            pct(c.whole, c.n)
        );
    }
    println!("wrong keys (first {}):", examples.len());
    for e in examples {
        println!("  {e}");
    }
}
