//! Name lists (ANERgazet) matched as normalized token n-grams.

use std::io;
use std::path::Path;

use qalam_text::{Profile, normalize_str};

use super::EntityKind;
use qalam_text::hash::FxHashMap;

use crate::linear::keys::KeyBuilder;
use crate::linear::{ModelError, Reader, Writer};

const TOKEN: u32 = 0x6761_7a00;
const PHRASE: u32 = 0x6761_7a01;
/// Longest phrase (in tokens) that is matched.
const MAX_LEN: usize = 8;

/// The key of one search-normalized token, as used by [`Gazetteer::match_into`].
#[inline]
pub fn token_key(norm: &str) -> u64 {
    KeyBuilder::new(TOKEN).str(norm).finish()
}

/// Match flags of one token: for each kind (bit `3 * kind`): single-token match, start of a
/// multi-token match, inside a multi-token match.
pub type MatchBits = u16;

/// A listed phrase found in a sentence by [`Gazetteer::find`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index of its first token.
    pub start: usize,
    /// Number of tokens.
    pub len: usize,
    /// The kinds it is listed under (bit `kind.index()`).
    pub kinds: u8,
    /// The phrase key, for [`Gazetteer::kinds_of_key`].
    pub key: u64,
}

/// A set of names by kind, matched on search-normalized token n-grams.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entries: Vec<(EntityKind, String)>,
    phrases: FxHashMap<u64, u8>,
    max_len: usize,
}

impl Gazetteer {
    /// An empty gazetteer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a name (any spelling; it is search-normalized and split on whitespace).
    pub fn add(&mut self, kind: EntityKind, name: &str) {
        let norm = normalize_str(name, Profile::Search);
        let tokens: Vec<&str> = norm.split_whitespace().collect();
        if tokens.is_empty() || tokens.len() > MAX_LEN {
            return;
        }
        let mut b = KeyBuilder::new(PHRASE);
        for t in &tokens {
            b = b.int(token_key(t));
        }
        let bit = 1u8 << kind.index();
        let slot = self.phrases.entry(b.finish()).or_insert(0);
        if *slot & bit == 0 {
            *slot |= bit;
            self.entries.push((kind, tokens.join(" ")));
            self.max_len = self.max_len.max(tokens.len());
        }
    }

    /// Reads ANERgazet's `persons.txt`, `locations.txt` and `organizations.txt` from `dir`
    /// (separator lines of `=` or `*` skipped).
    pub fn load_anergazet(dir: &Path) -> io::Result<Self> {
        let mut g = Gazetteer::new();
        for (file, kind) in [
            ("persons.txt", EntityKind::Pers),
            ("locations.txt", EntityKind::Loc),
            ("organizations.txt", EntityKind::Org),
        ] {
            let text = std::fs::read_to_string(dir.join(file))?;
            for line in text.lines() {
                let line = line.trim();
                if line.is_empty() || line.chars().all(|c| c == '=' || c == '*') {
                    continue;
                }
                g.add(kind, line);
            }
        }
        Ok(g)
    }

    /// The number of (kind, name) entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if there is no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The kinds (bit `kind.index()`) under which the normalized single token or phrase is listed.
    pub fn kinds_of(&self, norm: &str) -> u8 {
        let mut b = KeyBuilder::new(PHRASE);
        for t in norm.split_whitespace() {
            b = b.int(token_key(t));
        }
        self.phrases.get(&b.finish()).copied().unwrap_or(0)
    }

    /// The kinds (bit `kind.index()`) of the phrase whose key is `key` (from a [`Match`]).
    pub fn kinds_of_key(&self, key: u64) -> u8 {
        self.phrases.get(&key).copied().unwrap_or(0)
    }

    /// Every listed phrase in a sentence, appended to `out`. `keys[i]` is the [`token_key`] of
    /// token `i`; `strips[i]` that of its clitic-stripped form, tried for a phrase's first token.
    pub fn find(&self, keys: &[u64], strips: &[u64], out: &mut Vec<Match>) {
        if self.phrases.is_empty() {
            return;
        }
        for i in 0..keys.len() {
            let firsts = [keys[i], strips.get(i).copied().unwrap_or(keys[i])];
            let firsts = if firsts[0] == firsts[1] {
                &firsts[..1]
            } else {
                &firsts[..]
            };
            for &first in firsts {
                let mut b = KeyBuilder::new(PHRASE).int(first);
                for n in 1..=self.max_len.min(keys.len() - i) {
                    if n > 1 {
                        b = b.int(keys[i + n - 1]);
                    }
                    let key = b.finish();
                    if let Some(&kinds) = self.phrases.get(&key) {
                        out.push(Match {
                            start: i,
                            len: n,
                            kinds,
                            key,
                        });
                    }
                }
            }
        }
    }

