//! A reusable averaged structured perceptron with first-order Viterbi decoding.
//!
//! Features are 64-bit keys made with [`KeyBuilder`](super::keys::KeyBuilder) from a template id and string parts, so
//! feature extraction never needs to allocate a feature string. A [`Sequence`] holds the keys of
//! every position of one sentence; [`SequenceTrainer`] learns one weight per (feature, label) plus label
//! transition weights, and [`SequenceTrainer::finish`] returns the averaged, pruned [`SequenceModel`], which
//! decodes with [`SequenceModel::decode`] and (de)serializes with [`SequenceModel::write`] /
//! [`SequenceModel::read`].
//!
//! ```
//! use qalam_tagger::linear::keys::KeyBuilder;
//! use qalam_tagger::linear::sequence::{Sequence, SequenceTrainer};
//!
//! let labels = vec!["N".to_string(), "V".to_string()];
//! let mut trainer = SequenceTrainer::new(labels, None);
//! let sentence = |words: &[&str]| {
//!     let mut seq = Sequence::default();
//!     for w in words {
//!         seq.push(KeyBuilder::new(1).str(w).finish());
//!         seq.end_position();
//!     }
//!     seq
//! };
//! let train = [(sentence(&["fish", "swim"]), vec![0u16, 1]), (sentence(&["birds", "fly"]), vec![0, 1])];
//! for _ in 0..5 {
//!     for (seq, gold) in &train {
//!         trainer.train(seq, gold);
//!     }
//! }
//! let model = trainer.finish(0.0);
//! let mut out = Vec::new();
//! model.decode(&sentence(&["birds", "swim"]), &mut Default::default(), &mut out);
//! assert_eq!(out, [0, 1]);
//! ```

use qalam_text::hash::{FxHashMap, GOLDEN_GAMMA};

use super::keys::{DROPPABLE, K1, finalize};
use super::{ModelError, Reader, Writer, prefetch};

/// The feature keys of every position of one sequence.
#[derive(Clone, Debug, Default)]
pub struct Sequence {
    keys: Vec<u64>,
    ends: Vec<u32>,
}

impl Sequence {
    /// Removes all positions, keeping the buffers.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.ends.clear();
    }

    /// Adds a feature key to the current (not yet ended) position.
    #[inline]
    pub fn push(&mut self, key: u64) {
        self.keys.push(key);
    }

    /// Ends the current position; the next keys belong to the next one.
    #[inline]
    pub fn end_position(&mut self) {
        self.ends.push(self.keys.len() as u32);
    }

    /// The number of ended positions.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True if there is no position.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The feature keys of position `i`.
    #[inline]
    pub fn position(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.keys[start..self.ends[i] as usize]
    }
}

/// Which label transitions are allowed, `(prev, cur)`, with `prev == n` meaning the sequence start.
///
/// For labels named `B-X` / `I-X` / other, `I-X` may only follow `B-X` or `I-X`.
pub fn bio_constraints(labels: &[String]) -> Vec<bool> {
    let n = labels.len();
    let mut allowed = vec![true; (n + 1) * n];
    for (cur, label) in labels.iter().enumerate() {
        if let Some(ty) = label.strip_prefix("I-") {
            for prev in 0..=n {
                let ok = prev < n
                    && (labels[prev].strip_prefix("B-") == Some(ty)
                        || labels[prev].strip_prefix("I-") == Some(ty));
                allowed[prev * n + cur] = ok;
            }
        }
    }
    allowed
}

/// An open-addressing table of (fingerprint, row) pairs — most lookups are misses, which touch
/// only this dense array — over rows holding the low half of the key and the label weights.
#[derive(Clone, Debug, Default)]
struct Table {
    slots: Vec<(u32, u32)>,
    rows: Vec<f32>,
    n: usize,
    mask: usize,
}

#[inline]
fn fingerprint(k: u64) -> u32 {
    (k >> 32) as u32 | 1
}

