//! A sparse multi-class averaged perceptron over hashed features ([`feat`](super::keys::feat)
//! keys), with a compact binary form: the classifier of the PADT models.

use qalam_text::hash::FxHashMap;

use super::keys::Feat;
use super::{ModelError, Reader, Writer, prefetch};

/// One slot of [`RowTable`]: a feature key, the range of its (class, weight) cells, and where
/// its dense copy starts (`NO_DENSE` if it has none).
#[derive(Clone, Copy, Debug)]
#[repr(align(16))]
struct Slot {
    key: u32,
    start: u32,
    end: u32,
    dense: u32,
}

const NO_DENSE: u32 = u32::MAX;

const EMPTY: Slot = Slot {
    key: 0,
    start: 0,
    end: 0,
    dense: NO_DENSE,
};

/// Rows with at least `n_classes / DENSE_FRACTION` cells also get a dense copy (`n_classes`
/// weights, added with vector instructions); it takes at most twice the memory of its cells.
const DENSE_FRACTION: usize = 4;

/// An open-addressing table (linear probing, at most half full) from feature keys to cell ranges:
/// one cache line per look-up instead of the control-byte plus bucket of a general hash map.
#[derive(Clone, Debug, Default)]
struct RowTable {
    slots: Vec<Slot>,
    len: usize,
}

impl RowTable {
    fn with_capacity(n: usize) -> Self {
        let size = (n.max(1) * 2).next_power_of_two();
        RowTable {
            slots: vec![EMPTY; size],
            len: 0,
        }
    }

    /// Inserts a non-empty range (`start < end`); keys must be distinct.
    fn insert(&mut self, key: u32, start: u32, end: u32) {
        debug_assert!(start < end);
        if (self.len + 1) * 2 > self.slots.len() {
            let old = std::mem::take(&mut self.slots);
            *self = RowTable::with_capacity(self.len + 1);
            for s in old.into_iter().filter(|s| s.end > s.start) {
                self.insert(s.key, s.start, s.end);
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        while self.slots[i].end > self.slots[i].start {
            i = (i + 1) & mask;
        }
        self.slots[i] = Slot {
            key,
            start,
            end,
            dense: NO_DENSE,
        };
        self.len += 1;
    }

    /// Asks the CPU to start loading the home slot of `key`.
    #[inline]
    fn prefetch(&self, key: u32) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[key as usize & (self.slots.len() - 1)]);
        }
    }

    #[inline]
    fn get(&self, key: u32) -> Option<Slot> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let s = self.slots[i];
            if s.end <= s.start {
                return None;
            }
            if s.key == key {
                return Some(s);
            }
            i = (i + 1) & mask;
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter().filter(|s| s.end > s.start)
    }
}

/// A trained linear model: for each feature, the classes it votes for and their weights, held as
/// `i16` steps of one shared scale (the precision of the model file).
#[derive(Clone, Debug, Default)]
pub struct Classifier {
    n_classes: usize,
    /// Weight of one `i16` step.
    scale: f32,
    rows: RowTable,
    /// (class, weight step) cells of all rows, each row contiguous and sorted by class.
    cells: Vec<(u16, i16)>,
    /// Dense copies (`n_classes` weights each) of the rows with many cells.
    dense: Vec<i16>,
}

impl Classifier {
    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Number of stored (feature, class) weights.
    pub fn n_weights(&self) -> usize {
        self.cells.len()
    }

    /// Adds the weights of `feats` (in `i16` steps) into `scores`, which must hold `n_classes`
    /// values.
    #[inline]
    pub fn score_into(&self, feats: &[Feat], scores: &mut [i32]) {
        const BATCH: usize = 64;
        let n = self.n_classes;
        let scores = &mut scores[..n];
        // The look-ups miss the cache; starting all loads before using any lets them overlap.
        for &f in feats {
            self.rows.prefetch(f as u32);
        }
        let mut hits = [EMPTY; BATCH];
        for batch in feats.chunks(BATCH) {
            let mut k = 0;
            for &f in batch {
                if let Some(s) = self.rows.get(f as u32) {
                    if s.dense != NO_DENSE {
                        prefetch(&self.dense[s.dense as usize]);
                    } else {
                        prefetch(&self.cells[s.start as usize]);
                    }
                    hits[k] = s;
                    k += 1;
                }
            }
            for s in &hits[..k] {
                if s.dense != NO_DENSE {
                    let d = s.dense as usize;
                    for (x, &w) in scores.iter_mut().zip(&self.dense[d..d + n]) {
                        *x += i32::from(w);
                    }
                } else {
                    for &(c, w) in &self.cells[s.start as usize..s.end as usize] {
                        scores[c as usize] += i32::from(w);
                    }
                }
            }
        }
    }