    /// Sets `bits[i]` for every token covered by a listed phrase. `keys[i]` is the [`token_key`] of
    /// token `i`; `alts[i]` are keys of other forms of it (clitics off, `ال` off), tried for the
    /// first token of a phrase only.
    pub fn match_into(&self, keys: &[u64], alts: &[[u64; 2]], bits: &mut Vec<MatchBits>) {
        bits.clear();
        bits.resize(keys.len(), 0);
        if self.phrases.is_empty() {
            return;
        }
        for i in 0..keys.len() {
            let [a1, a2] = alts[i];
            let all = [keys[i], a1, a2];
            let firsts = match (a1 == keys[i], a2 == keys[i] || a2 == a1) {
                (true, true) => &all[..1],
                (false, true) => &all[..2],
                (true, false) => &[keys[i], a2][..],
                (false, false) => &all[..],
            };
            for &first in firsts {
                let mut b = KeyBuilder::new(PHRASE).int(first);
                for n in 1..=self.max_len.min(keys.len() - i) {
                    if n > 1 {
                        b = b.int(keys[i + n - 1]);
                    }
                    let Some(&kinds) = self.phrases.get(&b.finish()) else {
                        continue;
                    };
                    for k in 0..4 {
                        if kinds & (1 << k) == 0 {
                            continue;
                        }
                        if n == 1 {
                            bits[i] |= 1 << (3 * k);
                        } else {
                            bits[i] |= 2 << (3 * k);
                            for bit in &mut bits[i + 1..i + n] {
                                *bit |= 4 << (3 * k);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the entries.
    pub fn write(&self, w: &mut Writer) {
        w.u32(self.entries.len() as u32);
        for (kind, name) in &self.entries {
            w.u8(kind.index() as u8);
            w.str(name);
        }
    }

    /// Reads entries written by [`Gazetteer::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        let n = r.u32()?;
        let mut g = Gazetteer::new();
        for _ in 0..n {
            let kind = EntityKind::from_index(r.u8()? as usize)
                .ok_or(ModelError::Corrupt("entity kind"))?;
            g.add(kind, &r.str()?);
        }
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_token_and_clitic_matches() {
        let mut g = Gazetteer::new();
        g.add(EntityKind::Loc, "سوريا");
        g.add(EntityKind::Org, "الأمم المتحدة");
        g.add(EntityKind::Pers, "محمد");
        let toks = ["وسوريا", "الامم", "المتحده", "محمد"];
        let keys: Vec<u64> = toks.iter().map(|t| token_key(t)).collect();
        let mut alts: Vec<[u64; 2]> = keys.iter().map(|&k| [k, k]).collect();
        alts[0] = [token_key("سوريا"), token_key("سوريا")];
        alts[1][1] = token_key("امم");
        let mut bits = Vec::new();
        g.match_into(&keys, &alts, &mut bits);
        let loc = EntityKind::Loc.index();
        let org = EntityKind::Org.index();
        let pers = EntityKind::Pers.index();
        assert_eq!(bits[0], 1 << (3 * loc));
        assert_eq!(bits[1], 2 << (3 * org));
        assert_eq!(bits[2], 4 << (3 * org));
        assert_eq!(bits[3], 1 << (3 * pers));
        assert_eq!(g.kinds_of("الامم المتحده"), 1 << org);
        let strips: Vec<u64> = alts.iter().map(|a| a[0]).collect();
        let mut found = Vec::new();
        g.find(&keys, &strips, &mut found);
        let spans: Vec<(usize, usize, u8)> =
            found.iter().map(|m| (m.start, m.len, m.kinds)).collect();
        assert_eq!(
            spans,
            [(0, 1, 1 << loc), (1, 2, 1 << org), (3, 1, 1 << pers)]
        );
        assert_eq!(g.kinds_of_key(found[1].key), 1 << org);
        let mut w = Writer::default();
        g.write(&mut w);
        let g2 = Gazetteer::read(&mut Reader::new(&w.into_inner())).unwrap();
        assert_eq!(g2.len(), 3);
        assert_eq!(g2.kinds_of("سوريا"), 1 << loc);
    }
}
