//! Word clusters: a hierarchical cluster path for frequent search-normalized words, learned from
//! unlabelled text by spherical k-means over PPMI-weighted left/right neighbour vectors.

use std::collections::HashMap;

use super::gazetteer::token_key;
use qalam_text::hash::{FxHashMap, GOLDEN_GAMMA};

use crate::linear::{ModelError, Reader, Writer};

/// Search-normalized word → cluster path (`1 << 31 | a << 16 | b << 8 | c`).
#[derive(Clone, Debug, Default)]
pub struct Clusters {
    words: Vec<(String, u32)>,
    map: FxHashMap<u64, u32>,
    prior: HashMap<u32, [u8; 4]>,
}

impl Clusters {
    /// Clusters from (word, path) pairs; paths of 0 are skipped.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, u32)>) -> Self {
        let mut c = Clusters::default();
        for (w, p) in pairs {
            if p != 0 && c.map.insert(token_key(&w), p).is_none() {
                c.words.push((w, p));
            }
        }
        c
    }

    /// The cluster path of a search-normalized word.
    #[inline]
    pub fn get(&self, norm: &str) -> Option<u32> {
        if self.map.is_empty() {
            return None;
        }
        self.map.get(&token_key(norm)).copied()
    }

    /// Computes, for each leaf and mid-level cluster, how many of its words a gazetteer lists
    /// under each kind (bucketed 0–3), so names missing from the lists inherit their neighbours'.
    pub fn set_prior(&mut self, gazetteer: &super::Gazetteer) {
        let mut counts: HashMap<u32, ([u32; 4], u32)> = HashMap::new();
        for (w, p) in &self.words {
            let kinds =
                gazetteer.kinds_of(w) | gazetteer.kinds_of(super::clitics::strip_article(w));
            for c in [*p, (*p >> 8) | 1 << 30] {
                let e = counts.entry(c).or_default();
                e.1 += 1;
                for (k, n) in e.0.iter_mut().enumerate() {
                    *n += (kinds >> k) as u32 & 1;
                }
            }
        }
        self.prior = counts
            .into_iter()
            .map(|(c, (kinds, total))| {
                let b = kinds.map(|n| {
                    let f = n as f32 / total.max(1) as f32;
                    if n < 2 || f < 0.05 {
                        0
                    } else if f < 0.15 {
                        1
                    } else if f < 0.35 {
                        2
                    } else {
                        3
                    }
                });
                (c, b)
            })
            .collect();
    }

    /// The gazetteer prior of a cluster path: (leaf buckets, mid-level buckets) per kind.
    pub fn prior(&self, path: u32) -> ([u8; 4], [u8; 4]) {
        let get = |c: u32| self.prior.get(&c).copied().unwrap_or_default();
        (get(path), get((path >> 8) | 1 << 30))
    }

    /// The number of words with a cluster.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True if no word has a cluster.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The (word, path) pairs.
    pub fn pairs(&self) -> &[(String, u32)] {
        &self.words
    }

    /// Writes the (word, path) pairs.
    pub fn write(&self, w: &mut Writer) {
        w.u32(self.words.len() as u32);
        for (word, p) in &self.words {
            w.str(word);
            w.u32(*p);
        }
    }

    /// Reads clusters written by [`Clusters::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.u32()? as usize;
        let mut pairs = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let w = r.str()?;
            pairs.push((w, r.u32()?));
        }
        Ok(Clusters::from_pairs(pairs))
    }
}

/// Settings of [`ClusterBuilder::build`].
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterConfig {
    /// Words seen fewer times are not clustered.
    pub min_count: u32,
    /// At most this many (most frequent) words are clustered.
    pub max_words: usize,
    /// Number of most frequent words used as context dimensions (left and right).
    pub contexts: usize,
    /// Branching factor of each of the three levels.
    pub branching: [usize; 3],
    /// k-means iterations per split.
    pub iterations: usize,
    /// Seed of the centroid initialization.
    pub seed: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            min_count: 5,
            max_words: 120_000,
            contexts: 2000,
            branching: [16, 16, 8],
            iterations: 8,
            seed: 7,
        }
    }
}

