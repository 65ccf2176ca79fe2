//! Named-entity recognition: persons, locations, organisations and other names (ANERcorp's
//! PERS/LOC/ORG/MISC) with an averaged structured perceptron over BIO tags.
//!
//! ```
//! use qalam_tagger::ner::{EntityKind, NerTagger};
//!
//! let text = "زار الرئيس الفرنسي ايمانويل ماكرون القاهرة أمس .";
//! let tokens = qalam_text::tokenize(text);
//! let entities = NerTagger::embedded().entities(text, &tokens);
//! assert!(entities.iter().any(|e| e.kind == EntityKind::Loc && e.text == "القاهرة"));
//! ```

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use qalam_text::Token;

use crate::linear::sequence::{Scratch, Sequence, SequenceModel};
use crate::linear::{ModelError, ModelKind, Reader, Writer};
use crate::neural::NeuralNer;

pub mod autolex;
mod clitics;
pub mod clusters;
pub mod data;
pub mod eval;
mod features;
pub mod gazetteer;
mod mention;
pub mod names;
pub mod rules;
mod stacking;
pub mod train;
pub mod words;

pub use autolex::{AutoLexicon, Unlabelled};
pub use clusters::{ClusterBuilder, ClusterConfig, Clusters};
pub use data::{
    LabelledSentence, map_aqmar_tag, parse_conll, read_aqmar_dir, read_conll, read_tokens,
};
pub use eval::{Report, TypeCounts, conlleval};
pub use gazetteer::Gazetteer;
pub use mention::Mention;
pub use names::Names;
pub use rules::DocumentRules;
pub use train::{TrainConfig, train, train_with};
pub use words::WordCounts;

use features::Extractor;
use stacking::History;

/// The most tokens tagged as one document: the second stage sees what the first said about the
/// other occurrences of a word within the same document.
pub const DOCUMENT_TOKENS: usize = 30_000;

/// The model shipped inside the binary.
static EMBEDDED: &[u8] = include_bytes!("../models/ner.bin");

/// An entity type.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum EntityKind {
    /// A person.
    #[serde(rename = "PERS")]
    Pers,
    /// A location.
    #[serde(rename = "LOC")]
    Loc,
    /// An organisation.
    #[serde(rename = "ORG")]
    Org,
    /// Any other name (events, nationalities used as names, products, …).
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityKind {
    /// All kinds, in index order.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Pers,
        EntityKind::Loc,
        EntityKind::Org,
        EntityKind::Misc,
    ];

    /// The ANERcorp name: `PERS`, `LOC`, `ORG` or `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Pers => "PERS",
            EntityKind::Loc => "LOC",
            EntityKind::Org => "ORG",
            EntityKind::Misc => "MISC",
        }
    }

    /// A dense index 0..4.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind with index `i`.
    pub fn from_index(i: usize) -> Option<EntityKind> {
        Self::ALL.get(i).copied()
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EntityKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown entity type {s:?} (expected PERS, LOC, ORG or MISC)"))
    }
}

/// A BIO tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(EntityKind),
    /// Later token of an entity.
    I(EntityKind),
}

impl Tag {
    /// Number of distinct tags.
    pub const COUNT: usize = 9;

    /// The label id used by the model: O = 0, B-k = 1 + 2k, I-k = 2 + 2k.
    pub fn id(self) -> u16 {
        match self {
            Tag::O => 0,
            Tag::B(k) => 1 + 2 * k.index() as u16,
            Tag::I(k) => 2 + 2 * k.index() as u16,
        }
    }

    /// The tag with label id `id`.
    pub fn from_id(id: u16) -> Tag {
        match id {
            0 => Tag::O,
            i => {
                let k = EntityKind::from_index((i as usize - 1) / 2).unwrap_or(EntityKind::Misc);
                if i % 2 == 1 { Tag::B(k) } else { Tag::I(k) }
            }
        }
    }

