//! Scores with CoNLL 2018 shared-task semantics: words aligned by character spans, and inside
//! multiword tokens by the longest common subsequence of forms.

use qalam_text::{TokenKind, tokenize};

use super::data::{GoldSentence, GoldWord, dediacritize};
use super::lemma::Lemmatizer;
use super::{Analyzed, PadtPipeline, PosTagger, Segmenter};

/// A word as the evaluation sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvalWord {
    /// Start of the word's span (its token's span when the token is multiword).
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// True when the word's token holds more than one word.
    pub multiword: bool,
    /// FORM.
    pub form: String,
    /// UPOS.
    pub upos: String,
    /// XPOS.
    pub xpos: String,
    /// FEATS.
    pub feats: String,
    /// Undiacritized lemma.
    pub lemma: String,
    /// Vocalized lemma.
    pub lemma_vocalized: String,
}

fn beyond_end(words: &[EvalWord], i: usize, end: usize) -> bool {
    if i >= words.len() {
        return true;
    }
    if words[i].multiword {
        words[i].start >= end
    } else {
        words[i].end > end
    }
}

fn extend_end(w: &EvalWord, end: usize) -> usize {
    if w.multiword && w.end > end {
        w.end
    } else {
        end
    }
}

fn same_form(a: &EvalWord, b: &EvalWord) -> bool {
    a.form.to_lowercase() == b.form.to_lowercase()
}

/// Aligns gold and system words as `conll18_ud_eval.py` does; returns index pairs.
pub fn align(gold: &[EvalWord], sys: &[EvalWord]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut gi, mut si) = (0, 0);
    while gi < gold.len() && si < sys.len() {
        if gold[gi].multiword || sys[si].multiword {
            // Find the minimal multiword span covering both sides.
            let mut end;
            if gold[gi].multiword {
                end = gold[gi].end;
                if !sys[si].multiword && sys[si].start < gold[gi].start {
                    si += 1;
                }
            } else {
                end = sys[si].end;
                if !gold[gi].multiword && gold[gi].start < sys[si].start {
                    gi += 1;
                }
            }
            let (gs, ss) = (gi, si);
            while !beyond_end(gold, gi, end) || !beyond_end(sys, si, end) {
                if gi < gold.len() && (si >= sys.len() || gold[gi].start <= sys[si].start) {
                    end = extend_end(&gold[gi], end);
                    gi += 1;
                } else {
                    end = extend_end(&sys[si], end);
                    si += 1;
                }
            }
            if gi > gs && si > ss {
                let (ng, ns) = (gi - gs, si - ss);
                let mut lcs = vec![vec![0usize; ns + 1]; ng + 1];
                for g in (0..ng).rev() {
                    for s in (0..ns).rev() {
                        let mut v = lcs[g + 1][s].max(lcs[g][s + 1]);
                        if same_form(&gold[gs + g], &sys[ss + s]) {
                            v = v.max(1 + lcs[g + 1][s + 1]);
                        }
                        lcs[g][s] = v;
                    }
                }
                let (mut g, mut s) = (0, 0);
                while g < ng && s < ns {
                    if same_form(&gold[gs + g], &sys[ss + s]) {
                        out.push((gs + g, ss + s));
                        g += 1;
                        s += 1;
                    } else if lcs[g][s] == lcs[g + 1][s] {
                        g += 1;
                    } else {
                        s += 1;
                    }
                }
            }
        } else if (gold[gi].start, gold[gi].end) == (sys[si].start, sys[si].end) {
            out.push((gi, si));
            gi += 1;
            si += 1;
        } else if gold[gi].start <= sys[si].start {
            gi += 1;
        } else {
            si += 1;
        }
    }
    out
}

/// Counts behind F1 scores: gold words, system words and aligned words matching on each field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold words.
    pub gold: usize,
    /// System words.
    pub system: usize,
    /// Aligned words.
    pub words: usize,
    /// … with the same UPOS.
    pub upos: usize,
    /// … with the same XPOS.
    pub xpos: usize,
    /// … with the same FEATS.
    pub feats: usize,
    /// … with the same UPOS, XPOS and FEATS.
    pub all_tags: usize,
    /// … with the same undiacritized lemma.
    pub lemma: usize,
    /// … with the same vocalized lemma.
    pub lemma_vocalized: usize,
}

