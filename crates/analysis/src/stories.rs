//! Stories: articles about the same event, grouped by the entities, keyphrases and headline words
//! they share within a time window.
//!
//! Single-pass clustering in date order (as in topic detection and tracking): each article is a
//! sparse TF-IDF vector of its features — `KIND:key` entities, keyphrase stems, headline stems —
//! and joins the most similar story (cosine to the story's centroid) that was active within
//! [`StoryConfig::window_days`], or starts a new one. Near-duplicates (same cluster id) always
//! join their first copy's story.
//!
//! ```
//! use qalam_analysis::stories::{StoryConfig, StoryDoc, stories};
//!
//! let doc = |id: &str, day: i64, title: &str, ents: &[&str]| StoryDoc {
//!     id: id.into(),
//!     title: Some(title.into()),
//!     day: Some(day),
//!     entities: ents.iter().map(|e| e.to_string()).collect(),
//!     ..StoryDoc::default()
//! };
//! let docs = [
//!     doc("a", 0, "انفجار في مسجد بالقطيف", &["LOC:القطيف", "ORG:داعش"]),
//!     doc("b", 1, "ضحايا انفجار مسجد القطيف", &["LOC:القطيف", "ORG:داعش"]),
//!     doc("c", 1, "الهلال يفوز على النصر", &["ORG:الهلال", "ORG:النصر"]),
//! ];
//! let found = stories(&docs, &StoryConfig { min_docs: 1, ..StoryConfig::default() });
//! assert_eq!(found[0].docs, [0, 1]);
//! assert_eq!(found[1].docs, [2]);
//! ```

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::words::Words;
use qalam_text::hash::Fnv1a;

/// What story clustering reads of an article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryDoc {
    /// Document id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Date as given.
    pub date: Option<String>,
    /// Day number (days since 1970-01-01), if dated.
    pub day: Option<i64>,
    /// Publication.
    pub source: Option<String>,
    /// Entities as `KIND:key`.
    pub entities: Vec<String>,
    /// Keyphrases (surface or stem forms; they are light-stemmed here).
    pub keyphrases: Vec<String>,
    /// Near-duplicate cluster id.
    pub cluster: Option<String>,
}

/// Settings of story clustering.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryConfig {
    /// An article joins a story only if the story had an article within this many days.
    pub window_days: i64,
    /// Smallest cosine similarity between an article and a story's centroid.
    pub threshold: f32,
    /// Weight of entity features.
    pub entity_weight: f32,
    /// Weight of keyphrase features.
    pub keyphrase_weight: f32,
    /// Weight of headline-word features.
    pub title_weight: f32,
    /// Stories with fewer articles are not returned.
    pub min_docs: usize,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            window_days: 3,
            threshold: 0.25,
            entity_weight: 1.5,
            keyphrase_weight: 1.0,
            title_weight: 1.0,
            min_docs: 2,
        }
    }
}

/// A story: articles about one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Story {
    /// Indices of its articles in the input, by date.
    pub docs: Vec<usize>,
    /// Index of the article closest to the story's centroid.
    pub central: usize,
    /// First and last day (days since 1970-01-01), if dated.
    pub days: Option<(i64, i64)>,
    /// Most shared entities (`KIND:key`) with the number of articles naming them.
    pub entities: Vec<(String, usize)>,
    /// Most shared keyphrases with the number of articles having them.
    pub keyphrases: Vec<(String, usize)>,
    /// Distinct near-duplicate clusters among the articles.
    pub clusters: usize,
}

fn feature(prefix: &str, s: &str) -> u64 {
    let mut h = Fnv1a::new();
    h.write(prefix.as_bytes());
    h.write(s.as_bytes());
    h.finish()
}

/// Light stems of a phrase's content words, joined by spaces.
fn stem_phrase(phrase: &str) -> String {
    let w = Words::new(phrase);
    (0..w.len())
        .map(|i| w.stem(i))
        .collect::<Vec<_>>()
        .join(" ")
}

struct Cluster {
    centroid: HashMap<u64, f32>,
    norm2: f32,
    last_day: i64,
    members: Vec<usize>,
}

/// Groups articles into stories; the biggest first (then by first article).
pub fn stories(docs: &[StoryDoc], config: &StoryConfig) -> Vec<Story> {
    stories_until(docs, config, &|| false).unwrap_or_default()
}

/// Articles checked between two calls of `stop` in [`stories_until`].
const STOP_EVERY: usize = 256;

