//! Clitic segmentation: a surface word → UD words, with byte spans and spelling restored.

use qalam_text::chars::{is_diacritic, is_tatweel};

use super::data::{GoldSentence, dediacritize, first_chars, last_chars};
use super::lexicon::{Lexicon, jackknife};
use super::surface::{Join, is_arabic_form, restore};
use crate::linear::keys::{Feat, feat};
use crate::linear::{Classifier, ClassifierTrainer};
use crate::linear::{ModelError, ModelKind, Reader, Writer};
use qalam_text::hash::SplitMix64;

/// Clitic boundaries are looked for this many letters from either end of a word.
const EDGE: usize = 3;
const FOLDS: usize = 5;

// Feature template ids of a candidate boundary. They are hashed into the feature keys of
// `seg.qlm`: never renumber one (a new template takes a free id). LEFT / RIGHT are the letters
// before / after the boundary, PIECE the letters since the last boundary, POSITION the letters
// on either side (capped at 9); LEX_* read the lexicon buckets of what the boundary would make.
const BIAS: u8 = 0;
const LEFT: u8 = 1;
const RIGHT: u8 = 2;
const WORD: u8 = 3;
const LEFT_LAST3: u8 = 4;
const RIGHT_FIRST3: u8 = 5;
const LEFT2_RIGHT2: u8 = 6;
const LEFT1_RIGHT1: u8 = 7;
const POSITION: u8 = 8;
const PIECE: u8 = 9;
/// The join chosen at the previous boundary and the piece length.
const PREV_JOIN: u8 = 10;
const RIGHT_LAST2: u8 = 11;
/// Buckets of the right part as is, with `ا` and with `ال` before it.
const LEX_RIGHT: u8 = 12;
const LEX_RIGHT_FIRST1: u8 = 13;
const LEX_ARTICLE_LEFT_LAST1: u8 = 14;
/// Buckets of the piece with its spelling restored (ة, ى, ء, +ا, +ن).
const LEX_PIECE: u8 = 15;
const LEX_PIECE_RIGHT: u8 = 16;
const LEX_PIECE_RIGHT_POSITION: u8 = 17;
const LEX_PIECE_LAST1: u8 = 18;
/// How often this surface word was seen, and split here.
const SURFACE_SEEN: u8 = 19;
const SURFACE_LEX: u8 = 20;

/// One UD word of a segmented surface word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The UD form, spelling restored (`شقيقته` → `شقيقة`, `ه`).
    pub form: String,
    /// Byte offset of the visible part of this word (relative to the segmented string).
    pub start: usize,
    /// End of the visible part.
    pub end: usize,
    /// How the word joins the previous one ([`Join::None`] for the first).
    pub join: Join,
}

/// Training settings for [`Segmenter::train`].
#[derive(Clone, Debug)]
pub struct SegConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed for the shuffling.
    pub seed: u64,
}

impl Default for SegConfig {
    fn default() -> Self {
        SegConfig {
            epochs: 10,
            seed: 7,
        }
    }
}

/// The clitic segmenter: a boundary classifier (averaged perceptron) with lexicon features.
#[derive(Clone, Debug)]
pub struct Segmenter {
    model: Classifier,
    lex: Lexicon,
    surf: Lexicon,
}

/// The letters of a word (no diacritics) and where each sits in the original string.
struct Letters {
    s: String,
    /// Byte offset of letter `i` in `s`; one extra entry for the end.
    lb: Vec<usize>,
    /// Byte offset of letter `i` in the original; one extra entry for the end.
    ob: Vec<usize>,
}

impl Letters {
    fn new(word: &str) -> Self {
        let mut s = String::with_capacity(word.len());
        let mut lb = Vec::with_capacity(word.len() / 2 + 1);
        let mut ob = Vec::with_capacity(word.len() / 2 + 1);
        for (i, c) in word.char_indices() {
            if is_diacritic(c) || is_tatweel(c) {
                continue;
            }
            lb.push(s.len());
            ob.push(i);
            s.push(c);
        }
        lb.push(s.len());
        ob.push(word.len());
        Letters { s, lb, ob }
    }
    fn n(&self) -> usize {
        self.lb.len() - 1
    }
    fn sub(&self, a: usize, b: usize) -> &str {
        &self.s[self.lb[a]..self.lb[b]]
    }
}

fn candidates(n: usize) -> impl Iterator<Item = usize> {
    (1..n).filter(move |&k| k <= EDGE || n - k <= EDGE)
}

/// Reusable buffers for feature extraction.
#[derive(Default)]
struct Scratch {
    feats: Vec<Feat>,
    buf: String,
    scores: Vec<f32>,
    steps: Vec<i32>,
}

