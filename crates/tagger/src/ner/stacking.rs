//! Second-stage features: what the first-stage model said about this token, its neighbours and the
//! other occurrences of the same word in the document (stacking + context aggregation).

use qalam_text::hash::FxHashMap;

use crate::linear::keys::KeyBuilder;
use crate::linear::sequence::Sequence;

/// First-stage label counts of each word of a document: `[O, PERS, LOC, ORG, MISC]`.
#[derive(Clone, Debug, Default)]
pub struct History {
    counts: FxHashMap<u64, [u32; 5]>,
}

/// The kind slot (0 = O, 1 + kind index) of a label id.
#[inline]
fn slot(label: u16) -> usize {
    if label == 0 {
        0
    } else {
        1 + (label as usize - 1) / 2
    }
}

impl History {
    /// Forgets every count.
    pub fn clear(&mut self) {
        self.counts.clear();
    }

    /// Counts the first-stage labels of one sentence (`keys` from [`super::features::Extractor::history_keys`]).
    pub fn add(&mut self, keys: &[u64], labels: &[u16]) {
        for (&k, &l) in keys.iter().zip(labels) {
            if k != 0 {
                self.counts.entry(k).or_default()[slot(l)] += 1;
            }
        }
    }

    /// Every word key with its label counts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, [u32; 5])> + '_ {
        self.counts.iter().map(|(&k, &c)| (k, c))
    }

    /// The counts of the other occurrences of a word whose own first-stage label is `own`.
    fn others(&self, key: u64, own: u16) -> Option<[u32; 5]> {
        let mut c = *self.counts.get(&key)?;
        c[slot(own)] = c[slot(own)].saturating_sub(1);
        (c.iter().sum::<u32>() > 0).then_some(c)
    }
}

const S1: u32 = 200;
const S1_PREV: u32 = 201;
const S1_NEXT: u32 = 202;
const S1_PAIR: u32 = 203;
const HIST_HAS: u32 = 210;
const HIST_MAJ: u32 = 211;
const HIST_ALL: u32 = 212;

/// Writes into `out` the features of `base` plus the second-stage features of every position.
pub fn stage2(
    base: &Sequence,
    labels: &[u16],
    keys: &[u64],
    history: &History,
    out: &mut Sequence,
) {
    out.clear();
    let n = labels.len();
    let label = |i: isize| -> u64 {
        if i < 0 || i as usize >= n {
            100
        } else {
            labels[i as usize] as u64
        }
    };
    for i in 0..n {
        for &k in base.position(i) {
            out.push(k);
        }
        let ii = i as isize;
        out.push(KeyBuilder::new(S1).int(label(ii)).finish());
        out.push(KeyBuilder::new(S1_PREV).int(label(ii - 1)).finish());
        out.push(KeyBuilder::new(S1_NEXT).int(label(ii + 1)).finish());
        out.push(
            KeyBuilder::new(S1_PAIR)
                .int(label(ii - 1))
                .int(label(ii))
                .finish(),
        );
        let others = if keys[i] == 0 {
            None
        } else {
            history.others(keys[i], labels[i])
        };
        if let Some(c) = others {
            let total: u32 = c.iter().sum();
            let mut maj = 0;
            for s in 0..5 {
                if c[s] > c[maj] {
                    maj = s;
                }
                if s > 0 && c[s] > 0 {
                    out.push(KeyBuilder::new(HIST_HAS).int(s as u64).finish());
                    if c[s] == total {
                        out.push(KeyBuilder::new(HIST_ALL).int(s as u64).finish());
                    }
                }
            }
            out.push(KeyBuilder::new(HIST_MAJ).int(maj as u64).finish());
        }
        out.end_position();
    }
}