    /// The entity kind, if not `O`.
    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Tag::O => None,
            Tag::B(k) | Tag::I(k) => Some(k),
        }
    }

    /// The tag as written in CoNLL files (`O`, `B-PERS`, `I-LOC`, …).
    pub fn as_str(self) -> &'static str {
        const NAMES: [&str; 9] = [
            "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
        ];
        NAMES[self.id() as usize]
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Tag {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "O" {
            return Ok(Tag::O);
        }
        match s.split_once('-') {
            Some(("B", k)) => Ok(Tag::B(k.parse()?)),
            Some(("I", k)) => Ok(Tag::I(k.parse()?)),
            _ => Err(format!("unknown tag {s:?}")),
        }
    }
}

/// A named entity found in a text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entity {
    /// The entity type (serialized as `"type"`: `PERS`, `LOC`, `ORG` or `MISC`).
    #[serde(rename = "type")]
    pub kind: EntityKind,
    /// Byte offset of the first byte in the original text: where the name starts, after any
    /// proclitics (و ف ب ل ك) written with its first word.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// The surface form, `&text[start..end]`.
    pub text: String,
    /// Canonical form for grouping: search-normalized, proclitics off (an article fused with
    /// ل restored: للعراق → العراق), tokens joined by a space.
    pub key: String,
}

/// What the features read besides the tokens: name lists, word clusters and known entity words.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    /// Name lists (ANERgazet).
    pub gazetteer: Gazetteer,
    /// The hand-written list of well-known names ([`Names::builtin`] when trained by
    /// [`train_with`] without one); also read by the [`DocumentRules`].
    pub names: Names,
    /// Word frequencies in unlabelled text, for telling proclitics from a name's own letters.
    pub counts: WordCounts,
    /// Word clusters from unlabelled text.
    pub clusters: Clusters,
    /// Search-normalized first tokens of known entities (training data and gazetteer), for keys.
    pub lexicon: HashSet<String>,
    /// Entity-type evidence per word from tagging unlabelled text (see [`train_with`]).
    pub auto: AutoLexicon,
}

/// Reusable buffers for [`NerTagger::predict_into`] and [`NerTagger::predict_document_into`].
#[derive(Clone, Debug, Default)]
pub struct NerScratch {
    extractor: Extractor,
    base: Vec<Sequence>,
    keys: Vec<Vec<u64>>,
    stage1: Vec<Vec<u16>>,
    history: History,
    seq2: Sequence,
    decode: Scratch,
    ids: Vec<u16>,
    names: Vec<rules::SentenceNames>,
    neural: Vec<Vec<Tag>>,
}

/// The NER model: feature resources, a first-stage model and an optional second stage that also
/// reads the first stage's labels of the neighbours and of the word's other occurrences.
#[derive(Clone, Debug)]
pub struct NerTagger {
    stage1: SequenceModel,
    stage2: Option<SequenceModel>,
    resources: Resources,
    rules: DocumentRules,
    neural: Option<Arc<NeuralNer>>,
}

thread_local! {
    static SCRATCH: RefCell<NerScratch> = RefCell::new(NerScratch::default());
}

impl NerTagger {
    /// The model embedded in the binary, loaded once and shared.
    pub fn embedded() -> Arc<NerTagger> {
        static TAGGER: OnceLock<Arc<NerTagger>> = OnceLock::new();
        TAGGER
            .get_or_init(|| {
                Arc::new(
                    NerTagger::from_bytes(EMBEDDED)
                        .expect("the embedded NER model is valid (checked by tests)"),
                )
            })
            .clone()
    }

    /// Builds a tagger from trained models and their resources.
    pub(crate) fn from_parts(
        stage1: SequenceModel,
        stage2: Option<SequenceModel>,
        resources: Resources,
    ) -> NerTagger {
        NerTagger {
            stage1,
            stage2,
            resources,
            rules: DocumentRules::default(),
            neural: None,
        }
    }