/// Features of a boundary before letter `k`; `piece_start` is the letter where the current
/// word began and `prev` the join chosen at the previous candidate boundary.
fn features(
    l: &Letters,
    k: usize,
    piece_start: usize,
    prev: Join,
    lex: &Lexicon,
    surf: &Lexicon,
    sc: &mut Scratch,
) {
    let n = l.n();
    let left = l.sub(0, k);
    let right = l.sub(k, n);
    let piece = l.sub(piece_start, k);
    let w = l.s.as_str();
    let f = &mut sc.feats;
    f.clear();
    let kb = [k.min(9) as u8, (n - k).min(9) as u8];
    f.push(feat(BIAS, &[]));
    f.push(feat(LEFT, &[left.as_bytes(), &kb]));
    f.push(feat(RIGHT, &[right.as_bytes(), &kb]));
    f.push(feat(WORD, &[w.as_bytes(), &kb]));
    f.push(feat(LEFT_LAST3, &[last_chars(left, 3).as_bytes(), &kb]));
    f.push(feat(
        RIGHT_FIRST3,
        &[first_chars(right, 3).as_bytes(), &kb[1..]],
    ));
    f.push(feat(
        LEFT2_RIGHT2,
        &[
            last_chars(left, 2).as_bytes(),
            first_chars(right, 2).as_bytes(),
        ],
    ));
    f.push(feat(
        LEFT1_RIGHT1,
        &[
            last_chars(left, 1).as_bytes(),
            first_chars(right, 1).as_bytes(),
        ],
    ));
    f.push(feat(POSITION, &[&kb]));
    f.push(feat(PIECE, &[piece.as_bytes(), &kb]));
    f.push(feat(
        PREV_JOIN,
        &[&[prev as u8, (k - piece_start).min(9) as u8]],
    ));
    f.push(feat(
        RIGHT_LAST2,
        &[last_chars(right, 2).as_bytes(), &kb[1..]],
    ));
    // Lexicon: is what follows a known word, possibly with the article restored?
    let br = lex.bucket(right);
    let buf = &mut sc.buf;
    buf.clear();
    buf.push('ا');
    buf.push_str(right);
    let ba = lex.bucket(buf);
    buf.clear();
    buf.push_str("ال");
    buf.push_str(right);
    let bal = lex.bucket(buf);
    f.push(feat(LEX_RIGHT, &[&[br, ba, bal]]));
    f.push(feat(
        LEX_RIGHT_FIRST1,
        &[&[br], first_chars(right, 1).as_bytes(), &kb],
    ));
    f.push(feat(
        LEX_ARTICLE_LEFT_LAST1,
        &[&[ba, bal], last_chars(left, 1).as_bytes()],
    ));
    // Lexicon: is the current piece a known word, possibly with its spelling restored?
    let bp = lex.bucket(piece);
    let mut restored = [b'0'; 6];
    restored[0] = bp;
    let stem = match piece.char_indices().next_back() {
        Some((i, c)) => (&piece[..i], c),
        None => ("", ' '),
    };
    for (slot, (from, to)) in [('ت', "ة"), ('ا', "ى"), ('ؤ', "ء"), ('ئ', "ء")]
        .into_iter()
        .enumerate()
    {
        if stem.1 == from {
            buf.clear();
            buf.push_str(stem.0);
            buf.push_str(to);
            let b = lex.bucket(buf);
            let i = if slot >= 2 { 3 } else { slot + 1 };
            restored[i] = restored[i].max(b);
        }
    }
    for (i, add) in [(4, 'ا'), (5, 'ن')] {
        buf.clear();
        buf.push_str(piece);
        buf.push(add);
        restored[i] = lex.bucket(buf);
    }
    f.push(feat(LEX_PIECE, &[&restored]));
    f.push(feat(LEX_PIECE_RIGHT, &[&restored[..2], &[br]]));
    f.push(feat(LEX_PIECE_RIGHT_POSITION, &[&[bp, br], &kb[1..]]));
    f.push(feat(
        LEX_PIECE_LAST1,
        &[&restored, last_chars(piece, 1).as_bytes()],
    ));
    // Memory of this very surface word: how often seen, how often split here.
    let seen = surf.count(w);
    let (bw, rate) = if seen == 0 {
        (b'0', b'-')
    } else {
        buf.clear();
        buf.push_str(w);
        buf.push('\u{1}');
        buf.push(char::from(b'0' + k.min(9) as u8));
        let split = surf.count(buf);
        let rate = match (split, seen) {
            (0, _) => b'0',
            (s, n) if s == n => b'A',
            (s, n) if 2 * s >= n => b'H',
            _ => b'L',
        };
        (surf.bucket(w), rate)
    };
    f.push(feat(SURFACE_SEEN, &[&[bw, rate]]));
    f.push(feat(SURFACE_LEX, &[&[rate, lex.bucket(w)], &kb]));
}

