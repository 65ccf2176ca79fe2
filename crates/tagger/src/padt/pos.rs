//! Part-of-speech tagging in two greedy averaged-perceptron passes: UPOS, then the full PADT tag
//! (XPOS) among those of that UPOS, seeing UPOS on both sides; FEATS are read off the tag.

use qalam_text::hash::FxHashMap;

use super::data::{GoldWord, dediacritize, first_chars, last_chars};
use super::lexicon::{Lexicon, jackknife};
use crate::linear::keys::{Feat, feat};
use crate::linear::{Classifier, ClassifierTrainer};
use crate::linear::{ModelError, ModelKind, Reader, Writer};
use crate::ner::Clusters;
use qalam_text::hash::SplitMix64;
use qalam_text::{Options, normalize_into};

const START: u16 = u16::MAX;
/// Words seen at least this often are only given tags they were seen with.
const DICT_MIN: u32 = 20;
/// Folds of the jackknifed word lexicons used for training features.
const FOLDS: usize = 10;

// Feature template ids. They are hashed into the feature keys of `pos.qlm`: never renumber one
// (a new template takes a free id). PREV / NEXT are the neighbouring words, PREV2 / NEXT2 the
// words two away.
// Word features, both passes:
const BIAS: u8 = 0;
const WORD: u8 = 1;
/// + the length in chars (1–4).
const SUFFIX: u8 = 2;
/// + the length in chars (1–3).
const PREFIX: u8 = 3;
const PREV_WORD: u8 = 4;
const NEXT_WORD: u8 = 5;
const PREV2_WORD: u8 = 6;
const NEXT2_WORD: u8 = 7;
const SHAPE_LEN: u8 = 11;
const NEXT_SUFFIX2: u8 = 12;
const PREV_SUFFIX2: u8 = 13;
const NEXT_PREFIX2_SUFFIX1: u8 = 17;
const PREV_PREFIX2_PREFIX2: u8 = 19;
/// [`word_info`] of the word.
const INFO: u8 = 60;
const INFO_SUFFIX2: u8 = 61;
/// [`word_info`] of the previous, this and the next word.
const INFO_WINDOW: u8 = 62;
const INFO_SHAPE_LEN: u8 = 63;
/// Cluster path levels: top (a), mid (a, b), leaf (a, b, c).
const CLUSTER_TOP: u8 = 64;
const CLUSTER_MID: u8 = 65;
const CLUSTER_LEAF: u8 = 66;
const PREV_CLUSTER_MID: u8 = 67;
const NEXT_CLUSTER_MID: u8 = 68;
const CLUSTER_MID_INFO: u8 = 69;
// Pass 1 (UPOS): UPOS1 / UPOS2 are the UPOS chosen for the word one / two to the left.
const P1_UPOS1: u8 = 30;
const P1_UPOS1_UPOS2: u8 = 31;
const P1_UPOS1_WORD: u8 = 32;
const P1_UPOS2: u8 = 33;
const P1_UPOS1_SUFFIX2: u8 = 34;
const P1_UPOS1_INFO: u8 = 35;
// Pass 2 (full tag): UPOS is this word's, LEFT / RIGHT the UPOS of the neighbours (RIGHT2: of
// the next two), TAG_LEFT the tag chosen for the previous word.
const P2_UPOS: u8 = 40;
const P2_UPOS_LEFT: u8 = 41;
const P2_UPOS_RIGHT: u8 = 42;
const P2_UPOS_RIGHT2: u8 = 43;
const P2_TAG_LEFT: u8 = 44;
const P2_TAG_LEFT_UPOS: u8 = 45;
const P2_UPOS_SUFFIX2: u8 = 46;
const P2_UPOS_PREFIX2: u8 = 47;
const P2_UPOS_PREV_WORD: u8 = 48;
const P2_UPOS_RIGHT_NEXT_PREFIX2: u8 = 49;
const P2_TAG_LEFT_WORD: u8 = 50;
const P2_UPOS_LEFT_PREV_SUFFIX1: u8 = 51;

