//! A lenient CoNLL-U reader and writer that keeps every line it does not understand.

/// One line of a CoNLL-U sentence block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A `#` comment, kept verbatim.
    Comment(String),
    /// A syntactic word: ten tab-separated columns with an integer ID.
    Word(Vec<String>),
    /// Anything else (multiword-token ranges, empty nodes, malformed lines), kept verbatim.
    Other(String),
}

/// A sentence block: its lines in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConlluSentence {
    /// The lines of the block.
    pub lines: Vec<Line>,
}

/// Column indexes of a word line.
pub mod col {
    /// ID.
    pub const ID: usize = 0;
    /// FORM.
    pub const FORM: usize = 1;
    /// LEMMA.
    pub const LEMMA: usize = 2;
    /// UPOS.
    pub const UPOS: usize = 3;
    /// XPOS.
    pub const XPOS: usize = 4;
    /// FEATS.
    pub const FEATS: usize = 5;
    /// MISC.
    pub const MISC: usize = 9;
}

impl ConlluSentence {
    /// The word lines' columns, in order.
    pub fn words(&self) -> impl Iterator<Item = &Vec<String>> {
        self.lines.iter().filter_map(|l| match l {
            Line::Word(c) => Some(c),
            _ => None,
        })
    }

    /// The word lines' columns, mutable.
    pub fn words_mut(&mut self) -> impl Iterator<Item = &mut Vec<String>> {
        self.lines.iter_mut().filter_map(|l| match l {
            Line::Word(c) => Some(c),
            _ => None,
        })
    }

    /// The value of a `# key = value` comment, if present.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.lines.iter().find_map(|l| match l {
            Line::Comment(c) => {
                let rest = c.strip_prefix('#')?.trim_start();
                let (k, v) = rest.split_once('=')?;
                (k.trim() == key).then(|| v.trim())
            }
            _ => None,
        })
    }

    /// Appends the block (with its trailing blank line) to `out`.
    pub fn write(&self, out: &mut String) {
        for l in &self.lines {
            match l {
                Line::Comment(s) | Line::Other(s) => out.push_str(s),
                Line::Word(c) => out.push_str(&c.join("\t")),
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

fn classify(line: &str) -> Line {
    if line.starts_with('#') {
        return Line::Comment(line.to_string());
    }
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() == 10 && !cols[0].is_empty() && cols[0].bytes().all(|b| b.is_ascii_digit()) {
        Line::Word(cols.into_iter().map(str::to_string).collect())
    } else {
        Line::Other(line.to_string())
    }
}

/// Parses CoNLL-U text into sentence blocks (blank lines separate blocks; `\r\n` accepted).
pub fn parse(text: &str) -> Vec<ConlluSentence> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !cur.lines.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.lines.push(classify(line));
    }
    if !cur.lines.is_empty() {
        out.push(cur);
    }
    out
}

/// True when a MISC value carries `SpaceAfter=No`.
pub fn no_space_after(misc: &str) -> bool {
    misc.split('|').any(|m| m == "SpaceAfter=No")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# sent_id = 1\n# text = وبه\n1-2\tوبه\t_\t_\t_\t_\t_\t_\t_\t_\n1\tو\tوَ\tCCONJ\tC---------\t_\t0\troot\t_\tSpaceAfter=No\n2\tب\tبِ\tADP\tP---------\t_\t1\tcase\t_\t_\n2.1\tx\t_\t_\t_\t_\t_\t_\t_\t_\nodd line\n\n\n# sent_id = 2\r\n1\tهو\t_\t_\t_\t_\t_\t_\t_\t_\r\n";

    #[test]
    fn keeps_every_line() {
        let s = parse(DOC);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].comment("text"), Some("وبه"));
        assert_eq!(s[0].words().count(), 2);
        assert!(matches!(&s[0].lines[2], Line::Other(l) if l.starts_with("1-2")));
        assert!(matches!(&s[0].lines[6], Line::Other(l) if l == "odd line"));
        let mut out = String::new();
        s[0].write(&mut out);
        assert!(out.contains("2.1\tx"));
        assert!(out.ends_with("odd line\n\n"));
        assert_eq!(s[1].words().next().unwrap()[1], "هو");
    }

    #[test]
    fn space_after() {
        assert!(no_space_after("Gloss=x|SpaceAfter=No"));
        assert!(!no_space_after("_"));
    }
}
