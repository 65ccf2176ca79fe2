//! ISRI root stemmer: a port of NLTK's `ISRIStemmer` (Taghva, Elkhoury and Coombs, 2005).
//!
//! Strips diacritics, returns stop words as they are, strips prefixes and suffixes, and maps
//! words of four to seven letters onto three- or four-letter roots through fixed patterns. As
//! in NLTK, words outside those lengths come back only normalized and affix-stripped.

const ALEF: char = '\u{0627}';
const TEH: char = '\u{062A}';
const TEH_MARBUTA: char = '\u{0629}';
const MEEM: char = '\u{0645}';
const NOON: char = '\u{0646}';
const WAW: char = '\u{0648}';
const YEH: char = '\u{064A}';
const YEH_HAMZA: char = '\u{0626}';

/// NLTK's 49 stop words, compared after diacritics are removed.
const STOP_WORDS: [&str; 49] = [
    "يكون",
    "وليس",
    "وكان",
    "كذلك",
    "التي",
    "وبين",
    "عليها",
    "مساء",
    "الذي",
    "وكانت",
    "ولكن",
    "والتي",
    "تكون",
    "اليوم",
    "اللذين",
    "عليه",
    "كانت",
    "لذلك",
    "أمام",
    "هناك",
    "منها",
    "مازال",
    "لازال",
    "لايزال",
    "مايزال",
    "اصبح",
    "أصبح",
    "أمسى",
    "امسى",
    "أضحى",
    "اضحى",
    "مابرح",
    "مافتئ",
    "ماانفك",
    "لاسيما",
    "ولايزال",
    "الحالي",
    "اليها",
    "الذين",
    "فانه",
    "والذي",
    "وهذا",
    "لهذا",
    "فكان",
    "ستكون",
    "اليه",
    "يمكن",
    "بهذا",
    "الذى",
];

/// Three-letter prefixes, tried in order on words of six letters or more.
const P3: [&str; 4] = ["كال", "بال", "ولل", "وال"];
/// Two-letter prefixes, tried in order on words of five letters or more.
const P2: [&str; 2] = ["ال", "لل"];
/// One-letter prefixes.
const P1: [char; 9] = ['ل', 'ب', 'ف', 'س', 'و', 'ي', 'ت', 'ن', 'ا'];
/// Three-letter suffixes, tried in order on words of six letters or more.
const S3: [&str; 5] = ["تمل", "همل", "تان", "تين", "كمل"];
/// Two-letter suffixes, tried in order on words of five letters or more.
const S2: [&str; 16] = [
    "ون", "ات", "ان", "ين", "تن", "كم", "هن", "نا", "يا", "ها", "تم", "كن", "ني", "وا", "ما", "هم",
];
/// One-letter suffixes.
const S1: [char; 7] = ['ة', 'ه', 'ي', 'ك', 'ت', 'ا', 'ن'];

/// A word of at most seven letters, the only lengths ISRI's patterns apply to.
#[derive(Clone, Copy)]
struct Short {
    c: [char; 7],
    n: usize,
}

impl Short {
    fn new(word: &str) -> Short {
        let mut s = Short { c: ['\0'; 7], n: 0 };
        for ch in word.chars().take(7) {
            s.c[s.n] = ch;
            s.n += 1;
        }
        s
    }

    fn len(&self) -> usize {
        self.n
    }

    fn at(&self, i: usize) -> char {
        debug_assert!(i < self.n);
        self.c[i]
    }

    /// Keeps the letters at `idx` (ascending), in that order.
    fn keep(&mut self, idx: &[usize]) {
        let old = self.c;
        for (k, &i) in idx.iter().enumerate() {
            self.c[k] = old[i];
        }
        self.n = idx.len();
    }

    fn drop_first(&mut self) {
        self.c.copy_within(1..self.n, 0);
        self.n -= 1;
    }

    fn starts_with(&self, p: &str) -> bool {
        p.chars().count() <= self.n && p.chars().zip(&self.c).all(|(a, &b)| a == b)
    }

    /// NLTK's `suf1`: removes the first matching one-letter suffix.
    fn suf1(&mut self) {
        if self.n > 0 && S1.contains(&self.c[self.n - 1]) {
            self.n -= 1;
        }
    }

    /// NLTK's `pre1`: removes the first matching one-letter prefix.
    fn pre1(&mut self) {
        if self.n > 0 && P1.contains(&self.c[0]) {
            self.drop_first();
        }
    }

