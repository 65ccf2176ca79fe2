//! The network: summed sparse-feature vectors and the frozen word vector → a dense layer →
//! residual dilated 1-D convolutions (kernel 3) → per-token label scores; and its file format.
//!
//! Sentences are packed into one long row with [`Net::gap`] zero tokens between them, so a
//! batch is a handful of matrix products whatever its sentence lengths. Gap tokens are set back
//! to zero after every layer, and a gap is as wide as the widest dilation, so no sentence reads
//! another.
//!
//! The optional character CNN reads each word's [`CHAR_WIDTH`] character ids: character vectors,
//! one convolution of width 3, a max over the positions. A window's output is the sum of three
//! rows of precomputed `characters × filters` tables (character vectors times each third of the
//! filter), so tagging costs a few gathers per word.
//!
//! File layout after the header (kind `nnr`, version 2): the config (`u32` hidden, sparse dim,
//! dense dim, buckets, labels, `u8` stacked flag, `u64` digest of the perceptron file it stacks
//! on, `u8` number of dilations and each dilation, `u32` character vector size and character
//! filters, both 0 without the character CNN), then every parameter as `f32` values in the
//! order of [`Net::params`], then the CRF scores.

use candle_core::{DType, Device, Tensor};
use qalam_text::hash::SplitMix64;

use super::crf::Crf;
use super::inputs::{CHAR_BUCKETS, CHAR_WIDTH, Inputs, SLOTS};
use crate::linear::{ModelError, ModelKind, Reader, Writer};

/// Largest hidden width, sparse dimension or dense dimension a file may declare.
pub const MAX_WIDTH: usize = 1024;
/// Most sparse hash buckets a file may declare.
pub const MAX_BUCKETS: u32 = 1 << 22;
/// Most convolution layers, and the widest dilation, a file may declare.
pub const MAX_LAYERS: usize = 8;

/// The shape of the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetConfig {
    /// Width of every hidden layer.
    pub hidden: usize,
    /// Size of the sparse feature vectors.
    pub sparse_dim: usize,
    /// Dense values per token (the word vector's size).
    pub dense_dim: usize,
    /// Hash buckets of the sparse features.
    pub buckets: u32,
    /// Output labels (the 9 BIO tags).
    pub labels: usize,
    /// Dilation of each convolution layer.
    pub dilations: Vec<usize>,
    /// Size of the character vectors (0: no character CNN).
    pub char_dim: usize,
    /// Filters of the character CNN (0: no character CNN).
    pub char_filters: usize,
    /// The network reads the perceptron's tags.
    pub stacked: bool,
    /// FNV-1a digest of the perceptron model file whose tags it reads (0 if not stacked).
    pub perceptron_digest: u64,
}

/// The network's parameters (plain tensors: variables while training, constants when tagging).
#[derive(Clone, Debug)]
pub struct Net {
    /// The shape.
    pub config: NetConfig,
    /// `buckets × sparse_dim`.
    pub sparse: Tensor,
    /// `(dense_dim + sparse_dim + char_filters) × hidden`.
    pub w_in: Tensor,
    /// `hidden`.
    pub b_in: Tensor,
    /// Per layer: `3·hidden × hidden` (left, centre, right) and `hidden`.
    pub convs: Vec<(Tensor, Tensor)>,
    /// `hidden × labels`.
    pub w_out: Tensor,
    /// `labels`.
    pub b_out: Tensor,
    /// The character CNN, if any.
    pub chars: Option<CharCnn>,
    /// The CRF scores.
    pub crf: Crf,
}

/// The character CNN's parameters.
#[derive(Clone, Debug)]
pub struct CharCnn {
    /// `CHAR_BUCKETS × char_dim` character vectors.
    pub embed: Tensor,
    /// `3·char_dim × char_filters` (left, centre, right).
    pub w: Tensor,
    /// `char_filters`.
    pub b: Tensor,
}

