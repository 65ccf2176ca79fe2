//! Reading CoNLL-style `token TAG` files (ANERcorp, AQMAR) and pre-tokenized input.

use std::io;
use std::path::Path;

/// One labelled sentence: tokens and their BIO tags (same length).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelledSentence {
    /// The tokens as written.
    pub tokens: Vec<String>,
    /// One tag per token (`O`, `B-PERS`, `I-LOC`, …).
    pub tags: Vec<String>,
}

/// Splits pre-tokenized text into sentences of tokens: one token per line, anything after the first
/// space or tab ignored, blank lines between sentences; CR, BOM and surrounding blank lines tolerated.
pub fn read_tokens(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{FEFF}').trim_end_matches('\r');
        let token = line.split([' ', '\t']).next().unwrap_or("");
        if token.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(token.to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Parses `token TAG` lines (tag = last whitespace-separated field) with blank lines between
/// sentences; `map` rewrites each tag (e.g. [`map_aqmar_tag`]). Lines with one field get tag `O`.
pub fn parse_conll(text: &str, map: impl Fn(&str) -> String) -> Vec<LabelledSentence> {
    let mut out = Vec::new();
    let mut cur = LabelledSentence::default();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{FEFF}').trim();
        let mut fields = line.split_whitespace();
        match fields.next() {
            None => {
                if !cur.tokens.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            Some(token) => {
                let tag = fields.next_back().unwrap_or("O");
                cur.tokens.push(token.to_string());
                cur.tags.push(map(tag));
            }
        }
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads a `token TAG` file with ANERcorp's tag set (tags kept as they are).
pub fn read_conll(path: &Path) -> io::Result<Vec<LabelledSentence>> {
    Ok(parse_conll(&std::fs::read_to_string(path)?, |t| {
        t.to_string()
    }))
}

/// Maps an AQMAR tag to ANERcorp's set: `PER`→`PERS`, `MIS*`→`MISC`, and malformed tags
/// (`B-ENGLISH`, `IO`, `OO`, …) to `O`; `I--ORG` is read as `I-ORG`.
pub fn map_aqmar_tag(tag: &str) -> String {
    let Some((bio, ty)) = tag.split_once('-') else {
        return "O".to_string();
    };
    if bio != "B" && bio != "I" {
        return "O".to_string();
    }
    let ty = ty.trim_start_matches('-');
    let ty = match ty {
        "PER" | "PERS" => "PERS",
        "LOC" => "LOC",
        "ORG" => "ORG",
        t if t.starts_with("MIS") => "MISC",
        _ => return "O".to_string(),
    };
    format!("{bio}-{ty}")
}

/// Reads every `*.txt` file of an AQMAR directory (sorted by name), tags mapped to ANERcorp's set.
pub fn read_aqmar_dir(dir: &Path) -> io::Result<Vec<LabelledSentence>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        out.extend(parse_conll(&std::fs::read_to_string(&f)?, map_aqmar_tag));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_tolerate_crlf_and_extra_blank_lines() {
        let s = read_tokens("\r\n\nفي O\r\nمصر\tB-LOC\r\n\r\n\r\nقال\n\n");
        assert_eq!(s, vec![vec!["في", "مصر"], vec!["قال"]]);
        assert!(read_tokens("").is_empty());
    }

    #[test]
    fn aqmar_tags_map_to_anercorp() {
        assert_eq!(map_aqmar_tag("B-PER"), "B-PERS");
        assert_eq!(map_aqmar_tag("I-MIS1"), "I-MISC");
        assert_eq!(map_aqmar_tag("B-MISS1"), "B-MISC");
        assert_eq!(map_aqmar_tag("I--ORG"), "I-ORG");
        assert_eq!(map_aqmar_tag("B-ENGLISH"), "O");
        assert_eq!(map_aqmar_tag("OO"), "O");
        assert_eq!(map_aqmar_tag("O"), "O");
    }

    #[test]
    fn conll_sentences() {
        let s = parse_conll("a O\nb B-LOC\n\n\nc I-X\n", |t| t.to_string());
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, ["O", "B-LOC"]);
        assert_eq!(s[1].tokens, ["c"]);
    }
}
