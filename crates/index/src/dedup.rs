//! Near-duplicates: clustering at ingest ([`Deduper`]: a new document joins the cluster of an
//! earlier copy found through the indexed LSH band keys), the clusters of an index, and search
//! hits collapsed to one per cluster.
//!
//! At ingest each body gets a MinHash signature; its LSH band keys are indexed (`lsh`), so a
//! new document finds earlier near-duplicates with one term query and joins their cluster (the
//! id of the cluster's first document, stored in `cluster`).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use qalam_analysis::fingerprint::{MinHash, Thresholds};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::columnar::StrColumn;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Score, Searcher, SegmentOrdinal, TantivyDocument, Term};

use crate::{Deadline, IndexError, QalamIndex};

/// Near-duplicate clustering during one ingest: earlier documents are found through the index's
/// `lsh` terms, documents of this ingest through an in-memory band table.
#[derive(Debug, Default)]
pub struct Deduper {
    /// When two documents are near-duplicates.
    pub thresholds: Thresholds,
    batch: Vec<(String, MinHash, String)>,
    /// Band value → the first document of this ingest with it (most values have only one)…
    bands: HashMap<u64, u32>,
    /// …and the later ones, in order.
    more_bands: HashMap<u64, Vec<u32>>,
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
    ) -> Result<Option<MinHash>, IndexError> {
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
    ) -> Result<(String, Option<f32>), IndexError> {
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
        let bands = sig.band_values();
        if sig.shingles > 0 {
            let mut seen: HashSet<u32> = HashSet::new();
            for key in &bands {
                let first = self.bands.get(key).copied();
                let later = self.more_bands.get(key).into_iter().flatten().copied();
                for i in first.into_iter().chain(later) {
                    if seen.insert(i) {
                        let (other_id, other, cluster) = &self.batch[i as usize];
                        consider(cluster, other_id, other);
                    }
                }
            }
            if searcher.num_docs() > 0 {
                let f = index.fields();
                let clauses: Vec<(Occur, Box<dyn Query>)> = bands
                    .iter()
                    .map(|&k| {
                        let term = Term::from_field_u64(f.lsh, k);
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
                match self.bands.entry(key) {
                    Entry::Vacant(e) => {
                        e.insert(n);
                    }
                    Entry::Occupied(_) => self.more_bands.entry(key).or_default().push(n),
                }
            }
        }
        Ok((cluster, sim))
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

impl QalamIndex {
    /// Clusters of near-duplicates with at least `min_docs` documents, biggest first.
    pub fn duplicate_clusters(&self, min_docs: usize) -> Result<Vec<DuplicateCluster>, IndexError> {
        self.duplicate_clusters_until(min_docs, Deadline::NONE)
    }

    /// [`QalamIndex::duplicate_clusters`] that stops with [`IndexError::DeadlinePassed`] at `deadline`.
    pub fn duplicate_clusters_until(
        &self,
        min_docs: usize,
        deadline: Deadline,
    ) -> Result<Vec<DuplicateCluster>, IndexError> {
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
    ) -> Result<Vec<(Score, DocAddress, usize)>, IndexError> {
        let mut columns: HashMap<SegmentOrdinal, Option<StrColumn>> = HashMap::new();
        let mut clusters = Vec::with_capacity(top.len());
        for (_, address) in &top {
            let column = match columns.entry(address.segment_ord) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(
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
    use crate::SearchRequest;
    use crate::test_support::{corpus, doc, words};

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
}