    /// The perceptron embedded in the binary with the embedded neural network on top: the
    /// default model (see `crates/tagger/NER.md`).
    pub fn embedded_neural() -> Arc<NerTagger> {
        static TAGGER: OnceLock<Arc<NerTagger>> = OnceLock::new();
        TAGGER
            .get_or_init(|| {
                let head = NeuralNer::embedded();
                assert!(
                    head.matches_perceptron(qalam_text::hash::fnv1a(EMBEDDED)),
                    "the embedded neural NER model reads the embedded perceptron (checked by tests)"
                );
                // Parsed afresh rather than cloned from `embedded()`, so that a process using
                // the network holds one perceptron, not the shared one and a copy of it.
                let perceptron = NerTagger::from_bytes(EMBEDDED)
                    .expect("the embedded NER model is valid (checked by tests)");
                Arc::new(perceptron.with_neural(head))
            })
            .clone()
    }

    /// This perceptron with a neural network on top that reads its tags and decides (the
    /// network must have been trained on this perceptron's tags, see [`NeuralNer`]).
    pub fn with_neural(mut self, neural: Arc<NeuralNer>) -> NerTagger {
        self.neural = Some(neural);
        self
    }

    /// The neural network on top, if any.
    pub fn neural(&self) -> Option<&Arc<NeuralNer>> {
        self.neural.as_ref()
    }

    /// The perceptron alone, without a neural network on top.
    pub fn without_neural(&self) -> NerTagger {
        NerTagger {
            neural: None,
            ..self.clone()
        }
    }

    /// Sets the document rules that run after the model (all of them by default).
    pub fn set_rules(&mut self, rules: DocumentRules) {
        self.rules = rules;
    }

    /// The document rules that run after the model.
    pub fn rules(&self) -> DocumentRules {
        self.rules
    }

    /// Adds `bias` to the score of every entity label (B-* and I-*) of the final stage: above 0
    /// trades precision for recall.
    pub fn set_entity_bias(&mut self, bias: f32) {
        let mut b = vec![bias; Tag::COUNT];
        b[0] = 0.0;
        match &mut self.stage2 {
            Some(m) => m.set_label_bias(&b),
            None => self.stage1.set_label_bias(&b),
        }
    }

    /// The feature resources (gazetteer, clusters, lexicon).
    pub fn resources(&self) -> &Resources {
        &self.resources
    }

    /// The number of weighted features (both stages).
    pub fn num_features(&self) -> usize {
        self.stage1.num_features() + self.stage2.as_ref().map_or(0, SequenceModel::num_features)
    }

    /// Tags one sentence of tokens (a document of one sentence).
    pub fn predict(&self, tokens: &[&str]) -> Vec<Tag> {
        let mut out = Vec::with_capacity(tokens.len());
        SCRATCH.with(|s| self.predict_into(tokens, &mut s.borrow_mut(), &mut out));
        out
    }

    /// Tags one sentence of tokens into `out` (cleared first), reusing `scratch`.
    pub fn predict_into(&self, tokens: &[&str], scratch: &mut NerScratch, out: &mut Vec<Tag>) {
        let mut outs = vec![std::mem::take(out)];
        self.predict_document_into(&[tokens], scratch, &mut outs);
        *out = outs.pop().unwrap_or_default();
    }

    /// Tags the sentences of one document (at most [`DOCUMENT_TOKENS`] tokens are useful together).
    pub fn predict_document(&self, sentences: &[&[&str]]) -> Vec<Vec<Tag>> {
        let mut out = Vec::new();
        SCRATCH.with(|s| self.predict_document_into(sentences, &mut s.borrow_mut(), &mut out));
        out
    }

