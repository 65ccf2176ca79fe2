//! Measuring embeddings: nearest neighbours, and how well a nearest-centroid classifier tells
//! labelled words (e.g. gazetteer persons, places, organisations) apart on a held-out split.

use qalam_text::hash::fnv1a;

use super::model::{Embeddings, Found};

/// Every vocabulary vector scaled to unit length, for cosine nearest-neighbour search.
#[derive(Clone, Debug)]
pub struct Neighbours {
    dim: usize,
    unit: Vec<f32>,
}

impl Neighbours {
    /// The unit vectors of every word of `emb`.
    pub fn new(emb: &Embeddings) -> Neighbours {
        let dim = emb.dim();
        let mut unit = vec![0f32; emb.len() * dim];
        for (id, row) in unit.chunks_exact_mut(dim).enumerate() {
            emb.word_vector(id as u32, row);
            normalize(row);
        }
        Neighbours { dim, unit }
    }

    /// The `k` vocabulary words closest to `v` by cosine, best first, as (id, cosine); `skip`
    /// is left out (the query word itself).
    pub fn nearest(&self, v: &[f32], k: usize, skip: Option<u32>) -> Vec<(u32, f32)> {
        let mut q = v.to_vec();
        normalize(&mut q);
        let mut best: Vec<(u32, f32)> = Vec::with_capacity(k + 1);
        for (id, row) in self.unit.chunks_exact(self.dim).enumerate() {
            if Some(id as u32) == skip {
                continue;
            }
            let s: f32 = row.iter().zip(&q).map(|(a, b)| a * b).sum();
            if best.len() < k || best.last().is_some_and(|&(_, worst)| s > worst) {
                let at = best.partition_point(|&(_, x)| x >= s);
                best.insert(at, (id as u32, s));
                best.truncate(k);
            }
        }
        best
    }
}

fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// Whether a labelled word is in the held-out part: one word in `1/parts` by its hash.
pub fn held_out(word: &str, parts: u64) -> bool {
    fnv1a(word.as_bytes()).is_multiple_of(parts.max(1))
}

/// Scores of a nearest-centroid classifier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CentroidReport {
    /// Per label: (training words, held-out words, held-out words classified right).
    pub per_label: Vec<(usize, usize, usize)>,
    /// Held-out words classified right with their in-vocabulary vectors.
    pub correct: usize,
    /// Of the held-out words, the right answers from n-gram vectors alone (as if unseen).
    pub correct_subwords: usize,
    /// Held-out words.
    pub tested: usize,
    /// Labelled words without a vocabulary vector (left out).
    pub missing: usize,
    /// Held-out words whose label is the most common training label.
    pub majority: usize,
}

impl CentroidReport {
    /// Accuracy on the held-out words, in percent.
    pub fn accuracy(&self) -> f64 {
        100.0 * self.correct as f64 / self.tested.max(1) as f64
    }

    /// The mean over labels of the held-out words classified right, in percent (a classifier
    /// that always answers one label scores 100 / labels).
    pub fn balanced_accuracy(&self) -> f64 {
        let tested: Vec<f64> = self
            .per_label
            .iter()
            .filter(|l| l.1 > 0)
            .map(|&(_, n, right)| right as f64 / n as f64)
            .collect();
        100.0 * tested.iter().sum::<f64>() / tested.len().max(1) as f64
    }

    /// Accuracy from n-gram vectors alone, in percent.
    pub fn accuracy_subwords(&self) -> f64 {
        100.0 * self.correct_subwords as f64 / self.tested.max(1) as f64
    }

    /// Accuracy of always answering the most common training label, in percent.
    pub fn majority_accuracy(&self) -> f64 {
        100.0 * self.majority as f64 / self.tested.max(1) as f64
    }
}