/// Keys of the surface-word memory: the word, and the word with each gold split position.
fn surface_keys(word: &str, bounds: &[(usize, Join)]) -> Vec<String> {
    let mut v = vec![word.to_string()];
    for &(k, _) in bounds {
        let mut key = String::with_capacity(word.len() + 2);
        key.push_str(word);
        key.push('\u{1}');
        key.push(char::from(b'0' + k.min(9) as u8));
        v.push(key);
    }
    v
}

/// A training token: sentence index, letters and gold boundaries (letter index, join).
type Example = (usize, Letters, Vec<(usize, Join)>);

/// Gold boundaries of one token as (letter index, join); `None` if a boundary is not at a letter.
fn gold_bounds(token: &str, starts: &[(usize, Join)], l: &Letters) -> Option<Vec<(usize, Join)>> {
    let _ = token;
    starts
        .iter()
        .map(|&(b, j)| l.ob.iter().position(|&o| o == b).map(|k| (k, j)))
        .collect()
}

impl Segmenter {
    /// Trains on gold sentences (their fused tokens give the boundaries).
    pub fn train(sents: &[GoldSentence], cfg: &SegConfig) -> Segmenter {
        let items = sents.iter().enumerate().flat_map(|(i, s)| {
            s.words
                .iter()
                .filter(|w| is_arabic_form(&w.form))
                .map(move |w| (i, w.form.as_str()))
        });
        let owned: Vec<(usize, String)> = items.map(|(i, f)| (i, dediacritize(f))).collect();
        let (folds, full) = jackknife(owned.iter().map(|(i, f)| (*i, f.as_str())), FOLDS);
        // (sentence index, token text, gold boundaries in letters)
        let mut examples: Vec<Example> = Vec::new();
        let mut uncovered = 0usize;
        for (si, s) in sents.iter().enumerate() {
            for t in &s.tokens {
                let text = &s.text[t.start..t.end];
                if !is_arabic_form(text) {
                    continue;
                }
                let l = Letters::new(text);
                let starts: Vec<(usize, Join)> =
                    t.pieces[1..].iter().map(|p| (p.start, p.join)).collect();
                match gold_bounds(text, &starts, &l) {
                    Some(b) => {
                        let n = l.n();
                        if b.iter().any(|&(k, _)| !(k <= EDGE || n - k <= EDGE)) {
                            uncovered += 1;
                        }
                        examples.push((si, l, b));
                    }
                    None => uncovered += 1,
                }
            }
        }
        let keys: Vec<(usize, String)> = examples
            .iter()
            .flat_map(|(si, l, b)| surface_keys(&l.s, b).into_iter().map(move |k| (*si, k)))
            .collect();
        let (surf_folds, surf_full) = jackknife(keys.iter().map(|(i, k)| (*i, k.as_str())), FOLDS);
        if uncovered > 0 {
            eprintln!("seg: {uncovered} gold tokens have a boundary the model cannot place");
        }
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = SplitMix64::new(cfg.seed);
        let mut tr = ClassifierTrainer::new(Join::COUNT);
        let mut sc = Scratch::default();
        for _ in 0..cfg.epochs {
            rng.shuffle(&mut order);
            for &e in &order {
                let (si, l, gold) = &examples[e];
                let lex = &folds[si % FOLDS];
                let surf = &surf_folds[si % FOLDS];
                let mut piece_start = 0;
                let mut prev = Join::None;
                for k in candidates(l.n()) {
                    let g = gold.iter().find(|b| b.0 == k).map_or(Join::None, |b| b.1);
                    features(l, k, piece_start, prev, lex, surf, &mut sc);
                    let p = tr.predict(&sc.feats, &[], &mut sc.scores);
                    tr.update(&sc.feats, g as usize, p);
                    if g != Join::None {
                        piece_start = k;
                    }
                    prev = g;
                }
            }
        }
        Segmenter {
            model: tr.finish(1e-3),
            lex: full,
            surf: surf_full,
        }
    }

    /// Splits one surface word into UD words; non-Arabic strings come back whole.
    pub fn segment(&self, word: &str) -> Vec<Segment> {
        let mut out = Vec::with_capacity(3);
        self.segment_into(word, &mut out);
        out
    }

