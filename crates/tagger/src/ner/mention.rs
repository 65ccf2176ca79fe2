//! Where a name starts inside the first word of an entity, and the name's key.
//!
//! Arabic writes the proclitics و ف (and, so), ب ل ك (in, for, like) and their combinations
//! (وب، ول، فل …) as one word with the name: وسوريا، بالموصل. The entity's span leaves them out
//! and its key is the name alone (`سوريا`, `الموصل`). But many names begin with the same letters
//! (وليد، فرنسا، بغداد، لبنان، كندا، ورنة), so the first word is read as proclitics + name only
//! on evidence, in this order:
//!
//! 1. a multi-word name listed (ANERgazet or the built-in names list) with its first word
//!    stripped, and not with it whole, is stripped: لجامعة الدول العربية;
//! 2. otherwise the candidates are the readings whose name is *name-like*, or that leave a
//!    clitic before the article (وال، بال، لل): a name-like word is listed (those lists or the
//!    training data's names) or, seen at least 5 times on its own in SaudiNewsNet, tagged as an
//!    entity in at least 30% of its occurrences (the type evidence of [`super::AutoLexicon`]);
//!    a word that is neither (رنة "a ring", ليد) is never what a name is cut down to. A
//!    candidate wins over the whole word if it is seen on its own in SaudiNewsNet more often
//!    than the whole word, times how rarely its clitics precede names ([`prior`]): وسوريا
//!    (373) is و + سوريا (2,930), وليد (406) stays whole, and كندا stays whole though ندا is a
//!    name too;
//! 3. without frequencies for any reading, a name-like reading (or else one that leaves clitic
//!    + article) wins over a whole word that is not name-like.
//!
//! Where ل fuses with the article (ل + العراق → للعراق), the span covers what is visible of the
//! name, "لعراق", as the PADT segmenter's spans do, and the key restores the full name, العراق.
//! The segmenter itself is not asked: it decides from letters and PADT's vocabulary, which has
//! few of the names that news is about, and this decision needs name lists and frequencies.

use qalam_text::normalize::fold_char;
use qalam_text::{Options, Profile, normalize_str};

use super::Resources;
use super::clitics::split_proclitics;

/// One reading of the first word of a name: `skip` normalized chars of proclitics, then `name`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Reading {
    skip: usize,
    name: String,
}

/// Names are at least this many chars long once their proclitics are off.
const MIN_NAME_CHARS: usize = 3;

/// A word's type evidence makes it name-like only if it is seen this often on its own.
const AUTO_MIN_COUNT: u32 = 5;

/// An entity of `words` (surface forms) read as a name: where it starts in the first word and
/// its key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset, inside the first word, where the visible name starts.
    pub start: usize,
    /// Canonical form: search-normalized, proclitics off, tokens joined by a space.
    pub key: String,
}

/// The readings of a search-normalized word: whole, without و/ف, without ب/ل/ك (after و/ف or
/// not), and for ل before ل with the article's alef or alef and lam restored.
fn readings(word: &str) -> Vec<Reading> {
    let mut out = vec![Reading {
        skip: 0,
        name: word.to_string(),
    }];
    let mut bases = vec![(0, word)];
    if let Some(rest) = word.strip_prefix(['و', 'ف']) {
        bases.push((1, rest));
    }
    for (skip, base) in bases {
        if skip > 0 {
            out.push(Reading {
                skip,
                name: base.to_string(),
            });
        }
        for p in ['ب', 'ل', 'ك'] {
            let Some(rest) = base.strip_prefix(p) else {
                continue;
            };
            out.push(Reading {
                skip: skip + 1,
                name: rest.to_string(),
            });
            if p == 'ل' && rest.starts_with('ل') {
                // ل + العراق → للعراق (the article's alef dropped), ل + اللاذقية → للاذقية.
                for article in ["ا", "ال"] {
                    out.push(Reading {
                        skip: skip + 1,
                        name: format!("{article}{rest}"),
                    });
                }
            }
        }
    }
    out.retain(|r| r.skip == 0 || r.name.chars().count() >= 2);
    out
}

/// The byte offset in `word` (original spelling) after its first `n` search-normalized chars and
/// the marks (diacritics, tatweel) attached to them.
fn byte_after_chars(word: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let mut seen = 0;
    for (i, c) in word.char_indices() {
        let mut k = 0;
        fold_char(c, &Options::SEARCH, &mut |_| k += 1);
        if seen >= n && k > 0 {
            return i;
        }
        seen += k;
    }
    word.len()
}

impl Resources {
    /// True if the normalized `name` (one word or a phrase) is in a names list or the training
    /// data's entities.
    fn listed(&self, name: &str) -> bool {
        self.gazetteer.kinds_of(name) != 0
            || self.names.all.kinds_of(name) != 0
            || self.lexicon.contains(name)
    }