/// One byte on how often a word was seen in training and how often as `X` (unanalysed).
fn word_info(all: &Lexicon, x: &Lexicon, w: &str) -> u8 {
    let n = all.count(w);
    let k = x.count(w);
    let seen = all.bucket(w) - b'0';
    let xs = if n == 0 {
        0
    } else if k == 0 {
        1
    } else if u64::from(k) * 2 < u64::from(n) {
        2
    } else if k < n {
        3
    } else {
        4
    };
    seen * 8 + xs
}

/// Training settings for [`PosTagger::train`].
#[derive(Clone, Debug)]
pub struct PosConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Seed for the shuffling.
    pub seed: u64,
    /// Averaged weights below this magnitude are dropped from the saved model.
    pub prune: f32,
    /// Word clusters from unlabelled text (e.g. those of the NER model), kept in the model;
    /// empty for none.
    pub clusters: Clusters,
}

impl Default for PosConfig {
    fn default() -> Self {
        PosConfig {
            epochs: 12,
            seed: 11,
            prune: 0.3,
            clusters: Clusters::default(),
        }
    }
}

/// A UPOS+XPOS tagger that also gives FEATS.
#[derive(Clone, Debug)]
pub struct PosTagger {
    upos_model: Classifier,
    /// The full-tag model split by UPOS: part `u` scores the tags of `by_upos[u]`.
    tag_models: Vec<Classifier>,
    upos_names: Vec<String>,
    /// UPOS id of each tag.
    tag_upos: Vec<u16>,
    xpos: Vec<String>,
    feats: Vec<String>,
    tag_dict: FxHashMap<String, Vec<u16>>,
    /// Tags of each UPOS.
    by_upos: Vec<Vec<u16>>,
    /// UPOS ids of PUNCT and SYM.
    symbol_upos: Vec<u16>,
    /// Training counts of each form.
    lex: Lexicon,
    /// Training counts of each form tagged `X`.
    lex_x: Lexicon,
    /// Index of each tag in `by_upos` of its UPOS.
    local_id: Vec<u16>,
    /// [`word_info`] and dictionary tags of every form seen in training (an unseen form's info
    /// is 0).
    forms: FxHashMap<String, FormEntry>,
    /// Word clusters by search-normalized form.
    clusters: Clusters,
}

/// What the tagger knows of a form seen in training.
#[derive(Clone, Debug)]
struct FormEntry {
    info: u8,
    /// Tags from `tag_dict` (empty when the form is not in it).
    tags: Vec<u16>,
    /// Cluster path (0 for none).
    cluster: u32,
}

/// The cluster path of a dediacritized form (0 for none); `buf` is scratch.
fn cluster_of(clusters: &Clusters, w: &str, buf: &mut String) -> u32 {
    if clusters.is_empty() {
        return 0;
    }
    buf.clear();
    normalize_into(w, &Options::SEARCH, buf);
    clusters.get(buf).unwrap_or(0)
}

fn shape(w: &str) -> u8 {
    let mut c = w.chars();
    match c.next() {
        None => b'e',
        Some(ch) if ch.is_numeric() => b'd',
        Some(ch) if ch.is_ascii_alphabetic() => b'l',
        Some(ch) if ch.is_alphabetic() => b'a',
        Some(_) => b'p',
    }
}