    /// Length-four patterns, three-letter roots.
    fn pro_w4(&mut self) {
        if self.at(0) == MEEM {
            self.keep(&[1, 2, 3]);
        } else if self.at(1) == ALEF {
            self.keep(&[0, 2, 3]);
        } else if matches!(self.at(2), ALEF | WAW | YEH) {
            self.keep(&[0, 1, 3]);
        } else if self.at(3) == TEH_MARBUTA {
            self.keep(&[0, 1, 2]);
        } else {
            self.suf1();
            if self.len() == 4 {
                self.pre1();
            }
        }
    }

    /// Length-five patterns, three-letter roots.
    fn pro_w53(&mut self) {
        let c = self.c;
        if matches!(c[2], ALEF | TEH) && c[0] == ALEF {
            self.keep(&[1, 3, 4]); // افتعل - افاعل
        } else if matches!(c[3], ALEF | YEH | WAW) && c[0] == MEEM {
            self.keep(&[1, 2, 4]); // مفعول - مفعال - مفعيل
        } else if matches!(c[0], ALEF | TEH | MEEM) && c[4] == TEH_MARBUTA {
            self.keep(&[1, 2, 3]); // مفعلة - تفعلة - افعلة
        } else if matches!(c[0], MEEM | YEH | TEH) && c[2] == TEH {
            self.keep(&[1, 3, 4]); // مفتعل - يفتعل - تفتعل
        } else if matches!(c[0], MEEM | TEH) && c[2] == ALEF {
            self.keep(&[1, 3, 4]); // مفاعل - تفاعل
        } else if matches!(c[2], ALEF | WAW) && c[4] == TEH_MARBUTA {
            self.keep(&[0, 1, 3]); // فعولة - فعالة
        } else if matches!(c[0], ALEF | MEEM) && c[1] == NOON {
            self.keep(&[2, 3, 4]); // انفعل - منفعل
        } else if c[3] == ALEF && c[0] == ALEF {
            self.keep(&[1, 2, 4]); // افعال
        } else if c[4] == NOON && c[3] == ALEF {
            self.keep(&[0, 1, 2]); // فعلان
        } else if c[3] == YEH && c[0] == TEH {
            self.keep(&[1, 2, 4]); // تفعيل
        } else if c[3] == WAW && c[1] == ALEF {
            self.keep(&[0, 2, 4]); // فاعول
        } else if c[2] == ALEF && c[1] == WAW {
            self.keep(&[0, 3, 4]); // فواعل
        } else if c[3] == YEH_HAMZA && c[2] == ALEF {
            self.keep(&[0, 1, 4]); // فعائل
        } else if c[4] == TEH_MARBUTA && c[1] == ALEF {
            self.keep(&[0, 2, 3]); // فاعلة
        } else if c[4] == YEH && c[2] == ALEF {
            self.keep(&[0, 1, 3]); // فعالي
        } else {
            self.suf1();
            if self.len() == 5 {
                self.pre1();
            }
        }
    }

    /// Length-five patterns, four-letter roots.
    fn pro_w54(&mut self) {
        if matches!(self.at(0), ALEF | TEH | MEEM) {
            self.keep(&[1, 2, 3, 4]); // تفعلل - افعلل - مفعلل
        } else if self.at(4) == TEH_MARBUTA {
            self.keep(&[0, 1, 2, 3]); // فعللة
        } else if self.at(2) == ALEF {
            self.keep(&[0, 1, 3, 4]); // فعالل
        }
    }

    fn end_w5(&mut self) {
        match self.len() {
            4 => self.pro_w4(),
            5 => self.pro_w54(),
            _ => {}
        }
    }

    /// Length-six patterns, three-letter roots.
    fn pro_w6(&mut self) {
        let c = self.c;
        if self.starts_with("است") || self.starts_with("مست") {
            self.keep(&[3, 4, 5]); // مستفعل - استفعل
        } else if c[0] == MEEM && c[3] == ALEF && c[5] == TEH_MARBUTA {
            self.keep(&[1, 2, 4]); // مفعالة
        } else if c[0] == ALEF && c[2] == TEH && c[4] == ALEF {
            self.keep(&[1, 3, 5]); // افتعال
        } else if c[0] == ALEF && c[3] == WAW && c[2] == c[4] {
            self.keep(&[1, 4, 5]); // افعوعل
        } else if c[0] == TEH && c[2] == ALEF && c[4] == YEH {
            self.keep(&[1, 3, 5]); // تفاعيل
        } else {
            self.suf1();
            if self.len() == 6 {
                self.pre1();
            }
        }
    }

