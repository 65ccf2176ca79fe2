//! Reading aids inside the index: keyphrases, entities, a summary and a near-duplicate
//! fingerprint computed for every document at ingest, and what is read back from them —
//! duplicate clusters, collapsed search hits, stories and entity trends.
//!
//! At ingest each body gets a MinHash signature; its LSH band keys are indexed (`lsh`), so a
//! new document finds earlier near-duplicates with one term query and joins their cluster (the
//! id of the cluster's first document, stored in `cluster`). Entities are stored as `KIND:key`
//! (`entity`) and keyphrases by surface form (`keyphrase`), both multi-valued, fast and stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use qalam_analysis::Pipeline;
use qalam_analysis::fingerprint::{MinHash, Thresholds};
use qalam_analysis::keyphrase::Keyphrase;
use qalam_analysis::stories::{Story, StoryConfig, StoryDoc};
use qalam_analysis::summary::SummarySentence;
use qalam_analysis::trends::{EntityTrends, TrendCounter};
use qalam_corpus::Document;
use qalam_text::normalize_str;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DateTime, DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument,
    Term,
};

use crate::date::parse_date;
use crate::{Deadline, Error, QalamIndex, SearchRequest};

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
    for e in analysis.entities {
        if e.key.is_empty() {
            continue;
        }
        let entity = format!("{}:{}", e.kind.as_str(), e.key);
        let exact = normalize_str(&e.text, qalam_text::Profile::Search) == e.key;
        match entities.iter_mut().find(|x| x.entity == entity) {
            Some(x) => {
                x.mentions += 1;
                if exact && normalize_str(&x.label, qalam_text::Profile::Search) != e.key {
                    x.label = e.text;
                }
            }
            None => entities.push(EntityLabel {
                entity,
                label: e.text,
                mentions: 1,
            }),
        }
    }
    DocAids {
        entities,
        keyphrases: analysis.keyphrases,
        summary: analysis.summary,
        minhash: analysis.fingerprint,
    }
}

/// Near-duplicate clustering during one ingest: earlier documents are found through the index's
/// `lsh` terms, documents of this ingest through an in-memory band table.
#[derive(Debug, Default)]
pub struct Deduper {
    /// When two documents are near-duplicates.
    pub thresholds: Thresholds,
    batch: Vec<(String, MinHash, String)>,
    bands: HashMap<u64, Vec<u32>>,
    /// Clusters started in this ingest: their first document in `batch`.
    heads: HashMap<String, u32>,
    /// Signatures of first documents read from the index.
    indexed_heads: HashMap<String, Option<MinHash>>,
}

impl Deduper {
    /// The signature of a cluster's first document (the document whose id names it).
    fn head(
        &mut self,
        index: &QalamIndex,
        searcher: &Searcher,
        cluster: &str,
    ) -> Result<Option<MinHash>, Error> {
        if let Some(&i) = self.heads.get(cluster) {
            return Ok(Some(self.batch[i as usize].1.clone()));
        }
        if let Some(sig) = self.indexed_heads.get(cluster) {
            return Ok(sig.clone());
        }
        let mut sig = None;
        if searcher.num_docs() > 0 {
            let query = TermQuery::new(index.id_term(cluster), IndexRecordOption::Basic);
            if let Some((_, address)) = searcher.search(&query, &TopDocs::with_limit(1))?.first() {
                let doc: TantivyDocument = searcher.doc(*address)?;
                sig = doc
                    .get_first(index.fields().minhash)
                    .and_then(|v| v.as_bytes())
                    .and_then(MinHash::from_bytes);
            }
        }
        self.indexed_heads.insert(cluster.to_string(), sig.clone());
        Ok(sig)
    }