    /// Tags the sentences of one document into `out` (one tag vector per sentence).
    pub fn predict_document_into(
        &self,
        sentences: &[&[&str]],
        scratch: &mut NerScratch,
        out: &mut Vec<Vec<Tag>>,
    ) {
        out.resize_with(sentences.len(), Vec::new);
        let n = sentences.len();
        let s = scratch;
        if s.base.len() < n {
            s.base.resize_with(n, Sequence::default);
        }
        if s.keys.len() < n {
            s.keys.resize_with(n, Vec::new);
        }
        if s.stage1.len() < n {
            s.stage1.resize_with(n, Vec::new);
        }
        if s.names.len() < n {
            s.names.resize_with(n, Default::default);
        }
        s.history.clear();
        let rules = !self.rules.is_none();
        for (i, tokens) in sentences.iter().enumerate() {
            s.extractor.extract(&self.resources, tokens, &mut s.base[i]);
            self.stage1
                .decode(&s.base[i], &mut s.decode, &mut s.stage1[i]);
            if self.stage2.is_some() || rules {
                s.extractor.history_keys(&mut s.keys[i]);
            }
            if self.stage2.is_some() {
                s.history.add(&s.keys[i], &s.stage1[i]);
            }
            if rules {
                let names = &mut s.names[i];
                s.extractor
                    .name_matches(&self.resources, &mut names.matches);
                names.keys.clone_from(&s.keys[i]);
            }
        }
        for (i, tags) in out.iter_mut().enumerate() {
            let ids = match &self.stage2 {
                Some(m) => {
                    stacking::stage2(
                        &s.base[i],
                        &s.stage1[i],
                        &s.keys[i],
                        &s.history,
                        &mut s.seq2,
                    );
                    m.decode(&s.seq2, &mut s.decode, &mut s.ids);
                    &s.ids
                }
                None => &s.stage1[i],
            };
            tags.clear();
            tags.extend(ids.iter().map(|&id| Tag::from_id(id)));
        }
        if let Some(neural) = &self.neural {
            // The network reads the perceptron's tags; should a tensor operation fail, they stay.
            let mut tags = std::mem::take(&mut s.neural);
            if neural
                .tag_document(&self.resources.gazetteer, sentences, out, &mut tags)
                .is_ok()
            {
                std::mem::swap(out, &mut tags);
            }
            s.neural = tags;
        }
        if rules {
            rules::apply(self.rules, &self.resources.names, &s.names[..n], out);
        }
    }

    /// Tags many sentences in order, as documents of at most [`DOCUMENT_TOKENS`] tokens.
    pub fn predict_sentences<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Tag>> {
        let mut out = Vec::with_capacity(sentences.len());
        let mut tags = Vec::new();
        SCRATCH.with(|s| {
            let scratch = &mut *s.borrow_mut();
            for block in document_blocks(sentences.iter().map(Vec::len)) {
                let words: Vec<Vec<&str>> = sentences[block]
                    .iter()
                    .map(|s| s.iter().map(AsRef::as_ref).collect())
                    .collect();
                let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
                self.predict_document_into(&refs, scratch, &mut tags);
                out.append(&mut tags);
            }
        });
        out
    }

    /// Finds the entities of `text`, given its tokens (from [`qalam_text::tokenize`]); the text is
    /// cut into sentences after `.`, `!`, `?`, `؟` and at newlines, and tagged as one document.
    pub fn entities(&self, text: &str, tokens: &[Token]) -> Vec<Entity> {
        let mut bounds = Vec::new();
        let mut start = 0;
        for end in 1..=tokens.len() {
            let surface = tokens[end - 1].text(text);
            let newline = tokens
                .get(end)
                .is_some_and(|n| text[tokens[end - 1].end..n.start].contains('\n'));
            if end == tokens.len() || newline || matches!(surface, "." | "!" | "?" | "؟") {
                bounds.push(start..end);
                start = end;
            }
        }
        self.entities_in(text, tokens, &bounds)
    }

    /// Finds the entities of `text` like [`NerTagger::entities`], with the caller's sentences (e.g.
    /// from [`qalam_text::SentenceSplitter`]); a token belongs to the first sentence it does not
    /// start after, so tokens between or after the sentences join their neighbours.
    pub fn entities_with_sentences(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[qalam_text::Sentence],
    ) -> Vec<Entity> {
        let mut bounds: Vec<std::ops::Range<usize>> = Vec::new();
        let (mut s, mut start) = (0, 0);
        for (i, t) in tokens.iter().enumerate() {
            let mut next = s;
            while next + 1 < sentences.len() && t.start >= sentences[next].end {
                next += 1;
            }
            if next != s && i > start {
                bounds.push(start..i);
                start = i;
            }
            s = next;
        }
        if start < tokens.len() {
            bounds.push(start..tokens.len());
        }
        self.entities_in(text, tokens, &bounds)
    }