    /// Length-six patterns, four-letter roots.
    fn pro_w64(&mut self) {
        if self.at(0) == ALEF && self.at(4) == ALEF {
            self.keep(&[1, 2, 3, 5]); // افعلال
        } else if self.starts_with("مت") {
            self.keep(&[2, 3, 4, 5]); // متفعلل
        }
    }

    fn end_w6(&mut self) {
        match self.len() {
            5 => {
                self.pro_w53();
                self.end_w5();
            }
            6 => self.pro_w64(),
            _ => {}
        }
    }

    /// The length-dependent root extraction of NLTK's `stem`.
    fn extract(&mut self) {
        match self.len() {
            4 => self.pro_w4(),
            5 => {
                self.pro_w53();
                self.end_w5();
            }
            6 => {
                self.pro_w6();
                self.end_w6();
            }
            7 => {
                self.suf1();
                if self.len() == 7 {
                    self.pre1();
                }
                if self.len() == 6 {
                    self.pro_w6();
                    self.end_w6();
                }
            }
            _ => {}
        }
    }
}

fn is_short_vowel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}')
}

fn is_initial_hamza(c: char) -> bool {
    matches!(c, '\u{0622}' | '\u{0623}' | '\u{0625}')
}

/// Writes the ISRI stem (usually a root) of `word` into `out` (cleared first).
pub fn isri_stem_into(word: &str, out: &mut String) {
    out.clear();
    out.extend(word.chars().filter(|&c| !is_short_vowel(c)));
    if STOP_WORDS.contains(&out.as_str()) {
        return;
    }
    // The affix steps only cut the ends, so track the kept byte range `s..e` of `out`.
    let (mut s, mut e) = (0, out.len());
    let mut n = out.chars().count();
    // pre32: a three-letter prefix on six letters or more, else a two-letter one on five.
    let kept = &out[s..e];
    let prefix = (n >= 6)
        .then(|| P3.iter().find(|p| kept.starts_with(**p)))
        .flatten()
        .or_else(|| {
            (n >= 5)
                .then(|| P2.iter().find(|p| kept.starts_with(**p)))
                .flatten()
        });
    if let Some(p) = prefix {
        s += p.len();
        n -= p.chars().count();
    }
    // suf32: likewise for suffixes.
    let kept = &out[s..e];
    let suffix = (n >= 6)
        .then(|| S3.iter().find(|p| kept.ends_with(**p)))
        .flatten()
        .or_else(|| {
            (n >= 5)
                .then(|| S2.iter().find(|p| kept.ends_with(**p)))
                .flatten()
        });
    if let Some(p) = suffix {
        e -= p.len();
        n -= p.chars().count();
    }
    // waw: drop a connective و before a word starting with و.
    if n >= 4 && out[s..e].starts_with("وو") {
        s += WAW.len_utf8();
        n -= 1;
    }
    if (4..=7).contains(&n) {
        let mut short = Short::new(&out[s..e]);
        if is_initial_hamza(short.c[0]) {
            short.c[0] = ALEF;
        }
        short.extract();
        out.clear();
        out.extend(&short.c[..short.n]);
    } else {
        out.truncate(e);
        out.drain(..s);
        if out.starts_with(is_initial_hamza) {
            // All three hamza-seated alefs and the bare alef are two bytes long.
            out.replace_range(..ALEF.len_utf8(), "\u{0627}");
        }
    }
}

/// Returns the ISRI stem (usually a root) of `word`, as NLTK's `ISRIStemmer().stem` would.
pub fn isri_stem(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    isri_stem_into(word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_roots() {
        assert_eq!(isri_stem("والكتاب"), "كتب");
        assert_eq!(isri_stem("مستخدم"), "خدم");
        assert_eq!(isri_stem("استخدم"), "خدم");
        assert_eq!(isri_stem("المعلمون"), "علم");
        assert_eq!(isri_stem("مدرسة"), "درس");
        assert_eq!(isri_stem("تفاعيل"), "فعل");
    }

    #[test]
    fn keeps_stop_words_and_short_words() {
        assert_eq!(isri_stem("يكون"), "يكون");
        assert_eq!(isri_stem("كتب"), "كتب");
        assert_eq!(isri_stem(""), "");
    }

    #[test]
    fn normalizes_initial_hamza_and_diacritics() {
        assert_eq!(isri_stem("أحمد"), "حمد");
        assert_eq!(isri_stem("أَب"), "اب");
        assert_eq!(isri_stem("الْكِتَابُ"), "كتب");
    }

    #[test]
    fn into_reuses_the_buffer() {
        let mut buf = String::from("junk");
        isri_stem_into("مستخدم", &mut buf);
        assert_eq!(buf, "خدم");
    }
}