impl Counts {
    /// Adds the counts of one aligned sentence.
    pub fn add(&mut self, gold: &[EvalWord], sys: &[EvalWord]) {
        self.gold += gold.len();
        self.system += sys.len();
        for (g, s) in align(gold, sys) {
            let (g, s) = (&gold[g], &sys[s]);
            self.words += 1;
            self.upos += usize::from(g.upos == s.upos);
            self.xpos += usize::from(g.xpos == s.xpos);
            self.feats += usize::from(g.feats == s.feats);
            self.all_tags +=
                usize::from(g.upos == s.upos && g.xpos == s.xpos && g.feats == s.feats);
            self.lemma += usize::from(g.lemma == s.lemma);
            self.lemma_vocalized += usize::from(g.lemma_vocalized == s.lemma_vocalized);
        }
    }

    /// F1 (in %) of a count of correct aligned words.
    pub fn f1(&self, correct: usize) -> f64 {
        if self.gold + self.system == 0 {
            return 100.0;
        }
        200.0 * correct as f64 / (self.gold + self.system) as f64
    }

    /// Only the Words F1 line (for segmentation without tags).
    pub fn report_words(&self) -> String {
        format!(
            "gold words {}, system words {}\nWords F1 {:6.2}\n",
            self.gold,
            self.system,
            self.f1(self.words)
        )
    }

    /// The scores as `name value` lines.
    pub fn report(&self) -> String {
        let rows = [
            ("Words", self.words),
            ("UPOS", self.upos),
            ("XPOS", self.xpos),
            ("UFeats", self.feats),
            ("AllTags", self.all_tags),
            ("Lemma (undiacritized)", self.lemma),
            ("Lemma (vocalized)", self.lemma_vocalized),
        ];
        let mut s = format!("gold words {}, system words {}\n", self.gold, self.system);
        for (name, c) in rows {
            s.push_str(&format!("{name:<22} F1 {:6.2}\n", self.f1(c)));
        }
        s
    }
}

/// Gold evaluation words of a rebuilt sentence.
pub fn gold_words(s: &GoldSentence) -> Vec<EvalWord> {
    let mut out = Vec::with_capacity(s.words.len());
    for t in &s.tokens {
        let multi = t.words.len() > 1;
        for (k, w) in s.words[t.words.clone()].iter().enumerate() {
            let (start, end) = if multi {
                (t.start, t.end)
            } else {
                (t.start + t.pieces[k].start, t.start + t.pieces[k].end)
            };
            out.push(eval_word(w, start, end, multi));
        }
    }
    out
}

fn eval_word(w: &GoldWord, start: usize, end: usize, multiword: bool) -> EvalWord {
    EvalWord {
        start,
        end,
        multiword,
        form: w.form.clone(),
        upos: w.upos.clone(),
        xpos: w.xpos.clone(),
        feats: w.feats.clone(),
        lemma: dediacritize(&w.lemma),
        lemma_vocalized: w.lemma.clone(),
    }
}

/// System words from a segmenter alone (no tags), on the sentence's raw text.
pub fn segmented_words(seg: &Segmenter, text: &str) -> Vec<EvalWord> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    for t in tokenize(text) {
        buf.clear();
        let surface = &text[t.start..t.end];
        if t.kind == TokenKind::Word {
            seg.segment_into(surface, &mut buf);
        }
        if buf.len() <= 1 {
            out.push(EvalWord {
                start: t.start,
                end: t.end,
                form: surface.to_string(),
                ..EvalWord::default()
            });
            continue;
        }
        for s in &buf {
            out.push(EvalWord {
                start: t.start,
                end: t.end,
                multiword: true,
                form: s.form.clone(),
                ..EvalWord::default()
            });
        }
    }
    out
}

/// System words of the full pipeline (segmentation, tags, lemmas) on raw text.
pub fn pipeline_words(p: &PadtPipeline, text: &str) -> Vec<EvalWord> {
    let tokens = tokenize(text);
    let a: Analyzed = p.analyze(text, &tokens);
    let mut out = Vec::with_capacity(a.words.len());
    for w in &a.words {
        let t = &a.tokens[w.token];
        let multi = t.words.len() > 1;
        out.push(EvalWord {
            start: t.start,
            end: t.end,
            multiword: multi,
            form: w.form.clone(),
            upos: p.pos.upos(w.tag).to_string(),
            xpos: p.pos.xpos(w.tag).to_string(),
            feats: p.pos.feats(w.tag).to_string(),
            lemma: w.lemma.plain.clone(),
            lemma_vocalized: w.lemma.vocalized.clone(),
        });
    }
    out
}