/// Appends the word-level features shared by both passes; `info` holds [`word_info`] of each
/// word and `cl` its cluster path.
fn word_features(words: &[String], info: &[u8], cl: &[u32], i: usize, f: &mut Vec<Feat>) {
    let get = |j: isize| -> &str {
        if j < 0 || j as usize >= words.len() {
            "<s>"
        } else {
            words[j as usize].as_str()
        }
    };
    let ii = i as isize;
    let w = words[i].as_str();
    let (prev, next) = (get(ii - 1), get(ii + 1));
    let nchars = w.chars().count().min(12) as u8;
    f.push(feat(BIAS, &[]));
    f.push(feat(WORD, &[w.as_bytes()]));
    for n in 1..=4u8 {
        f.push(feat(SUFFIX, &[&[n], last_chars(w, n as usize).as_bytes()]));
    }
    for n in 1..=3u8 {
        f.push(feat(PREFIX, &[&[n], first_chars(w, n as usize).as_bytes()]));
    }
    f.push(feat(PREV_WORD, &[prev.as_bytes()]));
    f.push(feat(NEXT_WORD, &[next.as_bytes()]));
    f.push(feat(PREV2_WORD, &[get(ii - 2).as_bytes()]));
    f.push(feat(NEXT2_WORD, &[get(ii + 2).as_bytes()]));
    f.push(feat(SHAPE_LEN, &[&[shape(w), nchars]]));
    f.push(feat(NEXT_SUFFIX2, &[last_chars(next, 2).as_bytes()]));
    f.push(feat(PREV_SUFFIX2, &[last_chars(prev, 2).as_bytes()]));
    f.push(feat(
        NEXT_PREFIX2_SUFFIX1,
        &[first_chars(next, 2).as_bytes(), last_chars(w, 1).as_bytes()],
    ));
    f.push(feat(
        PREV_PREFIX2_PREFIX2,
        &[
            first_chars(prev, 2).as_bytes(),
            first_chars(w, 2).as_bytes(),
        ],
    ));
    let inf = |j: isize| -> u8 {
        if j < 0 || j as usize >= info.len() {
            0xff
        } else {
            info[j as usize]
        }
    };
    let i0 = inf(ii);
    f.push(feat(INFO, &[&[i0]]));
    f.push(feat(INFO_SUFFIX2, &[&[i0], last_chars(w, 2).as_bytes()]));
    f.push(feat(INFO_WINDOW, &[&[inf(ii - 1), i0, inf(ii + 1)]]));
    f.push(feat(INFO_SHAPE_LEN, &[&[i0, shape(w), nchars]]));
    let c = |j: isize| -> u32 {
        if j < 0 || j as usize >= cl.len() {
            1
        } else {
            cl[j as usize]
        }
    };
    let c0 = c(ii);
    f.push(feat(CLUSTER_TOP, &[&(c0 >> 16).to_le_bytes()]));
    f.push(feat(CLUSTER_MID, &[&(c0 >> 8).to_le_bytes()]));
    f.push(feat(CLUSTER_LEAF, &[&c0.to_le_bytes()]));
    f.push(feat(PREV_CLUSTER_MID, &[&(c(ii - 1) >> 8).to_le_bytes()]));
    f.push(feat(NEXT_CLUSTER_MID, &[&(c(ii + 1) >> 8).to_le_bytes()]));
    f.push(feat(CLUSTER_MID_INFO, &[&(c0 >> 8).to_le_bytes(), &[i0]]));
}

/// Appends the pass 1 (UPOS) features that follow the word features: the UPOS already chosen
/// on the left.
fn upos_context(words: &[String], info: &[u8], i: usize, hist: &[u16], f: &mut Vec<Feat>) {
    let w = words[i].as_bytes();
    let t1 = if i >= 1 { hist[i - 1] } else { START }.to_le_bytes();
    let t2 = if i >= 2 { hist[i - 2] } else { START }.to_le_bytes();
    f.push(feat(P1_UPOS1, &[&t1]));
    f.push(feat(P1_UPOS1_UPOS2, &[&t1, &t2]));
    f.push(feat(P1_UPOS1_WORD, &[&t1, w]));
    f.push(feat(P1_UPOS2, &[&t2]));
    f.push(feat(
        P1_UPOS1_SUFFIX2,
        &[&t1, last_chars(&words[i], 2).as_bytes()],
    ));
    f.push(feat(P1_UPOS1_INFO, &[&t1, &[info[i]]]));
}