    /// The cluster of a new document `id` with signature `sig`, and its similarity to the
    /// closest earlier copy (`None`: it starts its own cluster, named by its id).
    pub fn assign(
        &mut self,
        index: &QalamIndex,
        searcher: &Searcher,
        id: &str,
        sig: &MinHash,
    ) -> Result<(String, Option<f32>), Error> {
        // Clusters with a member close to the new document, and that member's similarity.
        let mut near: Vec<(String, f32)> = Vec::new();
        let mut consider = |cluster: &str, other_id: &str, other: &MinHash| {
            if other_id == id {
                return;
            }
            if let Some(j) = self.thresholds.near(sig, other) {
                match near.iter_mut().find(|(c, _)| c == cluster) {
                    Some(e) => e.1 = e.1.max(j),
                    None => near.push((cluster.to_string(), j)),
                }
            }
        };
        let bands = sig.bands();
        if sig.shingles > 0 {
            let mut seen: HashSet<u32> = HashSet::new();
            for key in &bands {
                for &i in self.bands.get(key).into_iter().flatten() {
                    if seen.insert(i) {
                        let (other_id, other, cluster) = &self.batch[i as usize];
                        consider(cluster, other_id, other);
                    }
                }
            }
            if searcher.num_docs() > 0 {
                let f = index.fields();
                let clauses: Vec<(Occur, Box<dyn Query>)> = sig
                    .band_terms()
                    .iter()
                    .map(|k| {
                        let term = Term::from_field_text(f.lsh, k);
                        let q: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Should, q)
                    })
                    .collect();
                let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(20))?;
                for (_, address) in top {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    let s = |field| doc.get_first(field).and_then(|v| v.as_str());
                    let other = doc
                        .get_first(f.minhash)
                        .and_then(|v| v.as_bytes())
                        .and_then(MinHash::from_bytes);
                    if let (Some(other_id), Some(cluster), Some(other)) =
                        (s(f.id), s(f.cluster), other)
                    {
                        consider(cluster, other_id, &other);
                    }
                }
            }
        }
        // A document joins a cluster only as a copy of its first document, so templated series
        // (A ≈ B ≈ C, A ≠ C) do not chain; a cluster whose first document is gone is joined
        // through its member.
        let mut best: Option<(String, f32)> = None;
        for (cluster, member) in near {
            let j = match self.head(index, searcher, &cluster)? {
                Some(head) => self.thresholds.near(sig, &head),
                None => Some(member),
            };
            if let Some(j) = j
                && best.as_ref().is_none_or(|b| j > b.1)
            {
                best = Some((cluster, j));
            }
        }
        let (cluster, sim) = match best {
            Some((c, j)) => (c, Some(j)),
            None => (id.to_string(), None),
        };
        let n = self.batch.len() as u32;
        if cluster == id {
            self.heads.insert(cluster.clone(), n);
        }
        self.batch
            .push((id.to_string(), sig.clone(), cluster.clone()));
        if sig.shingles > 0 {
            for key in bands {
                self.bands.entry(key).or_default().push(n);
            }
        }
        Ok((cluster, sim))
    }
}

impl QalamIndex {
    /// Adds the reading-aid fields of a document to its tantivy document.
    pub fn add_aids(&self, t: &mut TantivyDocument, aids: &DocAids, cluster: &str) {
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
            for term in sig.band_terms() {
                t.add_text(f.lsh, term);
            }
        }
        let stored = StoredAids {
            keyphrases: aids.keyphrases.clone(),
            summary: aids.summary.clone(),
            entities: aids.entities.clone(),
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

/// One document of a duplicate cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateDoc {
    /// Document id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication.
    pub source: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Estimated Jaccard similarity of its body to the cluster's first document.
    pub similarity: f32,
}

/// A cluster of near-duplicate documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateCluster {
    /// Cluster id (the id of its first document).
    pub cluster: String,
    /// Its documents, the first document first, then by similarity.
    pub docs: Vec<DuplicateDoc>,
}

/// Collects the fast-field values of a string field for every matching document.
struct StrValues {
    field: String,
}

struct StrValuesSegment {
    column: Option<StrColumn>,
    date: Option<Column<DateTime>>,
    segment: SegmentOrdinal,
    docs: Vec<(DocId, Option<i64>, Vec<u64>)>,
}

type StrFruit = Vec<(DocAddress, Option<i64>, Vec<String>)>;

