//! Snowball Arabic stemmer, through the `rust-stemmers` crate.

use rust_stemmers::{Algorithm, Stemmer};

/// Writes the Snowball Arabic stem of `word` into `out` (cleared first).
pub fn snowball_stem_into(word: &str, out: &mut String) {
    out.clear();
    out.push_str(&Stemmer::create(Algorithm::Arabic).stem(word));
}

/// Returns the Snowball Arabic stem of `word`.
pub fn snowball_stem(word: &str) -> String {
    Stemmer::create(Algorithm::Arabic).stem(word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_common_words() {
        assert_eq!(snowball_stem("المدرسة"), "مدرس");
        assert_eq!(snowball_stem("abc"), "abc");
        assert_eq!(snowball_stem(""), "");
    }
}
