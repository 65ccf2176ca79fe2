//! Query rewriting before and after tantivy's grammar: `date:` clauses into the RFC 3339 ranges
//! it parses (a text pre-pass), and `a AND NOT b` lifted into `+a -b` (on the parsed query).

use tantivy::query::Occur;
use tantivy::query_grammar::UserInputAst;

use crate::IndexError;
use crate::date::{days_from_civil, format_rfc3339, parse_date};

/// Rewrites the `date:` clauses of a query into the RFC 3339 ranges tantivy parses:
/// `date:2015-07-21` (that day), `date:2015-07` (that month), `date:2015`,
/// `date:[2015-07-01 TO 2015-07-31]` (days inclusive), `{…}` bounds, `*` and `date:>=2015-07-01`
/// (also `>`, `<`, `<=`). More than `max_clauses` `date:` clauses is
/// [`IndexError::QueryTooComplex`].
pub fn rewrite_dates(q: &str, max_clauses: usize) -> Result<String, IndexError> {
    let mut out = String::with_capacity(q.len() + 32);
    let mut rest = q;
    let mut clauses = 0;
    while let Some(at) = find_date_clause(rest) {
        clauses += 1;
        if clauses > max_clauses {
            return Err(IndexError::QueryTooComplex(format!(
                "the query has more than {max_clauses} date: clauses"
            )));
        }
        out.push_str(&rest[..at]);
        let after = &rest[at + "date:".len()..];
        let (clause, used) = date_clause(after)?;
        out.push_str("date:");
        out.push_str(&clause);
        rest = &after[used..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The byte offset of the next `date:` that starts a clause (not inside a word or phrase).
fn find_date_clause(s: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes
            && s[i..].starts_with("date:")
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '+' | '-'))
        {
            return Some(i);
        }
        prev = Some(c);
    }
    None
}

/// The start of a date (day, month or year) and the start of the next one, in Unix seconds.
pub(crate) fn date_span(s: &str) -> Result<(i64, i64), IndexError> {
    let bad = || {
        IndexError::Query(format!(
            "bad date {s:?} (expected YYYY-MM-DD, YYYY-MM or YYYY)"
        ))
    };
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r)
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .is_some()
    };
    match b.len() {
        4 if digits(0..4) => {
            let y: i64 = s.parse().map_err(|_| bad())?;
            Ok((
                days_from_civil(y, 1, 1) * 86_400,
                days_from_civil(y + 1, 1, 1) * 86_400,
            ))
        }
        7 if digits(0..4) && b[4] == b'-' && digits(5..7) => {
            let y: i64 = s[..4].parse().map_err(|_| bad())?;
            let m: u32 = s[5..].parse().map_err(|_| bad())?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Ok((
                days_from_civil(y, m, 1) * 86_400,
                days_from_civil(next.0, next.1, 1) * 86_400,
            ))
        }
        10 => {
            let start = parse_date(s).ok_or_else(bad)?;
            Ok((start, start + 86_400))
        }
        _ => {
            let t = parse_date(s).ok_or_else(bad)?;
            Ok((t, t + 1))
        }
    }
}

/// Rewrites one clause after `date:`; returns it and the bytes of `s` it used.
fn date_clause(s: &str) -> Result<(String, usize), IndexError> {
    let token_end = |t: &str| {
        t.find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(t.len())
    };
    if let Some(open @ ('[' | '{')) = s.chars().next() {
        let close = s.find([']', '}']).ok_or_else(|| {
            IndexError::Query("unclosed date range (expected `date:[A TO B]`)".into())
        })?;
        let inner = &s[1..close];
        let mut parts = inner.split_whitespace();
        let (lo, to, hi) = (parts.next(), parts.next(), parts.next());
        let (Some(lo), Some("TO"), Some(hi), None) = (lo, to, hi, parts.next()) else {
            return Err(IndexError::Query(format!(
                "bad date range {:?} (expected `date:[A TO B]`)",
                &s[..=close]
            )));
        };
        let lower = if lo == "*" {
            "*".to_string()
        } else {
            let (start, next) = date_span(lo)?;
            format_rfc3339(if open == '[' { start } else { next })
        };
        let upper = if hi == "*" {
            "*".to_string()
        } else {
            let (start, next) = date_span(hi)?;
            format_rfc3339(if s.as_bytes()[close] == b']' {
                next
            } else {
                start
            })
        };
        return Ok((format!("[{lower} TO {upper}}}"), close + 1));
    }
    for (op, skip) in [(">=", 2), ("<=", 2), (">", 1), ("<", 1)] {
        if let Some(v) = s.strip_prefix(op) {
            let end = token_end(v);
            let (start, next) = date_span(&v[..end])?;
            let clause = match op {
                ">=" => format!("[{} TO *}}", format_rfc3339(start)),
                ">" => format!("[{} TO *}}", format_rfc3339(next)),
                "<=" => format!("[* TO {}}}", format_rfc3339(next)),
                _ => format!("[* TO {}}}", format_rfc3339(start)),
            };
            return Ok((clause, skip + end));
        }
    }
    let end = token_end(s);
    let (start, next) = date_span(&s[..end])?;
    Ok((
        format!("[{} TO {}}}", format_rfc3339(start), format_rfc3339(next)),
        end,
    ))
}