/// Appends the pass 2 (full tag) features that follow the word features: UPOS on both sides,
/// tags chosen on the left.
fn tag_context(words: &[String], i: usize, upos: &[u16], hist: &[u16], f: &mut Vec<Feat>) {
    let u = |j: isize| -> [u8; 2] {
        if j < 0 || j as usize >= upos.len() {
            START.to_le_bytes()
        } else {
            upos[j as usize].to_le_bytes()
        }
    };
    let ii = i as isize;
    let (u0, um1, up1, up2) = (u(ii), u(ii - 1), u(ii + 1), u(ii + 2));
    let t1 = if i >= 1 { hist[i - 1] } else { START }.to_le_bytes();
    let w = words[i].as_str();
    let next = words.get(i + 1).map_or("<s>", String::as_str);
    let prev = if i >= 1 { words[i - 1].as_str() } else { "<s>" };
    f.push(feat(P2_UPOS, &[&u0]));
    f.push(feat(P2_UPOS_LEFT, &[&u0, &um1]));
    f.push(feat(P2_UPOS_RIGHT, &[&u0, &up1]));
    f.push(feat(P2_UPOS_RIGHT2, &[&u0, &up1, &up2]));
    f.push(feat(P2_TAG_LEFT, &[&t1]));
    f.push(feat(P2_TAG_LEFT_UPOS, &[&t1, &u0]));
    f.push(feat(P2_UPOS_SUFFIX2, &[&u0, last_chars(w, 2).as_bytes()]));
    f.push(feat(P2_UPOS_PREFIX2, &[&u0, first_chars(w, 2).as_bytes()]));
    f.push(feat(P2_UPOS_PREV_WORD, &[&u0, prev.as_bytes()]));
    f.push(feat(
        P2_UPOS_RIGHT_NEXT_PREFIX2,
        &[&u0, &up1, first_chars(next, 2).as_bytes()],
    ));
    f.push(feat(P2_TAG_LEFT_WORD, &[&t1, w.as_bytes()]));
    f.push(feat(
        P2_UPOS_LEFT_PREV_SUFFIX1,
        &[&u0, &um1, last_chars(prev, 1).as_bytes()],
    ));
}

fn restrict(dict: Option<&Vec<u16>>, of_upos: &[u16], out: &mut Vec<u16>) {
    out.clear();
    if let Some(d) = dict {
        out.extend(d.iter().filter(|t| of_upos.contains(t)));
    }
    if out.is_empty() {
        out.extend_from_slice(of_upos);
    }
}