const BOUNDARY: u32 = u32::MAX;

/// Collects word sequences of unlabelled text, then clusters the words.
#[derive(Debug, Default)]
pub struct ClusterBuilder {
    vocab: HashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u32>,
    stream: Vec<u32>,
}

impl ClusterBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document: its tokens' search-normalized forms in order.
    pub fn add_document<'a>(&mut self, norms: impl IntoIterator<Item = &'a str>) {
        for w in norms {
            if w.is_empty() {
                continue;
            }
            let id = match self.vocab.get(w) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.vocab.insert(w.to_string(), id);
                    self.words.push(w.to_string());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.stream.push(id);
        }
        self.stream.push(BOUNDARY);
    }

    /// The number of word tokens added.
    pub fn tokens(&self) -> usize {
        self.stream.len()
    }

    /// Clusters the frequent words.
    pub fn build(&self, config: &ClusterConfig) -> Clusters {
        // Rank words by frequency (ties by spelling, for determinism).
        let mut ranked: Vec<u32> = (0..self.words.len() as u32).collect();
        ranked.sort_unstable_by(|&a, &b| {
            self.counts[b as usize]
                .cmp(&self.counts[a as usize])
                .then_with(|| self.words[a as usize].cmp(&self.words[b as usize]))
        });
        let mut row_of = vec![u32::MAX; self.words.len()];
        let mut ctx_of = vec![u32::MAX; self.words.len()];
        let targets: Vec<u32> = ranked
            .iter()
            .copied()
            .take_while(|&w| self.counts[w as usize] >= config.min_count)
            .take(config.max_words)
            .collect();
        for (r, &w) in targets.iter().enumerate() {
            row_of[w as usize] = r as u32;
        }
        for (c, &w) in ranked.iter().take(config.contexts).enumerate() {
            ctx_of[w as usize] = c as u32;
        }
        let nctx = config.contexts.min(ranked.len()) as u32;
        let dims = 2 * nctx as usize + 2;
        // Co-occurrence pairs (row, dim) packed in u64, sorted and counted.
        let ctx_dim = |w: u32, side: u32| -> u32 {
            if w == BOUNDARY {
                2 * nctx + side
            } else if ctx_of[w as usize] != u32::MAX {
                side * nctx + ctx_of[w as usize]
            } else {
                u32::MAX
            }
        };
        let mut pairs: Vec<u64> = Vec::with_capacity(self.stream.len() * 2);
        for i in 0..self.stream.len() {
            let w = self.stream[i];
            if w == BOUNDARY || row_of[w as usize] == u32::MAX {
                continue;
            }
            let row = row_of[w as usize] as u64;
            let left = if i == 0 { BOUNDARY } else { self.stream[i - 1] };
            let right = self.stream.get(i + 1).copied().unwrap_or(BOUNDARY);
            for (side, c) in [(0, left), (1, right)] {
                let d = ctx_dim(c, side);
                if d != u32::MAX {
                    pairs.push(row << 32 | d as u64);
                }
            }
        }
        pairs.sort_unstable();
        let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); targets.len()];
        let mut row_tot = vec![0f64; targets.len()];
        let mut dim_tot = vec![0f64; dims];
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i;
            while j < pairs.len() && pairs[j] == pairs[i] {
                j += 1;
            }
            let (r, d) = ((pairs[i] >> 32) as usize, pairs[i] as u32);
            let n = (j - i) as f32;
            rows[r].push((d, n));
            row_tot[r] += n as f64;
            dim_tot[d as usize] += n as f64;
            i = j;
        }
        drop(pairs);
        let total: f64 = row_tot.iter().sum();
        for (r, row) in rows.iter_mut().enumerate() {
            row.retain_mut(|(d, v)| {
                let pmi = ((*v as f64) * total / (row_tot[r] * dim_tot[*d as usize])).ln();
                *v = pmi.max(0.0) as f32;
                *v > 0.0
            });
            let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|(_, v)| *v /= norm);
            }
        }
        // Three levels of spherical k-means, each splitting the clusters of the previous one.
        let mut path = vec![0u32; rows.len()];
        let mut groups: Vec<Vec<u32>> = vec![(0..rows.len() as u32).collect()];
        let mut seed = config.seed;
        for (level, &k) in config.branching.iter().enumerate() {
            let shift = [16, 8, 0][level];
            let mut next = Vec::new();
            for g in &groups {
                seed = seed.wrapping_add(GOLDEN_GAMMA);
                let assign = kmeans(&rows, g, dims, k, config.iterations, seed);
                let mut parts = vec![Vec::new(); k];
                for (&r, &a) in g.iter().zip(&assign) {
                    path[r as usize] |= (a as u32) << shift;
                    parts[a].push(r);
                }
                next.extend(parts.into_iter().filter(|p| !p.is_empty()));
            }
            groups = next;
        }
        Clusters::from_pairs(
            targets
                .iter()
                .zip(&path)
                .map(|(&w, &p)| (self.words[w as usize].clone(), p | 1 << 31)),
        )
    }
}