impl Table {
    fn build(keys: &[u64], weights: &[i16], n: usize, scale: f32) -> Table {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut t = Table {
            slots: vec![(0, 0); cap],
            rows: Vec::with_capacity(keys.len() * (n + 1)),
            n,
            mask: cap - 1,
        };
        for (row, &k) in keys.iter().enumerate() {
            let mut i = (k as usize) & t.mask;
            while t.slots[i].0 != 0 {
                i = (i + 1) & t.mask;
            }
            t.slots[i] = (fingerprint(k), row as u32);
            t.rows.push(f32::from_bits(k as u32));
            t.rows.extend(
                weights[row * n..(row + 1) * n]
                    .iter()
                    .map(|&w| w as f32 * scale),
            );
        }
        t
    }

    /// The weights of key `k`.
    #[inline]
    fn get(&self, k: u64) -> Option<&[f32]> {
        if k == EMPTY {
            return None;
        }
        self.get_from(k, (k as usize) & self.mask)
    }

    /// Asks the CPU to start loading the home slot of `k`.
    #[inline]
    fn prefetch_slot(&self, k: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[(k as usize) & self.mask]);
        }
    }

    /// The first slot at or after `k`'s home whose fingerprint is `k`'s (its row is the likely
    /// match, still to be checked), or `None` when an empty slot comes first.
    #[inline]
    fn candidate(&self, k: u64) -> Option<usize> {
        if k == EMPTY || self.slots.is_empty() {
            return None;
        }
        let f = fingerprint(k);
        let mut i = (k as usize) & self.mask;
        loop {
            let (g, _) = self.slots[i];
            if g == f {
                return Some(i);
            } else if g == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The row of slot `i`: the low half of its key, then the label weights.
    #[inline]
    fn row(&self, i: usize) -> &[f32] {
        let row = self.slots[i].1 as usize;
        &self.rows[row * (self.n + 1)..(row + 1) * (self.n + 1)]
    }

    /// The weights of key `k`, probing from slot `i`.
    #[inline]
    fn get_from(&self, k: u64, mut i: usize) -> Option<&[f32]> {
        let f = fingerprint(k);
        loop {
            let (g, row) = self.slots[i];
            if g == f {
                let r = &self.rows[row as usize * (self.n + 1)..(row as usize + 1) * (self.n + 1)];
                if r[0].to_bits() == k as u32 {
                    return Some(&r[1..]);
                }
            } else if g == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

const EMPTY: u64 = 0;

/// Quantizes weights to `i16` with one scale: returns (scale, quantized).
fn quantize(weights: &[f32]) -> (f32, Vec<i16>) {
    let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
    let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
    let q = weights
        .iter()
        .map(|&w| (w / scale).round().clamp(-32767.0, 32767.0) as i16)
        .collect();
    (scale, q)
}

/// Reusable buffers for [`SequenceModel::decode`].
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    emit: Vec<f32>,
    score: Vec<f32>,
    back: Vec<u16>,
}

/// A trained linear sequence model: emission weights per (feature, label) and label transitions.
#[derive(Clone, Debug)]
pub struct SequenceModel {
    labels: Vec<String>,
    keys: Vec<u64>,
    scale: f32,
    transitions: Vec<f32>,
    allowed: Vec<bool>,
    bias: Vec<f32>,
    table: Table,
}

impl SequenceModel {
    /// Sets a constant added to each label's emission score at every position (default 0).
    pub fn set_label_bias(&mut self, bias: &[f32]) {
        assert_eq!(bias.len(), self.labels.len(), "one bias per label");
        self.bias = bias.to_vec();
    }

    /// The label names, indexed by label id.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The number of features with a weight row.
    pub fn num_features(&self) -> usize {
        self.keys.len()
    }

    /// Adds the emission scores of `keys` for every label into `out` (`out.len()` = labels).
    #[inline]
    pub fn add_scores(&self, keys: &[u64], out: &mut [f32]) {
        // The table is megabytes and most look-ups miss the cache: start loading every home
        // slot, then every candidate row, before reading any, so the loads overlap.
        const CHUNK: usize = 64;
        let t = &self.table;
        for chunk in keys.chunks(CHUNK) {
            for &k in chunk {
                t.prefetch_slot(k);
            }
            let mut found = [(0u64, 0usize); CHUNK];
            let mut m = 0;
            for &k in chunk {
                if let Some(i) = t.candidate(k) {
                    prefetch(&t.row(i)[0]);
                    found[m] = (k, i);
                    m += 1;
                }
            }
            for &(k, i) in &found[..m] {
                let r = t.row(i);
                let w = if r[0].to_bits() == k as u32 {
                    Some(&r[1..])
                } else {
                    t.get_from(k, (i + 1) & t.mask)
                };
                if let Some(w) = w {
                    for (o, w) in out.iter_mut().zip(w) {
                        *o += w;
                    }
                }
            }
        }
    }

    /// Writes the best label sequence for `seq` into `out` (first-order Viterbi).
    pub fn decode(&self, seq: &Sequence, scratch: &mut Scratch, out: &mut Vec<u16>) {
        let n = self.labels.len();
        let len = seq.len();
        scratch.emit.clear();
        scratch.emit.resize(len * n, 0.0);
        for i in 0..len {
            let e = &mut scratch.emit[i * n..i * n + n];
            e.copy_from_slice(&self.bias);
            self.add_scores(seq.position(i), e);
        }
        viterbi(
            n,
            &scratch.emit,
            &self.transitions,
            &self.allowed,
            &mut scratch.score,
            &mut scratch.back,
            out,
        );
    }

    /// Writes the model (labels, constraints, transitions, features and weights).
    pub fn write(&self, w: &mut Writer) {
        let n = self.labels.len();
        w.strs(&self.labels);
        for &a in &self.allowed {
            w.u8(a as u8);
        }
        for &t in self.transitions.iter().chain(&self.bias) {
            w.f32(t);
        }
        w.u32(self.keys.len() as u32);
        for &k in &self.keys {
            w.u64(k);
        }
        // Weights are quantized to i16 with one scale, which halves the size.
        w.f32(self.scale);
        for &k in &self.keys {
            let row = self.table.get(k).unwrap_or(&[]);
            for &x in row.iter().take(n) {
                w.u16((x / self.scale).round().clamp(-32767.0, 32767.0) as i16 as u16);
            }
        }
    }

    /// Reads a model written by [`SequenceModel::write`].
    pub fn read(r: &mut Reader) -> Result<SequenceModel, ModelError> {
        let labels = r.strs()?;
        let n = labels.len();
        if n == 0 || n > u16::MAX as usize {
            return Err(ModelError::Corrupt("label count"));
        }
        let allowed = r.bytes((n + 1) * n)?.iter().map(|&b| b != 0).collect();
        let floats = |r: &mut Reader, len: usize| -> Result<Vec<f32>, ModelError> {
            (0..len).map(|_| r.f32()).collect()
        };
        let transitions = floats(r, (n + 1) * n)?;
        let bias = floats(r, n)?;
        let nf = r.u32()? as usize;
        let keys: Vec<u64> = r
            .bytes(nf.checked_mul(8).ok_or(ModelError::Truncated)?)?
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        if keys.contains(&EMPTY) {
            return Err(ModelError::Corrupt("zero feature key"));
        }
        let scale = r.f32()?;
        let weights: Vec<i16> = r
            .bytes(nf.checked_mul(n * 2).ok_or(ModelError::Truncated)?)?
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        let table = Table::build(&keys, &weights, n, scale);
        Ok(SequenceModel {
            labels,
            keys,
            scale,
            transitions,
            allowed,
            bias,
            table,
        })
    }
}

/// First-order Viterbi over emission scores `emit` (`len × n`) and transitions (`(n+1) × n`).
fn viterbi(
    n: usize,
    emit: &[f32],
    trans: &[f32],
    allowed: &[bool],
    score: &mut Vec<f32>,
    back: &mut Vec<u16>,
    out: &mut Vec<u16>,
) {
    out.clear();
    let len = emit.len() / n;
    if len == 0 {
        return;
    }
    // Transposed transitions with forbidden moves at −∞: row `c` lists every `prev → c`.
    let mut tt = vec![f32::NEG_INFINITY; n * n];
    for p in 0..n {
        for c in 0..n {
            if allowed[p * n + c] {
                tt[c * n + p] = trans[p * n + c];
            }
        }
    }
    score.clear();
    score.resize(len * n, f32::NEG_INFINITY);
    back.clear();
    back.resize(len * n, 0);
    for c in 0..n {
        if allowed[n * n + c] {
            score[c] = emit[c] + trans[n * n + c];
        }
    }
    for i in 1..len {
        let (prev_rows, cur_rows) = score.split_at_mut(i * n);
        let prev = &prev_rows[(i - 1) * n..];
        let cur = &mut cur_rows[..n];
        let em = &emit[i * n..(i + 1) * n];
        let bk = &mut back[i * n..(i + 1) * n];
        for (c, ((cur, &e), bk)) in cur.iter_mut().zip(em).zip(bk.iter_mut()).enumerate() {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u16;
            for (p, (&ps, &t)) in prev.iter().zip(&tt[c * n..(c + 1) * n]).enumerate() {
                let s = ps + t;
                if s > best {
                    best = s;
                    arg = p as u16;
                }
            }
            *cur = best + e;
            *bk = arg;
        }
    }
    let last = &score[(len - 1) * n..];
    let mut best = 0;
    for c in 1..n {
        if last[c] > last[best] {
            best = c;
        }
    }
    out.resize(len, 0);
    out[len - 1] = best as u16;
    for i in (1..len).rev() {
        out[i - 1] = back[i * n + out[i] as usize];
    }
}

/// Trains a [`SequenceModel`] with the averaged structured perceptron (Collins 2002).
///
/// Weights are averaged over every call to [`SequenceTrainer::train`] with the usual lazy trick: `w` holds
/// the current weights and `u` the sum of `step × update`, so the average is `w − u / steps`.
pub struct SequenceTrainer {
    labels: Vec<String>,
    allowed: Vec<bool>,
    rows: FxHashMap<u64, u32>,
    keys: Vec<u64>,
    w: Vec<f32>,
    u: Vec<f64>,
    tw: Vec<f32>,
    tu: Vec<f64>,
    step: u64,
    margin: f32,
    dropout: f32,
    rng: u64,
    dropped: Vec<bool>,
    scratch: Scratch,
    pred: Vec<u16>,
}

impl SequenceTrainer {
    /// A trainer for `labels`; `allowed` is a `(n+1) × n` transition mask (see [`bio_constraints`]).
    pub fn new(labels: Vec<String>, allowed: Option<Vec<bool>>) -> SequenceTrainer {
        let n = labels.len();
        assert!(n > 0 && n <= u16::MAX as usize, "label count out of range");
        let allowed = allowed.unwrap_or_else(|| vec![true; (n + 1) * n]);
        assert_eq!(
            allowed.len(),
            (n + 1) * n,
            "transition mask has the wrong size"
        );
        SequenceTrainer {
            labels,
            allowed,
            rows: FxHashMap::default(),
            keys: Vec::new(),
            w: Vec::new(),
            u: Vec::new(),
            tw: vec![0.0; (n + 1) * n],
            tu: vec![0.0; (n + 1) * n],
            step: 0,
            margin: 0.0,
            dropout: 0.0,
            rng: 0,
            dropped: Vec::new(),
            scratch: Scratch::default(),
            pred: Vec::new(),
        }
    }

    /// Sets the Hamming-loss margin: while training, every wrong label of a position gets this
    /// bonus, so updates continue until gold wins by a margin (0 = the plain perceptron).
    pub fn set_margin(&mut self, margin: f32) {
        self.margin = margin;
    }

    /// Sets feature dropout: in each training step, each position independently loses all its
    /// [`DROPPABLE`] keys with probability `p` (seeded), so the model also learns from the others.
    pub fn set_dropout(&mut self, p: f32, seed: u64) {
        self.dropout = p;
        self.rng = seed;
    }

    /// The next dropout draw in `[0, 1)`: a Weyl sequence through the key finalizer (these
    /// draws decide trained weights, so they stay as they are).
    fn next_unit(&mut self) -> f32 {
        self.rng = self.rng.wrapping_add(GOLDEN_GAMMA);
        (finalize(self.rng ^ K1) >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Decodes `seq` with the current (not averaged) weights.
    pub fn predict(&mut self, seq: &Sequence, out: &mut Vec<u16>) {
        self.dropped.clear();
        self.decode_augmented(seq, None, out);
    }

    #[inline]
    fn keep(&self, i: usize, k: u64) -> bool {
        k & DROPPABLE == 0 || !self.dropped.get(i).copied().unwrap_or(false)
    }

    fn decode_augmented(&mut self, seq: &Sequence, gold: Option<&[u16]>, out: &mut Vec<u16>) {
        let n = self.labels.len();
        let len = seq.len();
        let emit = &mut self.scratch.emit;
        emit.clear();
        emit.resize(len * n, 0.0);
        for i in 0..len {
            let o = &mut emit[i * n..i * n + n];
            let dropped = self.dropped.get(i).copied().unwrap_or(false);
            for &k in seq.position(i) {
                if dropped && k & DROPPABLE != 0 {
                    continue;
                }
                if let Some(&row) = self.rows.get(&k) {
                    let row = row as usize;
                    for (o, w) in o.iter_mut().zip(&self.w[row * n..row * n + n]) {
                        *o += w;
                    }
                }
            }
            if let Some(gold) = gold {
                for (l, o) in o.iter_mut().enumerate() {
                    if l != gold[i] as usize {
                        *o += self.margin;
                    }
                }
            }
        }
        viterbi(
            n,
            emit,
            &self.tw,
            &self.allowed,
            &mut self.scratch.score,
            &mut self.scratch.back,
            out,
        );
    }

    /// One perceptron step on a sentence with gold labels; returns true if the prediction was right.
    pub fn train(&mut self, seq: &Sequence, gold: &[u16]) -> bool {
        assert_eq!(seq.len(), gold.len(), "one gold label per position");
        self.step += 1;
        self.dropped.clear();
        if self.dropout > 0.0 {
            for _ in 0..gold.len() {
                let d = self.next_unit() < self.dropout;
                self.dropped.push(d);
            }
        }
        let mut pred = std::mem::take(&mut self.pred);
        let augment = (self.margin > 0.0).then_some(gold);
        self.decode_augmented(seq, augment, &mut pred);
        let right = pred == gold;
        if !right {
            let n = self.labels.len();
            let step = self.step as f64;
            for i in 0..gold.len() {
                let (g, p) = (gold[i] as usize, pred[i] as usize);
                let (gp, pp) = if i == 0 {
                    (n, n)
                } else {
                    (gold[i - 1] as usize, pred[i - 1] as usize)
                };
                if g != p {
                    for &k in seq.position(i) {
                        if !self.keep(i, k) {
                            continue;
                        }
                        let row = self.row(k);
                        self.w[row * n + g] += 1.0;
                        self.u[row * n + g] += step;
                        self.w[row * n + p] -= 1.0;
                        self.u[row * n + p] -= step;
                    }
                }
                if g != p || gp != pp {
                    self.tw[gp * n + g] += 1.0;
                    self.tu[gp * n + g] += step;
                    self.tw[pp * n + p] -= 1.0;
                    self.tu[pp * n + p] -= step;
                }
            }
        }
        self.pred = pred;
        right
    }

    fn row(&mut self, k: u64) -> usize {
        let n = self.labels.len();
        let next = self.keys.len() as u32;
        let row = *self.rows.entry(k).or_insert(next);
        if row == next {
            self.keys.push(k);
            self.w.resize(self.w.len() + n, 0.0);
            self.u.resize(self.u.len() + n, 0.0);
        }
        row as usize
    }

    /// The number of features seen in an update so far.
    pub fn num_features(&self) -> usize {
        self.keys.len()
    }

    /// The averaged model; features whose averaged weights are all below `prune` in magnitude are dropped.
    pub fn finish(&self, prune: f32) -> SequenceModel {
        let n = self.labels.len();
        let steps = self.step.max(1) as f64;
        let avg = |w: f32, u: f64| (w as f64 - u / steps) as f32;
        let mut keys = Vec::new();
        let mut weights = Vec::new();
        let mut order: Vec<usize> = (0..self.keys.len()).collect();
        order.sort_unstable_by_key(|&r| self.keys[r]);
        for r in order {
            let row: Vec<f32> = (0..n)
                .map(|l| avg(self.w[r * n + l], self.u[r * n + l]))
                .collect();
            if row.iter().any(|w| w.abs() > prune) && self.keys[r] != EMPTY {
                keys.push(self.keys[r]);
                weights.extend(row);
            }
        }
        let transitions = self
            .tw
            .iter()
            .zip(&self.tu)
            .map(|(&w, &u)| avg(w, u))
            .collect();
        let (scale, weights) = quantize(&weights);
        let table = Table::build(&keys, &weights, n, scale);
        SequenceModel {
            labels: self.labels.clone(),
            keys,
            scale,
            transitions,
            allowed: self.allowed.clone(),
            bias: vec![0.0; n],
            table,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::keys::KeyBuilder;
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn seq(words: &[&str]) -> Sequence {
        let mut s = Sequence::default();
        for (i, w) in words.iter().enumerate() {
            s.push(KeyBuilder::new(0).str(w).finish());
            let prev = if i == 0 { "<s>" } else { words[i - 1] };
            s.push(KeyBuilder::new(1).str(prev).finish());
            s.end_position();
        }
        s
    }

    #[test]
    fn bio_mask_forbids_i_after_o() {
        let l = labels(&["O", "B-X", "I-X", "B-Y", "I-Y"]);
        let a = bio_constraints(&l);
        let n = l.len();
        assert!(!a[2]);
        assert!(a[n + 2]);
        assert!(a[2 * n + 2]);
        assert!(!a[3 * n + 2]);
        assert!(!a[n * n + 2]);
        assert!(a[n * n + 1]);
    }

    #[test]
    fn learns_context_and_constraints() {
        let l = labels(&["O", "B-P", "I-P"]);
        let mut t = SequenceTrainer::new(l.clone(), Some(bio_constraints(&l)));
        let data = [
            (seq(&["mr", "ali", "hassan", "came"]), vec![0u16, 1, 2, 0]),
            (seq(&["mr", "omar", "left"]), vec![0, 1, 0]),
            (seq(&["the", "cat", "came"]), vec![0, 0, 0]),
            (seq(&["ali", "hassan", "left"]), vec![1, 2, 0]),
        ];
        for _ in 0..10 {
            for (s, g) in &data {
                t.train(s, g);
            }
        }
        let m = t.finish(0.0);
        let mut out = Vec::new();
        m.decode(
            &seq(&["mr", "zaid", "came"]),
            &mut Scratch::default(),
            &mut out,
        );
        assert_eq!(out, [0, 1, 0]);
        // Round trip through bytes keeps the decisions.
        let mut w = Writer::default();
        m.write(&mut w);
        let bytes = w.into_inner();
        let mut input = Reader::new(&bytes);
        let m2 = SequenceModel::read(&mut input).unwrap();
        assert!(input.is_at_end());
        let mut out2 = Vec::new();
        for (s, _) in &data {
            m.decode(s, &mut Scratch::default(), &mut out);
            m2.decode(s, &mut Scratch::default(), &mut out2);
            assert_eq!(out, out2);
        }
        assert!(SequenceModel::read(&mut Reader::new(&bytes[..bytes.len() - 1])).is_err());
    }

    #[test]
    fn viterbi_never_starts_with_inside() {
        let l = labels(&["O", "B-P", "I-P"]);
        let t = SequenceTrainer::new(l, None);
        let mut m = t.finish(0.0);
        m.allowed = bio_constraints(&m.labels);
        // Make I-P the best emission everywhere; the mask must still forbid I-P after O/start.
        let mut out = Vec::new();
        let emit = vec![0.0, 0.5, 1.0, 0.0, 0.5, 1.0];
        viterbi(
            3,
            &emit,
            &m.transitions,
            &m.allowed,
            &mut Vec::new(),
            &mut Vec::new(),
            &mut out,
        );
        assert_eq!(out, [1, 2]);
        m.decode(&Sequence::default(), &mut Scratch::default(), &mut out);
        assert!(out.is_empty());
    }
}
