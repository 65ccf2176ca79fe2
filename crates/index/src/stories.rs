//! Story and trend queries over the stored reading aids: the stories among the documents a
//! request selects, and their entity trends (top entities per day, pairs named together).

use std::collections::HashMap;

use qalam_analysis::stories::{Story, StoryConfig, StoryDoc};
use qalam_analysis::trends::{EntityTrends, TrendCounter};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::date::parse_date;
use crate::{IndexError, QalamIndex, SearchRequest};

impl QalamIndex {
    /// The documents matching `req` (text, source and dates; an empty query matches all).
    fn matching(&self, req: &SearchRequest) -> Result<Box<dyn Query>, IndexError> {
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
    ) -> Result<(Vec<StoryDoc>, Vec<Story>), IndexError> {
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
                .ok_or(IndexError::DeadlinePassed)?;
        Ok((docs, stories))
    }

    /// Entity trends over the documents matching `req`: the `top` most named entities, their
    /// articles per day and the pairs named together.
    pub fn entity_trends_for(
        &self,
        req: &SearchRequest,
        top: usize,
    ) -> Result<EntityTrends, IndexError> {
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
    fn entity_label(
        &self,
        searcher: &Searcher,
        entity: &str,
    ) -> Result<Option<String>, IndexError> {
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

/// Entity trends of the documents matching `query` (all documents for `None` or an empty query):
/// the `top` most named entities, their articles per day and pairs named together.
pub fn entity_trends(
    index: &QalamIndex,
    query: Option<&str>,
    top: usize,
) -> Result<EntityTrends, IndexError> {
    let req = SearchRequest::new(query.unwrap_or_default());
    index.entity_trends_for(&req, top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Deadline;
    use crate::test_support::corpus;

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
            Err(IndexError::DeadlinePassed)
        ));
        assert!(matches!(
            index.entity_trends_for(&req, 5),
            Err(IndexError::DeadlinePassed)
        ));
        assert!(matches!(
            index.duplicate_clusters_until(2, req.deadline),
            Err(IndexError::DeadlinePassed)
        ));
        let deep = SearchRequest::new(format!("{}x{}", "(".repeat(30), ")".repeat(30)));
        assert!(matches!(
            index.stories(&deep, &StoryConfig::default()),
            Err(IndexError::QueryTooComplex(_))
        ));
        assert!(matches!(
            index.entity_trends_for(&deep, 5),
            Err(IndexError::QueryTooComplex(_))
        ));
    }
}
