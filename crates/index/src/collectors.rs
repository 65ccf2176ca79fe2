//! tantivy collectors over fast fields: hit counts by source and by day ([`Facets`]), and the
//! values of a multi-valued string field with each document's day (entities, clusters).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Query;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::date::format_day;
use crate::{IndexError, QalamIndex};

/// Hit counts by source and by day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// (source, hits), most hits first.
    pub by_source: Vec<(String, u64)>,
    /// (`YYYY-MM-DD`, hits), by day.
    pub by_day: Vec<(String, u64)>,
}

/// Counts hits by source and day, over fast fields.
pub(crate) struct FacetCollector {
    pub(crate) source: String,
    pub(crate) date: String,
}

pub(crate) struct FacetSegmentCollector {
    source: Option<StrColumn>,
    date: Option<Column<DateTime>>,
    by_ord: Vec<u64>,
    by_day: HashMap<i64, u64>,
}

pub(crate) type FacetFruit = (HashMap<String, u64>, HashMap<i64, u64>);

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let source = reader.fast_fields().str(&self.source)?;
        let date = reader.fast_fields().column_opt::<DateTime>(&self.date)?;
        let terms = source.as_ref().map_or(0, |s| s.num_terms());
        Ok(FacetSegmentCollector {
            source,
            date,
            by_ord: vec![0; terms],
            by_day: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut merged = FacetFruit::default();
        for (sources, days) in fruits {
            for (k, v) in sources {
                *merged.0.entry(k).or_default() += v;
            }
            for (k, v) in days {
                *merged.1.entry(k).or_default() += v;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(source) = &self.source {
            for ord in source.term_ords(doc) {
                self.by_ord[ord as usize] += 1;
            }
        }
        if let Some(date) = &self.date
            && let Some(d) = date.first(doc)
        {
            *self
                .by_day
                .entry(d.into_timestamp_secs().div_euclid(86_400))
                .or_default() += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut sources = HashMap::new();
        if let Some(column) = &self.source {
            let mut name = String::new();
            for (ord, &n) in self.by_ord.iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    sources.insert(name.clone(), n);
                }
            }
        }
        (sources, self.by_day)
    }
}

impl Facets {
    /// The facets of a [`FacetCollector`]'s counts: sources by hits, days in order.
    pub(crate) fn from_counts((sources, days): FacetFruit) -> Facets {
        let mut by_source: Vec<(String, u64)> = sources.into_iter().collect();
        by_source.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let by_day: BTreeMap<i64, u64> = days.into_iter().collect();
        Facets {
            by_source,
            by_day: by_day
                .into_iter()
                .map(|(d, n)| (format_day(d * 86_400), n))
                .collect(),
        }
    }
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

pub(crate) type StrFruit = Vec<(DocAddress, Option<i64>, Vec<String>)>;

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
    pub(crate) fn str_values(
        &self,
        query: &dyn Query,
        field: &str,
    ) -> Result<StrFruit, IndexError> {
        let searcher = self.searcher();
        Ok(searcher.search(
            query,
            &StrValues {
                field: field.to_string(),
            },
        )?)
    }
}