impl CharCnn {
    /// The three `CHAR_BUCKETS × char_filters` tables (character vectors times each third of
    /// the filters), stacked into one `3·CHAR_BUCKETS × char_filters` tensor.
    fn table_tensor(&self) -> candle_core::Result<Tensor> {
        let d = self.embed.dim(1)?;
        let parts = (0..3)
            .map(|k| self.embed.matmul(&self.w.narrow(0, k * d, d)?))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Tensor::cat(&parts, 0)
    }

    /// The tables and bias as plain values, for tagging.
    pub fn tables(&self) -> candle_core::Result<CharTables> {
        let t = self.table_tensor()?;
        Ok(CharTables {
            filters: t.dim(1)?,
            rows: t.flatten_all()?.to_vec1()?,
            bias: self.b.to_vec1()?,
        })
    }

    /// The `tokens × char_filters` word features of `ids` (`tokens × CHAR_WIDTH`), as a graph
    /// that gradients flow through (for training).
    fn features(&self, ids: &[u32]) -> candle_core::Result<Tensor> {
        let dev = Device::Cpu;
        let n = ids.len() / CHAR_WIDTH;
        let win = CHAR_WIDTH - 2;
        let mut idx = Vec::with_capacity(n * win * 3);
        let mut mask = Vec::with_capacity(n * win);
        for word in ids.chunks_exact(CHAR_WIDTH) {
            for s in 0..win {
                for (k, &c) in word[s..s + 3].iter().enumerate() {
                    idx.push((k * CHAR_BUCKETS) as u32 + c);
                }
                mask.push(if window_counts(word, s) { 0.0 } else { -1e4f32 });
            }
        }
        let tables = self.table_tensor()?;
        let f = tables.dim(1)?;
        let g = tables
            .index_select(&Tensor::from_vec(idx, n * win * 3, &dev)?, 0)?
            .reshape((n * win, 3, f))?
            .sum(1)?;
        let mask = Tensor::from_vec(mask, (n * win, 1), &dev)?;
        g.broadcast_add(&self.b)?
            .broadcast_add(&mask)?
            .reshape((n, win, f))?
            .max(1)?
            .relu()
    }
}

/// A window of a word's character ids counts if its centre is a character or an end mark.
fn window_counts(word: &[u32], start: usize) -> bool {
    word[start + 1] != 0
}

/// The character CNN folded for tagging: window outputs are sums of three table rows.
#[derive(Clone, Debug)]
pub struct CharTables {
    /// Filters per row.
    filters: usize,
    /// `3·CHAR_BUCKETS × filters` values, row-major.
    rows: Vec<f32>,
    /// The filters' bias.
    bias: Vec<f32>,
}

impl CharTables {
    /// The `tokens × filters` word features of `ids` (`tokens × CHAR_WIDTH`), the same values
    /// as the training graph computes, in plain loops.
    fn features(&self, ids: &[u32]) -> candle_core::Result<Tensor> {
        let f = self.filters;
        let n = ids.len() / CHAR_WIDTH;
        let mut out = vec![0f32; n * f];
        let mut best = vec![0f32; f];
        for (word, out) in ids.chunks_exact(CHAR_WIDTH).zip(out.chunks_exact_mut(f)) {
            // A word's first window counts (its centre is a character or the end mark); a gap
            // token has none and gets zeros.
            best.fill(f32::MIN);
            for s in 0..CHAR_WIDTH - 2 {
                if !window_counts(word, s) {
                    break;
                }
                let row = |k: usize| {
                    let r = k * CHAR_BUCKETS + word[s + k] as usize;
                    &self.rows[r * f..(r + 1) * f]
                };
                let (a, b, c) = (row(0), row(1), row(2));
                for j in 0..f {
                    best[j] = best[j].max(a[j] + b[j] + c[j] + self.bias[j]);
                }
            }
            for (o, &v) in out.iter_mut().zip(&best) {
                *o = v.max(0.0);
            }
        }
        Tensor::from_vec(out, (n, f), &Device::Cpu)
    }
}

/// Maps a tensor error to the model error type.
pub(crate) fn compute(e: candle_core::Error) -> ModelError {
    ModelError::Compute(e.to_string())
}