impl PosTagger {
    /// Trains on sentences of gold words.
    pub fn train(sents: &[Vec<GoldWord>], cfg: &PosConfig) -> PosTagger {
        let mut upos_ids: FxHashMap<String, u16> = FxHashMap::default();
        let mut upos_names: Vec<String> = Vec::new();
        let mut tag_ids: FxHashMap<(u16, String), u16> = FxHashMap::default();
        let mut tag_upos: Vec<u16> = Vec::new();
        let mut xpos = Vec::new();
        let mut feats_count: Vec<FxHashMap<String, u32>> = Vec::new();
        let mut word_tags: FxHashMap<String, FxHashMap<u16, u32>> = FxHashMap::default();
        let mut data: Vec<(Vec<String>, Vec<u16>, Vec<u16>)> = Vec::with_capacity(sents.len());
        for s in sents {
            let mut forms = Vec::with_capacity(s.len());
            let mut ups = Vec::with_capacity(s.len());
            let mut tags = Vec::with_capacity(s.len());
            for w in s {
                let u = *upos_ids.entry(w.upos.clone()).or_insert_with(|| {
                    upos_names.push(w.upos.clone());
                    (upos_names.len() - 1) as u16
                });
                let id = *tag_ids.entry((u, w.xpos.clone())).or_insert_with(|| {
                    tag_upos.push(u);
                    xpos.push(w.xpos.clone());
                    feats_count.push(FxHashMap::default());
                    (xpos.len() - 1) as u16
                });
                *feats_count[id as usize].entry(w.feats.clone()).or_default() += 1;
                let form = dediacritize(&w.form);
                *word_tags
                    .entry(form.clone())
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
                forms.push(form);
                ups.push(u);
                tags.push(id);
            }
            data.push((forms, ups, tags));
        }
        let x_upos = upos_ids.get("X").copied();
        let (folds, lex) = jackknife(
            data.iter()
                .enumerate()
                .flat_map(|(si, d)| d.0.iter().map(move |w| (si, w.as_str()))),
            FOLDS,
        );
        let (x_folds, lex_x) = jackknife(
            data.iter().enumerate().flat_map(|(si, d)| {
                d.0.iter()
                    .zip(&d.1)
                    .filter(move |(_, u)| Some(**u) == x_upos)
                    .map(move |(w, _)| (si, w.as_str()))
            }),
            FOLDS,
        );
        let infos: Vec<Vec<u8>> = data
            .iter()
            .enumerate()
            .map(|(si, d)| {
                let k = si % FOLDS;
                d.0.iter()
                    .map(|w| word_info(&folds[k], &x_folds[k], w))
                    .collect()
            })
            .collect();
        let mut buf = String::new();
        let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
        let cls: Vec<Vec<u32>> = data
            .iter()
            .map(|d| {
                d.0.iter()
                    .map(|w| {
                        *seen
                            .entry(w.as_str())
                            .or_insert_with(|| cluster_of(&cfg.clusters, w, &mut buf))
                    })
                    .collect()
            })
            .collect();
        let feats = feats_count
            .into_iter()
            .map(|m| {
                let mut v: Vec<(String, u32)> = m.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                v.into_iter().next().map_or_else(|| "_".into(), |x| x.0)
            })
            .collect();
        let tag_dict: FxHashMap<String, Vec<u16>> = word_tags
            .into_iter()
            .filter(|(_, m)| m.values().sum::<u32>() >= DICT_MIN)
            .map(|(w, m)| {
                let mut v: Vec<u16> = m.into_keys().collect();
                v.sort_unstable();
                (w, v)
            })
            .collect();
        let mut tagger = PosTagger {
            upos_model: Classifier::default(),
            tag_models: Vec::new(),
            upos_names,
            tag_upos,
            xpos,
            feats,
            tag_dict,
            by_upos: Vec::new(),
            symbol_upos: Vec::new(),
            lex,
            lex_x,
            local_id: Vec::new(),
            forms: FxHashMap::default(),
            clusters: cfg.clusters.clone(),
        };
        tagger.index();
        let mut up_tr = ClassifierTrainer::new(tagger.upos_names.len());
        let mut tag_tr = ClassifierTrainer::new(tagger.xpos.len());
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = SplitMix64::new(cfg.seed);
        let mut f = Vec::new();
        let mut scores = Vec::new();
        let mut allowed = Vec::new();
        for _ in 0..cfg.epochs {
            rng.shuffle(&mut order);
            for &si in &order {
                let (forms, ups, tags) = &data[si];
                let info = &infos[si];
                for i in 0..forms.len() {
                    f.clear();
                    word_features(forms, info, &cls[si], i, &mut f);
                    let n_word = f.len();
                    upos_context(forms, info, i, ups, &mut f);
                    let dict = tagger.tag_dict.get(&forms[i]).map(Vec::as_slice);
                    tagger.allowed_upos(&forms[i], dict, &mut allowed);
                    let p = up_tr.predict(&f, &allowed, &mut scores);
                    up_tr.update(&f, ups[i] as usize, p);
                    f.truncate(n_word);
                    tag_context(forms, i, ups, tags, &mut f);
                    restrict(
                        tagger.tag_dict.get(&forms[i]),
                        &tagger.by_upos[ups[i] as usize],
                        &mut allowed,
                    );
                    let p = tag_tr.predict(&f, &allowed, &mut scores);
                    tag_tr.update(&f, tags[i] as usize, p);
                }
            }
        }
        tagger.upos_model = up_tr.finish(cfg.prune);
        tagger.set_tag_model(&tag_tr.finish(cfg.prune));
        tagger
    }

