//! Fuzzes normalize + tokenize + sentences and asserts the offset invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_text::{Options, Profile, normalize, normalize_str, sentences, tokenize};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    let n = normalize(text, &Options::SEARCH);
    let norm = n.normalized();
    assert_eq!(n.alignments().len(), norm.len());
    for (i, c) in norm.char_indices() {
        let r = n.original_range(i..i + c.len_utf8()).expect("char range maps back");
        assert!(r.start < r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
    assert_eq!(normalize_str(norm, Profile::Search), norm, "search profile is idempotent");

    let mut prev = 0;
    for t in tokenize(text) {
        assert!(prev <= t.start && t.start < t.end && t.end <= text.len());
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert_eq!(text[..t.start].chars().count(), t.char_start);
        prev = t.end;
    }
    let mut prev = 0;
    for s in sentences(text) {
        assert!(prev <= s.start && s.start < s.end && s.end <= text.len());
        prev = s.end;
    }
});
