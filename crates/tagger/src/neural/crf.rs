//! The linear-chain CRF on top of the network: the negative log-likelihood of a gold path and
//! its gradients (forward-backward), and Viterbi decoding under BIO constraints.

use crate::ner::Tag;

/// Score given to a transition that BIO forbids when decoding.
const FORBIDDEN: f32 = -1e4;

/// Transition, start and end scores over `labels` labels (row = previous label).
#[derive(Clone, Debug, PartialEq)]
pub struct Crf {
    /// Number of labels.
    pub labels: usize,
    /// `labels × labels` transition scores, `trans[prev * labels + cur]`.
    pub trans: Vec<f32>,
    /// Score of each label at the first token.
    pub start: Vec<f32>,
    /// Score of each label at the last token.
    pub end: Vec<f32>,
}

/// Gradients of the negative log-likelihood with respect to the CRF scores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CrfGrads {
    /// Same layout as [`Crf::trans`].
    pub trans: Vec<f32>,
    /// Same layout as [`Crf::start`].
    pub start: Vec<f32>,
    /// Same layout as [`Crf::end`].
    pub end: Vec<f32>,
}

impl CrfGrads {
    /// Zero gradients for `labels` labels.
    pub fn zeros(labels: usize) -> CrfGrads {
        CrfGrads {
            trans: vec![0.0; labels * labels],
            start: vec![0.0; labels],
            end: vec![0.0; labels],
        }
    }

    /// Adds `other` to these gradients.
    pub fn add(&mut self, other: &CrfGrads) {
        for (a, b) in [
            (&mut self.trans, &other.trans),
            (&mut self.start, &other.start),
            (&mut self.end, &other.end),
        ] {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
    }
}

/// `log(sum(exp(v)))`, stable.
fn log_sum_exp(v: impl Iterator<Item = f32> + Clone) -> f32 {
    let m = v.clone().fold(f32::NEG_INFINITY, f32::max);
    if !m.is_finite() {
        return m;
    }
    m + v.map(|x| (x - m).exp()).sum::<f32>().ln()
}

/// True if BIO allows label `cur` after `prev` (`None`: at the sentence start).
pub fn bio_allowed(prev: Option<usize>, cur: usize) -> bool {
    match Tag::from_id(cur as u16) {
        Tag::I(k) => prev
            .is_some_and(|p| matches!(Tag::from_id(p as u16), Tag::B(k2) | Tag::I(k2) if k2 == k)),
        _ => true,
    }
}

impl Crf {
    /// All scores zero.
    pub fn zeros(labels: usize) -> Crf {
        Crf {
            labels,
            trans: vec![0.0; labels * labels],
            start: vec![0.0; labels],
            end: vec![0.0; labels],
        }
    }

    /// The score of the label path `gold` given `emissions` (`T × labels`, row-major).
    pub fn path_score(&self, emissions: &[f32], gold: &[u16]) -> f32 {
        let l = self.labels;
        let mut s = 0.0;
        for (t, &y) in gold.iter().enumerate() {
            let y = y as usize;
            s += emissions[t * l + y];
            s += match t {
                0 => self.start[y],
                _ => self.trans[gold[t - 1] as usize * l + y],
            };
        }
        if let Some(&y) = gold.last() {
            s += self.end[y as usize];
        }
        s
    }

    /// The forward scores `alpha` (`T × labels`) and the log-partition.
    fn forward(&self, emissions: &[f32], n: usize, alpha: &mut Vec<f32>) -> f32 {
        let l = self.labels;
        alpha.clear();
        alpha.resize(n * l, 0.0);
        for y in 0..l {
            alpha[y] = self.start[y] + emissions[y];
        }
        for t in 1..n {
            for y in 0..l {
                let prev = &alpha[(t - 1) * l..t * l];
                let v = log_sum_exp((0..l).map(|p| prev[p] + self.trans[p * l + y]));
                alpha[t * l + y] = v + emissions[t * l + y];
            }
        }
        log_sum_exp((0..l).map(|y| alpha[(n - 1) * l + y] + self.end[y]))
    }

