//! Reading aids inside the index: the keyphrases, entities and summary of every document,
//! from the shared pipeline at ingest, stored as fields (`entity` as `KIND:key`, `keyphrase` by
//! surface form, both multi-valued, fast and stored) and as JSON (`aids`) to read back.
//! Near-duplicates are in `dedup.rs`, stories and trends in `stories.rs`.

use qalam_analysis::Pipeline;
use qalam_analysis::fingerprint::MinHash;
use qalam_analysis::keyphrase::Keyphrase;
use qalam_analysis::summary::SummarySentence;
use qalam_corpus::Document;
use qalam_text::normalize_str;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::Value;

use crate::QalamIndex;

/// An entity of a document: `KIND:key` and a surface form to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityLabel {
    /// `KIND:key`, as in the `entity` field.
    pub entity: String,
    /// The surface form (the first occurrence whose normalized form is the key, if any).
    pub label: String,
    /// Mentions in the document.
    pub mentions: u32,
}

/// What ingest computes for one document.
#[derive(Clone, Debug, PartialEq)]
pub struct DocAids {
    /// Distinct entities, in order of first mention.
    pub entities: Vec<EntityLabel>,
    /// Keyphrases, best first.
    pub keyphrases: Vec<Keyphrase>,
    /// Summary sentences (spans of the body), in text order.
    pub summary: Vec<SummarySentence>,
    /// Near-duplicate fingerprint of the body (if the pipeline computes fingerprints).
    pub minhash: Option<MinHash>,
}

/// The stored JSON (`aids` field) of a document: its keyphrases, summary and entity labels.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredAids {
    /// Keyphrases, best first.
    #[serde(default)]
    pub keyphrases: Vec<Keyphrase>,
    /// Summary sentences (byte spans of the body).
    #[serde(default)]
    pub summary: Vec<SummarySentence>,
    /// Entities with their surface forms.
    #[serde(default)]
    pub entities: Vec<EntityLabel>,
}

/// The reading aids of a document's body, from `pipeline`'s analysis of it (its keyphrase and
/// summary settings, its NER model and its fingerprint; without fingerprints the document
/// joins no near-duplicate cluster).
pub fn annotate(pipeline: &Pipeline, doc: &Document) -> DocAids {
    doc_aids(pipeline.analyze(&doc.body))
}

/// The reading aids of a body from its analysis (entities grouped by `KIND:key`).
pub fn doc_aids(analysis: qalam_analysis::Analysis) -> DocAids {
    let mut entities: Vec<EntityLabel> = Vec::new();
    // Whether each entity's label normalizes to its key (so it is normalized once).
    let mut exact_labels: Vec<bool> = Vec::new();
    for e in analysis.entities {
        if e.key.is_empty() {
            continue;
        }
        let entity = format!("{}:{}", e.kind.as_str(), e.key);
        let exact = normalize_str(&e.text, qalam_text::Profile::Search) == e.key;
        match entities.iter().position(|x| x.entity == entity) {
            Some(i) => {
                let x = &mut entities[i];
                x.mentions += 1;
                if exact && !exact_labels[i] {
                    x.label = e.text;
                    exact_labels[i] = true;
                }
            }
            None => {
                entities.push(EntityLabel {
                    entity,
                    label: e.text,
                    mentions: 1,
                });
                exact_labels.push(exact);
            }
        }
    }
    DocAids {
        entities,
        keyphrases: analysis.keyphrases,
        summary: analysis.summary,
        minhash: analysis.fingerprint,
    }
}

impl QalamIndex {
    /// Adds the reading-aid fields of a document to its tantivy document.
    pub fn add_aids(&self, t: &mut TantivyDocument, aids: DocAids, cluster: &str) {
        let f = &self.fields;
        for e in &aids.entities {
            t.add_text(f.entity, &e.entity);
        }
        for k in &aids.keyphrases {
            t.add_text(f.keyphrase, &k.text);
        }
        t.add_text(f.cluster, cluster);
        if let Some(sig) = &aids.minhash {
            t.add_bytes(f.minhash, &sig.to_bytes());
            for value in sig.band_values() {
                t.add_u64(f.lsh, value);
            }
        }
        let stored = StoredAids {
            keyphrases: aids.keyphrases,
            summary: aids.summary,
            entities: aids.entities,
        };
        if let Ok(json) = serde_json::to_string(&stored) {
            t.add_text(f.aids, json);
        }
    }