/// [`stories`] that gives up (`None`) once `stop()` returns true; it is asked every few hundred
/// articles (to honour a request's deadline).
pub fn stories_until(
    docs: &[StoryDoc],
    config: &StoryConfig,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Story>> {
    // Features of each article, before IDF.
    let mut raw: Vec<Vec<(u64, f32)>> = Vec::with_capacity(docs.len());
    let mut labels: HashMap<u64, (u8, String)> = HashMap::new();
    let mut df: HashMap<u64, u32> = HashMap::new();
    for (n, d) in docs.iter().enumerate() {
        if n % STOP_EVERY == STOP_EVERY - 1 && stop() {
            return None;
        }
        let mut f: Vec<(u64, f32)> = Vec::new();
        for e in &d.entities {
            let k = feature("E", e);
            labels.entry(k).or_insert_with(|| (0, e.clone()));
            f.push((k, config.entity_weight));
        }
        for p in &d.keyphrases {
            let stems = stem_phrase(p);
            if stems.is_empty() {
                continue;
            }
            let k = feature("K", &stems);
            labels.entry(k).or_insert_with(|| (1, p.clone()));
            f.push((k, config.keyphrase_weight));
        }
        if let Some(t) = &d.title {
            let w = Words::new(t);
            for i in 0..w.len() {
                f.push((feature("T", w.stem(i)), config.title_weight));
            }
        }
        f.sort_unstable_by_key(|e| e.0);
        f.dedup_by(|b, a| {
            if a.0 == b.0 {
                a.1 = a.1.max(b.1);
                true
            } else {
                false
            }
        });
        for &(k, _) in &f {
            *df.entry(k).or_default() += 1;
        }
        raw.push(f);
    }
    let n = docs.len().max(1) as f32;
    // Features in more than 5% of articles (the country, the king) do not propose candidates.
    let common = (docs.len() / 20).max(10) as u32;
    let vectors: Vec<Vec<(u64, f32)>> = raw
        .into_iter()
        .map(|f| {
            let mut v: Vec<(u64, f32)> = f
                .into_iter()
                .map(|(k, w)| (k, w * (n / df[&k] as f32).ln().max(0.0)))
                .filter(|e| e.1 > 0.0)
                .collect();
            let norm = v.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                for e in &mut v {
                    e.1 /= norm;
                }
            }
            v
        })
        .collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        docs[a]
            .day
            .unwrap_or(i64::MIN)
            .cmp(&docs[b].day.unwrap_or(i64::MIN))
            .then(a.cmp(&b))
    });
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut by_dup: HashMap<&str, u32> = HashMap::new();
    let mut assigned = vec![0u32; docs.len()];
    for (n, &i) in order.iter().enumerate() {
        if n % STOP_EVERY == STOP_EVERY - 1 && stop() {
            return None;
        }
        let day = docs[i].day.unwrap_or(0);
        let v = &vectors[i];
        let mut target = docs[i]
            .cluster
            .as_deref()
            .and_then(|c| by_dup.get(c).copied());
        if target.is_none() {
            let mut cands: Vec<u32> = Vec::new();
            for (k, _) in v {
                if df[k] > common {
                    continue;
                }
                if let Some(list) = postings.get(k) {
                    cands.extend(list.iter().copied());
                }
            }
            cands.sort_unstable();
            cands.dedup();
            let mut best: Option<(u32, f32)> = None;
            for c in cands {
                let cl = &clusters[c as usize];
                if day - cl.last_day > config.window_days || cl.norm2 <= 0.0 {
                    continue;
                }
                let dot: f32 = v
                    .iter()
                    .map(|(k, w)| w * cl.centroid.get(k).copied().unwrap_or(0.0))
                    .sum();
                let sim = dot / cl.norm2.sqrt();
                if sim >= config.threshold && best.is_none_or(|(_, b)| sim > b) {
                    best = Some((c, sim));
                }
            }
            target = best.map(|b| b.0);
        }
        let c = match target {
            Some(c) => c,
            None => {
                clusters.push(Cluster {
                    centroid: HashMap::new(),
                    norm2: 0.0,
                    last_day: day,
                    members: Vec::new(),
                });
                (clusters.len() - 1) as u32
            }
        };
        let cl = &mut clusters[c as usize];
        for &(k, w) in v {
            let e = cl.centroid.entry(k).or_insert(0.0);
            if *e == 0.0 {
                postings.entry(k).or_default().push(c);
            }
            *e += w;
        }
        cl.norm2 = cl.centroid.values().map(|x| x * x).sum();
        cl.last_day = cl.last_day.max(day);
        cl.members.push(i);
        assigned[i] = c;
        if let Some(dup) = docs[i].cluster.as_deref() {
            by_dup.entry(dup).or_insert(c);
        }
    }
    let mut out: Vec<Story> = clusters
        .into_iter()
        .filter(|c| c.members.len() >= config.min_docs.max(1))
        .map(|c| story(docs, &vectors, &labels, c))
        .collect();
    out.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then(a.docs[0].cmp(&b.docs[0]))
    });
    Some(out)
}