    /// The log-partition over all label paths of `emissions` (`T × labels`).
    pub fn log_partition(&self, emissions: &[f32]) -> f32 {
        let n = emissions.len() / self.labels;
        if n == 0 {
            return 0.0;
        }
        self.forward(emissions, n, &mut Vec::new())
    }

    /// The negative log-likelihood of `gold`; writes its gradient with respect to `emissions`
    /// into `d_emissions` (same layout) and adds the gradients of the CRF scores to `grads`.
    pub fn nll_grad(
        &self,
        emissions: &[f32],
        gold: &[u16],
        d_emissions: &mut [f32],
        grads: &mut CrfGrads,
    ) -> f32 {
        let l = self.labels;
        let n = gold.len();
        if n == 0 {
            return 0.0;
        }
        let mut alpha = Vec::new();
        let log_z = self.forward(emissions, n, &mut alpha);
        let mut beta = vec![0f32; n * l];
        beta[(n - 1) * l..].copy_from_slice(&self.end);
        for t in (0..n - 1).rev() {
            for y in 0..l {
                beta[t * l + y] = log_sum_exp((0..l).map(|c| {
                    self.trans[y * l + c] + emissions[(t + 1) * l + c] + beta[(t + 1) * l + c]
                }));
            }
        }
        for t in 0..n {
            for y in 0..l {
                let p = (alpha[t * l + y] + beta[t * l + y] - log_z).exp();
                d_emissions[t * l + y] = p;
                if t == 0 {
                    grads.start[y] += p;
                }
                if t == n - 1 {
                    grads.end[y] += p;
                }
            }
            if t > 0 {
                for p in 0..l {
                    for y in 0..l {
                        let v = alpha[(t - 1) * l + p]
                            + self.trans[p * l + y]
                            + emissions[t * l + y]
                            + beta[t * l + y]
                            - log_z;
                        grads.trans[p * l + y] += v.exp();
                    }
                }
            }
        }
        for (t, &y) in gold.iter().enumerate() {
            let y = y as usize;
            d_emissions[t * l + y] -= 1.0;
            if t > 0 {
                grads.trans[gold[t - 1] as usize * l + y] -= 1.0;
            }
        }
        grads.start[gold[0] as usize] -= 1.0;
        grads.end[gold[n - 1] as usize] -= 1.0;
        log_z - self.path_score(emissions, gold)
    }