impl Collector for StrValues {
    type Fruit = StrFruit;
    type Child = StrValuesSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<StrValuesSegment> {
        Ok(StrValuesSegment {
            column: reader.fast_fields().str(&self.field)?,
            date: reader.fast_fields().column_opt::<DateTime>("date")?,
            segment,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<StrFruit>) -> tantivy::Result<StrFruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for StrValuesSegment {
    type Fruit = StrFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ords = self
            .column
            .as_ref()
            .map(|c| c.term_ords(doc).collect())
            .unwrap_or_default();
        let day = self
            .date
            .as_ref()
            .and_then(|d| d.first(doc))
            .map(|d| d.into_timestamp_secs().div_euclid(86_400));
        self.docs.push((doc, day, ords));
    }

    fn harvest(self) -> StrFruit {
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut out = Vec::with_capacity(self.docs.len());
        for (doc, day, ords) in self.docs {
            let values = ords
                .into_iter()
                .filter_map(|ord| {
                    if let Some(s) = names.get(&ord) {
                        return Some(s.clone());
                    }
                    let mut s = String::new();
                    let column = self.column.as_ref()?;
                    column.ord_to_str(ord, &mut s).ok()?.then_some(())?;
                    names.insert(ord, s.clone());
                    Some(s)
                })
                .collect();
            out.push((DocAddress::new(self.segment, doc), day, values));
        }
        out
    }
}

impl QalamIndex {
    /// Every matching document's values of a multi-valued fast string field, with its day.
    fn str_values(&self, query: &dyn Query, field: &str) -> Result<StrFruit, Error> {
        let searcher = self.searcher();
        Ok(searcher.search(
            query,
            &StrValues {
                field: field.to_string(),
            },
        )?)
    }

    /// Clusters of near-duplicates with at least `min_docs` documents, biggest first.
    pub fn duplicate_clusters(&self, min_docs: usize) -> Result<Vec<DuplicateCluster>, Error> {
        self.duplicate_clusters_until(min_docs, Deadline::NONE)
    }

    /// [`QalamIndex::duplicate_clusters`] that stops with [`Error::DeadlinePassed`] at `deadline`.
    pub fn duplicate_clusters_until(
        &self,
        min_docs: usize,
        deadline: Deadline,
    ) -> Result<Vec<DuplicateCluster>, Error> {
        let values = self.str_values(&AllQuery, "cluster")?;
        deadline.check()?;
        let mut groups: BTreeMap<String, Vec<DocAddress>> = BTreeMap::new();
        for (address, _, clusters) in values {
            if let Some(c) = clusters.into_iter().next() {
                groups.entry(c).or_default().push(address);
            }
        }
        let searcher = self.searcher();
        let f = &self.fields;
        let mut out = Vec::new();
        for (cluster, addresses) in groups {
            if addresses.len() < min_docs.max(2) {
                continue;
            }
            deadline.check()?;
            let mut docs: Vec<(DuplicateDoc, Option<MinHash>)> = Vec::new();
            for address in addresses {
                let doc: TantivyDocument = searcher.doc(address)?;
                let d = self.stored_document(&doc);
                let sig = doc
                    .get_first(f.minhash)
                    .and_then(|v| v.as_bytes())
                    .and_then(MinHash::from_bytes);
                docs.push((
                    DuplicateDoc {
                        id: d.id,
                        title: d.title,
                        source: d.source,
                        date: d.date,
                        similarity: 1.0,
                    },
                    sig,
                ));
            }
            let head = docs.iter().position(|(d, _)| d.id == cluster).unwrap_or(0);
            docs.swap(0, head);
            let first = docs[0].1.clone();
            for (d, sig) in docs.iter_mut().skip(1) {
                d.similarity = match (&first, sig) {
                    (Some(a), Some(b)) => a.jaccard(b),
                    _ => 0.0,
                };
            }
            docs[1..].sort_by(|a, b| b.0.similarity.total_cmp(&a.0.similarity));
            out.push(DuplicateCluster {
                cluster,
                docs: docs.into_iter().map(|(d, _)| d).collect(),
            });
        }
        out.sort_by(|a, b| {
            b.docs
                .len()
                .cmp(&a.docs.len())
                .then_with(|| a.cluster.cmp(&b.cluster))
        });
        Ok(out)
    }

    /// The documents matching `req` (text, source and dates; an empty query matches all).
    fn matching(&self, req: &SearchRequest) -> Result<Box<dyn Query>, Error> {
        let has_filter = req.source.as_deref().is_some_and(|s| !s.is_empty())
            || req.from.as_deref().is_some_and(|s| !s.is_empty())
            || req.to.as_deref().is_some_and(|s| !s.is_empty());
        if req.q.trim().is_empty() && !has_filter {
            Ok(Box::new(AllQuery))
        } else {
            self.request_query(req)
        }
    }

    /// Stories among the documents matching `req` (usually a date range).
    pub fn stories(
        &self,
        req: &SearchRequest,
        config: &StoryConfig,
    ) -> Result<(Vec<StoryDoc>, Vec<Story>), Error> {
        let query = self.matching(req)?;
        let searcher = self.searcher();
        let mut addresses: Vec<DocAddress> = searcher
            .search(&*query, &DocSetCollector)?
            .into_iter()
            .collect();
        addresses.sort();
        let f = &self.fields;
        let mut docs = Vec::with_capacity(addresses.len());
        for (n, address) in addresses.into_iter().enumerate() {
            if n % 256 == 0 {
                req.deadline.check()?;
            }
            let doc: TantivyDocument = searcher.doc(address)?;
            let all = |field| -> Vec<String> {
                doc.get_all(field)
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            };
            let d = self.stored_document(&doc);
            docs.push(StoryDoc {
                day: d
                    .date
                    .as_deref()
                    .and_then(parse_date)
                    .map(|s| s.div_euclid(86_400)),
                id: d.id,
                title: d.title,
                date: d.date,
                source: d.source,
                entities: all(f.entity),
                keyphrases: all(f.keyphrase),
                cluster: all(f.cluster).into_iter().next(),
            });
        }
        let stories =
            qalam_analysis::stories::stories_until(&docs, config, &|| req.deadline.passed())
                .ok_or(Error::DeadlinePassed)?;
        Ok((docs, stories))
    }

    /// Entity trends over the documents matching `req`: the `top` most named entities, their
    /// articles per day and the pairs named together.
    pub fn entity_trends_for(
        &self,
        req: &SearchRequest,
        top: usize,
    ) -> Result<EntityTrends, Error> {
        let query = self.matching(req)?;
        let values = self.str_values(&*query, "entity")?;
        req.deadline.check()?;
        let mut counter = TrendCounter::default();
        for (_, day, entities) in values {
            counter.add(day, entities);
        }
        let mut trends = counter.finish(top, |_| None);
        let searcher = self.searcher();
        for e in &mut trends.top {
            req.deadline.check()?;
            e.label = self
                .entity_label(&searcher, &e.entity)?
                .unwrap_or(e.label.clone());
        }
        Ok(trends)
    }

    /// The most common surface form of an entity among a few documents naming it.
    fn entity_label(&self, searcher: &Searcher, entity: &str) -> Result<Option<String>, Error> {
        let term = Term::from_field_text(self.fields.entity, entity);
        let top = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &TopDocs::with_limit(8),
        )?;
        let mut counts: HashMap<String, u32> = HashMap::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            for e in self.stored_aids(&doc).entities {
                if e.entity == entity {
                    *counts.entry(e.label).or_default() += e.mentions;
                }
            }
        }
        Ok(counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(label, _)| label))
    }
}

