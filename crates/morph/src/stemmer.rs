//! The [`Stemmer`] choice shared by the CLI and the search index.

use std::fmt;
use std::str::FromStr;

use crate::{isri_stem_into, light_stem_into, snowball_stem_into};

/// Which Arabic stemmer to apply to each word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Stemmer {
    /// Lucene's light stemmer (normalization + prefix/suffix stripping).
    #[default]
    Light,
    /// NLTK's ISRI root stemmer.
    Isri,
    /// The Snowball Arabic stemmer.
    Snowball,
    /// No stemming: the word is returned as it is.
    None,
}

impl Stemmer {
    /// Every stemmer, in the order of their names in [`Stemmer::NAMES`].
    pub const ALL: [Stemmer; 4] = [
        Stemmer::Light,
        Stemmer::Isri,
        Stemmer::Snowball,
        Stemmer::None,
    ];
    /// The names accepted by [`FromStr`] and printed by [`Display`](fmt::Display).
    pub const NAMES: [&'static str; 4] = ["light", "isri", "snowball", "none"];

    /// Returns this stemmer's name.
    pub fn name(self) -> &'static str {
        match self {
            Stemmer::Light => "light",
            Stemmer::Isri => "isri",
            Stemmer::Snowball => "snowball",
            Stemmer::None => "none",
        }
    }

    /// Writes the stem of `word` into `out` (cleared first).
    pub fn stem_into(self, word: &str, out: &mut String) {
        match self {
            Stemmer::Light => light_stem_into(word, out),
            Stemmer::Isri => isri_stem_into(word, out),
            Stemmer::Snowball => snowball_stem_into(word, out),
            Stemmer::None => {
                out.clear();
                out.push_str(word);
            }
        }
    }

    /// Returns the stem of `word`.
    pub fn stem(self, word: &str) -> String {
        let mut out = String::with_capacity(word.len());
        self.stem_into(word, &mut out);
        out
    }
}

impl fmt::Display for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a stemmer name that is not one of [`Stemmer::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stemmer {0:?} (expected one of: light, isri, snowball, none)")]
pub struct UnknownStemmer(pub String);

impl FromStr for Stemmer {
    type Err = UnknownStemmer;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stemmer::ALL
            .into_iter()
            .find(|st| st.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownStemmer(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (st, name) in Stemmer::ALL.into_iter().zip(Stemmer::NAMES) {
            assert_eq!(st.to_string(), name);
            assert_eq!(name.parse::<Stemmer>(), Ok(st));
        }
        assert_eq!("ISRI".parse::<Stemmer>(), Ok(Stemmer::Isri));
        assert!("khoja".parse::<Stemmer>().is_err());
    }

    #[test]
    fn dispatches_to_each_stemmer() {
        assert_eq!(Stemmer::Light.stem("والكتاب"), "كتاب");
        assert_eq!(Stemmer::Isri.stem("والكتاب"), "كتب");
        assert_eq!(Stemmer::Snowball.stem("والكتاب"), "والكتاب");
        assert_eq!(Stemmer::Snowball.stem("المدرسة"), "مدرس");
        assert_eq!(Stemmer::None.stem("والكتاب"), "والكتاب");
    }
}
