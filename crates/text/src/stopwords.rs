//! Arabic stopwords: a curated list of function words, SEARCH-normalized and embedded.
//!
//! The list (`data/stopwords.txt`) is built by `scripts/stopwords.py` from two MIT-licensed
//! lists; its header credits them and says which entries were dropped and why. Lookups take a
//! word that is already normalized with [`Profile::Search`](crate::normalize::Profile::Search).
//!
//! ```
//! use qalam_text::normalize::{normalize_str, Profile};
//! use qalam_text::stopwords::is_stopword;
//!
//! assert!(is_stopword(&normalize_str("إلى", Profile::Search)));
//! assert!(!is_stopword(&normalize_str("داعش", Profile::Search)));
//! ```

use std::sync::OnceLock;

use crate::hash::FxHashSet;

/// The embedded list: `#` comment lines, then one normalized word per line.
const LIST: &str = include_str!("../data/stopwords.txt");

/// The words of `LIST`, sorted and deduplicated, and the same words as a set.
struct Table {
    sorted: Vec<&'static str>,
    set: FxHashSet<&'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut sorted: Vec<&str> = LIST
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let set = sorted.iter().copied().collect();
        Table { sorted, set }
    })
}

/// True when `norm`, a word already normalized with the SEARCH profile, is a stopword.
pub fn is_stopword(norm: &str) -> bool {
    table().set.contains(norm)
}

/// All stopwords, in byte order.
pub fn stopwords() -> impl Iterator<Item = &'static str> {
    table().sorted.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{Profile, normalize_str};

    fn body() -> impl Iterator<Item = &'static str> {
        LIST.lines().filter(|l| !l.starts_with('#'))
    }

    /// Words the header lists as dropped (indented comment lines under "Dropped").
    fn dropped() -> Vec<String> {
        LIST.lines()
            .skip_while(|l| !l.starts_with("# Dropped"))
            .filter_map(|l| l.strip_prefix("#     "))
            .flat_map(str::split_whitespace)
            .map(|w| {
                if w == "(empty)" {
                    String::new()
                } else {
                    w.replace('_', " ")
                }
            })
            .collect()
    }

    #[test]
    fn file_is_sorted_unique_and_clean() {
        let b: Vec<&str> = body().collect();
        assert!(b.len() > 400, "{} words", b.len());
        assert!(b.windows(2).all(|w| w[0] < w[1]), "not strictly sorted");
        for w in &b {
            assert!(!w.is_empty() && w.trim() == *w, "{w:?}");
            assert!(
                w.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)),
                "{w:?}"
            );
        }
        assert_eq!(stopwords().count(), b.len());
    }

    #[test]
    fn entries_are_search_normalized() {
        for w in stopwords() {
            assert_eq!(normalize_str(w, Profile::Search), w);
        }
    }

    #[test]
    fn dropped_words_are_absent() {
        let d = dropped();
        assert!(
            d.len() > 150,
            "{} dropped words parsed from the header",
            d.len()
        );
        for w in &d {
            assert!(
                !is_stopword(w),
                "{w} is listed as dropped but is a stopword"
            );
        }
    }

    #[test]
    fn function_words_are_stopwords() {
        for w in [
            "في", "من", "الي", "علي", "عن", "الذي", "التي", "هذه", "ان", "لم", "قد",
        ] {
            assert!(is_stopword(w), "{w}");
        }
        for w in [
            "داعش",
            "الموصل",
            "سنه",
            "دولار",
            "يناير",
            "عين",
            "ذهب",
            "",
            "the",
        ] {
            assert!(!is_stopword(w), "{w}");
        }
        // Only normalized input matches: the caller folds first.
        assert!(!is_stopword("إلى"));
    }

    #[test]
    fn stopwords_of_a_news_sentence() {
        let text =
            "لا تزال داعش تطلق تهديداتها للعالم أجمع ، تعد بتكثيف عملياتها فى الولايات المتحدة";
        let stop: Vec<String> = text
            .split_whitespace()
            .map(|w| normalize_str(w, Profile::Search))
            .filter(|w| is_stopword(w))
            .collect();
        assert_eq!(stop, ["لا", "اجمع", "في"]);
    }
}
