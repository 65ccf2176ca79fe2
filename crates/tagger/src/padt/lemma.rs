//! Lemmatization: a (form, tag) dictionary, backed by an edit-script classifier for unseen
//! forms; gives the undiacritized lemma and, where known, the vocalized one.

use qalam_text::hash::FxHashMap;

use super::data::{GoldWord, dediacritize, first_chars, last_chars};
use crate::linear::keys::{Feat, feat};
use crate::linear::{Classifier, ClassifierTrainer};
use crate::linear::{ModelError, ModelKind, Reader, Writer};
use qalam_text::hash::SplitMix64;

// Feature template ids of the edit-script classifier. They are hashed into the feature keys of
// `lemma.qlm`: never renumber one (a new template takes a free id).
const BIAS: u8 = 0;
const FORM: u8 = 1;
/// + the length in chars (1–4).
const SUFFIX: u8 = 2;
/// + the length in chars (1–4).
const SUFFIX_UPOS: u8 = 3;
/// + the length in chars (1–3).
const PREFIX: u8 = 4;
const UPOS: u8 = 5;
const XPOS: u8 = 6;
const XPOS_SUFFIX2: u8 = 7;
const UPOS_PREFIX2: u8 = 8;
/// Length in chars (capped at 12).
const LEN_UPOS: u8 = 9;

/// Training settings for [`Lemmatizer::train`].
#[derive(Clone, Debug)]
pub struct LemmaConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed for the shuffling.
    pub seed: u64,
}

impl Default for LemmaConfig {
    fn default() -> Self {
        LemmaConfig {
            epochs: 8,
            seed: 13,
        }
    }
}

/// An edit script: strip `cut_front`/`cut_back` from the form, then add `add_front`/`add_back`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Script {
    /// True when the script replaces the whole form (no common substring with the lemma).
    whole: bool,
    cut_front: String,
    add_front: String,
    cut_back: String,
    add_back: String,
}

impl Script {
    /// The script turning `form` into `lemma` around their longest common substring.
    pub fn between(form: &str, lemma: &str) -> Script {
        let f: Vec<char> = form.chars().collect();
        let l: Vec<char> = lemma.chars().collect();
        let (mut best, mut fi, mut li) = (0, 0, 0);
        for i in 0..f.len() {
            for j in 0..l.len() {
                let mut k = 0;
                while i + k < f.len() && j + k < l.len() && f[i + k] == l[j + k] {
                    k += 1;
                }
                if k > best {
                    (best, fi, li) = (k, i, j);
                }
            }
        }
        let s = |v: &[char]| v.iter().collect::<String>();
        if best == 0 {
            return Script {
                whole: true,
                cut_front: s(&f),
                add_front: s(&l),
                cut_back: String::new(),
                add_back: String::new(),
            };
        }
        Script {
            whole: false,
            cut_front: s(&f[..fi]),
            add_front: s(&l[..li]),
            cut_back: s(&f[fi + best..]),
            add_back: s(&l[li + best..]),
        }
    }

    /// Applies the script, or `None` if it does not fit `form`.
    pub fn apply(&self, form: &str) -> Option<String> {
        if self.whole {
            return (form == self.cut_front).then(|| self.add_front.clone());
        }
        let mid = form
            .strip_prefix(self.cut_front.as_str())?
            .strip_suffix(self.cut_back.as_str())?;
        if mid.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(form.len() + 8);
        out.push_str(&self.add_front);
        out.push_str(mid);
        out.push_str(&self.add_back);
        Some(out)
    }
}

/// The lemmatizer.
#[derive(Clone, Debug)]
pub struct Lemmatizer {
    /// "form\tupos\txpos" → plain lemma.
    by_tag: FxHashMap<String, String>,
    /// form → plain lemma (most frequent).
    by_form: FxHashMap<String, String>,
    /// "plain lemma\tupos" → vocalized lemma (most frequent).
    vocalized: FxHashMap<String, String>,
    scripts: Vec<Script>,
    model: Classifier,
    /// Script ids by `cut_back` (whole-form scripts by their form, under a `\u{1}` prefix).
    index: FxHashMap<String, Vec<u16>>,
}

fn features(form: &str, upos: &str, xpos: &str, f: &mut Vec<Feat>) {
    f.clear();
    f.push(feat(BIAS, &[]));
    f.push(feat(FORM, &[form.as_bytes()]));
    for n in 1..=4u8 {
        f.push(feat(
            SUFFIX,
            &[&[n], last_chars(form, n as usize).as_bytes()],
        ));
        f.push(feat(
            SUFFIX_UPOS,
            &[
                &[n],
                last_chars(form, n as usize).as_bytes(),
                upos.as_bytes(),
            ],
        ));
    }
    for n in 1..=3u8 {
        f.push(feat(
            PREFIX,
            &[&[n], first_chars(form, n as usize).as_bytes()],
        ));
    }
    f.push(feat(UPOS, &[upos.as_bytes()]));
    f.push(feat(XPOS, &[xpos.as_bytes()]));
    f.push(feat(
        XPOS_SUFFIX2,
        &[xpos.as_bytes(), last_chars(form, 2).as_bytes()],
    ));
    f.push(feat(
        UPOS_PREFIX2,
        &[upos.as_bytes(), first_chars(form, 2).as_bytes()],
    ));
    f.push(feat(
        LEN_UPOS,
        &[&[form.chars().count().min(12) as u8], upos.as_bytes()],
    ));
}

