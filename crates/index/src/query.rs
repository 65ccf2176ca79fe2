//! From a [`SearchRequest`] to a tantivy query: query syntax within the index's limits (with
//! syntax errors that say where), bag-of-words questions, and source and date filters.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::query_grammar::UserInputAst;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;

use crate::date::tantivy_date_clamped;
use crate::rewrite::{date_span, lift_negations, rewrite_dates};
use crate::{IndexError, QalamIndex, QueryMode, SearchRequest};

impl QalamIndex {
    /// The default fields of a query, with their weights.
    pub(crate) fn weighted_fields(&self) -> Vec<(Field, f32)> {
        let (f, b) = (&self.fields, &self.boosts);
        let mut v = vec![
            (f.title, b.title),
            (f.title_exact, b.title_exact),
            (f.body, b.body),
            (f.body_exact, b.body_exact),
            (f.author, b.author),
        ];
        if self.settings.analyzer.has_root() {
            v.extend([(f.title_root, b.title_root), (f.body_root, b.body_root)]);
        }
        v.retain(|&(_, boost)| boost > 0.0);
        v
    }

    /// Parses query syntax (after the `date:` pre-pass) into a tantivy query, within the
    /// index's [`QueryLimits`](crate::QueryLimits): length, depth and clauses are checked before
    /// the grammar sees the text.
    pub fn parse_query(&self, q: &str, all_words: bool) -> Result<Box<dyn Query>, IndexError> {
        let limits = &self.limits;
        limits.check_syntax(q)?;
        // The grammar knows only ASCII spaces: a no-break space between words is a space.
        let q: String = q
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let q = rewrite_dates(&q, limits.max_date_clauses)?;
        let weighted = self.weighted_fields();
        let mut parser =
            QueryParser::for_index(&self.index, weighted.iter().map(|(f, _)| *f).collect());
        for &(field, boost) in &weighted {
            parser.set_field_boost(field, boost);
        }
        if all_words {
            parser.set_conjunction_by_default();
        }
        // Not the grammar's lenient parser for the message: it does not terminate on some
        // inputs (`IN[` and a form feed; quickwit-oss/tantivy#3032). And the strict one panics
        // on a few (`- *`: an exists query without a field): that is a syntax error too.
        if lone_sign_before_star(&q) {
            return Err(IndexError::Query(format!(
                "syntax error in {q:?}: `+` and `-` go right before their word, as in -word"
            )));
        }
        let parsed = std::panic::catch_unwind(|| tantivy::query_grammar::parse_query(&q));
        let ast = match parsed {
            Ok(Ok(ast)) => ast,
            Ok(Err(_)) => return Err(IndexError::Query(syntax_error(&q))),
            Err(_) => {
                return Err(IndexError::Query(format!(
                    "syntax error in {q:?}: the query parser cannot read it"
                )));
            }
        };
        limits.check_clauses(count_leaves(&ast))?;
        // The grammar adds a level per group and per operator chain: allow for both.
        let ast = lift_negations(ast, 2 * limits.max_depth + 4)?;
        parser
            .build_query_from_user_input_ast(ast)
            .map_err(|e| IndexError::Query(e.to_string()))
    }

