//! Feature extraction for the NER model: normalized forms, clitic-stripped forms, affixes, shapes,
//! gazetteer matches and word clusters, in a window around each token.

use qalam_text::{Options, normalize_into};

use super::Resources;
use super::autolex::Evidence;
use super::clitics::{split_proclitics, strip_all, strip_article};
use super::gazetteer::{Match, MatchBits, token_key};
use crate::linear::keys::KeyBuilder;
use crate::linear::sequence::Sequence;

/// Per-token precomputed forms, kept between calls to reuse their buffers.
#[derive(Clone, Debug, Default)]
struct Tok {
    /// Search-normalized form.
    norm: String,
    /// Proclitics (و ف ب ل ك) off, `ال` kept.
    strip: String,
    /// Every proclitic off, ب ل ك also before a word without `ال` (`clitics::strip_all`).
    stripped_all: String,
    /// All proclitics and `ال` off.
    bare: String,
    /// The proclitics taken off (`""`, `"و"`, `"وب"`, …).
    clitic: &'static str,
    /// Collapsed character-class shape.
    shape: String,
    /// Chars in `norm`.
    len: usize,
    /// Word-cluster path of `norm` (or of `strip`), 0 if unknown.
    cluster: u32,
    /// Whether `norm` is an Arabic-script word.
    arabic: bool,
    /// Entity-type evidence from unlabelled text for `strip`.
    auto: Option<Evidence>,
}

/// Reusable feature-extraction state.
#[derive(Clone, Debug, Default)]
pub struct Extractor {
    toks: Vec<Tok>,
    keys: Vec<u64>,
    alt: Vec<u64>,
    alts: Vec<[u64; 2]>,
    bits: Vec<MatchBits>,
    name_bits: Vec<MatchBits>,
    common_bits: Vec<MatchBits>,
    alt2: Vec<u64>,
}

const BOS: &str = "<s>";
const EOS: &str = "</s>";

// Template ids.
const BIAS: u32 = 0;
const W: u32 = 1; // + offset (−2..=2) → 1..=5
const S: u32 = 10; // + offset (−1..=1)
const BARE: u32 = 14;
const CLITIC: u32 = 15;
const PRE: u32 = 20; // + n (1..=4)
const SUF: u32 = 25; // + n (1..=4)
const SHAPE: u32 = 30;
const SHAPE3: u32 = 31;
const LEN: u32 = 32;
const W_PREV_CUR: u32 = 33;
const W_CUR_NEXT: u32 = 34;
const S_PREV_CUR: u32 = 35;
const GAZ: u32 = 40; // + offset (−1..=1)
const NAMES: u32 = 44; // + offset (−1..=1)
const NAMES_COMMON: u32 = 47;
const CLUSTER: u32 = 50; // + 4·offset + level
const FIRST: u32 = 70;
const CLUSTER_PREV_WORD: u32 = 73;
const CLUSTER_NEXT_WORD: u32 = 74;
const CLUSTER_PRIOR: u32 = 75;
const W_PREV2: u32 = 71;
const AUTO_TOP: u32 = 80; // + offset (−1..=1)
const AUTO_SHARE: u32 = 84;
const AUTO_FREQ: u32 = 85;
const W_NEXT2: u32 = 72;

