//! [`Pipeline`]: the one per-document analysis of qalam, built once from [`PipelineOptions`] and
//! holding its models; `qalam analyze`, `qalam index`, the server and the Python package share it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use qalam_morph::Stemmer;
use qalam_tagger::ner::NerTagger;
use qalam_text::{Options, SentenceSplitter, Span, TokenKind, tokenize_with};

use crate::fingerprint::MinHash;
use crate::keyphrase::KeyphraseExtractor;
use crate::summary::Summarizer;
use crate::words::Words;
use crate::{Analysis, AnalysisError, AnalyzedToken};

/// Which NER model finds the entities of a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum EntityModel {
    /// No entities.
    Off,
    /// The default model embedded in the binary: the perceptron
    /// (`qalam_tagger::ner::NerTagger::embedded`).
    #[default]
    Embedded,
    /// The embedded perceptron with the embedded neural network on top
    /// (`qalam_tagger::ner::NerTagger::embedded_neural`): slower, and not more accurate on our
    /// dev split (see `crates/tagger/NER.md`).
    Neural,
    /// A model file written by `qalam train ner`.
    File(PathBuf),
}

/// What the [`Pipeline`] computes for each document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineOptions {
    /// Stemmer of the tokens' `stem`.
    pub stemmer: Stemmer,
    /// NER model of the entities.
    pub entities: EntityModel,
    /// Keyphrases to extract (0: none).
    pub keyphrases: usize,
    /// Sentences of the extractive summary (0: none).
    pub summary: usize,
    /// Compute the near-duplicate fingerprint ([`Analysis::fingerprint`]).
    pub fingerprints: bool,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            stemmer: Stemmer::Light,
            entities: EntityModel::Embedded,
            keyphrases: 10,
            summary: 3,
            fingerprints: true,
        }
    }
}

/// The per-document analysis: tokens, sentences, stems, entities, keyphrases, a summary and a
/// near-duplicate fingerprint. Build it once and share it (`Arc`); it is `Send + Sync`.
pub struct Pipeline {
    options: PipelineOptions,
    ner: Option<Arc<NerTagger>>,
    splitter: SentenceSplitter,
    /// The PADT models of [`Pipeline::padt`], loaded on first use.
    padt: OnceLock<Result<Arc<qalam_tagger::padt::PadtPipeline>, String>>,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Default for Pipeline {
    /// The pipeline of [`PipelineOptions::default`] (embedded models).
    fn default() -> Self {
        Pipeline::new(PipelineOptions::default())
            .expect("the embedded models load (checked by tests)")
    }
}

impl Pipeline {
    /// Builds a pipeline, loading the models its options name.
    pub fn new(options: PipelineOptions) -> Result<Pipeline, AnalysisError> {
        let ner = match &options.entities {
            EntityModel::Off => None,
            EntityModel::Embedded => Some(NerTagger::embedded()),
            EntityModel::Neural => Some(NerTagger::embedded_neural()),
            EntityModel::File(path) => Some(Arc::new(NerTagger::load(path).map_err(|e| {
                AnalysisError::Model {
                    path: path.clone(),
                    message: e.to_string(),
                }
            })?)),
        };
        Ok(Pipeline {
            options,
            ner,
            splitter: SentenceSplitter::default(),
            padt: OnceLock::new(),
        })
    }

    /// What this pipeline computes.
    pub fn options(&self) -> &PipelineOptions {
        &self.options
    }

    /// The NER model, if the pipeline finds entities.
    pub fn ner(&self) -> Option<&NerTagger> {
        self.ner.as_deref()
    }