impl QalamIndex {
    /// A page of `top` (best first) without the copies of better hits: score, address and how
    /// many copies of it were left out.
    pub(crate) fn collapse_top(
        &self,
        searcher: &Searcher,
        top: Vec<(Score, DocAddress)>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<(Score, DocAddress, usize)>, Error> {
        let mut columns: HashMap<SegmentOrdinal, Option<StrColumn>> = HashMap::new();
        let mut clusters = Vec::with_capacity(top.len());
        for (_, address) in &top {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .str("cluster")?,
                ),
            };
            let mut name = String::new();
            let cluster = column.as_ref().and_then(|c| {
                let ord = c.term_ords(address.doc_id).next()?;
                c.ord_to_str(ord, &mut name).ok()?.then_some(name)
            });
            clusters.push(cluster);
        }
        Ok(collapse(&clusters)
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(i, copies)| (top[i].0, top[i].1, copies))
            .collect())
    }
}

/// Entity trends of the documents matching `query` (all documents for `None` or an empty query):
/// the `top` most named entities, their articles per day and pairs named together.
pub fn entity_trends(
    index: &QalamIndex,
    query: Option<&str>,
    top: usize,
) -> Result<EntityTrends, Error> {
    let req = SearchRequest::new(query.unwrap_or_default());
    index.entity_trends_for(&req, top)
}