    /// A bag-of-words query: every analyzed word of `text`, in every default field, is an
    /// optional clause (repeated words count again), as Lucene's classic query parser does.
    pub fn words_query(&self, text: &str) -> Result<Box<dyn Query>, IndexError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in self.weighted_fields() {
            let mut analyzer = self.index.tokenizer_for_field(field)?;
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let term = Term::from_field_text(field, &token.text);
                let query: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                let query = if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                };
                clauses.push((Occur::Should, query));
            }
        }
        Ok(if clauses.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        })
    }

    /// The full query of a request: its text plus source and date filters.
    pub fn request_query(&self, req: &SearchRequest) -> Result<Box<dyn Query>, IndexError> {
        for (name, value) in [
            ("source", &req.source),
            ("from", &req.from),
            ("to", &req.to),
        ] {
            if let Some(v) = value {
                self.limits.check_bytes(name, v)?;
            }
        }
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(source) = req.source.as_deref().filter(|s| !s.is_empty()) {
            let term = Term::from_field_text(self.fields.source, source);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            filters.push((Occur::Must, Box::new(BoostQuery::new(Box::new(query), 0.0))));
        }
        let from = req
            .from
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(date_span)
            .transpose()?;
        let to = req
            .to
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(date_span)
            .transpose()?;
        if from.is_some() || to.is_some() {
            let bound =
                |secs: i64| Term::from_field_date(self.fields.date, tantivy_date_clamped(secs));
            let lower = from.map_or(Bound::Unbounded, |(start, _)| Bound::Included(bound(start)));
            let upper = to.map_or(Bound::Unbounded, |(_, next)| Bound::Excluded(bound(next)));
            let query = RangeQuery::new(lower, upper);
            filters.push((Occur::Must, Box::new(BoostQuery::new(Box::new(query), 0.0))));
        }
        let text = req.q.trim();
        let main: Box<dyn Query> = if text.is_empty() {
            if filters.is_empty() {
                return Err(IndexError::Query("empty query".into()));
            }
            Box::new(AllQuery)
        } else {
            match req.mode {
                QueryMode::Syntax => self.parse_query(text, req.all_words)?,
                QueryMode::Words => {
                    self.limits.check_words(text)?;
                    self.words_query(text)?
                }
            }
        };
        if filters.is_empty() {
            return Ok(main);
        }
        filters.push((Occur::Must, main));
        Ok(Box::new(BooleanQuery::new(filters)))
    }
}

/// A `+` or `-` standing alone before `*` (`- *`), outside phrases: tantivy's grammar panics on
/// it.
fn lone_sign_before_star(q: &str) -> bool {
    let mut in_quotes = false;
    let mut prev: Option<char> = None;
    let mut chars = q.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !in_quotes => {
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            '+' | '-'
                if !in_quotes
                    && prev.is_none_or(|p| p.is_whitespace() || p == '(')
                    && chars.peek().is_some_and(|n| n.is_whitespace()) =>
            {
                let mut rest = chars.clone();
                while rest.next_if(|n| n.is_whitespace()).is_some() {}
                if rest.peek() == Some(&'*') {
                    return true;
                }
            }
            _ => {}
        }
        prev = Some(c);
    }
    false
}

/// What is wrong with a query the grammar refused, found by one scan: an unbalanced
/// parenthesis, quote or range bracket, or an operator without an operand.
fn syntax_error(q: &str) -> String {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut quote: Option<usize> = None;
    let mut chars = q.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
            continue;
        }
        if quote.is_some() {
            if c == '"' {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some(i),
            '(' | '[' | '{' => open.push((c, i)),
            ')' => {
                if open.last().is_some_and(|&(o, _)| o == '(') {
                    open.pop();
                } else {
                    return format!("syntax error in {q:?}: unmatched `)` at byte {i}");
                }
            }
            ']' | '}' => {
                if open.last().is_some_and(|&(o, _)| matches!(o, '[' | '{')) {
                    open.pop();
                } else {
                    return format!("syntax error in {q:?}: unmatched `{c}` at byte {i}");
                }
            }
            _ => {}
        }
    }
    if let Some(i) = quote {
        return format!("syntax error in {q:?}: unclosed `\"` at byte {i}");
    }
    if let Some(&(c, i)) = open.last() {
        return format!("syntax error in {q:?}: unclosed `{c}` at byte {i}");
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    let op = |w: &&str| matches!(*w, "AND" | "OR");
    if words.first().is_some_and(op) || words.last().is_some_and(|w| op(w) || *w == "NOT") {
        return format!("syntax error in {q:?}: AND, OR and NOT need a word on each side");
    }
    format!("syntax error in {q:?} (check quotes, parentheses, ranges `[A TO B]` and field names)")
}