    /// The embedded PADT models (segmentation, POS, lemmas) of `--morph` and CoNLL-U, loaded on
    /// first use.
    pub fn padt(&self) -> Result<&qalam_tagger::padt::PadtPipeline, AnalysisError> {
        self.padt
            .get_or_init(|| {
                qalam_tagger::padt::PadtPipeline::embedded()
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .as_deref()
            .map_err(|message| AnalysisError::Embedded {
                model: "PADT",
                message: message.clone(),
            })
    }

    /// Analyses one document.
    pub fn analyze(&self, text: &str) -> Analysis {
        let tokens = tokenize_with(text, &Options::SEARCH);
        let spans: Vec<Span> = tokens
            .iter()
            .map(|t| Span {
                kind: t.kind,
                start: t.start,
                end: t.end,
            })
            .collect();
        let sentences = self.splitter.split(text, &spans);
        let entities = match &self.ner {
            Some(ner) => ner.entities_with_sentences(text, &tokens, &sentences),
            None => Vec::new(),
        };
        let mut stem = String::new();
        let tokens = tokens
            .into_iter()
            .map(|t| {
                let stem = matches!(t.kind, TokenKind::Word).then(|| {
                    self.options.stemmer.stem_into(&t.norm, &mut stem);
                    stem.clone()
                });
                AnalyzedToken {
                    text: text[t.start..t.end].to_string(),
                    kind: t.kind,
                    start: t.start,
                    end: t.end,
                    char_start: t.char_start,
                    char_end: t.char_end,
                    norm: t.norm,
                    stem,
                }
            })
            .collect();
        let mut analysis = Analysis {
            sentences,
            tokens,
            entities,
            ..Analysis::default()
        };
        let o = &self.options;
        if o.keyphrases > 0 || o.summary > 0 || o.fingerprints {
            let words = Words::from_analysis(&analysis);
            if o.keyphrases > 0 {
                let x = KeyphraseExtractor {
                    top: o.keyphrases,
                    ..KeyphraseExtractor::default()
                };
                analysis.keyphrases = x.extract(text, &words);
            }
            if o.summary > 0 {
                let s = Summarizer {
                    sentences: o.summary,
                    ..Summarizer::default()
                };
                analysis.summary = s.summarize(&analysis.sentences, &words);
            }
            if o.fingerprints {
                analysis.fingerprint = Some(MinHash::of(&words));
            }
        }
        analysis
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityKind;

    #[test]
    fn stems_words_only() {
        let a = Pipeline::default().analyze("والكتاب 2015 Book");
        assert_eq!(a.tokens[0].stem.as_deref(), Some("كتاب"));
        assert_eq!(a.tokens[1].stem, None);
        assert_eq!(a.tokens[2].stem, None);
        let json = serde_json::to_value(&a.tokens[1]).unwrap();
        assert!(json["stem"].is_null(), "every token has a stem key: {json}");
    }

    #[test]
    fn entities_of_the_seed_byline() {
        let text = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها فى الموصل والرقة .";
        let a = Pipeline::default().analyze(text);
        for e in &a.entities {
            assert_eq!(&text[e.start..e.end], e.text);
        }
        let has = |kind: EntityKind, surface: &str| {
            a.entities
                .iter()
                .any(|e| e.kind == kind && e.text.contains(surface))
        };
        assert!(has(EntityKind::Pers, "مكرم محمد أحمد"), "{:?}", a.entities);
    }

    #[test]
    fn options_turn_parts_off() {
        let text = "أعلنت وزارة الصحة فى الرياض تسجيل إصابات بفيروس كورونا.\nوقالت الوزارة إن فيروس كورونا ينتشر.";
        let full = Pipeline::default().analyze(text);
        assert!(!full.entities.is_empty() && !full.keyphrases.is_empty());
        let sig = full.fingerprint.as_ref().unwrap();
        assert_eq!(sig, &MinHash::of(&Words::new(text)));
        let bare = Pipeline::new(PipelineOptions {
            entities: EntityModel::Off,
            keyphrases: 0,
            summary: 0,
            fingerprints: false,
            ..PipelineOptions::default()
        })
        .unwrap()
        .analyze(text);
        assert!(bare.entities.is_empty() && bare.keyphrases.is_empty());
        assert!(bare.summary.is_empty() && bare.fingerprint.is_none());
        assert_eq!(bare.tokens, full.tokens);
        let two = Pipeline::new(PipelineOptions {
            keyphrases: 2,
            summary: 1,
            ..PipelineOptions::default()
        })
        .unwrap()
        .analyze(text);
        assert_eq!((two.keyphrases.len(), two.summary.len()), (2, 1));
    }

    #[test]
    fn the_neural_model_finds_entities_with_original_offsets() {
        let text = "زار الرئيس السوري بشار الأسد مدينة دمشق أمس.";
        let a = Pipeline::new(PipelineOptions {
            entities: EntityModel::Neural,
            ..PipelineOptions::default()
        })
        .unwrap()
        .analyze(text);
        assert!(!a.entities.is_empty(), "{:?}", a.entities);
        for e in &a.entities {
            assert_eq!(&text[e.start..e.end], e.text);
        }
        assert!(
            a.entities
                .iter()
                .any(|e| e.kind == EntityKind::Loc && e.text == "دمشق"),
            "{:?}",
            a.entities
        );
    }

    #[test]
    fn a_missing_model_file_is_an_error() {
        let e = Pipeline::new(PipelineOptions {
            entities: EntityModel::File("no/such/ner.bin".into()),
            ..PipelineOptions::default()
        })
        .unwrap_err();
        assert!(e.to_string().starts_with("no/such/ner.bin: "), "{e}");
    }

    #[test]
    fn fingerprint_is_not_in_the_json() {
        let a = Pipeline::default().analyze("أعلنت وزارة الصحة تسجيل إصابات جديدة");
        assert!(a.fingerprint.is_some());
        let json = serde_json::to_value(&a).unwrap();
        assert!(json.get("fingerprint").is_none(), "{json}");
    }
}