/// Tags gold words (given forms) and returns them as system words with gold spans.
pub fn tagged_gold_words(
    pos: &PosTagger,
    lem: &Lemmatizer,
    words: &[GoldWord],
) -> (Vec<EvalWord>, Vec<EvalWord>) {
    let forms: Vec<&str> = words.iter().map(|w| w.form.as_str()).collect();
    let tags = pos.tag(&forms);
    let mut gold = Vec::with_capacity(words.len());
    let mut sys = Vec::with_capacity(words.len());
    for (i, (w, t)) in words.iter().zip(tags).enumerate() {
        gold.push(eval_word(w, i, i + 1, false));
        let l = lem.lemma(&w.form, pos.upos(t), pos.xpos(t));
        sys.push(EvalWord {
            start: i,
            end: i + 1,
            multiword: false,
            form: w.form.clone(),
            upos: pos.upos(t).to_string(),
            xpos: pos.xpos(t).to_string(),
            feats: pos.feats(t).to_string(),
            lemma: l.plain,
            lemma_vocalized: l.vocalized,
        });
    }
    (gold, sys)
}

/// Words F1 counts of the segmenter alone on the raw text of `sents`.
pub fn score_segmenter(seg: &Segmenter, sents: &[GoldSentence]) -> Counts {
    let mut c = Counts::default();
    for s in sents {
        c.add(&gold_words(s), &segmented_words(seg, &s.text));
    }
    c
}

/// Tag and lemma counts of the tagger and lemmatizer on the gold words of `sents`; with `ud1`,
/// predicted UPOS are first mapped to the UD v1 labels ([`ud1_upos`]) of older gold files.
pub fn score_tagger(
    pos: &PosTagger,
    lem: &Lemmatizer,
    sents: &[GoldSentence],
    ud1: bool,
) -> Counts {
    let mut c = Counts::default();
    for s in sents {
        let (g, mut y) = tagged_gold_words(pos, lem, &s.words);
        if ud1 {
            for w in &mut y {
                w.upos = ud1_upos(&w.upos, &w.xpos).to_string();
            }
        }
        c.add(&g, &y);
    }
    c
}

/// Counts of the whole pipeline (segmenter, tagger, lemmatizer) on the raw text of `sents`.
pub fn score_pipeline(p: &PadtPipeline, sents: &[GoldSentence]) -> Counts {
    let mut c = Counts::default();
    for s in sents {
        c.add(&gold_words(s), &pipeline_words(p, &s.text));
    }
    c
}

/// The UD v1 (2016) UPOS for a UD v2 prediction on PADT: `CCONJ`/`SCONJ` → `CONJ`,
/// pronoun-like `DET` → `PRON`, particle `AUX` (قد) → `PART`, verbal `AUX` → `VERB`.
pub fn ud1_upos<'a>(upos: &'a str, xpos: &str) -> &'a str {
    match (upos, xpos.as_bytes().first()) {
        ("CCONJ", _) | ("SCONJ", Some(b'C')) => "CONJ",
        ("DET", Some(b'S')) => "PRON",
        ("AUX", Some(b'F')) => "PART",
        ("AUX", Some(b'V')) => "VERB",
        _ => upos,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn maps_to_ud1() {
        assert_eq!(super::ud1_upos("CCONJ", "C---------"), "CONJ");
        assert_eq!(super::ud1_upos("DET", "SD----MS2-"), "PRON");
        assert_eq!(super::ud1_upos("NOUN", "N------S2D"), "NOUN");
    }

    use super::*;

    fn w(start: usize, end: usize, multiword: bool, form: &str) -> EvalWord {
        EvalWord {
            start,
            end,
            multiword,
            form: form.into(),
            ..EvalWord::default()
        }
    }

    #[test]
    fn aligns_by_span_and_lcs() {
        let gold = [
            w(0, 3, true, "و"),
            w(0, 3, true, "ب"),
            w(0, 3, true, "ه"),
            w(4, 6, false, "في"),
        ];
        // The system misses one split and the next token.
        let sys = [w(0, 3, true, "و"), w(0, 3, true, "به"), w(4, 5, false, "ف")];
        let a = align(&gold, &sys);
        assert_eq!(a, vec![(0, 0)]);
        let mut c = Counts::default();
        c.add(&gold, &sys);
        assert_eq!((c.gold, c.system, c.words), (4, 3, 1));
        assert!((c.f1(c.words) - 200.0 / 7.0).abs() < 1e-9);
        let same = align(&gold, &gold);
        assert_eq!(same.len(), 4);
    }

    #[test]
    fn unsplit_system_word_against_gold_multiword() {
        let gold = [
            w(0, 5, true, "ل"),
            w(0, 5, true, "ها"),
            w(6, 8, false, "من"),
        ];
        let sys = [w(0, 5, false, "لها"), w(6, 8, false, "من")];
        assert_eq!(align(&gold, &sys), vec![(2, 1)]);
    }
}
