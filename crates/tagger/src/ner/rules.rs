//! Document rules applied to the model's tags: listed names stay whole and are found where the
//! model left them out, and a name keeps one type across a document.

use qalam_text::hash::FxHashMap;

use super::gazetteer::Match;
use super::names::Names;
use super::{EntityKind, Tag, chunks};
use crate::linear::keys::KeyBuilder;

/// Which document rules run after the model (all of them by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentRules {
    /// A listed multi-word name (names list) that the model tagged in part, and no further than
    /// it, is tagged whole with its listed type: دير [الزور], قوات [سوريا] الديمقراطية.
    pub whole_names: bool,
    /// A listed name under one type and not marked `common` is tagged where the model tagged
    /// none of its words.
    pub listed_names: bool,
    /// A listed organisation (one type, not `common`) that the model tags as exactly one chunk
    /// of another type is tagged ORG: داعش is an organisation wherever the model calls it a
    /// place. Not the other way round: a place's name often stands for an organisation (a
    /// football club, a government), and the model reads that from the context.
    pub listed_types: bool,
    /// The mentions of a name (same clitic-stripped words) take the type that at least two of
    /// them and two thirds of them have in the document.
    pub majority_type: bool,
    /// Untagged mentions of a name that the document tags at least as often as not are tagged
    /// with its (majority) type.
    pub propagate: bool,
}

impl Default for DocumentRules {
    fn default() -> Self {
        DocumentRules::ALL
    }
}

impl DocumentRules {
    /// Every rule.
    pub const ALL: DocumentRules = DocumentRules {
        whole_names: true,
        listed_names: true,
        listed_types: true,
        majority_type: true,
        propagate: true,
    };
    /// No rule: the model's tags as they are.
    pub const NONE: DocumentRules = DocumentRules {
        whole_names: false,
        listed_names: false,
        listed_types: false,
        majority_type: false,
        propagate: false,
    };

    /// True if no rule runs.
    pub fn is_none(&self) -> bool {
        *self == DocumentRules::NONE
    }
}

/// What the rules read about one sentence.
#[derive(Clone, Debug, Default)]
pub struct SentenceNames {
    /// Names-list phrases found in the sentence.
    pub matches: Vec<Match>,
    /// Key of each token's clitic-stripped form (0: not a word).
    pub keys: Vec<u64>,
}

fn set_chunk(tags: &mut [Tag], start: usize, len: usize, kind: EntityKind) {
    for (j, t) in tags[start..start + len].iter_mut().enumerate() {
        *t = if j == 0 { Tag::B(kind) } else { Tag::I(kind) };
    }
}

/// Runs `rules` over the tags of one document (`tags[i]` for `sents[i]`).
pub fn apply(rules: DocumentRules, names: &Names, sents: &[SentenceNames], tags: &mut [Vec<Tag>]) {
    if rules.is_none() {
        return;
    }
    let mut fixed: Vec<Vec<bool>> = Vec::with_capacity(tags.len());
    for (s, t) in sents.iter().zip(tags.iter_mut()) {
        fixed.push(listed(rules, names, s, t));
    }
    if rules.majority_type || rules.propagate {
        one_type_per_name(rules, sents, tags, &fixed);
    }
}