/// Trains a nearest-centroid classifier (mean unit vector per label) on the vocabulary words of
/// `items` (search-normalized word, label < `labels`) for which `test` is false, and scores it
/// on the others: once with their vocabulary vectors, once with the vectors of their n-grams
/// alone. [`held_out`] makes a split.
pub fn nearest_centroid(
    emb: &Embeddings,
    items: &[(String, usize)],
    labels: usize,
    test: &dyn Fn(&str) -> bool,
) -> CentroidReport {
    let dim = emb.dim();
    let mut report = CentroidReport {
        per_label: vec![(0, 0, 0); labels],
        ..CentroidReport::default()
    };
    let mut centroids = vec![0f32; labels * dim];
    let mut v = vec![0f32; dim];
    let mut tests = Vec::new();
    for (word, label) in items {
        if *label >= labels {
            continue;
        }
        let Found::Word(_) = emb.lookup_norm(word, &mut v) else {
            report.missing += 1;
            continue;
        };
        normalize(&mut v);
        if test(word) {
            tests.push((word, *label, v.clone()));
            report.per_label[*label].1 += 1;
        } else {
            report.per_label[*label].0 += 1;
            for (c, x) in centroids[label * dim..][..dim].iter_mut().zip(&v) {
                *c += x;
            }
        }
    }
    for c in centroids.chunks_exact_mut(dim) {
        normalize(c);
    }
    let classify = |v: &[f32]| -> usize {
        let mut best = (0, f32::MIN);
        for (l, c) in centroids.chunks_exact(dim).enumerate() {
            let s: f32 = c.iter().zip(v).map(|(a, b)| a * b).sum();
            if s > best.1 {
                best = (l, s);
            }
        }
        best.0
    };
    let majority = (0..labels)
        .max_by_key(|&l| (report.per_label[l].0, std::cmp::Reverse(l)))
        .unwrap_or(0);
    for (word, label, v) in &tests {
        report.tested += 1;
        if classify(v) == *label {
            report.correct += 1;
            report.per_label[*label].2 += 1;
        }
        let mut s = vec![0f32; dim];
        emb.subword_vector(word, &mut s);
        if classify(&s) == *label {
            report.correct_subwords += 1;
        }
        if *label == majority {
            report.majority += 1;
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::model::Rows;

    /// Five words near two axes, two labels.
    fn axes() -> (Embeddings, Vec<(String, usize)>) {
        let words = ["شرق", "شمال", "غرب", "جنوب", "وسط"];
        let vecs = [[1.0, 0.1], [0.9, -0.1], [0.1, 1.0], [-0.1, 0.8], [0.8, 0.5]];
        let mut rows = Rows::new(2);
        for v in &vecs {
            rows.push(v);
        }
        let e = Embeddings::from_parts(
            (3, 5, 100),
            words.iter().map(|w| (w.to_string(), 1)).collect(),
            rows,
            Vec::new(),
            Rows::new(2),
        );
        let items = words
            .iter()
            .zip([0, 0, 1, 1, 0])
            .map(|(w, l)| (w.to_string(), l))
            .collect();
        (e, items)
    }

    #[test]
    fn neighbours_by_cosine() {
        let (e, _) = axes();
        let n = Neighbours::new(&e);
        let near = n.nearest(&[1.0, 0.0], 2, None);
        assert_eq!(near.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert!(near[0].1 > near[1].1 && near[0].1 <= 1.0001);
        let near = n.nearest(&[1.0, 0.0], 10, Some(0));
        assert_eq!(near.len(), 4);
        assert_eq!(near[0].0, 1);
        assert_eq!(near.last().unwrap().0, 3);
    }

    #[test]
    fn nearest_centroid_on_separable_words() {
        let (e, mut items) = axes();
        items.push(("غير_معروف".into(), 0));
        // Trained on شرق (0) and غرب (1); the three others are held out.
        let test = |w: &str| !matches!(w, "شرق" | "غرب");
        let r = nearest_centroid(&e, &items, 2, &test);
        assert_eq!((r.missing, r.tested, r.correct), (1, 3, 3));
        assert_eq!(r.per_label, [(1, 2, 2), (1, 1, 1)]);
        assert!((r.balanced_accuracy() - 100.0).abs() < 1e-9);
        assert!((r.majority_accuracy() - 200.0 / 3.0).abs() < 1e-9);
        // No n-gram is stored: from n-grams alone every vector is zero, and is answered label 0.
        assert_eq!(r.correct_subwords, 2);
        // Labels that contradict the vectors: شرق trained as 1 and غرب as 0, شمال (0) is wrong.
        let swapped: Vec<(String, usize)> = [("شرق", 1), ("غرب", 0), ("شمال", 0)]
            .iter()
            .map(|&(w, l)| (w.to_string(), l))
            .collect();
        let r = nearest_centroid(&e, &swapped, 2, &|w: &str| w == "شمال");
        assert_eq!((r.tested, r.correct), (1, 0));
    }

    #[test]
    fn held_out_is_a_stable_fraction() {
        let words: Vec<String> = (0..2000).map(|i| format!("w{i}")).collect();
        let n = words.iter().filter(|w| held_out(w, 5)).count();
        assert!((300..500).contains(&n), "{n}");
        assert!(words.iter().all(|w| held_out(w, 5) == held_out(w, 5)));
    }
}