fn shape_into(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in word.chars() {
        let class = if qalam_text::chars::is_arabic_letter(c) {
            'a'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_ascii() {
            c
        } else {
            'p'
        };
        if class != last {
            out.push(class);
            last = class;
        }
    }
}

fn prefix(s: &str, n: usize) -> Option<&str> {
    let (i, c) = s.char_indices().nth(n - 1)?;
    Some(&s[..i + c.len_utf8()])
}

fn suffix(s: &str, n: usize) -> Option<&str> {
    let (i, _) = s.char_indices().rev().nth(n - 1)?;
    Some(&s[i..])
}

/// Pushes the list bits (`bits`, 12 per token) of the tokens at `ii - 1..=ii + 1` as features
/// `base + 1 + offset`; the token's own bits are hidden with the word itself, so that unlisted
/// names are learnt too.
fn window_bits(seq: &mut Sequence, bits: &[MatchBits], base: u32, ii: isize, n: usize) {
    for d in -1..=1isize {
        let j = ii + d;
        if j < 0 || j as usize >= n {
            continue;
        }
        let b = bits[j as usize];
        for bit in 0..12 {
            if b & (1 << bit) != 0 {
                let k = KeyBuilder::new((base as isize + 1 + d) as u32).int(bit);
                seq.push(if d == 0 {
                    k.finish_droppable()
                } else {
                    k.finish()
                });
            }
        }
    }
}

impl Extractor {
    /// The document-history key of each token of the last [`Extractor::extract`] call: the key of
    /// its clitic-stripped form for words of two chars or more, 0 for anything else.
    pub fn history_keys(&self, out: &mut Vec<u64>) {
        out.clear();
        for (t, &k) in self.toks.iter().zip(&self.alt) {
            let word = t.len >= 2 && t.norm.chars().any(char::is_alphabetic);
            out.push(if word { k } else { 0 });
        }
    }

    /// The names-list phrases of the sentence of the last [`Extractor::extract`] call.
    /// A phrase's first token may have its proclitics off, including ب ل ك before a word
    /// without the article (لداعش, بكربلاء), which the features' stripped form keeps.
    pub fn name_matches(&mut self, res: &Resources, out: &mut Vec<Match>) {
        out.clear();
        if res.names.is_empty() {
            return;
        }
        // `find` matches the clitic-stripped first token, `match_into` also without ال: no bit
        // set, no match of that kind.
        if self.name_bits.iter().any(|&b| b != 0) {
            res.names.all.find(&self.keys, &self.alt, out);
        }
        self.alt2.clear();
        let mut other = false;
        for (t, &alt) in self.toks.iter().zip(&self.alt) {
            let k = if t.arabic && t.stripped_all != t.strip {
                token_key(&t.stripped_all)
            } else {
                alt
            };
            other |= k != alt;
            self.alt2.push(k);
        }
        if other {
            let before = out.len();
            res.names.all.find(&self.keys, &self.alt2, out);
            let (alt, alt2) = (&self.alt, &self.alt2);
            let mut i = before;
            while i < out.len() {
                if alt2[out[i].start] == alt[out[i].start] {
                    out.swap_remove(i);
                } else {
                    i += 1;
                }
            }
        }
    }

    /// Writes the features of every token of `tokens` into `seq` (cleared first).
    pub fn extract(&mut self, res: &Resources, tokens: &[&str], seq: &mut Sequence) {
        seq.clear();
        let n = tokens.len();
        if self.toks.len() < n {
            self.toks.resize_with(n, Tok::default);
        }
        self.keys.clear();
        self.alt.clear();
        self.alts.clear();
        for (t, word) in self.toks.iter_mut().zip(tokens) {
            normalize_into(word, &Options::SEARCH, &mut t.norm);
            t.len = t.norm.chars().count();
            t.arabic = t.norm.chars().any(qalam_text::chars::is_arabic_letter);
            if t.arabic {
                let (clitic, strip) = split_proclitics(&t.norm, 2);
                t.clitic = clitic;
                t.strip = strip;
                t.stripped_all = strip_all(&t.norm, 3);
                t.bare.clear();
                t.bare.push_str(strip_article(&t.stripped_all));
            } else {
                t.clitic = "";
                t.strip.clone_from(&t.norm);
                t.bare.clone_from(&t.norm);
            }
            shape_into(word, &mut t.shape);
            t.cluster = res
                .clusters
                .get(&t.norm)
                .or_else(|| res.clusters.get(&t.strip))
                .unwrap_or(0);
            self.keys.push(token_key(&t.norm));
            let alt = token_key(&t.strip);
            t.auto = res.auto.get(alt);
            self.alt.push(alt);
            self.alts.push([alt, token_key(strip_article(&t.strip))]);
        }
        res.gazetteer
            .match_into(&self.keys, &self.alts, &mut self.bits);
        res.names
            .all
            .match_into(&self.keys, &self.alts, &mut self.name_bits);
        if self.name_bits.iter().any(|&b| b != 0) {
            res.names
                .common
                .match_into(&self.keys, &self.alts, &mut self.common_bits);
        } else {
            // Every common name is listed: nothing listed, nothing common.
            self.common_bits.clear();
            self.common_bits.resize(n, 0);
        }
        let toks = &self.toks[..n];
        let word = |i: isize| -> &str {
            if i < 0 {
                BOS
            } else if i as usize >= n {
                EOS
            } else {
                &toks[i as usize].norm
            }
        };
        let strip = |i: isize| -> &str {
            if i < 0 {
                BOS
            } else if i as usize >= n {
                EOS
            } else {
                &toks[i as usize].strip
            }
        };
        for (i, t) in toks.iter().enumerate() {
            let ii = i as isize;
            seq.push(KeyBuilder::new(BIAS).finish());
            // The token's own identity is droppable in training, so that the model also learns to
            // read its shape, clusters, gazetteer matches and context.
            for d in -2..=2isize {
                let b = KeyBuilder::new((W as isize + 2 + d) as u32).str(word(ii + d));
                seq.push(if d == 0 {
                    b.finish_droppable()
                } else {
                    b.finish()
                });
            }
            for d in -1..=1isize {
                let b = KeyBuilder::new((S as isize + 1 + d) as u32).str(strip(ii + d));
                seq.push(if d == 0 {
                    b.finish_droppable()
                } else {
                    b.finish()
                });
            }
            seq.push(KeyBuilder::new(BARE).str(&t.bare).finish_droppable());
            seq.push(KeyBuilder::new(CLITIC).str(t.clitic).finish());
            let stem = if t.arabic {
                t.strip.as_str()
            } else {
                t.norm.as_str()
            };
            for k in 1..=4 {
                if let Some(p) = prefix(stem, k) {
                    seq.push(KeyBuilder::new(PRE + k as u32).str(p).finish());
                }
                if let Some(s) = suffix(&t.norm, k) {
                    seq.push(KeyBuilder::new(SUF + k as u32).str(s).finish());
                }
            }
            seq.push(KeyBuilder::new(SHAPE).str(&t.shape).finish());
            let sh = |j: isize| -> &str {
                if j < 0 || j as usize >= n {
                    "_"
                } else {
                    &toks[j as usize].shape
                }
            };
            seq.push(
                KeyBuilder::new(SHAPE3)
                    .str(sh(ii - 1))
                    .str(&t.shape)
                    .str(sh(ii + 1))
                    .finish(),
            );
            seq.push(KeyBuilder::new(LEN).int(t.len.min(10) as u64).finish());
            seq.push(
                KeyBuilder::new(W_PREV_CUR)
                    .str(word(ii - 1))
                    .str(&t.norm)
                    .finish_droppable(),
            );
            seq.push(
                KeyBuilder::new(W_CUR_NEXT)
                    .str(&t.norm)
                    .str(word(ii + 1))
                    .finish_droppable(),
            );
            seq.push(
                KeyBuilder::new(S_PREV_CUR)
                    .str(strip(ii - 1))
                    .str(&t.strip)
                    .finish_droppable(),
            );
            seq.push(
                KeyBuilder::new(W_PREV2)
                    .str(word(ii - 2))
                    .str(word(ii - 1))
                    .finish(),
            );
            seq.push(
                KeyBuilder::new(W_NEXT2)
                    .str(word(ii + 1))
                    .str(word(ii + 2))
                    .finish(),
            );
            if i == 0 {
                seq.push(KeyBuilder::new(FIRST).finish());
            }
            window_bits(seq, &self.bits, GAZ, ii, n);
            window_bits(seq, &self.name_bits, NAMES, ii, n);
            if self.common_bits[i] != 0 {
                let k = KeyBuilder::new(NAMES_COMMON).int(self.common_bits[i] as u64);
                seq.push(k.finish_droppable());
            }
            for d in -1..=1isize {
                let j = ii + d;
                let c = if j < 0 || j as usize >= n {
                    u32::MAX
                } else {
                    toks[j as usize].cluster
                };
                if c == 0 {
                    continue;
                }
                for (level, shift) in [16u32, 8, 0].iter().enumerate() {
                    let tpl = (CLUSTER as isize + 4 * (d + 1) + level as isize) as u32;
                    seq.push(KeyBuilder::new(tpl).int((c >> shift) as u64).finish());
                }
            }
            for d in -1..=1isize {
                let j = ii + d;
                if j < 0 || j as usize >= n {
                    continue;
                }
                if let Some((k, s)) = toks[j as usize].auto.and_then(|e| e.top()) {
                    let tpl = (AUTO_TOP as isize + 1 + d) as u32;
                    let s = if d == 0 { s } else { s / 3 };
                    seq.push(KeyBuilder::new(tpl).int(k as u64).int(s as u64).finish());
                }
            }
            if let Some(e) = t.auto {
                for (k, &s) in e.share.iter().enumerate() {
                    if s > 0 {
                        seq.push(
                            KeyBuilder::new(AUTO_SHARE)
                                .int(k as u64)
                                .int(s as u64)
                                .finish(),
                        );
                    }
                }
                if let Some((k, s)) = e.top() {
                    let key = KeyBuilder::new(AUTO_FREQ).int(k as u64).int(s as u64 / 4);
                    seq.push(key.int(e.freq as u64 / 2).finish());
                }
            }
            if t.cluster != 0 {
                let (leaf, mid) = res.clusters.prior(t.cluster);
                for (level, buckets) in [leaf, mid].iter().enumerate() {
                    for (k, &b) in buckets.iter().enumerate() {
                        if b > 0 {
                            let key = KeyBuilder::new(CLUSTER_PRIOR).int(level as u64);
                            seq.push(key.int(k as u64).int(b as u64).finish());
                        }
                    }
                }
                // The cluster in context: "في" + a city-like cluster, a name cluster before a verb.
                let c = (t.cluster >> 8) as u64;
                seq.push(
                    KeyBuilder::new(CLUSTER_PREV_WORD)
                        .str(word(ii - 1))
                        .int(c)
                        .finish(),
                );
                seq.push(
                    KeyBuilder::new(CLUSTER_NEXT_WORD)
                        .int(c)
                        .str(word(ii + 1))
                        .finish(),
                );
            }
            seq.end_position();
        }
    }
}