/// Keeps the first (best) hit of each near-duplicate cluster; returns the kept positions and,
/// for each, how many later hits were copies of it.
pub fn collapse(clusters: &[Option<String>]) -> Vec<(usize, usize)> {
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, c) in clusters.iter().enumerate() {
        match c.as_deref().and_then(|c| first.get(c).copied()) {
            Some(k) => out[k].1 += 1,
            None => {
                if let Some(c) = c.as_deref() {
                    first.insert(c, out.len());
                }
                out.push((i, 0));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` distinct made-up content words (letters no stemmer strips), deterministic.
    fn words(n: usize) -> Vec<String> {
        let letters: Vec<char> = "بثجحخدذرزسشصضطظعغفقكم".chars().collect();
        let mut x: u64 = 7;
        let mut out = std::collections::BTreeSet::new();
        while out.len() < n {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let w: String = (0..5)
                .map(|k| letters[((x >> (8 * k + 8)) % letters.len() as u64) as usize])
                .collect();
            out.insert(w);
        }
        out.into_iter().collect()
    }

    #[test]
    fn templated_series_do_not_chain() {
        // J(A, B) = J(B, C) = 0.62 but J(A, C) = 0.36: C is not a copy of A.
        let w = words(440);
        let text = |r: std::ops::Range<usize>| w[r].join(" ");
        let index = QalamIndex::create_in_ram(crate::AnalyzerSettings::default()).unwrap();
        index
            .add([doc("a", "2015-07-21", "أ", &text(0..300))])
            .unwrap();
        index
            .add([
                doc("b", "2015-07-22", "ب", &text(70..370)),
                doc("c", "2015-07-23", "ج", &text(140..440)),
            ])
            .unwrap();
        let clusters = index.duplicate_clusters(2).unwrap();
        assert_eq!(clusters.len(), 1, "{clusters:?}");
        let ids: Vec<&str> = clusters[0].docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn collapse_keeps_first_of_each_cluster() {
        let c = |s: &str| Some(s.to_string());
        let kept = collapse(&[c("a"), c("b"), c("a"), None, c("b"), c("a")]);
        assert_eq!(kept, [(0, 2), (1, 1), (3, 0)]);
    }

    fn doc(id: &str, date: &str, title: &str, body: &str) -> Document {
        Document {
            id: id.into(),
            title: Some(title.into()),
            body: body.into(),
            author: None,
            source: Some(format!("src-{id}")),
            url: None,
            date: Some(date.into()),
            extra: Default::default(),
            origin: Default::default(),
        }
    }

    const WIRE: &str = "أعلنت وزارة الصحة السعودية اليوم تسجيل خمس إصابات جديدة بفيروس كورونا في مدينة الرياض بينها ثلاث حالات بين العاملين في القطاع الصحي.\n\
        وأوضحت الوزارة في بيانها اليومي أن المصابين يتلقون العلاج في مستشفى الملك فهد بالحرس الوطني وأن حالتين منهم في العناية المركزة.\n\
        وأشار المتحدث الرسمي باسم الوزارة إلى أن فرق التقصي الوبائي باشرت فحص المخالطين للحالات المسجلة وأنه تم عزل قسم الطوارئ في المستشفى بشكل مؤقت.";
    const OTHER: &str = "سجلت الرياض خلال الساعات الماضية حالات إصابة جديدة بمتلازمة كورونا معظمها داخل مستشفى الحرس الوطني ما دفع إدارة المستشفى إلى إغلاق الطوارئ مؤقتا.\n\
        وقال مصدر طبي إن الكوادر الصحية المصابة كانت على تواصل مباشر مع مريض مسن نقل إلى المستشفى الأسبوع الماضي.";

    fn corpus() -> QalamIndex {
        let index = QalamIndex::create_in_ram(crate::AnalyzerSettings::default()).unwrap();
        let respelled = WIRE.replace("في ", "فى ").replace("الرياض", "بالرياض");
        index
            .add([
                doc(
                    "a",
                    "2015-07-21",
                    "الصحة: خمس إصابات بكورونا في الرياض",
                    WIRE,
                ),
                doc("b", "2015-07-21", "كورونا يضرب الحرس الوطني", OTHER),
            ])
            .unwrap();
        // A second ingest: the copy must find its original through the index.
        index
            .add([doc("c", "2015-07-22", "إصابات جديدة بكورونا", &respelled)])
            .unwrap();
        index
    }

    #[test]
    fn copies_share_a_cluster_across_ingests_and_collapse() {
        let index = corpus();
        let clusters = index.duplicate_clusters(2).unwrap();
        assert_eq!(clusters.len(), 1, "{clusters:?}");
        let ids: Vec<&str> = clusters[0].docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert!(clusters[0].docs[1].similarity > 0.5);
        let mut req = SearchRequest::new("كورونا");
        let all = index.search(&req).unwrap();
        assert_eq!(all.hits.len(), 3);
        req.collapse = true;
        let collapsed = index.search(&req).unwrap();
        assert_eq!(collapsed.total, 3);
        assert_eq!(collapsed.hits.len(), 2);
        let copy = collapsed.hits.iter().find(|h| h.copies == 1).unwrap();
        assert_eq!(copy.cluster.as_deref(), Some("a"));
    }

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
    fn stories_and_trends_read_stored_aids() {
        let index = corpus();
        let req = SearchRequest {
            from: Some("2015-07-21".into()),
            to: Some("2015-07-22".into()),
            ..SearchRequest::default()
        };
        let config = StoryConfig {
            min_docs: 1,
            ..StoryConfig::default()
        };
        let (docs, stories) = index.stories(&req, &config).unwrap();
        assert_eq!(docs.len(), 3);
        assert!(docs.iter().all(|d| !d.keyphrases.is_empty()));
        let with_copy = stories
            .iter()
            .find(|s| s.docs.len() >= 2)
            .expect("the copies form a story");
        assert_eq!(with_copy.clusters, with_copy.docs.len() - 1);
        let t = entity_trends(&index, None, 5).unwrap();
        assert_eq!(t.docs, 3);
        assert_eq!(t.days, ["2015-07-21", "2015-07-22"]);
        let riyadh = t
            .top
            .iter()
            .find(|e| e.entity == "LOC:الرياض")
            .expect("الرياض is named");
        assert_eq!(riyadh.label, "الرياض");
        assert_eq!(riyadh.per_day.iter().sum::<u64>(), riyadh.docs);
        let only = entity_trends(&index, Some("الكوادر"), 5).unwrap();
        assert_eq!(only.docs, 1);
    }

    #[test]
    fn passed_deadlines_stop_stories_trends_and_duplicates() {
        let index = corpus();
        let req = SearchRequest {
            deadline: Deadline::at(std::time::Instant::now()),
            ..SearchRequest::default()
        };
        assert!(matches!(
            index.stories(&req, &StoryConfig::default()),
            Err(Error::DeadlinePassed)
        ));
        assert!(matches!(
            index.entity_trends_for(&req, 5),
            Err(Error::DeadlinePassed)
        ));
        assert!(matches!(
            index.duplicate_clusters_until(2, req.deadline),
            Err(Error::DeadlinePassed)
        ));
        let deep = SearchRequest::new(format!("{}x{}", "(".repeat(30), ")".repeat(30)));
        assert!(matches!(
            index.stories(&deep, &StoryConfig::default()),
            Err(Error::QueryTooComplex(_))
        ));
        assert!(matches!(
            index.entity_trends_for(&deep, 5),
            Err(Error::QueryTooComplex(_))
        ));
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