    /// True if a reading's first word (`first`, with the entity's other words `rest`) is
    /// evidence of a name: listed, or mostly tagged as an entity in unlabelled text.
    fn name_like(&self, first: &str, rest: &[String]) -> bool {
        if self.listed(first) {
            return true;
        }
        if !rest.is_empty() {
            let mut phrase = first.to_string();
            for w in rest {
                phrase.push(' ');
                phrase.push_str(w);
            }
            if self.listed(&phrase) {
                return true;
            }
        }
        // The type evidence is kept by clitic-stripped form, so that of سوريا also counts
        // وسوريا: it speaks for `first` only if nothing would be stripped from it and `first` is
        // frequent on its own (ليد has the evidence of وليد, but is rare alone).
        let (clitics, strip) = split_proclitics(first, 2);
        clitics.is_empty()
            && strip == first
            && self.counts.get(first) >= AUTO_MIN_COUNT
            && self
                .auto
                .get_word(first)
                .is_some_and(|e| e.share.iter().map(|&s| s as u32).sum::<u32>() >= 3)
    }

    /// Reads the entity made of `words` (surface forms): where the name starts in the first word
    /// (proclitics off, see the module doc) and its key.
    pub fn mention(&self, words: &[&str]) -> Mention {
        let mut norms: Vec<String> = words
            .iter()
            .map(|w| normalize_str(w, Profile::Search))
            .collect();
        let Some(first) = norms.iter().position(|n| !n.is_empty()) else {
            return Mention {
                start: 0,
                key: String::new(),
            };
        };
        let rest: Vec<String> = norms[first + 1..]
            .iter()
            .filter(|n| !n.is_empty())
            .cloned()
            .collect();
        let best = self.best_reading(&norms[first], &rest);
        let start = if first == 0 {
            byte_after_chars(words[0], best.skip)
        } else {
            0
        };
        norms[first] = best.name;
        let key = norms
            .iter()
            .filter(|n| !n.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        Mention { start, key }
    }

    /// The canonical key of an entity made of `tokens` (surface forms): see [`Resources::mention`].
    pub fn key(&self, tokens: &[&str]) -> String {
        self.mention(tokens).key
    }

    /// True if the phrase of `first` and `rest` is in ANERgazet or the built-in names list.
    fn listed_phrase(&self, first: &str, rest: &[String]) -> bool {
        let mut phrase = first.to_string();
        for w in rest {
            phrase.push(' ');
            phrase.push_str(w);
        }
        self.gazetteer.kinds_of(&phrase) != 0 || self.names.all.kinds_of(&phrase) != 0
    }

    /// The reading of a name's first word with the best evidence (see the module doc).
    fn best_reading(&self, word: &str, rest: &[String]) -> Reading {
        let mut all = readings(word);
        let full = all.remove(0);
        if !word.chars().any(qalam_text::chars::is_arabic_letter) {
            return full;
        }
        all.retain(|r| r.name.chars().count() >= MIN_NAME_CHARS);
        let score = |r: &Reading| prior(word, r.skip) * (self.counts.get(&r.name) as f64 + 1.0);
        let best_of = |rs: &mut dyn Iterator<Item = &Reading>| -> Option<Reading> {
            rs.map(|r| (score(r), r))
                .fold(None, |b: Option<(f64, &Reading)>, (s, r)| match b {
                    Some((bs, _)) if bs >= s => b,
                    _ => Some((s, r)),
                })
                .map(|(_, r)| r.clone())
        };
        // 1. A multi-word name listed with a reading of its first word, and not whole.
        if !rest.is_empty()
            && !self.listed_phrase(&full.name, rest)
            && let Some(r) = best_of(&mut all.iter().filter(|r| self.listed_phrase(&r.name, rest)))
        {
            return r;
        }
        // 2. The name-like readings, and those that leave clitic + article (وال، بال، لل):
        // the one most often seen on its own, weighed by how rarely its clitics precede names.
        let article = |r: &Reading| r.name.starts_with("ال") && r.name.chars().count() >= 4;
        let cands: Vec<&Reading> = all
            .iter()
            .filter(|r| article(r) || self.name_like(&r.name, rest))
            .collect();
        let full_count = self.counts.get(&full.name);
        if full_count == 0 && cands.iter().all(|r| self.counts.get(&r.name) == 0) {
            // 3. No frequencies: a name-like reading wins over a whole word that is not one
            // (a listed name first, then clitic + article).
            if self.name_like(&full.name, rest) {
                return full;
            }
            let like = cands.iter().find(|r| self.name_like(&r.name, rest));
            return like.or(cands.first()).map_or(full, |r| (*r).clone());
        }
        match best_of(&mut cands.into_iter()) {
            Some(r) if score(&r) > full_count as f64 + 1.0 => r,
            _ => full,
        }
    }
}

/// How likely the first `skip` letters of `word` are proclitics before a name, relative to the
/// name alone: the product of one weight per clitic (و 1, ب and ل 0.5, ف and ك 0.05). The
/// order follows how often each clitic precedes the built-in list's one-word names in
/// SaudiNewsNet (`examples/ner_clitics.rs` prints it: و 8.8%, ب 6.4%, ل 2.9%, ف and ك 0.1%);
/// the values were chosen on the names of UD-PADT's train.conllu with the same example.
fn prior(word: &str, skip: usize) -> f64 {
    word.chars()
        .take(skip)
        .map(|c| match c {
            'و' => 1.0,
            'ب' | 'ل' => 0.5,
            _ => 0.05,
        })
        .product()
}

#[cfg(test)]
mod tests {
    use super::super::WordCounts;
    use super::*;

