//! Entity-level scores with exactly the semantics of CoNLL's `conlleval` script (2004-01-26).

use std::collections::BTreeMap;
use std::fmt;

/// Chunk counts of one entity type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TypeCounts {
    /// Chunks in the gold data.
    pub gold: usize,
    /// Chunks in the prediction.
    pub found: usize,
    /// Predicted chunks that match a gold chunk exactly (span and type).
    pub correct: usize,
}

impl TypeCounts {
    /// Precision in percent (0 when nothing was found).
    pub fn precision(&self) -> f64 {
        pct(self.correct, self.found)
    }

    /// Recall in percent (0 when there is no gold chunk).
    pub fn recall(&self) -> f64 {
        pct(self.correct, self.gold)
    }

    /// F1 (FB1) in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b > 0 {
        100.0 * a as f64 / b as f64
    } else {
        0.0
    }
}

/// The result of [`conlleval`]: token accuracy, micro-averaged and per-type chunk counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Tokens processed (sentence breaks not counted).
    pub tokens: usize,
    /// Tokens whose predicted tag equals the gold tag.
    pub correct_tags: usize,
    /// Micro-averaged chunk counts.
    pub total: TypeCounts,
    /// Chunk counts per type, sorted by type name as conlleval sorts them.
    pub types: BTreeMap<String, TypeCounts>,
}

impl Report {
    /// Token accuracy in percent.
    pub fn accuracy(&self) -> f64 {
        pct(self.correct_tags, self.tokens)
    }

    /// Micro-averaged F1 in percent.
    pub fn f1(&self) -> f64 {
        self.total.f1()
    }

    /// The counts of one type (zero if it never occurred).
    pub fn of(&self, ty: &str) -> TypeCounts {
        self.types.get(ty).copied().unwrap_or_default()
    }
}

/// Splits a tag as conlleval does: `B-PERS` → (`B`, `PERS`), `O` → (`O`, ``), at the first `-`.
fn split_tag(tag: &str) -> (&str, &str) {
    match tag.split_once('-') {
        // Perl's `$type ? $type : ""` also turns a type "0" into "".
        Some((t, ty)) => (t, if ty == "0" { "" } else { ty }),
        None => (tag, ""),
    }
}

fn end_of_chunk(prev_tag: &str, tag: &str, prev_type: &str, ty: &str) -> bool {
    matches!(
        (prev_tag, tag),
        ("B", "B") | ("B", "O") | ("I", "B") | ("I", "O") | ("E", "E") | ("E", "I") | ("E", "O")
    ) || (prev_tag != "O" && prev_tag != "." && prev_type != ty)
        || prev_tag == "]"
        || prev_tag == "["
}

fn start_of_chunk(prev_tag: &str, tag: &str, prev_type: &str, ty: &str) -> bool {
    matches!(
        (prev_tag, tag),
        ("B", "B") | ("I", "B") | ("O", "B") | ("O", "I") | ("E", "E") | ("E", "I") | ("O", "E")
    ) || (tag != "O" && tag != "." && prev_type != ty)
        || tag == "["
        || tag == "]"
}

/// Scores predicted tag sequences against gold ones exactly as `conlleval` does on a file with the
/// sentences separated by blank lines (chunks start at `B-`, at `I-` after `O`, and at a type change).
///
/// Sentences are paired by index; a missing predicted tag counts as `O`.
pub fn conlleval<G: AsRef<str>, P: AsRef<str>>(gold: &[Vec<G>], pred: &[Vec<P>]) -> Report {
    let mut r = Report::default();
    let mut in_correct = false;
    let (mut last_c, mut last_ct) = ("O", "");
    let (mut last_g, mut last_gt) = ("O", "");
    let empty: Vec<P> = Vec::new();
    for (si, sent) in gold.iter().enumerate() {
        let psent = pred.get(si).unwrap_or(&empty);
        // Each sentence is followed by a boundary line, scored as O/O but not counted as a token.
        let items = sent
            .iter()
            .enumerate()
            .map(|(i, g)| (Some(g.as_ref()), psent.get(i).map_or("O", |p| p.as_ref())))
            .chain(std::iter::once((None, "O")));
        for (g, p) in items {
            let (c, ct) = split_tag(g.unwrap_or("O"));
            let (gs, gt) = if g.is_none() { ("O", "") } else { split_tag(p) };
            if in_correct {
                let end_c = end_of_chunk(last_c, c, last_ct, ct);
                let end_g = end_of_chunk(last_g, gs, last_gt, gt);
                if end_c && end_g && last_gt == last_ct {
                    in_correct = false;
                    r.total.correct += 1;
                    r.types.entry(last_ct.to_string()).or_default().correct += 1;
                } else if end_c != end_g || gt != ct {
                    in_correct = false;
                }
            }
            let start_c = start_of_chunk(last_c, c, last_ct, ct);
            let start_g = start_of_chunk(last_g, gs, last_gt, gt);
            if start_c && start_g && gt == ct {
                in_correct = true;
            }
            if start_c {
                r.total.gold += 1;
                r.types.entry(ct.to_string()).or_default().gold += 1;
            }
            if start_g {
                r.total.found += 1;
                r.types.entry(gt.to_string()).or_default().found += 1;
            }
            if g.is_some() {
                if c == gs && gt == ct {
                    r.correct_tags += 1;
                }
                r.tokens += 1;
            }
            (last_c, last_ct, last_g, last_gt) = (c, ct, gs, gt);
        }
    }
    if in_correct {
        r.total.correct += 1;
        r.types.entry(last_ct.to_string()).or_default().correct += 1;
    }
    r
}

impl fmt::Display for Report {
    /// Prints the report in conlleval's own text format.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens, self.total.gold, self.total.found, self.total.correct
        )?;
        if self.tokens > 0 {
            writeln!(
                f,
                "accuracy: {:6.2}%; precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}",
                self.accuracy(),
                self.total.precision(),
                self.total.recall(),
                self.total.f1()
            )?;
        }
        // conlleval's de-duplication treats a previous type "" or "0" as unset, printing it twice.
        let mut last: Option<&str> = None;
        for (ty, c) in &self.types {
            let keys = (c.gold > 0) as usize + (c.found > 0) as usize;
            for _ in 0..keys.max(1) {
                let unset = matches!(last, None | Some("") | Some("0"));
                if unset || last != Some(ty.as_str()) {
                    writeln!(
                        f,
                        "{:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {}",
                        ty,
                        c.precision(),
                        c.recall(),
                        c.f1(),
                        c.found
                    )?;
                }
                last = Some(ty.as_str());
            }
        }
        Ok(())
    }
}