    fn index(&mut self) {
        self.by_upos = vec![Vec::new(); self.upos_names.len()];
        self.local_id = Vec::with_capacity(self.tag_upos.len());
        for (t, &u) in self.tag_upos.iter().enumerate() {
            self.local_id.push(self.by_upos[u as usize].len() as u16);
            self.by_upos[u as usize].push(t as u16);
        }
        let mut buf = String::new();
        self.forms = self
            .lex
            .forms()
            .map(|w| {
                let e = FormEntry {
                    info: word_info(&self.lex, &self.lex_x, w),
                    tags: self.tag_dict.get(w).cloned().unwrap_or_default(),
                    cluster: cluster_of(&self.clusters, w, &mut buf),
                };
                (w.to_string(), e)
            })
            .collect();
        self.symbol_upos = (0..self.upos_names.len() as u16)
            .filter(|&u| matches!(self.upos_names[u as usize].as_str(), "PUNCT" | "SYM"))
            .collect();
    }

    /// UPOS ids allowed for word `w` with dictionary tags `dict` (all if left empty).
    fn allowed_upos(&self, w: &str, dict: Option<&[u16]>, out: &mut Vec<u16>) {
        out.clear();
        if !w.is_empty() && !w.chars().any(char::is_alphanumeric) {
            // Marks and symbols only: punctuation or symbol, whatever the word.
            out.extend(&self.symbol_upos);
            if !out.is_empty() {
                return;
            }
        }
        if let Some(d) = dict {
            for &t in d {
                let u = self.tag_upos[t as usize];
                if !out.contains(&u) {
                    out.push(u);
                }
            }
        }
    }

    /// Splits the full-tag model by UPOS (see [`Classifier::split`]).
    fn set_tag_model(&mut self, model: &Classifier) {
        let group_of: Vec<(u16, u16)> = self
            .tag_upos
            .iter()
            .zip(&self.local_id)
            .map(|(&u, &l)| (u, l))
            .collect();
        let sizes: Vec<usize> = self.by_upos.iter().map(Vec::len).collect();
        self.tag_models = model.split(&group_of, &sizes);
    }

    /// Tags the words of one sentence (forms as in UD; diacritics are ignored); returns tag ids.
    pub fn tag(&self, forms: &[&str]) -> Vec<u16> {
        let words: Vec<String> = forms.iter().map(|w| dediacritize(w)).collect();
        self.tag_normalized(&words)
    }

    /// Tags already dediacritized words.
    pub fn tag_normalized(&self, words: &[String]) -> Vec<u16> {
        let n = words.len();
        let mut info = Vec::with_capacity(n);
        let mut dicts = Vec::with_capacity(n);
        let mut cls = Vec::with_capacity(n);
        let mut buf = String::new();
        for w in words {
            match self.forms.get(w.as_str()) {
                Some(e) => {
                    info.push(e.info);
                    dicts.push(Some(e.tags.as_slice()).filter(|t| !t.is_empty()));
                    cls.push(e.cluster);
                }
                None => {
                    info.push(0);
                    dicts.push(None);
                    cls.push(cluster_of(&self.clusters, w, &mut buf));
                }
            }
        }
        // Word features once for both passes, `per_word` of them for each word.
        let mut wf = Vec::with_capacity(n * 30);
        for i in 0..n {
            word_features(words, &info, &cls, i, &mut wf);
        }
        let per_word = wf.len().checked_div(n).unwrap_or(0);
        let mut f = Vec::with_capacity(per_word + 16);
        let mut scores = Vec::with_capacity(self.xpos.len());
        let mut allowed = Vec::new();
        let mut ups = Vec::with_capacity(n);
        for i in 0..n {
            f.clear();
            f.extend_from_slice(&wf[i * per_word..(i + 1) * per_word]);
            upos_context(words, &info, i, &ups, &mut f);
            self.allowed_upos(&words[i], dicts[i], &mut allowed);
            ups.push(self.upos_model.best(&f, &allowed, &mut scores) as u16);
        }
        let mut tags = Vec::with_capacity(n);
        for i in 0..n {
            f.clear();
            f.extend_from_slice(&wf[i * per_word..(i + 1) * per_word]);
            tag_context(words, i, &ups, &tags, &mut f);
            let u = ups[i] as usize;
            allowed.clear();
            if let Some(d) = dicts[i] {
                let local = &self.local_id;
                allowed.extend(
                    d.iter()
                        .filter(|&&t| self.tag_upos[t as usize] as usize == u)
                        .map(|&t| local[t as usize]),
                );
            }
            let k = self.tag_models[u].best(&f, &allowed, &mut scores);
            tags.push(self.by_upos[u][k]);
        }
        tags
    }