    /// Like [`Segmenter::segment`], appending to `out`.
    pub fn segment_into(&self, word: &str, out: &mut Vec<Segment>) {
        let whole = |out: &mut Vec<Segment>| {
            out.push(Segment {
                form: word.to_string(),
                start: 0,
                end: word.len(),
                join: Join::None,
            })
        };
        if !is_arabic_form(word) {
            return whole(out);
        }
        let l = Letters::new(word);
        let mut sc = Scratch::default();
        let mut bounds: Vec<(usize, Join)> = Vec::new();
        let mut piece_start = 0;
        let mut prev = Join::None;
        for k in candidates(l.n()) {
            features(&l, k, piece_start, prev, &self.lex, &self.surf, &mut sc);
            let j = Join::from_id(self.model.best(&sc.feats, &[], &mut sc.steps));
            if j != Join::None {
                bounds.push((l.ob[k], j));
                piece_start = k;
            }
            prev = j;
        }
        if bounds.is_empty() {
            return whole(out);
        }
        let mut join = Join::None;
        for (i, (form, start, end)) in restore(word, &bounds).into_iter().enumerate() {
            out.push(Segment {
                form,
                start,
                end,
                join,
            });
            join = bounds.get(i).map_or(Join::None, |b| b.1);
        }
    }

    /// A search stem of `word`: the host left after clitic segmentation, without the article
    /// and one inflectional suffix, in the search normalization (ة→ه, أ→ا, …).
    pub fn stem(&self, word: &str) -> String {
        let mut segs = Vec::with_capacity(3);
        self.segment_into(word, &mut segs);
        let host = segs
            .iter()
            .max_by_key(|s| (s.form.chars().count(), std::cmp::Reverse(s.start)))
            .map_or(word, |s| s.form.as_str());
        let mut h = dediacritize(host);
        let n = |s: &str| s.chars().count();
        if h.starts_with("ال") && n(&h) >= 4 {
            h.drain(.."ال".len());
        }
        for suf in ["ات", "ون", "ين", "ان", "ية", "ة", "ي"] {
            if h.ends_with(suf) && n(&h) >= n(suf) + 3 {
                h.truncate(h.len() - suf.len());
                break;
            }
        }
        qalam_text::normalize_str(&h, qalam_text::Profile::Search)
    }

    /// Serializes the model (`QLMT` header, version, kind `seg`).
    pub fn save(&self) -> Vec<u8> {
        let mut w = Writer::with_header(ModelKind::Seg);
        w.u32(EDGE as u32);
        self.lex.write(&mut w);
        self.surf.write(&mut w);
        self.model.write(&mut w);
        w.into_inner()
    }

    /// Loads a model saved by [`Segmenter::save`].
    pub fn load(bytes: &[u8]) -> Result<Segmenter, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::Seg)?;
        if r.u32()? as usize != EDGE {
            return Err(ModelError::Corrupt("segmenter edge width differs"));
        }
        let lex = Lexicon::read(&mut r)?;
        let surf = Lexicon::read(&mut r)?;
        let model = Classifier::read(&mut r)?;
        if model.n_classes() != Join::COUNT {
            return Err(ModelError::Corrupt("segmenter class count differs"));
        }
        Ok(Segmenter { model, lex, surf })
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::{read_words, rebuild_sentence};
    use super::*;

    fn tiny_corpus() -> Vec<GoldSentence> {
        let doc = include_str!("../../tests/fixtures/padt-mini.conllu");
        read_words(doc).into_iter().map(rebuild_sentence).collect()
    }

    #[test]
    fn letters_skip_diacritics() {
        let l = Letters::new("هٰذا");
        assert_eq!(l.s, "هذا");
        assert_eq!(l.n(), 3);
        assert_eq!(l.ob[1], "هٰ".len());
        assert_eq!(candidates(8).collect::<Vec<_>>(), vec![1, 2, 3, 5, 6, 7]);
    }

    #[test]
    fn learns_the_fixture_and_round_trips() {
        let sents = tiny_corpus();
        let seg = Segmenter::train(&sents, &SegConfig::default());
        let bytes = seg.save();
        let seg = Segmenter::load(&bytes).unwrap();
        let mut right = 0;
        let mut total = 0;
        for s in &sents {
            for t in &s.tokens {
                let got = seg.segment(&s.text[t.start..t.end]);
                let forms: Vec<&str> = got.iter().map(|g| g.form.as_str()).collect();
                let gold: Vec<&str> = s.words[t.words.clone()]
                    .iter()
                    .map(|w| w.form.as_str())
                    .collect();
                total += 1;
                right += usize::from(forms == gold);
            }
        }
        assert!(right * 100 >= total * 97, "{right}/{total}");
        let mut bad = bytes.clone();
        bad[4] ^= 1;
        assert!(Segmenter::load(&bad).is_err());
    }

    #[test]
    fn spans_point_into_the_word() {
        let sents = tiny_corpus();
        let seg = Segmenter::train(&sents, &SegConfig { epochs: 2, seed: 1 });
        for w in ["وبالمدينة", "لهٰذا", "x", "", "ـ"] {
            for s in seg.segment(w) {
                assert!(s.start <= s.end && s.end <= w.len());
                assert!(w.is_char_boundary(s.start) && w.is_char_boundary(s.end));
            }
        }
    }
}