    /// The entities of the sentences `bounds` (token ranges) of `text`, tagged as one document.
    fn entities_in(
        &self,
        text: &str,
        tokens: &[Token],
        bounds: &[std::ops::Range<usize>],
    ) -> Vec<Entity> {
        let words: Vec<Vec<&str>> = bounds
            .iter()
            .map(|r| tokens[r.clone()].iter().map(|t| t.text(text)).collect())
            .collect();
        let tags = self.predict_sentences(&words);
        let mut out = Vec::new();
        for ((r, words), tags) in bounds.iter().zip(&words).zip(&tags) {
            let sent = &tokens[r.clone()];
            for (a, b, kind) in chunks(tags) {
                let m = self.resources.mention(&words[a..b]);
                let (s, e) = (sent[a].start + m.start, sent[b - 1].end);
                out.push(Entity {
                    kind,
                    start: s,
                    end: e,
                    text: text[s..e].to_string(),
                    key: m.key,
                });
            }
        }
        out
    }

    /// Tags the sentences of `gold` (as documents, see [`NerTagger::predict_sentences`]) and scores
    /// the result with [`conlleval`].
    pub fn evaluate(&self, gold: &[LabelledSentence]) -> Report {
        let tokens: Vec<Vec<&str>> = gold
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect();
        let pred: Vec<Vec<&str>> = self
            .predict_sentences(&tokens)
            .iter()
            .map(|t| t.iter().map(|t| t.as_str()).collect())
            .collect();
        let gold_tags: Vec<Vec<&str>> = gold
            .iter()
            .map(|s| s.tags.iter().map(String::as_str).collect())
            .collect();
        conlleval(&gold_tags, &pred)
    }

    /// Serializes the perceptron (a neural network on top is saved apart, by [`NeuralNer`]): the
    /// model file header (kind `ner`), the resources, the weights.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::with_header(ModelKind::Ner);
        self.resources.gazetteer.write(&mut w);
        self.resources.clusters.write(&mut w);
        let mut lex: Vec<&String> = self.resources.lexicon.iter().collect();
        lex.sort();
        w.strs(&lex);
        self.resources.auto.write(&mut w);
        self.resources.names.write(&mut w);
        self.resources.counts.write(&mut w);
        self.stage1.write(&mut w);
        match &self.stage2 {
            Some(m) => {
                w.u8(1);
                m.write(&mut w);
            }
            None => w.u8(0),
        }
        w.into_inner()
    }

    /// Reads a model written by [`NerTagger::to_bytes`]; rejects other kinds and versions.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerTagger, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::Ner)?;
        let gazetteer = Gazetteer::read(&mut r)?;
        let mut clusters = Clusters::read(&mut r)?;
        clusters.set_prior(&gazetteer);
        let lexicon: HashSet<String> = r.strs()?.into_iter().collect();
        let auto = AutoLexicon::read(&mut r)?;
        let names = Names::read(&mut r)?;
        let counts = WordCounts::read(&mut r)?;
        let stage1 = SequenceModel::read(&mut r)?;
        let stage2 = match r.u8()? {
            0 => None,
            1 => Some(SequenceModel::read(&mut r)?),
            _ => return Err(ModelError::Corrupt("stage flag")),
        };
        if std::iter::once(&stage1)
            .chain(&stage2)
            .any(|m| m.labels().len() != Tag::COUNT)
        {
            return Err(ModelError::Corrupt("NER label count"));
        }
        if !r.is_at_end() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        Ok(NerTagger {
            stage1,
            stage2,
            neural: None,
            resources: Resources {
                gazetteer,
                names,
                counts,
                clusters,
                lexicon,
                auto,
            },
            rules: DocumentRules::default(),
        })
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<NerTagger, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        NerTagger::from_bytes(&bytes)
    }

    /// Writes the model to a file.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        std::fs::write(path, self.to_bytes()).map_err(|source| ModelError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Groups consecutive sentences (given by their lengths) into documents of at most