fn most_frequent(m: FxHashMap<String, FxHashMap<String, u32>>) -> FxHashMap<String, String> {
    m.into_iter()
        .map(|(k, c)| {
            let mut v: Vec<(String, u32)> = c.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            (k, v.swap_remove(0).0)
        })
        .collect()
}

fn write_map(w: &mut Writer, m: &FxHashMap<String, String>) {
    let mut v: Vec<(&String, &String)> = m.iter().collect();
    v.sort();
    w.u32(v.len() as u32);
    for (k, x) in v {
        w.str(k);
        w.str(x);
    }
}

fn read_map(r: &mut Reader) -> Result<FxHashMap<String, String>, ModelError> {
    let n = r.u32()? as usize;
    let mut m = FxHashMap::with_capacity_and_hasher(n.min(1 << 20), Default::default());
    for _ in 0..n {
        let k = r.str()?;
        m.insert(k, r.str()?);
    }
    Ok(m)
}

/// A lemma in both spellings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lemma {
    /// Without diacritics (what users search for).
    pub plain: String,
    /// Vocalized as in PADT, when the plain lemma was seen in training; else equal to `plain`.
    pub vocalized: String,
}

impl Lemmatizer {
    /// Trains on sentences of gold words.
    pub fn train(sents: &[Vec<GoldWord>], cfg: &LemmaConfig) -> Lemmatizer {
        let mut by_tag: FxHashMap<String, FxHashMap<String, u32>> = FxHashMap::default();
        let mut by_form: FxHashMap<String, FxHashMap<String, u32>> = FxHashMap::default();
        let mut vocalized: FxHashMap<String, FxHashMap<String, u32>> = FxHashMap::default();
        let mut script_ids: FxHashMap<Script, u16> = FxHashMap::default();
        let mut scripts: Vec<Script> = Vec::new();
        let mut data: Vec<(String, String, String, u16)> = Vec::new();
        for w in sents.iter().flatten() {
            let form = dediacritize(&w.form);
            let plain = dediacritize(&w.lemma);
            *by_tag
                .entry(format!("{form}\t{}\t{}", w.upos, w.xpos))
                .or_default()
                .entry(plain.clone())
                .or_default() += 1;
            *by_form
                .entry(form.clone())
                .or_default()
                .entry(plain.clone())
                .or_default() += 1;
            *vocalized
                .entry(format!("{plain}\t{}", w.upos))
                .or_default()
                .entry(w.lemma.clone())
                .or_default() += 1;
            let sc = Script::between(&form, &plain);
            if scripts.len() >= u16::MAX as usize && !script_ids.contains_key(&sc) {
                continue;
            }
            let id = *script_ids.entry(sc.clone()).or_insert_with(|| {
                scripts.push(sc);
                (scripts.len() - 1) as u16
            });
            data.push((form, w.upos.clone(), w.xpos.clone(), id));
        }
        let index = index_scripts(&scripts);
        let mut tr = ClassifierTrainer::new(scripts.len());
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = SplitMix64::new(cfg.seed);
        let mut f = Vec::new();
        let mut scores = Vec::new();
        let mut allowed = Vec::new();
        for _ in 0..cfg.epochs {
            rng.shuffle(&mut order);
            for &i in &order {
                let (form, upos, xpos, gold) = &data[i];
                features(form, upos, xpos, &mut f);
                applicable(&scripts, &index, form, &mut allowed);
                let p = tr.predict(&f, &allowed, &mut scores);
                tr.update(&f, *gold as usize, p);
            }
        }
        Lemmatizer {
            by_tag: most_frequent(by_tag),
            by_form: most_frequent(by_form),
            vocalized: most_frequent(vocalized),
            scripts,
            model: tr.finish(1e-3),
            index,
        }
    }

    /// The lemma of a word (UD form; diacritics ignored) with its tag.
    pub fn lemma(&self, form: &str, upos: &str, xpos: &str) -> Lemma {
        let form = dediacritize(form);
        let key = format!("{form}\t{upos}\t{xpos}");
        let plain = if let Some(l) = self.by_tag.get(&key) {
            l.clone()
        } else if upos == "PUNCT" || upos == "NUM" || !form.chars().any(char::is_alphabetic) {
            form.clone()
        } else {
            self.predict(&form, upos, xpos)
                .or_else(|| self.by_form.get(&form).cloned())
                .unwrap_or_else(|| form.clone())
        };
        let vocalized = self
            .vocalized
            .get(&format!("{plain}\t{upos}"))
            .cloned()
            .unwrap_or_else(|| plain.clone());
        Lemma { plain, vocalized }
    }

