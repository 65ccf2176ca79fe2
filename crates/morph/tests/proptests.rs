//! Property tests: the stemmers never panic and their `_into` forms match the allocating ones.

use proptest::prelude::*;
use qalam_morph::{Stemmer, isri_stem, light::normalize, light_stem};

/// Arabic-heavy strings: letters, diacritics, tatweel, affix letters, Latin, astral chars.
fn arabicish() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "[\u{0600}-\u{06FF}\u{0640}\u{064B}-\u{0652}\u{FE70}-\u{FEFF}والبكفلهيةتن a-z0-9😀\u{1D400}]{0,24}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn stemmers_never_panic_on_any_string(word in any::<String>()) {
        let mut buf = String::from("stale");
        for st in Stemmer::ALL {
            st.stem_into(&word, &mut buf);
            prop_assert_eq!(&buf, &st.stem(&word));
        }
    }

    #[test]
    fn stemmers_never_panic_on_arabic(word in arabicish()) {
        let mut buf = String::from("stale");
        for st in Stemmer::ALL {
            st.stem_into(&word, &mut buf);
            prop_assert_eq!(&buf, &st.stem(&word));
        }
    }

    #[test]
    fn light_stem_is_a_slice_of_the_normalized_word(word in arabicish()) {
        let norm = normalize(&word);
        let stem = light_stem(&word);
        prop_assert!(norm.contains(stem.as_str()), "{:?} -> {:?} not in {:?}", word, stem, norm);
    }

    #[test]
    fn isri_never_lengthens(word in arabicish()) {
        let letters = word.chars().filter(|c| !('\u{064B}'..='\u{0652}').contains(c)).count();
        prop_assert!(isri_stem(&word).chars().count() <= letters);
    }
}
