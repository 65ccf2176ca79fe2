//! Raw text → UD words with tags and lemmas, and CoNLL-U output.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use qalam_text::{Sentence, Token, TokenKind};
use unicode_normalization::UnicodeNormalization;

use super::data::dediacritize;
use super::lemma::{Lemma, Lemmatizer};
use super::pos::PosTagger;
use super::seg::{Segment, Segmenter};
use qalam_text::hash::FxHashMap;

/// The three PADT models run in order: segmenter, tagger, lemmatizer.
#[derive(Clone, Debug)]
pub struct PadtPipeline {
    /// Clitic segmenter.
    pub seg: Segmenter,
    /// UPOS+XPOS tagger.
    pub pos: PosTagger,
    /// Lemmatizer.
    pub lemma: Lemmatizer,
}

/// A surface token and the UD words it was split into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentedToken {
    /// Byte span in the original text.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Indexes of its words in [`Analyzed::words`].
    pub words: Range<usize>,
}

/// A UD word with its analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalyzedWord {
    /// The UD form (spelling restored inside fused tokens).
    pub form: String,
    /// Byte span of the word's visible part in the original text.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Index of its token in [`Analyzed::tokens`].
    pub token: usize,
    /// Tag id (see [`PosTagger::upos`], [`PosTagger::xpos`], [`PosTagger::feats`]).
    pub tag: u16,
    /// The lemma.
    pub lemma: Lemma,
}

/// The analysis of a run of tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analyzed {
    /// Surface tokens.
    pub tokens: Vec<SegmentedToken>,
    /// UD words.
    pub words: Vec<AnalyzedWord>,
}

/// Analyses already computed: segmentations by surface word (the segmenter ignores context)
/// and lemmas by UD form and tag (the lemmatizer sees nothing else).
#[derive(Debug, Default)]
pub struct AnalysisCache {
    segs: FxHashMap<String, Vec<Segment>>,
    lemmas: FxHashMap<String, Vec<(u16, Lemma)>>,
}

impl AnalysisCache {
    /// Entries kept in each map before it is cleared.
    const MAX: usize = 200_000;

    fn segment(&mut self, seg: &Segmenter, word: &str, out: &mut Vec<Segment>) {
        if let Some(v) = self.segs.get(word) {
            out.extend_from_slice(v);
            return;
        }
        seg.segment_into(word, out);
        if self.segs.len() >= Self::MAX {
            self.segs.clear();
        }
        self.segs.insert(word.to_string(), out.clone());
    }

    fn lemma(&mut self, p: &PadtPipeline, form: &str, tag: u16) -> Lemma {
        if let Some(l) = self
            .lemmas
            .get(form)
            .and_then(|v| v.iter().find(|e| e.0 == tag))
        {
            return l.1.clone();
        }
        let l = p.lemma.lemma(form, p.pos.upos(tag), p.pos.xpos(tag));
        if self.lemmas.len() >= Self::MAX {
            self.lemmas.clear();
        }
        match self.lemmas.get_mut(form) {
            Some(v) => v.push((tag, l.clone())),
            None => {
                self.lemmas.insert(form.to_string(), vec![(tag, l.clone())]);
            }
        }
        l
    }
}

impl PadtPipeline {
    /// Segments, tags and lemmatizes the tokens of one sentence of `text`.
    pub fn analyze(&self, text: &str, tokens: &[Token]) -> Analyzed {
        self.analyze_cached(text, tokens, &mut AnalysisCache::default())
    }

