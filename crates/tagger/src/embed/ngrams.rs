//! Character n-grams of a word, fastText-style: the word wrapped in `<` and `>`, every run of
//! `minn..=maxn` chars, each hashed (64-bit FNV-1a of its UTF-8 bytes) into a bucket.

use qalam_text::hash::Fnv1a;

/// Calls `f` with the bucket of every char n-gram of `<word>` of `minn..=maxn` chars, in order
/// of start, then length. The single chars `<` and `>` are never n-grams.
pub fn for_each_ngram(word: &str, minn: usize, maxn: usize, buckets: u32, mut f: impl FnMut(u32)) {
    if buckets == 0 || minn == 0 || minn > maxn {
        return;
    }
    // `<`, at most MAX_CHARS chars of the word, `>`: at most 4·62 + 2 bytes.
    let mut bytes = [0u8; 4 * MAX_CHARS + 2];
    let mut starts = [0usize; MAX_CHARS + 3];
    bytes[0] = b'<';
    let mut len = 1;
    let mut nchars = 1;
    for c in word.chars().take(MAX_CHARS) {
        starts[nchars] = len;
        nchars += 1;
        len += c.encode_utf8(&mut bytes[len..]).len();
    }
    starts[nchars] = len;
    nchars += 1;
    bytes[len] = b'>';
    len += 1;
    starts[nchars] = len;
    for i in 0..nchars {
        let mut h = Fnv1a::new();
        for n in 1..=maxn.min(nchars - i) {
            let end = i + n;
            h.write(&bytes[starts[end - 1]..starts[end]]);
            if n >= minn && !(n == 1 && (i == 0 || end == nchars)) {
                f((h.finish() % u64::from(buckets)) as u32);
            }
        }
    }
}

/// Chars of a word that its n-grams are taken from; longer words (URLs, runs of symbols) are cut.
pub const MAX_CHARS: usize = 62;

/// The char n-grams of `<word>` as strings (for tests and inspection), in the order of
/// [`for_each_ngram`].
pub fn ngrams(word: &str, minn: usize, maxn: usize) -> Vec<String> {
    let wrapped: Vec<char> = std::iter::once('<')
        .chain(word.chars().take(MAX_CHARS))
        .chain(std::iter::once('>'))
        .collect();
    let mut out = Vec::new();
    if minn == 0 {
        return out;
    }
    for i in 0..wrapped.len() {
        for n in minn..=maxn {
            if i + n > wrapped.len() || (n == 1 && (i == 0 || i + 1 == wrapped.len())) {
                continue;
            }
            out.push(wrapped[i..i + n].iter().collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use qalam_text::hash::fnv1a;

    #[test]
    fn ngrams_of_a_short_word() {
        assert_eq!(
            ngrams("علم", 3, 5),
            ["<عل", "<علم", "<علم>", "علم", "علم>", "لم>"]
        );
        assert_eq!(ngrams("ab", 1, 2), ["<a", "a", "ab", "b", "b>"]);
    }

    #[test]
    fn buckets_are_the_hashes_of_the_ngrams() {
        for word in ["علم", "الرياض", "x", "", "وبالمدرسة", &"ب".repeat(500)] {
            let mut got = Vec::new();
            for_each_ngram(word, 3, 5, 1 << 20, |b| got.push(b));
            let want: Vec<u32> = ngrams(word, 3, 5)
                .iter()
                .map(|g| (fnv1a(g.as_bytes()) % (1 << 20)) as u32)
                .collect();
            assert_eq!(got, want, "{word}");
        }
    }

    #[test]
    fn long_words_are_cut_not_a_panic() {
        let long = "ب".repeat(500);
        let mut n = 0;
        for_each_ngram(&long, 3, 5, 1000, |b| {
            assert!(b < 1000);
            n += 1;
        });
        assert!(n > 100);
        for_each_ngram("abc", 3, 2, 10, |_| panic!("no n-grams when minn > maxn"));
        for_each_ngram("abc", 3, 5, 0, |_| panic!("no n-grams without buckets"));
    }
}