/// The names-list rules on one sentence; returns which tokens they set.
fn listed(rules: DocumentRules, names: &Names, s: &SentenceNames, tags: &mut [Tag]) -> Vec<bool> {
    let mut fixed = vec![false; tags.len()];
    if !(rules.whole_names || rules.listed_names || rules.listed_types) || s.matches.is_empty() {
        return fixed;
    }
    let mut order: Vec<&Match> = s.matches.iter().collect();
    order.sort_by_key(|m| (std::cmp::Reverse(m.len), m.start));
    for m in order {
        let range = m.start..m.start + m.len;
        if range.end > tags.len() || fixed[range.clone()].iter().any(|&f| f) {
            continue;
        }
        if m.kinds.count_ones() != 1 || names.parts.kinds_of_key(m.key) != 0 {
            continue;
        }
        let Some(kind) = EntityKind::from_index(m.kinds.trailing_zeros() as usize) else {
            continue;
        };
        let tagged = tags[range.clone()].iter().any(|t| *t != Tag::O);
        // Every chunk touching the phrase lies inside it; is it one chunk, the whole phrase?
        let starts_inside = !matches!(tags[range.start], Tag::I(_));
        let ends_inside = !matches!(tags.get(range.end), Some(Tag::I(_)));
        let one_chunk = matches!(tags[range.start], Tag::B(_))
            && tags[range.start + 1..range.end]
                .iter()
                .all(|t| matches!(t, Tag::I(_)));
        let sure = names.common.kinds_of_key(m.key) == 0;
        if one_chunk && ends_inside && sure && tags[range.start].kind() == Some(kind) {
            // Already right: kept as it is by the document-wide rules too.
            for f in &mut fixed[range] {
                *f = true;
            }
            continue;
        }
        let apply = if !tagged {
            rules.listed_names && sure
        } else if !(starts_inside && ends_inside) {
            false
        } else if one_chunk {
            rules.listed_types
                && sure
                && kind == EntityKind::Org
                && tags[range.start].kind() != Some(kind)
        } else {
            rules.whole_names && m.len >= 2
        };
        if !apply {
            continue;
        }
        set_chunk(tags, m.start, m.len, kind);
        for f in &mut fixed[range] {
            *f = true;
        }
    }
    fixed
}

/// A chunk's identity: its tokens' clitic-stripped keys (0 if a token is not a word).
fn chunk_key(keys: &[u64]) -> u64 {
    if keys.contains(&0) {
        return 0;
    }
    keys.iter()
        .fold(KeyBuilder::new(0x7275_6c65), |b, &k| b.int(k))
        .finish()
}

