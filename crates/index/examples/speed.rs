//! Single-thread analyzer speed over a text file (one article per line), as markdown table rows
//! `| tool | words/s | MB/s |` for bench/speed.sh. Words are whitespace-separated input words.
//!
//! Usage: `cargo run --release -p qalam-index --example speed -- TEXTFILE [PASSES]`

use std::time::Instant;

use qalam_index::AnalyzerSettings;
use qalam_index::analyzer::{ArabicTokenizer, StemFilter};
use qalam_text::{Options, Tokenizer, normalize_token};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Median seconds of `passes` timed runs of `f` over `lines` (after one warm-up); checks `f`'s
/// token count is the same every time, so a broken analyzer cannot look fast.
fn time(lines: &[&str], passes: usize, f: &mut dyn FnMut(&str) -> usize) -> (f64, usize) {
    let count = lines.iter().map(|l| f(l)).sum::<usize>();
    let mut secs = Vec::with_capacity(passes);
    for _ in 0..passes {
        let t = Instant::now();
        let c: usize = lines.iter().map(|l| f(l)).sum();
        secs.push(t.elapsed().as_secs_f64());
        assert_eq!(c, count, "token count changed between passes");
    }
    secs.sort_by(f64::total_cmp);
    (secs[secs.len() / 2], count)
}

fn with_analyzer(mut a: TextAnalyzer) -> impl FnMut(&str) -> usize {
    move |text| {
        let mut s = a.token_stream(text);
        let mut n = 0;
        while s.advance() {
            n += 1;
        }
        n
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: speed TEXTFILE [PASSES]");
    let passes: usize = args
        .next()
        .map_or(5, |p| p.parse().expect("PASSES is a number"));
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 text file");
    let lines: Vec<&str> = text.lines().collect();
    let words: usize = lines.iter().map(|l| l.split_whitespace().count()).sum();
    let bytes = text.len() as f64;
    eprintln!(
        "{path}: {} lines, {words} words, {} bytes",
        lines.len(),
        text.len()
    );

    // QALAM_SPEED_ONLY=substring runs only the rows whose name contains it.
    let only = std::env::var("QALAM_SPEED_ONLY").unwrap_or_default();
    let row = |name: &str, f: &mut dyn FnMut(&str) -> usize| {
        if !name.contains(only.as_str()) {
            return;
        }
        let (secs, tokens) = time(&lines, passes, f);
        println!(
            "| {name} | {:.0} | {:.1} |",
            words as f64 / secs,
            bytes / secs / 1e6
        );
        eprintln!("  {name}: {tokens} tokens, {secs:.3} s");
    };

    let mut buf = String::new();
    row("qalam normalize+tokenize (library)", &mut |l| {
        let mut n = 0;
        Tokenizer.for_each(l, |s| {
            normalize_token(&l[s.start..s.end], s.kind, &Options::SEARCH, &mut buf);
            n += 1;
        });
        n
    });
    let mut stem = String::new();
    row("qalam normalize+tokenize+light stem (library)", &mut |l| {
        let mut n = 0;
        Tokenizer.for_each(l, |s| {
            normalize_token(&l[s.start..s.end], s.kind, &Options::SEARCH, &mut buf);
            qalam_morph::light_stem_into(&buf, &mut stem);
            n += 1;
        });
        n
    });
    row(
        "qalam tantivy analyzer: normalize+tokenize",
        &mut with_analyzer(TextAnalyzer::from(ArabicTokenizer::default())),
    );
    let light = StemFilter::by_name("light").expect("light stemmer");
    row(
        "qalam tantivy analyzer: + light stem",
        &mut with_analyzer(
            TextAnalyzer::builder(ArabicTokenizer::default())
                .filter(light)
                .build(),
        ),
    );
    let (qalam_index, _) = AnalyzerSettings::default()
        .build()
        .expect("default analyzer");
    row(
        "qalam index analyzer (+ stopwords, light stem)",
        &mut with_analyzer(qalam_index),
    );
    let (builtin, _) = AnalyzerSettings::tantivy_arabic()
        .build()
        .expect("tantivy analyzer");
    row(
        "tantivy built-in Arabic (Simple+LowerCaser+Snowball)",
        &mut with_analyzer(builtin),
    );
}