/// A normal sample (Box-Muller) from a seeded generator.
fn normal(rng: &mut SplitMix64) -> f32 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
}

/// A `rows × cols` tensor of normal values times `scale`.
fn random(
    rng: &mut SplitMix64,
    rows: usize,
    cols: usize,
    scale: f32,
) -> candle_core::Result<Tensor> {
    let v: Vec<f32> = (0..rows * cols).map(|_| normal(rng) * scale).collect();
    Tensor::from_vec(v, (rows, cols), &Device::Cpu)
}

/// A mask that keeps each value with probability `1 - p`, scaled by `1 / (1 - p)`.
pub(crate) fn dropout_mask(
    rng: &mut SplitMix64,
    rows: usize,
    cols: usize,
    p: f32,
) -> candle_core::Result<Tensor> {
    let keep = 1.0 / (1.0 - p);
    let threshold = (p as f64 * (1u64 << 32) as f64) as u64;
    let v: Vec<f32> = (0..rows * cols)
        .map(|_| {
            if (rng.next_u64() >> 32) < threshold {
                0.0
            } else {
                keep
            }
        })
        .collect();
    Tensor::from_vec(v, (rows, cols), &Device::Cpu)
}

impl Net {
    /// A network with seeded random weights.
    pub fn init(config: NetConfig, seed: u64) -> candle_core::Result<Net> {
        let mut rng = SplitMix64::new(seed);
        let (h, l) = (config.hidden, config.labels);
        let input = config.dense_dim + config.sparse_dim + config.char_filters;
        let sparse = random(&mut rng, config.buckets as usize, config.sparse_dim, 0.1)?;
        let w_in = random(&mut rng, input, h, (2.0 / input as f32).sqrt())?;
        let zeros = |n: usize| Tensor::zeros(n, DType::F32, &Device::Cpu);
        let convs = config
            .dilations
            .iter()
            .map(|_| {
                Ok((
                    random(&mut rng, 3 * h, h, (1.0 / (3 * h) as f32).sqrt())?,
                    zeros(h)?,
                ))
            })
            .collect::<candle_core::Result<Vec<_>>>()?;
        let w_out = random(&mut rng, h, l, (1.0 / h as f32).sqrt())?;
        let chars = if config.char_dim > 0 {
            let (d, f) = (config.char_dim, config.char_filters);
            Some(CharCnn {
                embed: random(&mut rng, CHAR_BUCKETS, d, 0.3)?,
                w: random(&mut rng, 3 * d, f, (2.0 / (3 * d) as f32).sqrt())?,
                b: zeros(f)?,
            })
        } else {
            None
        };
        Ok(Net {
            chars,
            sparse,
            w_in,
            b_in: zeros(h)?,
            convs,
            w_out,
            b_out: zeros(l)?,
            crf: Crf::zeros(l),
            config,
        })
    }

    /// Zero tokens between two packed sentences (and at both ends of a row).
    pub fn gap(&self) -> usize {
        self.config.dilations.iter().copied().max().unwrap_or(1)
    }

    /// The tensors of the network in file order.
    pub fn params(&self) -> Vec<&Tensor> {
        let mut v = vec![&self.sparse, &self.w_in, &self.b_in];
        for (w, b) in &self.convs {
            v.push(w);
            v.push(b);
        }
        v.push(&self.w_out);
        v.push(&self.b_out);
        if let Some(c) = &self.chars {
            v.extend([&c.embed, &c.w, &c.b]);
        }
        v
    }

    /// The tensors of the network in file order, to replace them.
    pub fn params_mut(&mut self) -> Vec<&mut Tensor> {
        let mut v = vec![&mut self.sparse, &mut self.w_in, &mut self.b_in];
        for (w, b) in &mut self.convs {
            v.push(w);
            v.push(b);
        }
        v.push(&mut self.w_out);
        v.push(&mut self.b_out);
        if let Some(c) = &mut self.chars {
            v.extend([&mut c.embed, &mut c.w, &mut c.b]);
        }
        v
    }