    /// UPOS of a tag id.
    pub fn upos(&self, tag: u16) -> &str {
        &self.upos_names[self.tag_upos[tag as usize] as usize]
    }

    /// PADT XPOS of a tag id.
    pub fn xpos(&self, tag: u16) -> &str {
        &self.xpos[tag as usize]
    }

    /// FEATS of a tag id (`_` when none).
    pub fn feats(&self, tag: u16) -> &str {
        &self.feats[tag as usize]
    }

    /// Number of (UPOS, XPOS) tags.
    pub fn n_tags(&self) -> usize {
        self.xpos.len()
    }

    /// Serializes the model (`QLMT` header, version, kind `pos`).
    pub fn save(&self) -> Vec<u8> {
        let mut w = Writer::with_header(ModelKind::Pos);
        w.strs(&self.upos_names);
        w.u32(self.tag_upos.len() as u32);
        for u in &self.tag_upos {
            w.u16(*u);
        }
        w.strs(&self.xpos);
        w.strs(&self.feats);
        let mut d: Vec<(&String, &Vec<u16>)> = self.tag_dict.iter().collect();
        d.sort();
        w.u32(d.len() as u32);
        for (k, v) in d {
            w.str(k);
            w.u16(v.len() as u16);
            for t in v {
                w.u16(*t);
            }
        }
        self.lex.write(&mut w);
        self.lex_x.write(&mut w);
        self.upos_model.write(&mut w);
        Classifier::join(&self.tag_models, &self.by_upos, self.xpos.len()).write(&mut w);
        let pairs = self.clusters.pairs();
        w.u32(pairs.len() as u32);
        for (k, p) in pairs {
            w.str(k);
            w.u32(*p);
        }
        w.into_inner()
    }

