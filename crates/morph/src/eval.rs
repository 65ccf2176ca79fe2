//! Scoring stemmers against gold roots and stems, and loaders for the gold sets.
//!
//! A stem and a gold root are compared after [`fold`]ing both: diacritics, tatweel and
//! superscript alef removed, every hamza form (ء أ إ آ ٱ ؤ ئ) made ا, ى made ي and ة made ه.
//! [`Accuracy::exact`] counts stems equal to a gold root; [`Accuracy::in_order`] counts stems
//! that contain a gold root's letters in order (a root-preserving stem that may keep affixes).
//! When a word has several gold roots, matching any one counts.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// A word with the gold roots (or stems) accepted for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootExample {
    /// The word as it appears in text, without diacritics.
    pub word: String,
    /// Accepted answers; never empty.
    pub roots: Vec<String>,
}

/// How well a stemmer's output matches gold roots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Accuracy {
    /// Examples scored.
    pub total: usize,
    /// Stems equal to a gold root after folding.
    pub exact: usize,
    /// Stems containing a gold root's letters in order after folding.
    pub in_order: usize,
    /// Letters in all folded stems.
    pub stem_letters: usize,
    /// Letters in all folded first gold roots.
    pub root_letters: usize,
}

impl Accuracy {
    /// Returns the share of exact matches, in `0.0..=1.0`.
    pub fn exact_rate(&self) -> f64 {
        ratio(self.exact, self.total)
    }

    /// Returns the share of stems containing the root in order, in `0.0..=1.0`.
    pub fn in_order_rate(&self) -> f64 {
        ratio(self.in_order, self.total)
    }

    /// Returns the mean stem length in letters.
    pub fn mean_stem_letters(&self) -> f64 {
        ratio(self.stem_letters, self.total)
    }

    /// Returns the mean gold root length in letters.
    pub fn mean_root_letters(&self) -> f64 {
        ratio(self.root_letters, self.total)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Writes the comparison form of `s` into `out` (cleared first).
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    for c in s.chars() {
        match c {
            '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}' => {}
            '\u{0621}' | '\u{0622}' | '\u{0623}' | '\u{0624}' | '\u{0625}' | '\u{0626}'
            | '\u{0671}' => out.push('\u{0627}'),
            '\u{0649}' => out.push('\u{064A}'),
            '\u{0629}' => out.push('\u{0647}'),
            c => out.push(c),
        }
    }
}

/// Returns the comparison form of `s`: no diacritics, hamza forms as ا, ى as ي, ة as ه.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Returns true when the chars of `needle` occur in `hay` in order.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|n| hay.any(|h| h == n))
}

/// Scores `stem` on `examples`: exact and in-order matches of folded stems and roots.
pub fn root_accuracy(examples: &[RootExample], mut stem: impl FnMut(&str) -> String) -> Accuracy {
    let mut acc = Accuracy::default();
    let (mut folded_stem, mut folded_root) = (String::new(), String::new());
    for ex in examples {
        fold_into(&stem(&ex.word), &mut folded_stem);
        acc.total += 1;
        acc.stem_letters += folded_stem.chars().count();
        let (mut exact, mut in_order) = (false, false);
        for (i, root) in ex.roots.iter().enumerate() {
            fold_into(root, &mut folded_root);
            if i == 0 {
                acc.root_letters += folded_root.chars().count();
            }
            exact |= folded_stem == folded_root;
            in_order |= is_subsequence(&folded_root, &folded_stem);
        }
        acc.exact += usize::from(exact);
        acc.in_order += usize::from(in_order);
    }
    acc
}

/// An error while loading a gold set.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file's content is not in the expected format.
    #[error("{}:{line}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line number, 0 for the whole file.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