/// Turns `a AND NOT b`, which the grammar reads as `+a +(-b)` (a purely negative group matches
/// nothing), into `+a -b`, as users mean it. Deeper than `max_depth` groups is
/// [`IndexError::QueryTooComplex`] (the recursion is bounded).
pub(crate) fn lift_negations(
    ast: UserInputAst,
    max_depth: usize,
) -> Result<UserInputAst, IndexError> {
    let Some(depth) = max_depth.checked_sub(1) else {
        return Err(IndexError::QueryTooComplex(
            "the parsed query nests too deep".into(),
        ));
    };
    Ok(match ast {
        UserInputAst::Clause(clauses) => {
            let mut lifted = Vec::with_capacity(clauses.len());
            for (occur, sub) in clauses {
                lifted.push(match (occur, lift_negations(sub, depth)?) {
                    (Some(Occur::Must) | None, UserInputAst::Clause(mut inner))
                        if inner.len() == 1 && inner[0].0 == Some(Occur::MustNot) =>
                    {
                        inner.pop().expect("one clause")
                    }
                    (occur, sub) => (occur, sub),
                });
            }
            UserInputAst::Clause(lifted)
        }
        UserInputAst::Boost(sub, boost) => {
            UserInputAst::Boost(Box::new(lift_negations(*sub, depth)?), boost)
        }
        leaf => leaf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(q: &str) -> Result<String, IndexError> {
        rewrite_dates(q, 10)
    }

    #[test]
    fn date_clauses_become_rfc3339_ranges() {
        assert_eq!(
            rw("داعش date:[2015-07-01 TO 2015-07-31]").unwrap(),
            "داعش date:[2015-07-01T00:00:00Z TO 2015-08-01T00:00:00Z}"
        );
        assert_eq!(
            rw("date:2015-07-21 AND x").unwrap(),
            "date:[2015-07-21T00:00:00Z TO 2015-07-22T00:00:00Z} AND x"
        );
        assert_eq!(
            rw("date:2015-12").unwrap(),
            "date:[2015-12-01T00:00:00Z TO 2016-01-01T00:00:00Z}"
        );
        assert_eq!(
            rw("(date:>=2015-07-30)").unwrap(),
            "(date:[2015-07-30T00:00:00Z TO *})"
        );
        assert_eq!(
            rw("date:<2015-07-30").unwrap(),
            "date:[* TO 2015-07-30T00:00:00Z}"
        );
        assert_eq!(
            rw("date:{2015-07-01 TO *]").unwrap(),
            "date:[2015-07-02T00:00:00Z TO *}"
        );
        assert_eq!(
            rw("\"update:x date:y\" nodate:1").unwrap(),
            "\"update:x date:y\" nodate:1"
        );
        assert!(matches!(
            rw("date:[2015-07-01 TO"),
            Err(IndexError::Query(_))
        ));
        assert!(matches!(rw("date:tomorrow"), Err(IndexError::Query(_))));
        assert!(matches!(rw("date:2015-13"), Err(IndexError::Query(_))));
    }

    #[test]
    fn too_many_date_clauses_are_refused() {
        let q = "date:2015 ".repeat(11);
        assert!(matches!(rw(&q), Err(IndexError::QueryTooComplex(_))));
        assert!(rw(&"date:2015 ".repeat(10)).is_ok());
    }

    #[test]
    fn lift_negations_is_depth_bounded() {
        let ast = tantivy::query_grammar::parse_query("a AND NOT b").unwrap();
        assert!(lift_negations(ast.clone(), 8).is_ok());
        assert!(matches!(
            lift_negations(ast, 0),
            Err(IndexError::QueryTooComplex(_))
        ));
    }
}