    /// Gives the rows with many cells their dense copy.
    fn densify(mut self) -> Self {
        let n = self.n_classes;
        self.dense.clear();
        for s in &mut self.rows.slots {
            s.dense = NO_DENSE;
            let (a, b) = (s.start as usize, s.end as usize);
            if b > a && (b - a) * DENSE_FRACTION >= n {
                s.dense = self.dense.len() as u32;
                let base = self.dense.len();
                self.dense.resize(base + n, 0);
                for &(c, w) in &self.cells[a..b] {
                    self.dense[base + c as usize] = w;
                }
            }
        }
        self
    }

    /// The best class among `allowed` (all classes if empty).
    pub fn best(&self, feats: &[Feat], allowed: &[u16], scores: &mut Vec<i32>) -> usize {
        scores.clear();
        scores.resize(self.n_classes, 0);
        self.score_into(feats, scores);
        argmax(scores, allowed)
    }

    /// Splits the model by class groups: `group_of[c]` = (group, class id inside the group) of
    /// class `c`; each part keeps only the weights of its classes, so scoring a class among those
    /// of one group gives the same sums with fewer cells to read.
    pub fn split(&self, group_of: &[(u16, u16)], group_sizes: &[usize]) -> Vec<Classifier> {
        let mut parts: Vec<Classifier> = group_sizes
            .iter()
            .map(|&n| Classifier {
                n_classes: n,
                scale: self.scale,
                ..Classifier::default()
            })
            .collect();
        let mut keys: Vec<&Slot> = self.rows.iter().collect();
        keys.sort_unstable_by_key(|s| s.key);
        let mut by_group: Vec<Vec<(u16, i16)>> = vec![Vec::new(); parts.len()];
        for s in keys {
            for &(c, w) in &self.cells[s.start as usize..s.end as usize] {
                let (g, local) = group_of[c as usize];
                by_group[g as usize].push((local, w));
            }
            for (part, cells) in parts.iter_mut().zip(&mut by_group) {
                if !cells.is_empty() {
                    cells.sort_unstable_by_key(|c| c.0);
                    let a = part.cells.len() as u32;
                    part.cells.append(cells);
                    part.rows_insert(s.key, a);
                }
            }
        }
        parts.into_iter().map(Classifier::densify).collect()
    }

    /// Joins models made by [`Classifier::split`] back into one; `classes[g][local]` is the class
    /// id of a class of group `g`.
    pub fn join(parts: &[Classifier], classes: &[Vec<u16>], n_classes: usize) -> Classifier {
        let mut rows: FxHashMap<Feat, Vec<(u16, i16)>> = FxHashMap::default();
        for (part, ids) in parts.iter().zip(classes) {
            for s in part.rows.iter() {
                let row = rows.entry(Feat::from(s.key)).or_default();
                row.extend(
                    part.cells[s.start as usize..s.end as usize]
                        .iter()
                        .map(|&(c, w)| (ids[c as usize], w)),
                );
            }
        }
        let mut keys: Vec<Feat> = rows.keys().copied().collect();
        keys.sort_unstable();
        let mut model = Classifier {
            n_classes,
            scale: parts.first().map_or(1.0, |p| p.scale),
            ..Classifier::default()
        };
        model.rows = RowTable::with_capacity(keys.len());
        for k in keys {
            let mut cells = rows.remove(&k).unwrap_or_default();
            cells.sort_unstable_by_key(|c| c.0);
            let a = model.cells.len() as u32;
            model.cells.extend(cells);
            model.rows_insert(k as u32, a);
        }
        model
    }

    /// Adds the row of `key` made of the cells from `start` to the end, if not empty.
    fn rows_insert(&mut self, key: u32, start: u32) {
        let end = self.cells.len() as u32;
        if end > start {
            self.rows.insert(key, start, end);
        }
    }

    /// Writes the model: weights as `i16` steps of one shared scale.
    pub fn write(&self, w: &mut Writer) {
        w.u32(self.n_classes as u32);
        w.f32(self.scale);
        let mut keys: Vec<&Slot> = self.rows.iter().collect();
        keys.sort_unstable_by_key(|s| s.key);
        w.u32(keys.len() as u32);
        for s in keys {
            w.u32(s.key);
            w.u16((s.end - s.start) as u16);
            for &(c, x) in &self.cells[s.start as usize..s.end as usize] {
                w.u16(c);
                w.u16(x as u16);
            }
        }
    }

