//! Retrieval evaluation: the TSV/qrels formats of `../shared/data/retrieval` and MRR/recall.
//!
//! ```
//! use qalam_index::eval::{Metrics, Qrels};
//!
//! let qrels = Qrels::parse("q1 0 p1 1\nq2 0 p9 1\n").unwrap();
//! let run = vec![
//!     ("q1".to_string(), vec!["p3".to_string(), "p1".to_string()]),
//!     ("q2".to_string(), vec!["p4".to_string()]),
//! ];
//! let m = Metrics::score(&run, &qrels);
//! assert_eq!(m.judged, 2);
//! assert_eq!(m.mrr10, 0.25); // (1/2 + 0) / 2
//! assert_eq!(m.recall10, 0.5);
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use qalam_corpus::{Document, Origin};
use serde::Serialize;

use crate::IndexError;

fn read(path: &Path) -> Result<String, IndexError> {
    std::fs::read_to_string(path).map_err(|e| IndexError::from(e).with_path(path))
}

fn bad_line(path: &Path, line: usize, what: &str) -> IndexError {
    IndexError::Io(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("line {line}: {what}"),
    ))
    .with_path(path)
}

/// Reads a passage file (`pid \t title \t text` per line) as documents.
pub fn read_corpus_tsv(path: &Path) -> Result<Vec<Document>, IndexError> {
    let text = read(path)?;
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(title), Some(body)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad_line(path, i + 1, "expected pid<TAB>title<TAB>text"));
        };
        docs.push(Document {
            id: id.to_string(),
            title: Some(title.to_string()).filter(|t| !t.trim().is_empty()),
            body: body.to_string(),
            author: None,
            source: None,
            url: None,
            date: None,
            extra: Default::default(),
            origin: Origin {
                path: path.display().to_string(),
                line: Some(i as u64 + 1),
                ..Origin::default()
            },
        });
    }
    Ok(docs)
}

/// Reads a question file (`qid \t question` per line).
pub fn read_queries_tsv(path: &Path) -> Result<Vec<(String, String)>, IndexError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (qid, q) = line
            .split_once('\t')
            .ok_or_else(|| bad_line(path, i + 1, "expected qid<TAB>question"))?;
        out.push((qid.to_string(), q.to_string()));
    }
    Ok(out)
}

/// Relevance judgements: the relevant passage ids of each question.
#[derive(Clone, Debug, Default)]
pub struct Qrels(pub HashMap<String, HashSet<String>>);

impl Qrels {
    /// Parses TREC qrels (`qid 0 pid rel`); lines with rel <= 0 are ignored.
    pub fn parse(text: &str) -> Result<Qrels, String> {
        let mut map: HashMap<String, HashSet<String>> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                [] => {}
                [qid, _, pid, rel] => {
                    let rel: i64 = rel
                        .parse()
                        .map_err(|_| format!("line {}: bad relevance {rel:?}", i + 1))?;
                    if rel > 0 {
                        map.entry(qid.to_string())
                            .or_default()
                            .insert(pid.to_string());
                    }
                }
                _ => return Err(format!("line {}: expected `qid 0 pid rel`", i + 1)),
            }
        }
        Ok(Qrels(map))
    }

    /// Reads a qrels file.
    pub fn read(path: &Path) -> Result<Qrels, IndexError> {
        Qrels::parse(&read(path)?).map_err(|m| {
            IndexError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, m)).with_path(path)
        })
    }
}

/// Averages over the questions that have at least one relevant passage.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Questions with judgements.
    pub judged: usize,
    /// Mean reciprocal rank of the first relevant hit in the top 10 (0 if none).
    pub mrr10: f64,
    /// Mean fraction of relevant passages in the top 10.
    pub recall10: f64,
    /// Mean fraction of relevant passages in the top 100.
    pub recall100: f64,
}

impl Metrics {
    /// Scores a run: (qid, ranked ids) per question.
    pub fn score(run: &[(String, Vec<String>)], qrels: &Qrels) -> Metrics {
        let mut m = Metrics::default();
        for (qid, ranked) in run {
            let Some(rel) = qrels.0.get(qid).filter(|r| !r.is_empty()) else {
                continue;
            };
            m.judged += 1;
            let mut found10 = 0usize;
            let mut found100 = 0usize;
            let mut rr = 0.0;
            for (i, id) in ranked.iter().take(100).enumerate() {
                if rel.contains(id) {
                    found100 += 1;
                    if i < 10 {
                        found10 += 1;
                        if rr == 0.0 {
                            rr = 1.0 / (i + 1) as f64;
                        }
                    }
                }
            }
            m.mrr10 += rr;
            m.recall10 += found10 as f64 / rel.len() as f64;
            m.recall100 += found100 as f64 / rel.len() as f64;
        }
        if m.judged > 0 {
            let n = m.judged as f64;
            m.mrr10 /= n;
            m.recall10 /= n;
            m.recall100 /= n;
        }
        m
    }
}

/// The value at quantile `q` (0..=1) of sorted `values` (nearest rank).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_use_only_judged_questions() {
        let qrels = Qrels::parse("q1 0 p1 1\nq1 0 p2 1\nq2 0 p3 0\n").unwrap();
        let mut ranked: Vec<String> = (0..20).map(|i| format!("x{i}")).collect();
        ranked[0] = "p1".into();
        ranked[15] = "p2".into();
        let run = vec![("q1".into(), ranked), ("q2".into(), vec!["p3".into()])];
        let m = Metrics::score(&run, &qrels);
        assert_eq!(m.judged, 1);
        assert_eq!(m.mrr10, 1.0);
        assert_eq!(m.recall10, 0.5);
        assert_eq!(m.recall100, 1.0);
        assert!(Qrels::parse("q1 p1").is_err());
    }

    #[test]
    fn quantiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }

    #[test]
    fn corpus_and_queries_tsv() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.tsv");
        std::fs::write(&corpus, "p1\tعنوان\tنص\tمع تاب\np2\t\tنص آخر\n").unwrap();
        let docs = read_corpus_tsv(&corpus).unwrap();
        assert_eq!(docs[0].body, "نص\tمع تاب");
        assert_eq!(docs[1].title, None);
        let queries = dir.path().join("q.tsv");
        std::fs::write(&queries, "q1\tمن هو؟\nbad line\n").unwrap();
        let err = read_queries_tsv(&queries).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("line 2: expected qid<TAB>question"),
            "{err}"
        );
    }
}
