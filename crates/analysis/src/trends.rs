//! Entity trends: the most named entities of a set of articles, their articles per day, and the
//! pairs named together.
//!
//! ```
//! use qalam_analysis::trends::TrendCounter;
//!
//! let mut t = TrendCounter::default();
//! t.add(Some(16_637), ["LOC:الموصل", "ORG:داعش"]);
//! t.add(Some(16_638), ["ORG:داعش", "LOC:الرقه"]);
//! t.add(None, ["ORG:داعش"]);
//! let trends = t.finish(10, |_| None);
//! assert_eq!(trends.top[0].entity, "ORG:داعش");
//! assert_eq!(trends.top[0].docs, 3);
//! assert_eq!(trends.days, ["2015-07-21", "2015-07-22"]);
//! assert_eq!(trends.top[0].per_day, [1, 1]);
//! assert_eq!(trends.pairs.len(), 2);
//! ```

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// One entity's counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityCount {
    /// `KIND:key`, as stored in the index.
    pub entity: String,
    /// `PERS`, `LOC`, `ORG` or `MISC`.
    pub kind: String,
    /// Canonical key (SEARCH-normalized).
    pub key: String,
    /// A surface form to show (the key when none is known).
    pub label: String,
    /// Articles naming it.
    pub docs: u64,
    /// Articles naming it on each day of [`EntityTrends::days`].
    pub per_day: Vec<u64>,
}

/// Two entities named in the same articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityPair {
    /// Index of the first entity in [`EntityTrends::top`].
    pub a: usize,
    /// Index of the second entity.
    pub b: usize,
    /// Articles naming both.
    pub docs: u64,
    /// Pointwise mutual information of the pair over the counted articles.
    pub pmi: f32,
}

/// Entity counts over a set of articles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityTrends {
    /// Articles counted.
    pub docs: u64,
    /// Every day (`YYYY-MM-DD`) from the first to the last dated article.
    pub days: Vec<String>,
    /// Articles per day (all articles counted).
    pub docs_per_day: Vec<u64>,
    /// The most named entities, most articles first.
    pub top: Vec<EntityCount>,
    /// Pairs of top entities named together, most articles first.
    pub pairs: Vec<EntityPair>,
}

/// Accumulates articles' entities; [`finish`](Self::finish) ranks them.
#[derive(Clone, Debug, Default)]
pub struct TrendCounter {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    counts: Vec<u64>,
    docs: Vec<(Option<i64>, Vec<u32>)>,
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01), proleptic Gregorian.
pub fn format_day(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl TrendCounter {
    /// Counts one article: its day and its entities (`KIND:key`; repeats count once).
    pub fn add<I, S>(&mut self, day: Option<i64>, entities: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut ids: Vec<u32> = Vec::new();
        for e in entities {
            let e = e.as_ref();
            let id = match self.ids.get(e) {
                Some(&id) => id,
                None => {
                    let id = self.names.len() as u32;
                    self.ids.insert(e.to_string(), id);
                    self.names.push(e.to_string());
                    self.counts.push(0);
                    id
                }
            };
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        for &id in &ids {
            self.counts[id as usize] += 1;
        }
        self.docs.push((day, ids));
    }

    /// The `top` most named entities, their daily counts and co-occurring pairs; `label` gives
    /// a surface form for an entity (`None`: its key is shown).
    pub fn finish(self, top: usize, label: impl Fn(&str) -> Option<String>) -> EntityTrends {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|&a, &b| {
            self.counts[b as usize]
                .cmp(&self.counts[a as usize])
                .then_with(|| self.names[a as usize].cmp(&self.names[b as usize]))
        });
        order.truncate(top);
        let rank: HashMap<u32, usize> = order.iter().enumerate().map(|(r, &i)| (i, r)).collect();
        let dated: BTreeSet<i64> = self.docs.iter().filter_map(|d| d.0).collect();
        let (first, last) = match (dated.first(), dated.last()) {
            (Some(&a), Some(&b)) => (a, b),
            _ => (0, -1),
        };
        let span = (last - first + 1).max(0) as usize;
        let mut per_day = vec![vec![0u64; span]; order.len()];
        let mut docs_per_day = vec![0u64; span];
        let mut pairs: HashMap<(usize, usize), u64> = HashMap::new();
        let mut ranked: Vec<usize> = Vec::new();
        for (day, ids) in &self.docs {
            ranked.clear();
            ranked.extend(ids.iter().filter_map(|i| rank.get(i).copied()));
            ranked.sort_unstable();
            if let Some(d) = day {
                let d = (d - first) as usize;
                docs_per_day[d] += 1;
                for &r in &ranked {
                    per_day[r][d] += 1;
                }
            }
            for (x, &a) in ranked.iter().enumerate() {
                for &b in &ranked[x + 1..] {
                    *pairs.entry((a, b)).or_default() += 1;
                }
            }
        }
        let n = self.docs.len() as f64;
        let top: Vec<EntityCount> = order
            .iter()
            .zip(per_day)
            .map(|(&i, per_day)| {
                let entity = self.names[i as usize].clone();
                let (kind, key) = entity.split_once(':').unwrap_or(("", entity.as_str()));
                EntityCount {
                    kind: kind.to_string(),
                    key: key.to_string(),
                    label: label(&entity).unwrap_or_else(|| key.to_string()),
                    docs: self.counts[i as usize],
                    per_day,
                    entity,
                }
            })
            .collect();
        let mut pairs: Vec<EntityPair> = pairs
            .into_iter()
            .map(|((a, b), docs)| {
                let (na, nb) = (top[a].docs as f64, top[b].docs as f64);
                EntityPair {
                    a,
                    b,
                    docs,
                    pmi: ((docs as f64 * n) / (na * nb)).ln() as f32,
                }
            })
            .collect();
        pairs.sort_by(|x, y| {
            y.docs
                .cmp(&x.docs)
                .then(y.pmi.total_cmp(&x.pmi))
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        EntityTrends {
            docs: self.docs.len() as u64,
            days: (first..=last).map(format_day).collect(),
            docs_per_day,
            top,
            pairs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_format() {
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(16_637), "2015-07-21");
        assert_eq!(format_day(11_016), "2000-02-29");
        assert_eq!(format_day(-1), "1969-12-31");
    }

    #[test]
    fn counts_per_day_with_gaps_and_pairs() {
        let mut t = TrendCounter::default();
        t.add(Some(10), ["LOC:a", "ORG:b", "LOC:a"]);
        t.add(Some(12), ["LOC:a", "ORG:b"]);
        t.add(Some(12), ["LOC:a", "PERS:c"]);
        t.add(Some(12), Vec::<String>::new());
        let r = t.finish(2, |e| (e == "LOC:a").then(|| "أ".to_string()));
        assert_eq!(r.docs, 4);
        assert_eq!(r.days.len(), 3);
        assert_eq!(r.docs_per_day, [1, 0, 3]);
        assert_eq!(r.top.len(), 2);
        assert_eq!((r.top[0].entity.as_str(), r.top[0].docs), ("LOC:a", 3));
        assert_eq!(r.top[0].label, "أ");
        assert_eq!(
            (r.top[1].kind.as_str(), r.top[1].label.as_str()),
            ("ORG", "b")
        );
        assert_eq!(r.top[0].per_day, [1, 0, 2]);
        assert_eq!(r.pairs.len(), 1);
        assert_eq!((r.pairs[0].a, r.pairs[0].b, r.pairs[0].docs), (0, 1, 2));
    }
}
