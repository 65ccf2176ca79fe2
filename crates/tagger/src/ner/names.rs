//! The hand-written list of well-known names (`names.tsv`: countries, cities, regions,
//! organisations and armed groups, with its provenance in the file's header).
//!
//! It is read in two ways: as features of the model (like ANERgazet, under its own templates),
//! and by the document rules: a listed multi-word name stays whole, and a listed name that is
//! not also an everyday word is tagged even where the model left it out.

use qalam_text::{Profile, normalize_str};

use super::clitics::split_proclitics;
use super::data::LabelledSentence;
use super::gazetteer::{Gazetteer, token_key};
use super::{EntityKind, Tag, chunks};

use crate::linear::{ModelError, Reader, Writer};

/// The list shipped with the source (see its header for what is in it and where it comes from).
pub static BUILTIN: &str = include_str!("names.tsv");

/// Well-known names by kind, and which of them are also everyday words.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Every listed name.
    pub all: Gazetteer,
    /// The names marked `common`: also an everyday word or a frequent person's name.
    pub common: Gazetteer,
    /// Multi-word names that the training data tags in part more often than whole (its
    /// convention for قطاع غزة, مكة المكرمة, جنوب لبنان: the name without the designator or
    /// epithet), from [`Names::learn_parts`]; the rules leave them to the model.
    pub parts: Gazetteer,
}

/// A line of a names list that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("names list line {line}: {what}")]
pub struct NamesError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub what: String,
}

impl Names {
    /// The built-in list ([`BUILTIN`]).
    pub fn builtin() -> Names {
        Names::parse(BUILTIN).expect("the built-in names list parses (checked by tests)")
    }

    /// Reads `TYPE<TAB>NAME[<TAB>common]` lines; `#` starts a comment line, blank lines are skipped.
    pub fn parse(text: &str) -> Result<Names, NamesError> {
        let mut names = Names::default();
        for (i, line) in text.lines().enumerate() {
            let err = |what: String| NamesError { line: i + 1, what };
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (kind, name) = match cols[..] {
                [k, n] | [k, n, "common"] => (k, n.trim()),
                _ => {
                    return Err(err(format!(
                        "expected TYPE<TAB>NAME[<TAB>common], got {line:?}"
                    )));
                }
            };
            let kind: EntityKind = kind.parse().map_err(err)?;
            if name.is_empty() {
                return Err(err("empty name".into()));
            }
            names.all.add(kind, name);
            if cols.len() == 3 {
                names.common.add(kind, name);
            }
        }
        Ok(names)
    }

    /// True if no name is listed.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Finds, in annotated sentences, the multi-word listed names whose mentions are more often
    /// tagged in part (a chunk strictly inside the name) than whole, and keeps them in `parts`.
    pub fn learn_parts(&mut self, sentences: &[LabelledSentence]) {
        let mut tally: std::collections::HashMap<u64, (String, u8, u32, u32)> = Default::default();
        let (mut keys, mut strips, mut found) = (Vec::new(), Vec::new(), Vec::new());
        for s in sentences {
            let norms: Vec<String> = s
                .tokens
                .iter()
                .map(|t| normalize_str(t, Profile::Search))
                .collect();
            let firsts: Vec<String> = norms.iter().map(|n| split_proclitics(n, 2).1).collect();
            keys.clear();
            keys.extend(norms.iter().map(|n| token_key(n)));
            strips.clear();
            strips.extend(firsts.iter().map(|n| token_key(n)));
            found.clear();
            self.all.find(&keys, &strips, &mut found);
            let tags: Vec<Tag> = s.tags.iter().map(|t| t.parse().unwrap_or(Tag::O)).collect();
            let gold = chunks(&tags);
            for m in found.iter().filter(|m| m.len >= 2) {
                let (a, b) = (m.start, m.start + m.len);
                let whole = gold.iter().any(|&(s, e, _)| (s, e) == (a, b));
                let part = !whole
                    && gold.iter().any(|&(s, e, _)| a <= s && e <= b)
                    && gold
                        .iter()
                        .all(|&(s, e, _)| e <= a || s >= b || (a <= s && e <= b));
                let words: Vec<&str> = std::iter::once(firsts[a].as_str())
                    .chain(norms[a + 1..b].iter().map(String::as_str))
                    .collect();
                let e = tally
                    .entry(m.key)
                    .or_insert_with(|| (words.join(" "), m.kinds, 0, 0));
                e.2 += u32::from(whole);
                e.3 += u32::from(part);
            }
        }
        let mut parts: Vec<(String, u8)> = tally
            .into_values()
            .filter(|&(_, _, whole, part)| part > whole)
            .map(|(name, kinds, _, _)| (name, kinds))
            .collect();
        parts.sort();
        self.parts = Gazetteer::new();
        for (name, kinds) in parts {
            for k in EntityKind::ALL {
                if kinds & (1 << k.index()) != 0 {
                    self.parts.add(k, &name);
                }
            }
        }
    }