    /// The best label path of `emissions` (`T × labels`) into `out`; with `constrained`, only
    /// paths that BIO allows (see [`bio_allowed`]).
    pub fn viterbi(&self, emissions: &[f32], constrained: bool, out: &mut Vec<u16>) {
        let l = self.labels;
        let n = emissions.len() / l;
        out.clear();
        if n == 0 {
            return;
        }
        let penalty = |prev: Option<usize>, cur: usize| {
            if constrained && !bio_allowed(prev, cur) {
                FORBIDDEN
            } else {
                0.0
            }
        };
        let mut score: Vec<f32> = (0..l)
            .map(|y| self.start[y] + emissions[y] + penalty(None, y))
            .collect();
        let mut back = vec![0u16; n * l];
        let mut next = vec![0f32; l];
        for t in 1..n {
            for y in 0..l {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for (p, &s) in score.iter().enumerate() {
                    let v = s + self.trans[p * l + y] + penalty(Some(p), y);
                    if v > best {
                        (best, arg) = (v, p);
                    }
                }
                next[y] = best + emissions[t * l + y];
                back[t * l + y] = arg as u16;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let (mut y, mut best) = (0, f32::NEG_INFINITY);
        for (c, s) in score.iter().enumerate() {
            if s + self.end[c] > best {
                (y, best) = (c, s + self.end[c]);
            }
        }
        out.resize(n, 0);
        for t in (0..n).rev() {
            out[t] = y as u16;
            y = back[t * l + y] as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qalam_text::hash::SplitMix64;

    fn random(rng: &mut SplitMix64, n: usize) -> Vec<f32> {
        (0..n)
            .map(|_| (rng.next_u64() % 2000) as f32 / 500.0 - 2.0)
            .collect()
    }

    /// Every label path of length `n` over `l` labels.
    fn all_paths(l: usize, n: usize) -> Vec<Vec<u16>> {
        (0..l.pow(n as u32))
            .map(|mut c| {
                (0..n)
                    .map(|_| {
                        let y = (c % l) as u16;
                        c /= l;
                        y
                    })
                    .collect()
            })
            .collect()
    }

    fn small_crf(rng: &mut SplitMix64, l: usize) -> Crf {
        Crf {
            labels: l,
            trans: random(rng, l * l),
            start: random(rng, l),
            end: random(rng, l),
        }
    }

    #[test]
    fn forward_and_viterbi_agree_with_brute_force() {
        let mut rng = SplitMix64::new(3);
        for (l, n) in [(3, 1), (3, 4), (4, 3), (2, 5)] {
            let crf = small_crf(&mut rng, l);
            let em = random(&mut rng, n * l);
            let paths = all_paths(l, n);
            let scores: Vec<f32> = paths.iter().map(|p| crf.path_score(&em, p)).collect();
            let brute_z = log_sum_exp(scores.iter().copied());
            assert!((crf.log_partition(&em) - brute_z).abs() < 1e-4);
            let best = (0..paths.len())
                .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
                .unwrap();
            let mut out = Vec::new();
            crf.viterbi(&em, false, &mut out);
            assert_eq!(out, paths[best]);
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = SplitMix64::new(11);
        let (l, n) = (3, 4);
        let crf = small_crf(&mut rng, l);
        let em = random(&mut rng, n * l);
        let gold = [2u16, 0, 1, 1];
        let mut d_em = vec![0f32; n * l];
        let mut g = CrfGrads::zeros(l);
        let nll = crf.nll_grad(&em, &gold, &mut d_em, &mut g);
        let brute = log_sum_exp(all_paths(l, n).iter().map(|p| crf.path_score(&em, p)))
            - crf.path_score(&em, &gold);
        assert!((nll - brute).abs() < 1e-4);
        let h = 1e-2;
        for i in 0..n * l {
            let mut e2 = em.clone();
            e2[i] += h;
            let up = crf.log_partition(&e2) - crf.path_score(&e2, &gold);
            e2[i] -= 2.0 * h;
            let down = crf.log_partition(&e2) - crf.path_score(&e2, &gold);
            assert!(
                ((up - down) / (2.0 * h) - d_em[i]).abs() < 1e-2,
                "emission {i}"
            );
        }
        for i in 0..l * l {
            let mut c2 = crf.clone();
            c2.trans[i] += h;
            let up = c2.log_partition(&em) - c2.path_score(&em, &gold);
            c2.trans[i] -= 2.0 * h;
            let down = c2.log_partition(&em) - c2.path_score(&em, &gold);
            assert!(
                ((up - down) / (2.0 * h) - g.trans[i]).abs() < 1e-2,
                "transition {i}"
            );
        }
    }

    #[test]
    fn constrained_viterbi_never_starts_inside() {
        let l = Tag::COUNT;
        let crf = Crf::zeros(l);
        // I-PERS everywhere is the best unconstrained path.
        let mut em = vec![0f32; 3 * l];
        for t in 0..3 {
            em[t * l + Tag::I(crate::ner::EntityKind::Pers).id() as usize] = 5.0;
        }
        let mut out = Vec::new();
        crf.viterbi(&em, true, &mut out);
        let tags: Vec<Tag> = out.iter().map(|&i| Tag::from_id(i)).collect();
        assert_eq!(tags[0], Tag::B(crate::ner::EntityKind::Pers));
        assert!(
            tags[1..]
                .iter()
                .all(|t| *t == Tag::I(crate::ner::EntityKind::Pers))
        );
    }
}