/// Spherical k-means of the sparse unit `rows[members]`; returns one cluster index per member.
fn kmeans(
    rows: &[Vec<(u32, f32)>],
    members: &[u32],
    dims: usize,
    k: usize,
    iterations: usize,
    seed: u64,
) -> Vec<usize> {
    let n = members.len();
    if n <= k {
        return (0..n).collect();
    }
    // Seeds: members spread over the frequency ranking (members are sorted by rank), jittered.
    let mut centroids = vec![0f32; k * dims];
    let mut s = seed;
    for c in 0..k {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let lo = c * n / k;
        let hi = ((c + 1) * n / k).max(lo + 1);
        let pick = lo + ((s >> 33) as usize) % (hi - lo);
        for &(d, v) in &rows[members[pick] as usize] {
            centroids[c * dims + d as usize] = v;
        }
    }
    let mut assign = vec![0usize; n];
    for _ in 0..iterations {
        for (m, &r) in members.iter().enumerate() {
            let row = &rows[r as usize];
            let mut best = (f32::NEG_INFINITY, 0);
            for c in 0..k {
                let cen = &centroids[c * dims..(c + 1) * dims];
                let dot: f32 = row.iter().map(|&(d, v)| v * cen[d as usize]).sum();
                if dot > best.0 {
                    best = (dot, c);
                }
            }
            assign[m] = best.1;
        }
        centroids.iter_mut().for_each(|x| *x = 0.0);
        for (m, &r) in members.iter().enumerate() {
            let cen = &mut centroids[assign[m] * dims..(assign[m] + 1) * dims];
            for &(d, v) in &rows[r as usize] {
                cen[d as usize] += v;
            }
        }
        for c in 0..k {
            let cen = &mut centroids[c * dims..(c + 1) * dims];
            let norm = cen.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                cen.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    assign
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_cluster() {
        let mut b = ClusterBuilder::new();
        let cities = ["القاهره", "دمشق", "بغداد", "عمان"];
        let people = ["محمد", "احمد", "علي", "عمر"];
        for i in 0..200 {
            let c = cities[i % 4];
            let p = people[(i / 4) % 4];
            b.add_document(["وصل", "الي", c, "امس"]);
            b.add_document(["قال", "السيد", p, "ان"]);
        }
        let cfg = ClusterConfig {
            min_count: 2,
            contexts: 20,
            branching: [2, 2, 2],
            ..ClusterConfig::default()
        };
        let c = b.build(&cfg);
        let top = |w: &str| c.get(w).unwrap() >> 16;
        assert_eq!(top("دمشق"), top("بغداد"));
        assert_eq!(top("محمد"), top("عمر"));
        assert_ne!(top("دمشق"), top("محمد"));
        let mut w = Writer::default();
        c.write(&mut w);
        let c2 = Clusters::read(&mut Reader::new(&w.into_inner())).unwrap();
        assert_eq!(c2.get("عمان"), c.get("عمان"));
    }
}
