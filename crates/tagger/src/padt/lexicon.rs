//! Word-count lexicons used as features, with jackknifed copies for training.

use qalam_text::hash::FxHashMap;

use crate::linear::{ModelError, Reader, Writer};

/// Counts of word forms.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    counts: FxHashMap<String, u32>,
}

impl Lexicon {
    /// Adds one occurrence of `w`.
    pub fn add(&mut self, w: &str) {
        if let Some(c) = self.counts.get_mut(w) {
            *c += 1;
        } else {
            self.counts.insert(w.to_string(), 1);
        }
    }

    /// The count of `w`.
    #[inline]
    pub fn count(&self, w: &str) -> u32 {
        self.counts.get(w).copied().unwrap_or(0)
    }

    /// A coarse frequency bucket of `w` (0 = unseen … 4 = frequent), as a feature value.
    #[inline]
    pub fn bucket(&self, w: &str) -> u8 {
        match self.count(w) {
            0 => b'0',
            1 => b'1',
            2..=5 => b'2',
            6..=50 => b'3',
            _ => b'4',
        }
    }

    /// The distinct forms, in no particular order.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.counts.keys().map(String::as_str)
    }

    /// Number of distinct forms.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Writes the lexicon (sorted, so output is deterministic).
    pub fn write(&self, w: &mut Writer) {
        let mut v: Vec<(&String, &u32)> = self.counts.iter().collect();
        v.sort();
        w.u32(v.len() as u32);
        for (k, c) in v {
            w.str(k);
            w.u32(*c);
        }
    }

    /// Reads a lexicon written by [`Lexicon::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.u32()? as usize;
        let mut counts = FxHashMap::with_capacity_and_hasher(n.min(1 << 20), Default::default());
        for _ in 0..n {
            let k = r.str()?;
            counts.insert(k, r.u32()?);
        }
        Ok(Lexicon { counts })
    }
}

/// Builds `folds` lexicons, each leaving out the items `i` with `i % folds == fold`, plus the full
/// one: training features then see counts as they would be on unseen text.
pub fn jackknife<'a, I>(items: I, folds: usize) -> (Vec<Lexicon>, Lexicon)
where
    I: IntoIterator<Item = (usize, &'a str)>,
{
    let mut per_fold = vec![Lexicon::default(); folds];
    let mut full = Lexicon::default();
    for (i, w) in items {
        full.add(w);
        for (f, lex) in per_fold.iter_mut().enumerate() {
            if i % folds != f {
                lex.add(w);
            }
        }
    }
    (per_fold, full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jackknife_leaves_out_its_fold() {
        let items = [(0, "a"), (1, "a"), (2, "b")];
        let (folds, full) = jackknife(items, 2);
        assert_eq!(full.count("a"), 2);
        assert_eq!(folds[0].count("a"), 1);
        assert_eq!(folds[0].count("b"), 0);
        assert_eq!(folds[1].count("b"), 1);
        assert_eq!(full.bucket("zzz"), b'0');
        let mut w = Writer::default();
        full.write(&mut w);
        let bytes = w.into_inner();
        let back = Lexicon::read(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(back.count("a"), 2);
    }
}