    /// Loads a model saved by [`PosTagger::save`].
    pub fn load(bytes: &[u8]) -> Result<PosTagger, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::Pos)?;
        let upos_names = r.strs()?;
        let n = r.u32()? as usize;
        let mut tag_upos = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let u = r.u16()?;
            if u as usize >= upos_names.len() {
                return Err(ModelError::Corrupt("UPOS id out of range"));
            }
            tag_upos.push(u);
        }
        let xpos = r.strs()?;
        let feats = r.strs()?;
        if xpos.len() != n || feats.len() != n || n == 0 {
            return Err(ModelError::Corrupt("tag tables differ in length"));
        }
        let m = r.u32()? as usize;
        let mut tag_dict = FxHashMap::with_capacity_and_hasher(m.min(1 << 20), Default::default());
        for _ in 0..m {
            let k = r.str()?;
            let c = r.u16()? as usize;
            let mut v = Vec::with_capacity(c);
            for _ in 0..c {
                let t = r.u16()?;
                if t as usize >= n {
                    return Err(ModelError::Corrupt("tag id out of range"));
                }
                v.push(t);
            }
            tag_dict.insert(k, v);
        }
        let lex = Lexicon::read(&mut r)?;
        let lex_x = Lexicon::read(&mut r)?;
        let upos_model = Classifier::read(&mut r)?;
        let tag_model = Classifier::read(&mut r)?;
        if upos_model.n_classes() != upos_names.len() || tag_model.n_classes() != n {
            return Err(ModelError::Corrupt("class counts differ"));
        }
        let m = r.u32()? as usize;
        let mut pairs = Vec::with_capacity(m.min(1 << 20));
        for _ in 0..m {
            let k = r.str()?;
            pairs.push((k, r.u32()?));
        }
        let clusters = Clusters::from_pairs(pairs);
        let mut t = PosTagger {
            upos_model,
            tag_models: Vec::new(),
            upos_names,
            tag_upos,
            xpos,
            feats,
            tag_dict,
            by_upos: Vec::new(),
            symbol_upos: Vec::new(),
            lex,
            lex_x,
            local_id: Vec::new(),
            forms: FxHashMap::default(),
            clusters,
        };
        t.index();
        t.set_tag_model(&tag_model);
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::data::read_words;
    use super::*;

    /// Found by `fuzz/fuzz_targets/padt_model.rs` (input `0a 27 08 ce 00 a8 39 e3`: one byte of
    /// a small model's `X` lexicon set to 0xE3): a count over 2^31 overflowed `k * 2` at load.
    #[test]
    fn huge_lexicon_counts_do_not_overflow() {
        let lexicon = |count: u32| {
            let mut w = Writer::default();
            w.u32(1);
            w.str("قال");
            w.u32(count);
            Lexicon::read(&mut Reader::new(&w.into_inner())).unwrap()
        };
        let all = lexicon(0xE300_0001);
        let x = lexicon(0xE300_0000);
        assert_eq!(word_info(&all, &x, "قال"), 4 * 8 + 3);
        assert_eq!(word_info(&lexicon(1), &x, "قال"), 8 + 4);
    }

    #[test]
    fn learns_the_fixture() {
        let sents = read_words(include_str!("../../tests/fixtures/padt-mini.conllu"));
        let tagger = PosTagger::train(&sents, &PosConfig::default());
        let tagger = PosTagger::load(&tagger.save()).unwrap();
        let (mut right, mut total) = (0, 0);
        for s in &sents {
            let forms: Vec<&str> = s.iter().map(|w| w.form.as_str()).collect();
            for (w, t) in s.iter().zip(tagger.tag(&forms)) {
                total += 1;
                right += usize::from(tagger.upos(t) == w.upos && tagger.xpos(t) == w.xpos);
                if tagger.xpos(t) == w.xpos {
                    assert_eq!(tagger.feats(t), w.feats);
                }
            }
        }
        assert!(right * 100 >= total * 97, "{right}/{total}");
        assert!(tagger.tag(&[]).is_empty());
    }

    #[test]
    fn clusters_are_kept_in_the_model() {
        let sents = read_words(include_str!("../../tests/fixtures/padt-mini.conllu"));
        let mut pairs: Vec<(String, u32)> = Vec::new();
        for (k, w) in sents.iter().flatten().take(40).enumerate() {
            let mut norm = String::new();
            normalize_into(&dediacritize(&w.form), &Options::SEARCH, &mut norm);
            pairs.push((norm, 1 << 31 | (k as u32 % 3) << 16 | (k as u32 % 5) << 8));
        }
        let cfg = PosConfig {
            clusters: Clusters::from_pairs(pairs),
            ..PosConfig::default()
        };
        let tagger = PosTagger::train(&sents, &cfg);
        let bytes = tagger.save();
        let loaded = PosTagger::load(&bytes).unwrap();
        assert_eq!(loaded.clusters.len(), cfg.clusters.len());
        assert_eq!(loaded.save(), bytes);
        let w = dediacritize(&sents[0][0].form);
        assert_ne!(loaded.forms[&w].cluster, 0);
    }
}