    /// Reads a model written by [`Classifier::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n_classes = r.u32()? as usize;
        let scale = r.f32()?;
        let n = r.u32()? as usize;
        let mut model = Classifier {
            n_classes,
            scale,
            rows: RowTable::with_capacity(n.min(1 << 24)),
            cells: Vec::new(),
            dense: Vec::new(),
        };
        let mut last = None;
        for _ in 0..n {
            let k = r.u32()?;
            if last.is_some_and(|l| l >= k) {
                return Err(ModelError::Corrupt("feature keys not sorted"));
            }
            last = Some(k);
            let m = r.u16()? as usize;
            let a = model.cells.len() as u32;
            for _ in 0..m {
                let c = r.u16()?;
                if c as usize >= n_classes {
                    return Err(ModelError::Corrupt("class id out of range"));
                }
                model.cells.push((c, r.u16()? as i16));
            }
            model.rows_insert(k, a);
        }
        Ok(model.densify())
    }
}

/// Index of the highest score among `allowed` (all if empty); ties go to the lowest index.
#[inline]
pub fn argmax<T: PartialOrd + Copy + Bounded>(scores: &[T], allowed: &[u16]) -> usize {
    let mut best = 0usize;
    let mut best_s = T::LOWEST;
    if allowed.is_empty() {
        for (i, &s) in scores.iter().enumerate() {
            if s > best_s {
                best_s = s;
                best = i;
            }
        }
    } else {
        for &c in allowed {
            let s = scores[c as usize];
            if s > best_s {
                best_s = s;
                best = c as usize;
            }
        }
    }
    best
}

/// A score type with a value below all scores.
pub trait Bounded {
    /// Below every score.
    const LOWEST: Self;
}

impl Bounded for f32 {
    const LOWEST: f32 = f32::NEG_INFINITY;
}

impl Bounded for i32 {
    const LOWEST: i32 = i32::MIN;
}

#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    class: u16,
    w: f32,
    total: f64,
    stamp: u32,
}

/// Trains a [`Classifier`] model with the averaged perceptron.
#[derive(Debug)]
pub struct ClassifierTrainer {
    n_classes: usize,
    rows: FxHashMap<Feat, Vec<Cell>>,
    step: u32,
}

impl ClassifierTrainer {
    /// A trainer for `n_classes` classes.
    pub fn new(n_classes: usize) -> Self {
        ClassifierTrainer {
            n_classes,
            rows: FxHashMap::default(),
            step: 1,
        }
    }

    /// Current (non-averaged) scores of `feats` into `scores`.
    pub fn scores(&self, feats: &[Feat], scores: &mut Vec<f32>) {
        scores.clear();
        scores.resize(self.n_classes, 0.0);
        for f in feats {
            if let Some(row) = self.rows.get(f) {
                for c in row {
                    scores[c.class as usize] += c.w;
                }
            }
        }
    }

    /// The current best class among `allowed` (all if empty).
    pub fn predict(&self, feats: &[Feat], allowed: &[u16], scores: &mut Vec<f32>) -> usize {
        self.scores(feats, scores);
        argmax(scores, allowed)
    }

    /// One perceptron step: rewards `gold`, penalizes `guess` (no change when equal).
    pub fn update(&mut self, feats: &[Feat], gold: usize, guess: usize) {
        let t = self.step;
        self.step += 1;
        if gold == guess {
            return;
        }
        for f in feats {
            let row = self.rows.entry(*f).or_default();
            for (class, delta) in [(gold, 1.0f32), (guess, -1.0f32)] {
                let class = class as u16;
                let cell = match row.iter_mut().position(|c| c.class == class) {
                    Some(i) => &mut row[i],
                    None => {
                        row.push(Cell {
                            class,
                            stamp: t,
                            ..Cell::default()
                        });
                        row.last_mut().expect("just pushed")
                    }
                };
                cell.total += f64::from(t - cell.stamp) * f64::from(cell.w);
                cell.stamp = t;
                cell.w += delta;
            }
        }
    }

