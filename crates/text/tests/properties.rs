//! Property tests: offsets slice the original, normalization is idempotent, nothing panics.

use proptest::prelude::*;
use qalam_text::{Options, Profile, normalize, normalize_str, sentences, tokenize};

/// Strings mixing Arabic letters, marks, digits, controls, presentation forms, emoji and ASCII.
fn arabic_soup() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        "[\u{0621}-\u{064A}]{1,8}",
        "[\u{064B}-\u{0652}\u{0670}\u{0640}]",
        "[0-9\u{0660}-\u{0669}\u{06F0}-\u{06F9}]{1,4}",
        "[.,!?؟،؛:«»()\"' \n\t…٫٬#@%$]",
        "[\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{061C}\u{FEFF}]",
        "[\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}]",
        "[a-zA-Z]{1,6}",
        "(https?://|www\\.)[a-z.]{1,8}",
        "[a-z]{1,4}@[a-z]{1,4}\\.[a-z]{2,3}",
        "[\u{1F300}-\u{1F6FF}\u{1F1E6}-\u{1F1FF}\u{1F3FB}\u{200D}\u{FE0F}]",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![arabic_soup(), any::<String>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn tokens_slice_back_to_their_text(text in any_text()) {
        let tokens = tokenize(&text);
        let mut prev_end = 0;
        for t in &tokens {
            prop_assert!(t.start < t.end, "empty token {t:?}");
            prop_assert!(t.start >= prev_end, "overlapping tokens");
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert_eq!(text[..t.start].chars().count(), t.char_start);
            prop_assert_eq!(text[t.start..t.end].chars().count(), t.char_end - t.char_start);
            prev_end = t.end;
        }
    }

    #[test]
    fn sentences_cover_tokens_in_order(text in any_text()) {
        let mut prev_end = 0;
        for s in sentences(&text) {
            prop_assert!(s.start < s.end && s.start >= prev_end);
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prev_end = s.end;
        }
    }

    #[test]
    fn normalization_is_idempotent(text in any_text()) {
        for p in [Profile::Search, Profile::Display] {
            let once = normalize_str(&text, p);
            prop_assert_eq!(normalize_str(&once, p), once.clone());
        }
    }

    #[test]
    fn alignment_maps_every_normalized_char_into_the_original(text in any_text()) {
        let n = normalize(&text, &Options::SEARCH);
        let norm = n.normalized();
        prop_assert_eq!(n.alignments().len(), norm.len());
        let mut prev_start = 0;
        for (i, c) in norm.char_indices() {
            let r = n.original_range(i..i + c.len_utf8()).expect("char range maps");
            prop_assert!(r.start < r.end && r.end <= text.len());
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(r.start >= prev_start, "alignment goes backwards");
            prev_start = r.start;
        }
        let whole = n.original_range(0..norm.len()).unwrap();
        prop_assert!(whole.end <= text.len());
    }

    #[test]
    fn token_norm_equals_normalized_surface(text in arabic_soup()) {
        for t in tokenize(&text) {
            if t.kind == qalam_text::TokenKind::Word {
                prop_assert_eq!(&t.norm, &normalize_str(&text[t.start..t.end], Profile::Search));
            }
        }
    }
}