    /// The label scores (`tokens × labels`) of a packed row; `mask` is 1 for real tokens and 0
    /// for gap tokens; `tables` are the character CNN's [`CharCnn::tables`] for tagging (without
    /// them, the character CNN runs as a graph that gradients flow through); `dropout`
    /// (generator and rate) is for training.
    pub fn forward(
        &self,
        inputs: &Inputs,
        mask: &[f32],
        tables: Option<&CharTables>,
        mut dropout: Option<(&mut SplitMix64, f32)>,
    ) -> candle_core::Result<Tensor> {
        let dev = Device::Cpu;
        let n = inputs.len();
        let c = &self.config;
        let mask = Tensor::from_slice(mask, (n, 1), &dev)?;
        let dense = Tensor::from_slice(&inputs.dense, (n, c.dense_dim), &dev)?;
        let ids = Tensor::from_slice(&inputs.sparse, n * SLOTS, &dev)?;
        let sparse = self
            .sparse
            .index_select(&ids, 0)?
            .reshape((n, SLOTS, c.sparse_dim))?
            .sum(1)?;
        let mut x = match &self.chars {
            Some(cnn) => {
                let words = match tables {
                    Some(t) => t.features(&inputs.chars)?,
                    None => cnn.features(&inputs.chars)?,
                };
                Tensor::cat(&[&dense, &sparse, &words], 1)?
            }
            None => Tensor::cat(&[&dense, &sparse], 1)?,
        };
        if let Some((rng, p)) = dropout.as_mut() {
            let cols = c.dense_dim + c.sparse_dim + c.char_filters;
            x = x.mul(&dropout_mask(rng, n, cols, *p)?)?;
        }
        let mut h = x
            .matmul(&self.w_in)?
            .broadcast_add(&self.b_in)?
            .relu()?
            .broadcast_mul(&mask)?;
        for ((w, b), &d) in self.convs.iter().zip(&c.dilations) {
            let z = Tensor::zeros((d, c.hidden), DType::F32, &dev)?;
            let left = Tensor::cat(&[&z, &h.narrow(0, 0, n - d)?], 0)?;
            let right = Tensor::cat(&[&h.narrow(0, d, n - d)?, &z], 0)?;
            let y = Tensor::cat(&[&left, &h, &right], 1)?
                .matmul(w)?
                .broadcast_add(b)?
                .relu()?;
            h = (h + y)?.broadcast_mul(&mask)?;
        }
        if let Some((rng, p)) = dropout.as_mut() {
            h = h.mul(&dropout_mask(rng, n, c.hidden, *p)?)?;
        }
        h.matmul(&self.w_out)?.broadcast_add(&self.b_out)
    }

    /// The label scores of a packed row as `f32` values, row-major (`tables` as in
    /// [`Net::forward`]).
    pub fn scores(
        &self,
        inputs: &Inputs,
        mask: &[f32],
        tables: Option<&CharTables>,
    ) -> candle_core::Result<Vec<f32>> {
        self.forward(inputs, mask, tables, None)?
            .flatten_all()?
            .to_vec1::<f32>()
    }