    /// Averages the weights, drops those below `min_abs`, and returns the model with its
    /// weights rounded to `i16` steps of the largest one.
    pub fn finish(self, min_abs: f32) -> Classifier {
        let t = self.step;
        let mut keys: Vec<&Feat> = self.rows.keys().collect();
        keys.sort_unstable();
        let rows: Vec<(u32, Vec<(u16, f32)>)> = keys
            .into_iter()
            .map(|k| {
                let mut cells: Vec<(u16, f32)> = self.rows[k]
                    .iter()
                    .map(|c| {
                        let total = c.total + f64::from(t - c.stamp) * f64::from(c.w);
                        (c.class, (total / f64::from(t)) as f32)
                    })
                    .filter(|c| c.1.abs() >= min_abs)
                    .collect();
                cells.sort_unstable_by_key(|c| c.0);
                (*k as u32, cells)
            })
            .collect();
        let max = rows
            .iter()
            .flat_map(|r| &r.1)
            .fold(0f32, |m, x| m.max(x.1.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut model = Classifier {
            n_classes: self.n_classes,
            scale,
            ..Classifier::default()
        };
        for (k, cells) in rows {
            let a = model.cells.len() as u32;
            model
                .cells
                .extend(cells.iter().map(|&(c, x)| (c, (x / scale).round() as i16)));
            model.rows_insert(k, a);
        }
        model.densify()
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::feat;
    use super::*;

    #[test]
    fn learns_a_separable_problem() {
        let data: Vec<(Vec<Feat>, usize)> = (0..40)
            .map(|i| {
                let c = i % 3;
                (vec![feat(1, &[&[c as u8]]), feat(2, &[b"bias"])], c)
            })
            .collect();
        let mut tr = ClassifierTrainer::new(3);
        let mut scores = Vec::new();
        for _ in 0..5 {
            for (f, g) in &data {
                let p = tr.predict(f, &[], &mut scores);
                tr.update(f, *g, p);
            }
        }
        let m = tr.finish(0.0);
        let mut scores = Vec::new();
        for (f, g) in &data {
            assert_eq!(m.best(f, &[], &mut scores), *g);
        }
        let mut w = Writer::default();
        m.write(&mut w);
        let bytes = w.into_inner();
        let m2 = Classifier::read(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(m2.n_weights(), m.n_weights());
        assert_eq!(m2.best(&data[1].0, &[], &mut scores), data[1].1);
    }

    /// A model over 16 classes where feature `k` votes for the classes up to `k`, so rows of
    /// 1 to 16 cells, some with a dense copy.
    fn staircase() -> (Classifier, Vec<Vec<Feat>>) {
        let feats: Vec<Vec<Feat>> = (1..16u8)
            .map(|k| vec![feat(3, &[&[k]]), feat(4, &[&[k % 2]])])
            .collect();
        let mut tr = ClassifierTrainer::new(16);
        let mut scores = Vec::new();
        for _ in 0..4 {
            for (k, f) in feats.iter().enumerate() {
                for gold in 0..=k {
                    let p = tr.predict(f, &[], &mut scores);
                    tr.update(f, gold, p);
                }
            }
        }
        (tr.finish(0.0), feats)
    }

    #[test]
    fn dense_rows_score_like_sparse_ones() {
        let (m, feats) = staircase();
        assert!(!m.dense.is_empty() && m.rows.iter().any(|s| s.dense == NO_DENSE));
        for f in &feats {
            let mut dense = vec![0; 16];
            m.score_into(f, &mut dense);
            let mut sparse = vec![0; 16];
            for &k in f {
                if let Some(s) = m.rows.get(k as u32) {
                    for &(c, w) in &m.cells[s.start as usize..s.end as usize] {
                        sparse[c as usize] += i32::from(w);
                    }
                }
            }
            assert_eq!(dense, sparse);
        }
    }

    #[test]
    fn split_and_join_keep_every_weight() {
        let (m, feats) = staircase();
        // Classes 0..16 in two groups: even and odd.
        let group_of: Vec<(u16, u16)> = (0..16u16).map(|c| (c % 2, c / 2)).collect();
        let classes: Vec<Vec<u16>> = (0..2u16)
            .map(|g| (0..8u16).map(|i| 2 * i + g).collect())
            .collect();
        let parts = m.split(&group_of, &[8, 8]);
        let mut scores = Vec::new();
        for f in &feats {
            let mut whole = vec![0; 16];
            m.score_into(f, &mut whole);
            for (g, part) in parts.iter().enumerate() {
                let best = part.best(f, &[], &mut scores);
                let ids = &classes[g];
                assert_eq!(usize::from(ids[best]), argmax(&whole, ids));
            }
        }
        let (mut a, mut b) = (Writer::default(), Writer::default());
        m.write(&mut a);
        Classifier::join(&parts, &classes, 16).write(&mut b);
        assert_eq!(a.into_inner(), b.into_inner());
    }

    #[test]
    fn row_table_grows_and_finds_every_key() {
        let mut t = RowTable::default();
        for k in 0..1000u32 {
            t.insert(k.wrapping_mul(2_654_435_761), k, k + 1);
        }
        for k in 0..1000u32 {
            let i = k as usize;
            let s = t.get(k.wrapping_mul(2_654_435_761)).unwrap();
            assert_eq!((s.start as usize, s.end as usize), (i, i + 1));
        }
        assert!(t.get(7).is_none());
        assert_eq!(t.iter().count(), 1000);
        assert!(t.slots.len() >= 2000);
    }

    #[test]
    fn argmax_respects_allowed() {
        assert_eq!(argmax(&[0.0, 5.0, 1.0], &[]), 1);
        assert_eq!(argmax(&[0.0, 5.0, 1.0], &[0, 2]), 2);
    }
}