/// Majority type and propagation over the document.
fn one_type_per_name(
    rules: DocumentRules,
    sents: &[SentenceNames],
    tags: &mut [Vec<Tag>],
    fixed: &[Vec<bool>],
) {
    // Per name: its token keys and the number of chunks of each kind.
    let mut names: FxHashMap<u64, (Vec<u64>, [u32; 4])> = FxHashMap::default();
    let mut found: Vec<Vec<(usize, usize, EntityKind, u64)>> = Vec::with_capacity(tags.len());
    for (s, t) in sents.iter().zip(tags.iter()) {
        let mut v = Vec::new();
        for (a, b, kind) in chunks(t) {
            let Some(keys) = s.keys.get(a..b) else {
                continue;
            };
            let key = chunk_key(keys);
            if key == 0 {
                continue;
            }
            let e = names.entry(key).or_insert_with(|| (keys.to_vec(), [0; 4]));
            e.1[kind.index()] += 1;
            v.push((a, b, kind, key));
        }
        found.push(v);
    }
    if names.is_empty() {
        return;
    }
    let majority = |counts: &[u32; 4]| -> Option<EntityKind> {
        let total: u32 = counts.iter().sum();
        let (k, &n) = counts
            .iter()
            .enumerate()
            .max_by_key(|&(k, &n)| (n, 4 - k))?;
        (n >= 2 && 3 * n >= 2 * total)
            .then(|| EntityKind::from_index(k))
            .flatten()
    };
    if rules.majority_type {
        for (v, (t, f)) in found.iter().zip(tags.iter_mut().zip(fixed)) {
            for &(a, b, kind, key) in v {
                if f[a..b].iter().any(|&x| x) {
                    continue;
                }
                if let Some(m) = names.get(&key).and_then(|e| majority(&e.1))
                    && m != kind
                {
                    set_chunk(t, a, b - a, m);
                }
            }
        }
    }
    if !rules.propagate {
        return;
    }
    // Untagged mentions: where the name's token keys follow each other and are all O.
    let mut by_first: FxHashMap<u64, Vec<u64>> = FxHashMap::default();
    for (&key, (keys, _)) in &names {
        by_first.entry(keys[0]).or_default().push(key);
    }
    let mut untagged: Vec<(usize, usize, usize, u64)> = Vec::new();
    let mut missed: FxHashMap<u64, u32> = FxHashMap::default();
    for (si, (s, t)) in sents.iter().zip(tags.iter()).enumerate() {
        for i in 0..t.len().min(s.keys.len()) {
            if t[i] != Tag::O || s.keys[i] == 0 {
                continue;
            }
            let Some(cands) = by_first.get(&s.keys[i]) else {
                continue;
            };
            for &key in cands {
                let keys = &names[&key].0;
                let end = i + keys.len();
                if end <= t.len()
                    && s.keys[i..end] == keys[..]
                    && t[i..end].iter().all(|x| *x == Tag::O)
                    && !matches!(t.get(end), Some(Tag::I(_)))
                {
                    untagged.push((si, i, end, key));
                    *missed.entry(key).or_default() += 1;
                }
            }
        }
    }
    for (si, a, b, key) in untagged {
        let counts = &names[&key].1;
        let tagged: u32 = counts.iter().sum();
        if tagged < missed[&key] {
            continue;
        }
        let Some(kind) = majority(counts).or_else(|| {
            // A name tagged once, or always with one type.
            let kinds = counts.iter().filter(|&&n| n > 0).count();
            let k = counts.iter().position(|&n| n > 0)?;
            (kinds == 1).then(|| EntityKind::from_index(k)).flatten()
        }) else {
            continue;
        };
        if tags[si][a..b].iter().all(|x| *x == Tag::O) {
            set_chunk(&mut tags[si], a, b - a, kind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::gazetteer::token_key;
    use super::*;
    use EntityKind::*;

    fn sentence(words: &[&str], names: &Names) -> SentenceNames {
        let keys: Vec<u64> = words.iter().map(|w| token_key(w)).collect();
        let mut matches = Vec::new();
        names.all.find(&keys, &keys, &mut matches);
        SentenceNames { matches, keys }
    }

    fn names() -> Names {
        Names::parse("LOC\tدير الزور\nLOC\tالموصل\nORG\tقوات سوريا الديمقراطيه\nLOC\tسوريا\nLOC\tجده\tcommon\n")
            .unwrap()
    }

    #[test]
    fn listed_names_are_whole_and_found() {
        let n = names();
        let words = [
            "في",
            "دير",
            "الزور",
            "و",
            "الموصل",
            "قوات",
            "سوريا",
            "الديمقراطيه",
            "جده",
        ];
        let s = sentence(&words, &n);
        let mut tags = vec![vec![
            Tag::O,
            Tag::B(Loc),
            Tag::O,
            Tag::O,
            Tag::O,
            Tag::O,
            Tag::B(Loc),
            Tag::O,
            Tag::O,
        ]];
        apply(DocumentRules::ALL, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(
            chunks(&tags[0]),
            [(1, 3, Loc), (4, 5, Loc), (5, 8, Org)],
            "{tags:?}"
        );
        // Off: unchanged.
        let mut same = vec![vec![Tag::O, Tag::B(Loc), Tag::O, Tag::O, Tag::O]];
        let s2 = sentence(&words[..5], &n);
        apply(
            DocumentRules::NONE,
            &n,
            std::slice::from_ref(&s2),
            &mut same,
        );
        assert_eq!(chunks(&same[0]), [(1, 2, Loc)]);
    }

    #[test]
    fn a_chunk_reaching_past_the_phrase_is_left_alone() {
        let n = names();
        let words = ["دير", "الزور", "الجديده"];
        let s = sentence(&words, &n);
        let mut tags = vec![vec![Tag::B(Org), Tag::I(Org), Tag::I(Org)]];
        apply(DocumentRules::ALL, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(chunks(&tags[0]), [(0, 3, Org)]);
        // The whole phrase as one chunk of another type: a place may stand for an organisation.
        let mut tags = vec![vec![Tag::B(Org), Tag::I(Org), Tag::O]];
        apply(DocumentRules::ALL, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(chunks(&tags[0]), [(0, 2, Org)]);
        // An organisation is not a place: its listed type, if that rule is on.
        let words = ["قوات", "سوريا", "الديمقراطيه"];
        let s = sentence(&words, &n);
        let mut tags = vec![vec![Tag::B(Loc), Tag::I(Loc), Tag::I(Loc)]];
        let no_types = DocumentRules {
            listed_types: false,
            ..DocumentRules::ALL
        };
        apply(no_types, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(chunks(&tags[0]), [(0, 3, Loc)]);
        apply(DocumentRules::ALL, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(chunks(&tags[0]), [(0, 3, Org)]);
        // Not for a name that is also an everyday word.
        let words = ["جده"];
        let s = sentence(&words, &n);
        let mut tags = vec![vec![Tag::B(Pers)]];
        apply(DocumentRules::ALL, &n, std::slice::from_ref(&s), &mut tags);
        assert_eq!(tags[0], [Tag::B(Pers)]);
        // A phrase the training data tags in part is left to the model.
        let mut parts = n.clone();
        parts.parts.add(Loc, "دير الزور");
        let mut tags = vec![vec![Tag::B(Loc), Tag::O, Tag::O]];
        apply(
            DocumentRules::ALL,
            &parts,
            std::slice::from_ref(&s),
            &mut tags,
        );
        assert_eq!(chunks(&tags[0]), [(0, 1, Loc)]);
    }

    #[test]
    fn names_keep_their_majority_type_and_spread() {
        let n = Names::default();
        let doc = [
            ["قال", "داعش", "x"],
            ["قال", "داعش", "y"],
            ["في", "داعش", "z"],
            ["و", "داعش", "w"],
        ];
        let sents: Vec<SentenceNames> = doc.iter().map(|w| sentence(w, &n)).collect();
        let mut tags = vec![
            vec![Tag::O, Tag::B(Org), Tag::O],
            vec![Tag::O, Tag::B(Org), Tag::O],
            vec![Tag::O, Tag::B(Loc), Tag::O],
            vec![Tag::O, Tag::O, Tag::O],
        ];
        let only_majority = DocumentRules {
            propagate: false,
            ..DocumentRules::ALL
        };
        let mut t1 = tags.clone();
        apply(only_majority, &n, &sents, &mut t1);
        assert_eq!(t1[2][1], Tag::B(Org));
        assert_eq!(t1[3][1], Tag::O);
        apply(DocumentRules::ALL, &n, &sents, &mut tags);
        assert!(tags.iter().all(|t| t[1] == Tag::B(Org)), "{tags:?}");
        // A tie has no majority: left as it is.
        let mut tie = vec![
            vec![Tag::O, Tag::B(Org), Tag::O],
            vec![Tag::O, Tag::B(Loc), Tag::O],
        ];
        apply(DocumentRules::ALL, &n, &sents[..2], &mut tie);
        assert_eq!((tie[0][1], tie[1][1]), (Tag::B(Org), Tag::B(Loc)));
    }

    #[test]
    fn a_name_mostly_left_untagged_does_not_spread() {
        let n = Names::default();
        let doc = [["الرئيس", "قال"], ["الرئيس", "قال"], ["الرئيس", "قال"]];
        let sents: Vec<SentenceNames> = doc.iter().map(|w| sentence(w, &n)).collect();
        let mut tags = vec![
            vec![Tag::B(Pers), Tag::O],
            vec![Tag::O, Tag::O],
            vec![Tag::O, Tag::O],
        ];
        apply(DocumentRules::ALL, &n, &sents, &mut tags);
        assert_eq!((tags[1][0], tags[2][0]), (Tag::O, Tag::O));
    }
}