    /// Serializes the network (header kind `nnr`).
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        let mut w = Writer::with_header(ModelKind::NerNeural);
        let c = &self.config;
        for v in [c.hidden, c.sparse_dim, c.dense_dim] {
            w.u32(v as u32);
        }
        w.u32(c.buckets);
        w.u32(c.labels as u32);
        w.u8(u8::from(c.stacked));
        w.u64(c.perceptron_digest);
        w.u8(c.dilations.len() as u8);
        for &d in &c.dilations {
            w.u8(d as u8);
        }
        w.u32(c.char_dim as u32);
        w.u32(c.char_filters as u32);
        for t in self.params() {
            let v = t
                .flatten_all()
                .and_then(|t| t.to_vec1::<f32>())
                .map_err(compute)?;
            let mut bytes = Vec::with_capacity(v.len() * 4);
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
            w.bytes(&bytes);
        }
        for v in [&self.crf.trans, &self.crf.start, &self.crf.end] {
            for &x in v.iter() {
                w.f32(x);
            }
        }
        Ok(w.into_inner())
    }

    /// Reads a network written by [`Net::to_bytes`]; rejects other kinds, versions and shapes
    /// outside the limits.
    pub fn from_bytes(bytes: &[u8]) -> Result<Net, ModelError> {
        let mut r = Reader::with_header(bytes, ModelKind::NerNeural)?;
        let width = |r: &mut Reader| -> Result<usize, ModelError> {
            match r.u32()? as usize {
                v @ 1..=MAX_WIDTH => Ok(v),
                _ => Err(ModelError::Corrupt("layer width")),
            }
        };
        let (hidden, sparse_dim, dense_dim) = (width(&mut r)?, width(&mut r)?, width(&mut r)?);
        let buckets = r.u32()?;
        if !(2..=MAX_BUCKETS).contains(&buckets) {
            return Err(ModelError::Corrupt("bucket count"));
        }
        let labels = r.u32()? as usize;
        if labels != crate::ner::Tag::COUNT {
            return Err(ModelError::Corrupt("label count"));
        }
        let stacked = match r.u8()? {
            0 => false,
            1 => true,
            _ => return Err(ModelError::Corrupt("stacked flag")),
        };
        let perceptron_digest = r.u64()?;
        let layers = r.u8()? as usize;
        if layers > MAX_LAYERS {
            return Err(ModelError::Corrupt("layer count"));
        }
        let dilations = (0..layers)
            .map(|_| match r.u8()? as usize {
                d @ 1..=MAX_LAYERS => Ok(d),
                _ => Err(ModelError::Corrupt("dilation")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (char_dim, char_filters) = (r.u32()? as usize, r.u32()? as usize);
        if char_dim > MAX_WIDTH
            || char_filters > MAX_WIDTH
            || (char_dim == 0) != (char_filters == 0)
        {
            return Err(ModelError::Corrupt("character CNN size"));
        }
        let config = NetConfig {
            char_dim,
            char_filters,
            hidden,
            sparse_dim,
            dense_dim,
            buckets,
            labels,
            dilations,
            stacked,
            perceptron_digest,
        };
        let mut read = |rows: usize, cols: usize| -> Result<Tensor, ModelError> {
            let n = rows * cols;
            if r.remaining() / 4 < n {
                return Err(ModelError::Truncated);
            }
            let v: Vec<f32> = r
                .bytes(n * 4)?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            if v.iter().any(|x| !x.is_finite()) {
                return Err(ModelError::Corrupt("non-finite weight"));
            }
            let shape: Vec<usize> = if rows == 1 {
                vec![cols]
            } else {
                vec![rows, cols]
            };
            Tensor::from_vec(v, shape, &Device::Cpu).map_err(compute)
        };
        let sparse = read(buckets as usize, sparse_dim)?;
        let w_in = read(dense_dim + sparse_dim + char_filters, hidden)?;
        let b_in = read(1, hidden)?;
        let mut convs = Vec::with_capacity(layers);
        for _ in 0..layers {
            convs.push((read(3 * hidden, hidden)?, read(1, hidden)?));
        }
        let w_out = read(hidden, labels)?;
        let b_out = read(1, labels)?;
        let chars = if char_dim > 0 {
            Some(CharCnn {
                embed: read(CHAR_BUCKETS, char_dim)?,
                w: read(3 * char_dim, char_filters)?,
                b: read(1, char_filters)?,
            })
        } else {
            None
        };
        let mut crf = Crf::zeros(labels);
        for v in [&mut crf.trans, &mut crf.start, &mut crf.end] {
            for x in v.iter_mut() {
                *x = r.f32()?;
                if !x.is_finite() {
                    return Err(ModelError::Corrupt("non-finite CRF score"));
                }
            }
        }
        if !r.is_at_end() {
            return Err(ModelError::Corrupt("trailing bytes"));
        }
        Ok(Net {
            config,
            sparse,
            w_in,
            b_in,
            convs,
            w_out,
            b_out,
            chars,
            crf,
        })
    }
}