    /// Like [`PadtPipeline::analyze`], reusing (and filling) an analysis cache across calls.
    pub fn analyze_cached(
        &self,
        text: &str,
        tokens: &[Token],
        cache: &mut AnalysisCache,
    ) -> Analyzed {
        let mut out = Analyzed::default();
        let mut segs: Vec<Segment> = Vec::with_capacity(4);
        for (ti, t) in tokens.iter().enumerate() {
            let surface = &text[t.start..t.end];
            segs.clear();
            if t.kind == TokenKind::Word {
                cache.segment(&self.seg, surface, &mut segs);
            }
            let first = out.words.len();
            if segs.is_empty() {
                out.words.push(AnalyzedWord {
                    form: surface.to_string(),
                    start: t.start,
                    end: t.end,
                    token: ti,
                    tag: 0,
                    lemma: Lemma {
                        plain: String::new(),
                        vocalized: String::new(),
                    },
                });
            }
            for s in segs.drain(..) {
                out.words.push(AnalyzedWord {
                    form: s.form,
                    start: t.start + s.start,
                    end: t.start + s.end,
                    token: ti,
                    tag: 0,
                    lemma: Lemma {
                        plain: String::new(),
                        vocalized: String::new(),
                    },
                });
            }
            out.tokens.push(SegmentedToken {
                start: t.start,
                end: t.end,
                words: first..out.words.len(),
            });
        }
        let norm: Vec<String> = out.words.iter().map(|w| dediacritize(&w.form)).collect();
        let tags = self.pos.tag_normalized(&norm);
        for (w, t) in out.words.iter_mut().zip(tags) {
            w.tag = t;
            w.lemma = cache.lemma(self, &w.form, t);
        }
        out
    }

    /// CoNLL-U for `text`: one block per sentence with `# text`, multiword-token lines, LEMMA
    /// (vocalized where known), UPOS, XPOS, FEATS and `SpaceAfter=No`; HEAD and DEPREL are `_`.
    pub fn to_conllu(&self, text: &str, tokens: &[Token], sentences: &[Sentence]) -> String {
        self.to_conllu_with(text, tokens, sentences, &[], &mut AnalysisCache::default())
    }

    /// [`to_conllu`](Self::to_conllu) with extra MISC items per token and a cache kept across
    /// calls: `token_misc[i]` (such as `NER=B-LOC`) goes with `tokens[i]`, on its multiword-token
    /// line if it has one.
    pub fn to_conllu_with(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
        token_misc: &[Option<String>],
        cache: &mut AnalysisCache,
    ) -> String {
        let mut out = String::with_capacity(text.len() * 8);
        let mut ti = 0;
        let mut n_sent = 0;
        for s in sentences {
            while ti < tokens.len() && tokens[ti].end <= s.start {
                ti += 1;
            }
            let first = ti;
            while ti < tokens.len() && tokens[ti].start < s.end {
                ti += 1;
            }
            if first == ti {
                continue;
            }
            n_sent += 1;
            let toks = &tokens[first..ti];
            let a = self.analyze_cached(text, toks, cache);
            let stext: String = text[s.start..s.end]
                .chars()
                .map(|c| if c.is_whitespace() { ' ' } else { c })
                .collect();
            let _ = writeln!(out, "# sent_id = {n_sent}");
            let _ = writeln!(out, "# text = {}", stext.trim().nfc());
            let mut id = 1;
            for (k, t) in a.tokens.iter().enumerate() {
                let glued = toks.get(k + 1).is_some_and(|n| n.start == t.end);
                let extra = token_misc.get(first + k).and_then(|m| m.as_deref());
                let misc: Cow<str> = match (extra, glued) {
                    (Some(m), true) => format!("{m}|SpaceAfter=No").into(),
                    (Some(m), false) => m.into(),
                    (None, true) => "SpaceAfter=No".into(),
                    (None, false) => "_".into(),
                };
                let misc = misc.as_ref();
                let n = t.words.len();
                if n > 1 {
                    let _ = writeln!(
                        out,
                        "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{misc}",
                        id,
                        id + n - 1,
                        clean(&text[t.start..t.end])
                    );
                }
                for w in &a.words[t.words.clone()] {
                    let lemma = if w.lemma.vocalized.is_empty() {
                        "_"
                    } else {
                        &w.lemma.vocalized
                    };
                    let _ = writeln!(
                        out,
                        "{id}\t{}\t{}\t{}\t{}\t{}\t_\t_\t_\t{}",
                        clean(&w.form),
                        clean(lemma),
                        self.pos.upos(w.tag),
                        self.pos.xpos(w.tag),
                        self.pos.feats(w.tag),
                        if n > 1 { "_" } else { misc }
                    );
                    id += 1;
                }
            }
            out.push('\n');
        }
        out
    }
}

/// A CoNLL-U field value: never empty, no tabs or line breaks, in NFC (as UD requires).
fn clean(s: &str) -> String {
    if s.is_empty() {
        return "_".into();
    }
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .nfc()
        .collect()
}