/// [`DOCUMENT_TOKENS`] tokens (a longer sentence is a document by itself).
pub fn document_blocks(lens: impl IntoIterator<Item = usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut tokens, mut i) = (0, 0, 0);
    for len in lens {
        if i > start && tokens + len > DOCUMENT_TOKENS {
            out.push(start..i);
            start = i;
            tokens = 0;
        }
        tokens += len;
        i += 1;
    }
    if i > start {
        out.push(start..i);
    }
    out
}

/// The entity chunks of a tag sequence as `(start, end, kind)` token ranges, with conlleval's
/// chunking: an `I-` after `O` or after another type starts a new chunk.
pub fn chunks(tags: &[Tag]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntityKind)> = None;
    for (i, t) in tags.iter().enumerate() {
        let continues = matches!((cur, t), (Some((_, k)), Tag::I(k2)) if k == *k2);
        if continues {
            continue;
        }
        if let Some((s, k)) = cur.take() {
            out.push((s, i, k));
        }
        if let Some(k) = t.kind() {
            cur = Some((i, k));
        }
    }
    if let Some((s, k)) = cur {
        out.push((s, tags.len(), k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_ids_round_trip() {
        for id in 0..Tag::COUNT as u16 {
            let t = Tag::from_id(id);
            assert_eq!(t.id(), id);
            assert_eq!(t.as_str().parse::<Tag>().unwrap(), t);
        }
        assert_eq!(Tag::B(EntityKind::Loc).as_str(), "B-LOC");
        assert!("B-PER".parse::<Tag>().is_err());
    }

    #[test]
    fn chunks_follow_conlleval() {
        use EntityKind::*;
        let tags = [
            Tag::I(Pers),
            Tag::I(Pers),
            Tag::O,
            Tag::B(Loc),
            Tag::I(Org),
            Tag::B(Loc),
            Tag::B(Loc),
        ];
        assert_eq!(
            chunks(&tags),
            [
                (0, 2, Pers),
                (3, 4, Loc),
                (4, 5, Org),
                (5, 6, Loc),
                (6, 7, Loc)
            ]
        );
    }

    #[test]
    fn key_strips_clitics_only_on_evidence() {
        let mut r = Resources::default();
        r.lexicon.insert("وليد".into());
        r.lexicon.insert("سوريا".into());
        assert_eq!(r.key(&["وسوريا"]), "سوريا");
        assert_eq!(r.key(&["سوريا"]), "سوريا");
        assert_eq!(r.key(&["البغدادى"]), "البغدادي");
        assert_eq!(r.key(&["أبو", "بكر", "البغدادي"]), "ابو بكر البغدادي");
        assert_eq!(r.key(&["وليد"]), "وليد");
        // و + ال: a clitic before the article.
        assert_eq!(r.key(&["والرقة"]), "الرقه");
        r.names = Names::builtin();
        assert_eq!(r.key(&["بالموصل"]), "الموصل");
        assert_eq!(r.key(&["للموصل"]), "الموصل");
        // Unknown: kept whole.
        assert_eq!(r.key(&["بكين"]), "بكين");
        assert_eq!(r.key(&["ورنة"]), "ورنه");
    }

    #[test]
    fn bad_files_are_rejected() {
        assert!(matches!(
            NerTagger::from_bytes(b"nope"),
            Err(ModelError::NotAModel)
        ));
        let mut v = crate::linear::MAGIC.to_vec();
        v.extend_from_slice(&(ModelKind::Ner.version() + 1).to_le_bytes());
        v.extend_from_slice(ModelKind::Ner.tag());
        assert!(matches!(
            NerTagger::from_bytes(&v),
            Err(ModelError::Version { found, .. }) if found == ModelKind::Ner.version() + 1
        ));
        let pos = Writer::with_header(ModelKind::Pos).into_inner();
        assert!(matches!(
            NerTagger::from_bytes(&pos),
            Err(ModelError::Kind { .. })
        ));
    }
}