/// Leaves of a parsed query (terms, phrases, ranges, sets), counted without recursion.
fn count_leaves(ast: &UserInputAst) -> usize {
    let mut stack = vec![ast];
    let mut leaves = 0;
    while let Some(node) = stack.pop() {
        match node {
            UserInputAst::Clause(clauses) => stack.extend(clauses.iter().map(|(_, sub)| sub)),
            UserInputAst::Boost(sub, _) => stack.push(sub),
            UserInputAst::Leaf(_) => leaves += 1,
        }
    }
    leaves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::small_index;
    use crate::{QueryMode, SearchRequest};

    #[test]
    fn deep_and_long_queries_are_refused_before_parsing() {
        let index = small_index();
        let started = std::time::Instant::now();
        for q in [
            format!("{}الموصل{}", "(".repeat(25), ")".repeat(25)),
            "(".repeat(5000),
            "NOT ".repeat(5000) + "x",
            "x ".repeat(1000),
        ] {
            for mode in [QueryMode::Syntax, QueryMode::Words] {
                let req = SearchRequest {
                    mode,
                    ..SearchRequest::new(q.clone())
                };
                match index.search(&req) {
                    Err(IndexError::QueryTooComplex(_)) => {}
                    // Plain words do not nest: deep parentheses are only words (or nothing).
                    Ok(_) if mode == QueryMode::Words => {}
                    other => panic!("{:.40}…: {other:?}", q),
                }
            }
        }
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        // At the limit, the query parses and runs.
        let depth = index.query_limits().max_depth;
        let q = format!("{}الموصل{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(index.search(&SearchRequest::new(q)).unwrap().total, 1);
        let q = format!("{}الموصل{}", "(".repeat(depth + 1), ")".repeat(depth + 1));
        assert!(matches!(
            index.search(&SearchRequest::new(q)),
            Err(IndexError::QueryTooComplex(_))
        ));
    }

    /// Found by `cargo fuzz run query`: `IN[` followed by a whitespace the grammar does not
    /// know (form feed, no-break space, …) made tantivy's lenient parser, then used for error
    /// messages, loop forever while allocating.
    #[test]
    fn test_set_syntax_with_unicode_space_terminates() {
        let index = small_index();
        for q in [
            "IN[\u{c}\u{1d}",
            "IN[\u{a0}",
            "x IN[\u{2028}",
            "IN[\u{3000}",
        ] {
            let r = index.search(&SearchRequest::new(q));
            assert!(
                matches!(r, Err(IndexError::Query(_)) | Ok(_)),
                "{q:?}: {r:?}"
            );
        }
        // A no-break space separates words like a space.
        let r = index.search(&SearchRequest::new("تحرير\u{a0}OR\u{a0}xyz"));
        assert_eq!(r.unwrap().total, 1);
    }

    /// Found by `cargo fuzz run query`: `-` or `+`, a space, then `*` made tantivy's grammar
    /// panic ("Exist query without a field isn't allowed").
    #[test]
    fn test_occur_space_star_is_a_query_error() {
        let index = small_index();
        for q in ["- *", "+ *", "الموصل - * x", "\t-\t\t* *\"", "(+  *)"] {
            let r = index.search(&SearchRequest::new(q));
            assert!(
                matches!(&r, Err(IndexError::Query(m)) if m.contains("right before")),
                "{q:?}: {r:?}"
            );
        }
        assert!(!lone_sign_before_star("\"a - * b\" -x *"));
        assert!(!lone_sign_before_star("a-* b"));
    }

    #[test]
    fn syntax_errors_say_where() {
        for (q, says) in [
            ("(a OR b", "unclosed `(` at byte 0"),
            ("a) b", "unmatched `)` at byte 1"),
            ("\"تحرير الموصل", "unclosed `\"`"),
            ("date:[2015 TO", "unclosed `[`"),
            ("a AND", "need a word on each side"),
        ] {
            let m = syntax_error(q);
            assert!(m.contains(says), "{q}: {m}");
        }
        let index = small_index();
        match index.search(&SearchRequest::new("(الموصل OR")) {
            Err(IndexError::Query(m)) => assert!(m.contains("unclosed `(`"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