    /// The one kind of a normalized name if it is listed under exactly one kind and not marked
    /// common: a name the rules may tag on their own.
    pub fn sure_kind(&self, norm: &str) -> Option<EntityKind> {
        let kinds = self.all.kinds_of(norm);
        if kinds.count_ones() != 1 || self.common.kinds_of(norm) != 0 {
            return None;
        }
        EntityKind::from_index(kinds.trailing_zeros() as usize)
    }

    /// Writes the lists.
    pub fn write(&self, w: &mut Writer) {
        self.all.write(w);
        self.common.write(w);
        self.parts.write(w);
    }

    /// Reads lists written by [`Names::write`].
    pub fn read(r: &mut Reader) -> Result<Self, ModelError> {
        Ok(Names {
            all: Gazetteer::read(r)?,
            common: Gazetteer::read(r)?,
            parts: Gazetteer::read(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_parses() {
        let n = Names::builtin();
        assert!(n.all.len() > 600, "{}", n.all.len());
        assert_eq!(n.sure_kind("الموصل"), Some(EntityKind::Loc));
        assert_eq!(n.sure_kind("دير الزور"), Some(EntityKind::Loc));
        assert_eq!(n.sure_kind("داعش"), Some(EntityKind::Org));
        // Also "grandmother": listed, but never tagged by the list alone.
        assert_ne!(n.all.kinds_of("جده"), 0);
        assert_eq!(n.sure_kind("جده"), None);
        // Listed under two kinds (an Iraqi town and the FAO): not sure either.
        assert_eq!(n.sure_kind("الفاو"), None);
        assert_eq!(n.sure_kind("الرئيس"), None);
    }

    #[test]
    fn bad_lines_are_errors_with_their_number() {
        let e = Names::parse("# ok\nLOC\tالموصل\nPLACE\tx\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = Names::parse("LOC الموصل\n").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        assert!(Names::parse("LOC\tx\tmaybe\n").is_err());
        assert!(Names::parse("LOC\t \n").is_err());
        let n = Names::parse("ORG\tحماس\tcommon\r\n\nLOC\tغزة\n").unwrap();
        assert_eq!(n.sure_kind("حماس"), None);
        assert_eq!(n.sure_kind("غزه"), Some(EntityKind::Loc));
        let mut w = Writer::default();
        n.write(&mut w);
        let back = Names::read(&mut Reader::new(&w.into_inner())).unwrap();
        assert_eq!(back.sure_kind("غزه"), Some(EntityKind::Loc));
        assert_eq!(back.common.len(), 1);
    }

    #[test]
    fn names_tagged_in_part_are_learnt_from_annotations() {
        let mut n = Names::parse("LOC\tقطاع غزة\nLOC\tغزة\nLOC\tدير الزور\n").unwrap();
        let sent = |words: &str, tags: &str| LabelledSentence {
            tokens: words.split(' ').map(String::from).collect(),
            tags: tags.split(' ').map(String::from).collect(),
        };
        let data = [
            sent("في قطاع غزة", "O O B-LOC"),
            sent("وقطاع غزة", "O B-LOC"),
            sent("قطاع غزة", "B-LOC I-LOC"),
            sent("في دير الزور", "O B-LOC I-LOC"),
            sent("في دير الزور", "O B-LOC O"),
        ];
        n.learn_parts(&data);
        assert_ne!(n.parts.kinds_of("قطاع غزه"), 0);
        // Tagged whole as often as in part: left to the rules.
        assert_eq!(n.parts.kinds_of("دير الزور"), 0);
        assert_eq!(n.parts.len(), 1);
    }
}
