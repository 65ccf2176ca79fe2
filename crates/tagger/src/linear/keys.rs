//! Feature keys: a feature template id and its parts (strings, bytes, integers) hashed to the
//! integer its weights are stored under. The keys are in the model files, so these functions
//! must never change what they compute (the tests pin a few values).
//!
//! - [`KeyBuilder`]: 64-bit keys of the sequence models (NER), built part by part without
//!   allocating.
//! - [`feat`]: 32-bit keys of the classifiers (PADT): 64-bit FNV-1a over the template id and
//!   the parts, then a final mix.

use qalam_text::hash::{Fnv1a, GOLDEN_GAMMA};

/// The multiplier of [`KeyBuilder`]'s mixing step.
const K0: u64 = GOLDEN_GAMMA;
/// The multiplier of [`KeyBuilder`]'s final mix (and its starting state).
pub(crate) const K1: u64 = 0xBF58_476D_1CE4_E5B9;

#[inline]
fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K0)
}

/// The final mix of a [`KeyBuilder`] key.
#[inline]
pub(crate) fn finalize(mut h: u64) -> u64 {
    h ^= h >> 31;
    h = h.wrapping_mul(K1);
    h ^= h >> 29;
    h
}

/// Builds a 64-bit feature key from a template id and any number of string or integer parts.
#[derive(Clone, Copy, Debug)]
pub struct KeyBuilder(u64);

impl KeyBuilder {
    /// Starts a key for feature template `template`.
    #[inline]
    pub fn new(template: u32) -> Self {
        KeyBuilder(mix(K1, template as u64 + 1))
    }

    /// Appends the bytes of a string part (parts are length-delimited, so ("ab","c") ≠ ("a","bc")).
    #[inline]
    pub fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }

    /// Appends raw bytes as one part.
    #[inline]
    pub fn bytes(self, b: &[u8]) -> Self {
        let mut h = self.0;
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(last));
        KeyBuilder(mix(h, b.len() as u64))
    }

    /// Appends an integer part.
    #[inline]
    pub fn int(self, v: u64) -> Self {
        KeyBuilder(mix(mix(self.0, v), 0xFF))
    }

    /// The finished key (with the [`DROPPABLE`] bit clear).
    #[inline]
    pub fn finish(self) -> u64 {
        finalize(self.0) & !DROPPABLE
    }

    /// The finished key with the [`DROPPABLE`] bit set.
    #[inline]
    pub fn finish_droppable(self) -> u64 {
        finalize(self.0) | DROPPABLE
    }
}

/// Keys with this bit set are "droppable": see
/// [`SequenceTrainer::set_dropout`](super::SequenceTrainer::set_dropout).
/// [`KeyBuilder::finish`] clears it and [`KeyBuilder::finish_droppable`] sets it.
pub const DROPPABLE: u64 = 1 << 63;

/// A classifier feature key: a 32-bit hash (held in a `u64`) of a template id and its parts.
pub type Feat = u64;

/// Hashes a classifier feature template id and its parts: FNV-1a over the id, then each part
/// followed by `0xff`, then a final mix, truncated to 32 bits.
#[inline]
pub fn feat(template: u8, parts: &[&[u8]]) -> Feat {
    let mut fnv = Fnv1a::new();
    fnv.write_u8(template);
    for p in parts {
        fnv.write(p);
        fnv.write_u8(0xff);
    }
    // Final avalanche so that keys spread well in open-addressing tables.
    let mut h = fnv.finish();
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    (h ^ (h >> 33)) & 0xffff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_part_delimited() {
        let a = KeyBuilder::new(3).str("ab").str("c").finish();
        let b = KeyBuilder::new(3).str("a").str("bc").finish();
        let c = KeyBuilder::new(4).str("ab").str("c").finish();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, KeyBuilder::new(3).str("ab").str("c").finish());
        assert_ne!(feat(1, &[b"ab", b"c"]), feat(1, &[b"a", b"bc"]));
        assert_ne!(feat(1, &[b"ab"]), feat(2, &[b"ab"]));
    }

    #[test]
    fn keys_keep_the_values_stored_in_model_files() {
        // Values of the implementations the shipped models were trained with.
        assert_eq!(KeyBuilder::new(0).finish(), 0x1681_3e1d_2a93_f4f7);
        assert_eq!(
            KeyBuilder::new(1).str("القاهرة").int(7).finish(),
            0x25e2_8149_20aa_b4f0
        );
        assert_eq!(feat(0, &[]), 0x2657_4ae6);
        assert_eq!(feat(2, &[&[3], "ية".as_bytes()]), 0x9e83_433f);
    }
}