    fn resources() -> Resources {
        let mut r = Resources::default();
        for w in [
            "سوريا",
            "وليد",
            "العراق",
            "لبنان",
            "الموصل",
            "بغداد",
            "فرنسا",
            "الرقه",
            "كندا",
            "ندا",
            "اللاذقيه",
            "دير الزور",
        ] {
            r.lexicon.insert(w.to_string());
        }
        r.counts = WordCounts::from_pairs([
            ("سوريا", 5000),
            ("وسوريا", 400),
            ("وليد", 300),
            ("ليد", 4),
            ("العراق", 6000),
            ("لبنان", 2000),
            ("البنان", 3),
            ("كندا", 600),
            ("ندا", 90),
            ("رنه", 40),
        ]);
        r
    }

    fn read(r: &Resources, words: &[&str]) -> (String, String) {
        let m = r.mention(words);
        let text = words.join(" ");
        (text[m.start..].to_string(), m.key)
    }

    #[test]
    fn proclitics_come_off_only_with_evidence() {
        let r = resources();
        let cases = [
            ("وسوريا", "سوريا", "سوريا"),
            ("وليد", "وليد", "وليد"),
            ("والعراق", "العراق", "العراق"),
            ("بالعراق", "العراق", "العراق"),
            ("وبالعراق", "العراق", "العراق"),
            ("للعراق", "لعراق", "العراق"),
            ("وللعراق", "لعراق", "العراق"),
            ("للبنان", "لبنان", "لبنان"),
            ("لبنان", "لبنان", "لبنان"),
            ("كندا", "كندا", "كندا"),
            ("ورنة", "ورنة", "ورنه"),
            ("وببغداد", "بغداد", "بغداد"),
            ("بغداد", "بغداد", "بغداد"),
            ("وفرنسا", "فرنسا", "فرنسا"),
            ("للاذقية", "لاذقية", "اللاذقيه"),
            ("فالموصل", "الموصل", "الموصل"),
            ("وَسُورِيَا", "سُورِيَا", "سوريا"),
        ];
        for (word, span, key) in cases {
            assert_eq!(
                read(&r, &[word]),
                (span.to_string(), key.to_string()),
                "{word}"
            );
        }
    }

    #[test]
    fn type_evidence_counts_only_for_words_frequent_on_their_own() {
        use super::super::AutoLexicon;
        use super::super::gazetteer::token_key;
        use super::super::stacking::History;
        let mut r = resources();
        // 3 occurrences of a stripped form, 2 of them tagged PERS (as the evidence of "رنه"
        // gathers ورنه, فرنه, … too).
        let mut h = History::default();
        h.add(&[token_key("رنه"), token_key("ادلب")], &[1, 3]);
        h.add(&[token_key("رنه"), token_key("ادلب")], &[1, 3]);
        h.add(&[token_key("رنه"), token_key("ادلب")], &[0, 3]);
        r.auto = AutoLexicon::from_counts(&h, 2);
        r.counts = WordCounts::from_pairs([("رنه", 2)]);
        assert_eq!(read(&r, &["ورنة"]).1, "ورنه");
        // Not seen on its own: the evidence of ادلب may be that of وادلب.
        assert_eq!(read(&r, &["وادلب"]).1, "وادلب");
        // ادلب is seen often on its own and tagged LOC: a name.
        r.counts = WordCounts::from_pairs([("ادلب", 50), ("رنه", 2)]);
        assert_eq!(
            read(&r, &["وإدلب"]),
            ("إدلب".to_string(), "ادلب".to_string())
        );
        assert_eq!(read(&r, &["ورنة"]).1, "ورنه");
    }

    #[test]
    fn multi_word_names_are_judged_whole() {
        let r = resources();
        assert_eq!(
            read(&r, &["ودير", "الزور"]),
            ("دير الزور".to_string(), "دير الزور".to_string())
        );
        assert_eq!(r.key(&["أبو", "بكر", "البغدادى"]), "ابو بكر البغدادي");
        assert_eq!(r.key(&[]), "");
        assert_eq!(r.key(&["", "بغداد"]), "بغداد");
    }

    #[test]
    fn visible_offsets_skip_marks_of_the_clitic() {
        assert_eq!(byte_after_chars("وَسوريا", 1), "وَ".len());
        assert_eq!(byte_after_chars("وـسوريا", 1), "وـ".len());
        assert_eq!(byte_after_chars("سوريا", 0), 0);
        assert_eq!(byte_after_chars("و", 1), "و".len());
        let r = readings("وللعراق");
        assert!(r.contains(&Reading {
            skip: 2,
            name: "العراق".into()
        }));
        assert!(readings("و").len() == 1);
    }
}