fn read(path: &Path) -> Result<String, EvalError> {
    fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Which column of golden-corpus-arabic to use as gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldenColumn {
    /// `core/roots.txt`.
    Roots,
    /// `core/stems.txt`.
    Stems,
}

/// Loads golden-corpus-arabic (`dir` holds `core/words.txt` and the line-aligned gold file).
pub fn load_golden_corpus(dir: &Path, column: GoldenColumn) -> Result<Vec<RootExample>, EvalError> {
    let words_path = dir.join("core").join("words.txt");
    let gold_path = dir.join("core").join(match column {
        GoldenColumn::Roots => "roots.txt",
        GoldenColumn::Stems => "stems.txt",
    });
    let (words, gold) = (read(&words_path)?, read(&gold_path)?);
    let (words, gold): (Vec<&str>, Vec<&str>) = (words.lines().collect(), gold.lines().collect());
    if words.len() != gold.len() {
        return Err(EvalError::Format {
            path: gold_path,
            line: 0,
            message: format!("{} lines, but words.txt has {}", gold.len(), words.len()),
        });
    }
    Ok(words
        .iter()
        .zip(&gold)
        .filter(|(w, g)| !w.trim().is_empty() && !g.trim().is_empty())
        .map(|(w, g)| RootExample {
            word: w.trim().to_string(),
            roots: vec![g.trim().to_string()],
        })
        .collect())
}

/// Loads root-extraction-validation-data: every `gs/*.csv` (`word,root`, roots split by `\`),
/// skipping single letters (root `#`).
pub fn load_root_validation(dir: &Path) -> Result<Vec<RootExample>, EvalError> {
    let gs = dir.join("gs");
    let entries = fs::read_dir(&gs).map_err(|source| EvalError::Io {
        path: gs.clone(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| EvalError::Io {
                path: gs.clone(),
                source,
            })?
            .path();
        if path.extension().is_some_and(|e| e == "csv") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = read(&path)?;
        for (i, line) in text.lines().enumerate().skip(1) {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let Some((word, roots)) = line.split_once(',') else {
                return Err(EvalError::Format {
                    path,
                    line: i + 1,
                    message: "expected `word,root`".to_string(),
                });
            };
            let roots: Vec<String> = roots
                .split('\\')
                .map(str::trim)
                .filter(|r| !r.is_empty() && *r != "#")
                .map(str::to_string)
                .collect();
            if !roots.is_empty() && !word.trim().is_empty() {
                out.push(RootExample {
                    word: word.trim().to_string(),
                    roots,
                });
            }
        }
    }
    Ok(out)
}

/// Converts one ArabTeX root letter (as in PADT's `Root=`) to Arabic; `None` for vowels.
fn arabtex_letter(mark: Option<char>, base: char) -> Option<char> {
    Some(match (mark, base) {
        (None, '\'') => 'ء',
        (None, 'b') => 'ب',
        (None, 't') => 'ت',
        (Some('_'), 't') => 'ث',
        (Some('^'), 'g') => 'ج',
        (Some('.'), 'h') => 'ح',
        (Some('_'), 'h') => 'خ',
        (None, 'd') => 'د',
        (Some('_'), 'd') => 'ذ',
        (None, 'r') => 'ر',
        (None, 'z') => 'ز',
        (None, 's') => 'س',
        (Some('^'), 's') => 'ش',
        (Some('.'), 's') => 'ص',
        (Some('.'), 'd') => 'ض',
        (Some('.'), 't') => 'ط',
        (Some('.'), 'z') => 'ظ',
        (None, '`') => 'ع',
        (Some('.'), 'g') => 'غ',
        (None, 'f') => 'ف',
        (None, 'q') => 'ق',
        (None, 'k') => 'ك',
        (None, 'l') => 'ل',
        (None, 'm') => 'م',
        (None, 'n') => 'ن',
        (None, 'h') => 'ه',
        (None, 'w') => 'و',
        (None, 'y') => 'ي',
        _ => return None,
    })
}

/// Parses a PADT/ElixirFM root such as `^g_m_`` or `^s__h_.s` into Arabic letters (جمع, شخص).
///
/// Returns `None` unless it is two or more consonants joined by `_`: particles and foreign
/// words (`wa`, `min`, `'amIrik`) carry vowels or a single letter and are not roots.
pub fn parse_arabtex_root(root: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = root.chars().peekable();
    let mut letters = 0;
    loop {
        let mark = match chars.peek() {
            Some(&c @ ('^' | '.' | '_')) => {
                chars.next();
                Some(c)
            }
            _ => None,
        };
        out.push(arabtex_letter(mark, chars.next()?)?);
        letters += 1;
        match chars.next() {
            None => break,
            Some('_') => {}
            Some(_) => return None,
        }
    }
    (letters >= 2).then_some(out)
}

/// Loads the words of a PADT CoNLL-U file whose MISC column has a consonantal `Root=`.
///
/// The vocalized FORM is given with harakat, tatweel and superscript alef removed.
pub fn load_padt_roots(path: &Path) -> Result<Vec<RootExample>, EvalError> {
    parse_padt_roots(&read(path)?, path)
}

/// Parses CoNLL-U `text` read from `path` as [`load_padt_roots`] does.
fn parse_padt_roots(text: &str, path: &Path) -> Result<Vec<RootExample>, EvalError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(EvalError::Format {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("{} columns, expected 10", cols.len()),
            });
        }
        let Some(root) = cols[9].split('|').find_map(|kv| kv.strip_prefix("Root=")) else {
            continue;
        };
        let Some(root) = parse_arabtex_root(root) else {
            continue;
        };
        let word: String = cols[1]
            .chars()
            .filter(|c| !matches!(c, '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}'))
            .collect();
        if !word.is_empty() {
            out.push(RootExample {
                word,
                roots: vec![root],
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(word: &str, roots: &[&str]) -> RootExample {
        RootExample {
            word: word.into(),
            roots: roots.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn parses_arabtex_roots() {
        assert_eq!(parse_arabtex_root("^g_m_`").as_deref(), Some("جمع"));
        assert_eq!(parse_arabtex_root("^s__h_.s").as_deref(), Some("شخص"));
        assert_eq!(parse_arabtex_root("_h_m_s").as_deref(), Some("خمس"));
        assert_eq!(parse_arabtex_root("'_l_y").as_deref(), Some("ءلي"));
        assert_eq!(parse_arabtex_root(".h_.z_r").as_deref(), Some("حظر"));
        assert_eq!(parse_arabtex_root("wa"), None);
        assert_eq!(parse_arabtex_root("l"), None);
        assert_eq!(parse_arabtex_root("'amIrik"), None);
        assert_eq!(parse_arabtex_root("'i_d"), None);
        assert_eq!(parse_arabtex_root(""), None);
    }

    #[test]
    fn folds_hamza_and_endings() {
        assert_eq!(fold("سُئِلَ"), "سال");
        assert_eq!(fold("ءامن"), "اامن");
        assert_eq!(fold("مدرسة"), "مدرسه");
        assert_eq!(fold("على"), "علي");
    }

    #[test]
    fn counts_exact_and_in_order() {
        let gold = [
            ex("كاتب", &["كتب"]),
            ex("الكتاب", &["كتب"]),
            ex("قال", &["قول", "قال"]),
        ];
        let acc = root_accuracy(&gold, |w| w.to_string());
        assert_eq!((acc.total, acc.exact, acc.in_order), (3, 1, 3));
        assert_eq!(acc.stem_letters, 4 + 6 + 3);
        assert_eq!(acc.root_letters, 9);
        let acc = root_accuracy(&gold, |_| "كتب".to_string());
        assert_eq!((acc.exact, acc.in_order), (2, 2));
        assert!((acc.exact_rate() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn loads_padt_lines() {
        let text = "# sent_id s\n\
            1\tمَجمُوعَةٌ\tx\tNOUN\tN\t_\t0\troot\t_\tGloss=g|Root=^g_m_`|Translit=t\n\
            2\tمِن\tx\tADP\tP\t_\t1\tcase\t_\tRoot=min\n\
            3\t-\t-\tPUNCT\tG\t_\t1\tpunct\t_\t_\n\n";
        let got = parse_padt_roots(text, Path::new("t.conllu")).unwrap();
        assert_eq!(got, vec![ex("مجموعة", &["جمع"])]);
        let err = parse_padt_roots("1\tx\n", Path::new("t.conllu")).unwrap_err();
        assert_eq!(err.to_string(), "t.conllu:1: 2 columns, expected 10");
    }
}