    fn predict(&self, form: &str, upos: &str, xpos: &str) -> Option<String> {
        let mut f = Vec::with_capacity(24);
        features(form, upos, xpos, &mut f);
        let mut allowed = Vec::new();
        applicable(&self.scripts, &self.index, form, &mut allowed);
        if allowed.is_empty() {
            return None;
        }
        let mut scores = Vec::new();
        let best = self.model.best(&f, &allowed, &mut scores);
        self.scripts[best].apply(form)
    }

    /// Serializes the model (`QLMT` header, version, kind `lem`).
    pub fn save(&self) -> Vec<u8> {
        let mut w = Writer::with_header(ModelKind::Lemma);
        write_map(&mut w, &self.by_tag);
        write_map(&mut w, &self.by_form);
        write_map(&mut w, &self.vocalized);
        w.u32(self.scripts.len() as u32);
        for s in &self.scripts {
            w.u16(u16::from(s.whole));
            w.str(&s.cut_front);
            w.str(&s.add_front);
            w.str(&s.cut_back);
            w.str(&s.add_back);
        }
        self.model.write(&mut w);
        w.into_inner()
    }

    /// Loads a model saved by [`Lemmatizer::save`].
    pub fn load(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::Lemma)?;
        let by_tag = read_map(&mut r)?;
        let by_form = read_map(&mut r)?;
        let vocalized = read_map(&mut r)?;
        let n = r.u32()? as usize;
        let mut scripts = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            scripts.push(Script {
                whole: r.u16()? != 0,
                cut_front: r.str()?,
                add_front: r.str()?,
                cut_back: r.str()?,
                add_back: r.str()?,
            });
        }
        let model = Classifier::read(&mut r)?;
        if model.n_classes() != scripts.len() {
            return Err(ModelError::Corrupt("script count differs"));
        }
        let index = index_scripts(&scripts);
        Ok(Lemmatizer {
            by_tag,
            by_form,
            vocalized,
            scripts,
            model,
            index,
        })
    }
}

fn index_scripts(scripts: &[Script]) -> FxHashMap<String, Vec<u16>> {
    let mut m: FxHashMap<String, Vec<u16>> = FxHashMap::default();
    for (i, s) in scripts.iter().enumerate() {
        let key = if s.whole {
            format!("\u{1}{}", s.cut_front)
        } else {
            s.cut_back.clone()
        };
        m.entry(key).or_default().push(i as u16);
    }
    m
}

/// Ids of the scripts that fit `form`, in increasing order.
fn applicable(
    scripts: &[Script],
    index: &FxHashMap<String, Vec<u16>>,
    form: &str,
    out: &mut Vec<u16>,
) {
    out.clear();
    let mut key = String::with_capacity(form.len() + 1);
    key.push('\u{1}');
    key.push_str(form);
    if let Some(ids) = index.get(&key) {
        out.extend(ids);
    }
    let mut ends: Vec<usize> = form.char_indices().map(|(i, _)| i).collect();
    ends.push(form.len());
    for &b in ends.iter().rev().take(8) {
        if let Some(ids) = index.get(&form[b..]) {
            for &i in ids {
                let s = &scripts[i as usize];
                if s.cut_front.len() + s.cut_back.len() < form.len()
                    && form.starts_with(s.cut_front.as_str())
                {
                    out.push(i);
                }
            }
        }
    }
    out.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::super::data::read_words;
    use super::*;

    #[test]
    fn scripts_round_trip() {
        for (f, l) in [
            ("الالمانية", "ألماني"),
            ("ترفض", "رفض"),
            ("كانت", "كان"),
            ("أسعار", "سعر"),
            ("ب", "ب"),
        ] {
            let s = Script::between(f, l);
            assert_eq!(s.apply(f).as_deref(), Some(l), "{f} → {l}: {s:?}");
        }
        let s = Script::between("الالمانية", "ألماني");
        assert_eq!(s.apply("الاسبانية").as_deref(), Some("أسباني"));
        assert_eq!(s.apply("شركة"), None);
        // A whole-form replacement (pronoun ك → هو) never applies to another word.
        let s = Script::between("ك", "هو");
        assert_eq!(s.apply("ك").as_deref(), Some("هو"));
        assert_eq!(s.apply("كاميرون"), None);
    }

    #[test]
    fn learns_the_fixture() {
        let sents = read_words(include_str!("../../tests/fixtures/padt-mini.conllu"));
        let lem = Lemmatizer::train(&sents, &LemmaConfig::default());
        let lem = Lemmatizer::load(&lem.save()).unwrap();
        let (mut right, mut total) = (0, 0);
        for w in sents.iter().flatten() {
            let l = lem.lemma(&w.form, &w.upos, &w.xpos);
            total += 1;
            right += usize::from(l.vocalized == w.lemma && l.plain == dediacritize(&w.lemma));
        }
        assert!(right * 100 >= total * 98, "{right}/{total}");
    }
}