    /// The stored reading aids of a document.
    pub fn stored_aids(&self, doc: &TantivyDocument) -> StoredAids {
        doc.get_first(self.fields.aids)
            .and_then(|v| v.as_str())
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::AllQuery;

    use super::*;
    use crate::SearchRequest;
    use crate::stories::entity_trends;
    use crate::test_support::{WIRE, corpus, doc};

    #[test]
    fn ingest_without_aids_indexes_text_but_no_aids() {
        let index = QalamIndex::create_in_ram(crate::AnalyzerSettings::default()).unwrap();
        let mut writer = index
            .writer(crate::WriterOptions {
                threads: 1,
                aids: None,
                ..crate::WriterOptions::default()
            })
            .unwrap();
        let respelled = WIRE.replace("في ", "فى ");
        writer.add(&doc("a", "2015-07-21", "كورونا", WIRE)).unwrap();
        writer
            .add(&doc("c", "2015-07-22", "كورونا", &respelled))
            .unwrap();
        writer.finish().unwrap();
        let hits = index.search(&SearchRequest::new("كورونا")).unwrap();
        assert_eq!(hits.hits.len(), 2);
        assert!(index.duplicate_clusters(2).unwrap().is_empty());
        assert_eq!(entity_trends(&index, None, 5).unwrap().top.len(), 0);
        // The same documents with aids: one cluster of copies, entities named.
        let with = corpus();
        assert_eq!(with.duplicate_clusters(2).unwrap().len(), 1);
        assert!(!entity_trends(&with, None, 5).unwrap().top.is_empty());
    }

    #[test]
    fn ingest_stores_what_the_pipeline_computes() {
        use qalam_analysis::{EntityModel, PipelineOptions};
        let pipeline = Pipeline::new(PipelineOptions {
            entities: EntityModel::Off,
            keyphrases: 2,
            summary: 1,
            fingerprints: false,
            ..PipelineOptions::default()
        })
        .unwrap();
        let index = QalamIndex::create_in_ram(crate::AnalyzerSettings::default()).unwrap();
        let mut writer = index
            .writer(crate::WriterOptions {
                threads: 1,
                aids: Some(std::sync::Arc::new(pipeline)),
                ..crate::WriterOptions::default()
            })
            .unwrap();
        writer.add(&doc("a", "2015-07-21", "كورونا", WIRE)).unwrap();
        writer.add(&doc("b", "2015-07-21", "كورونا", WIRE)).unwrap();
        writer.finish().unwrap();
        let searcher = index.searcher();
        let top = searcher.search(&AllQuery, &TopDocs::with_limit(2)).unwrap();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            let stored = index.stored_aids(&doc);
            assert_eq!((stored.keyphrases.len(), stored.summary.len()), (2, 1));
            assert!(stored.entities.is_empty());
        }
        // Without fingerprints the copies stay apart.
        assert!(index.duplicate_clusters(2).unwrap().is_empty());
    }

    #[test]
    fn annotate_finds_keyphrases_entities_and_summary() {
        let mut doc = doc(
            "x",
            "2015-07-21",
            "",
            "أعلنت وزارة الصحة في الرياض تسجيل إصابات بفيروس كورونا.\nوقالت الوزارة إن فيروس كورونا ينتشر في الرياض.",
        );
        doc.title = None;
        let a = annotate(&Pipeline::default(), &doc);
        assert!(
            a.keyphrases.iter().any(|k| k.text == "كورونا"),
            "{:?}",
            a.keyphrases
        );
        assert_eq!(a.summary.len(), 2);
        assert!(a.minhash.is_some_and(|m| m.shingles > 0));
        let riyadh = a.entities.iter().find(|e| e.entity == "LOC:الرياض");
        assert_eq!(
            riyadh.map(|e| (e.label.as_str(), e.mentions)),
            Some(("الرياض", 2)),
            "{:?}",
            a.entities
        );
    }
}