fn story(
    docs: &[StoryDoc],
    vectors: &[Vec<(u64, f32)>],
    labels: &HashMap<u64, (u8, String)>,
    c: Cluster,
) -> Story {
    let central = *c
        .members
        .iter()
        .max_by(|&&a, &&b| {
            let sim = |i: usize| -> f32 {
                vectors[i]
                    .iter()
                    .map(|(k, w)| w * c.centroid.get(k).copied().unwrap_or(0.0))
                    .sum()
            };
            sim(a).total_cmp(&sim(b)).then(b.cmp(&a))
        })
        .expect("a story has members");
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for &m in &c.members {
        for (k, _) in &vectors[m] {
            if labels.contains_key(k) {
                *counts.entry(*k).or_default() += 1;
            }
        }
    }
    let top = |kind: u8| {
        let mut v: Vec<(String, usize)> = counts
            .iter()
            .filter(|(k, _)| labels[k].0 == kind)
            .map(|(k, &n)| (labels[k].1.clone(), n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(8);
        v
    };
    let days: Vec<i64> = c.members.iter().filter_map(|&m| docs[m].day).collect();
    let mut members = c.members.clone();
    members.sort_by_key(|&m| (docs[m].day, m));
    let mut dups: Vec<&str> = members
        .iter()
        .map(|&m| docs[m].cluster.as_deref().unwrap_or(docs[m].id.as_str()))
        .collect();
    dups.sort_unstable();
    dups.dedup();
    Story {
        central,
        days: days
            .iter()
            .min()
            .zip(days.iter().max())
            .map(|(a, b)| (*a, *b)),
        entities: top(0),
        keyphrases: top(1),
        clusters: dups.len(),
        docs: members,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(day: i64, title: &str, entities: &[&str], keyphrases: &[&str]) -> StoryDoc {
        StoryDoc {
            id: format!("{day}-{title}"),
            title: Some(title.into()),
            day: Some(day),
            entities: entities.iter().map(|e| e.to_string()).collect(),
            keyphrases: keyphrases.iter().map(|e| e.to_string()).collect(),
            ..StoryDoc::default()
        }
    }

    fn corpus() -> Vec<StoryDoc> {
        let mut v = vec![
            doc(
                0,
                "تفجير يستهدف مسجدا في أبها",
                &["LOC:ابها", "ORG:داعش"],
                &["تفجير", "مسجد", "قوات الطوارئ"],
            ),
            doc(
                0,
                "مقتل 15 في تفجير مسجد الطوارئ بأبها",
                &["LOC:ابها", "ORG:قوات الطوارئ"],
                &["تفجير", "مسجد", "انتحاري"],
            ),
            doc(
                1,
                "داعش يتبنى تفجير أبها",
                &["LOC:ابها", "ORG:داعش"],
                &["تفجير", "تبني"],
            ),
            doc(
                0,
                "الاتحاد يتعاقد مع مدرب روماني",
                &["ORG:الاتحاد", "PERS:بولوني"],
                &["مدرب", "معسكر"],
            ),
            doc(
                1,
                "بولوني يبدأ تدريب الاتحاد",
                &["ORG:الاتحاد", "PERS:بولوني"],
                &["مدرب", "تدريب"],
            ),
            // Same place, long after: a new story.
            doc(
                20,
                "افتتاح مستشفى جديد في أبها",
                &["LOC:ابها"],
                &["مستشفى", "افتتاح"],
            ),
        ];
        // Unrelated single articles give the IDF something to compare with.
        for i in 0..30 {
            v.push(doc(
                i % 5,
                &format!("خبر محلي رقم {i}"),
                &[&format!("LOC:مدينه{i}")],
                &[&format!("موضوع{i}")],
            ));
        }
        v
    }

    #[test]
    fn groups_events_and_splits_by_time() {
        let docs = corpus();
        let s = stories(&docs, &StoryConfig::default());
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].docs, [0, 1, 2]);
        assert_eq!(s[1].docs, [3, 4]);
        assert_eq!(s[0].days, Some((0, 1)));
        assert_eq!(s[0].entities[0], ("LOC:ابها".to_string(), 3));
    }

    #[test]
    fn near_duplicates_share_a_story() {
        let mut docs = corpus();
        docs[5].cluster = Some("x".into());
        docs[3].cluster = Some("x".into());
        let s = stories(&docs, &StoryConfig::default());
        let football = s.iter().find(|s| s.docs.contains(&3)).unwrap();
        assert!(football.docs.contains(&5), "{s:?}");
        assert_eq!(football.clusters, 2);
    }

    #[test]
    fn stories_until_stops_when_asked() {
        let docs: Vec<StoryDoc> = (0..1000).map(|i| doc(i % 7, "خبر", &[], &[])).collect();
        let asked = std::cell::Cell::new(0);
        let stop = || {
            asked.set(asked.get() + 1);
            true
        };
        assert_eq!(stories_until(&docs, &StoryConfig::default(), &stop), None);
        assert_eq!(asked.get(), 1);
        assert!(stories_until(&docs, &StoryConfig::default(), &|| false).is_some());
    }
}
