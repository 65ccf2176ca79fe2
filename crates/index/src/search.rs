//! Searching: query syntax (with a date pre-pass), bag-of-words questions, filters, snippets
//! highlighted in the original text, and facet counts.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery,
    TermQuery,
};
use tantivy::query_grammar::UserInputAst;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TokenStream;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::date::{days_from_civil, format_day, format_rfc3339, parse_date, tantivy_date_clamped};
use crate::{Deadline, Error, QalamIndex, QueryLimits};

/// Field weights of a search (multiplied into each field's BM25 score).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Boosts {
    /// Stemmed headline.
    pub title: f32,
    /// Exact (normalized, unstemmed) headline.
    pub title_exact: f32,
    /// Root-stemmed headline.
    pub title_root: f32,
    /// Stemmed text.
    pub body: f32,
    /// Exact text.
    pub body_exact: f32,
    /// Root-stemmed text.
    pub body_root: f32,
    /// Author.
    pub author: f32,
}

impl Default for Boosts {
    fn default() -> Self {
        Boosts {
            title: 0.25,
            title_exact: 0.25,
            title_root: 0.25,
            body: 1.0,
            body_exact: 0.5,
            body_root: 1.0,
            author: 0.25,
        }
    }
}

/// How the query text is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryMode {
    /// Query syntax: AND/OR/NOT, +/-, "phrases", field:term, ranges (`date:[A TO B]`).
    #[default]
    Syntax,
    /// Plain words (a question, a pasted sentence): every word is an optional term.
    Words,
}

/// A search.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query.
    pub q: String,
    /// How `q` is read.
    pub mode: QueryMode,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only documents of this source.
    pub source: Option<String>,
    /// Only documents dated on or after this day (`YYYY-MM-DD` or RFC 3339).
    pub from: Option<String>,
    /// Only documents dated on or before this day (inclusive; `YYYY-MM-DD` or RFC 3339).
    pub to: Option<String>,
    /// Every word must match (AND) instead of any (OR), in syntax mode.
    pub all_words: bool,
    /// Count hits by source and by day.
    pub facets: bool,
    /// Make snippets.
    pub snippets: bool,
    /// Longest snippet, in bytes of the original text.
    pub snippet_bytes: usize,
    /// Show one hit per near-duplicate cluster (the best); `total` still counts every match.
    pub collapse: bool,
    /// When long work on this request (stories, entity trends) must stop.
    #[serde(skip)]
    pub deadline: Deadline,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            mode: QueryMode::Syntax,
            limit: 10,
            offset: 0,
            source: None,
            from: None,
            to: None,
            all_words: false,
            facets: false,
            snippets: true,
            snippet_bytes: 400,
            collapse: false,
            deadline: Deadline::NONE,
        }
    }
}

/// Longest snippet a search makes, in bytes (larger `snippet_bytes` are clamped).
pub const MAX_SNIPPET_BYTES: usize = 10_000;

impl SearchRequest {
    /// A request for `q` in syntax mode with default settings.
    pub fn new(q: impl Into<String>) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// The page the collector is asked for: `(limit, offset)` clamped to `limits`.
    pub fn page(&self, limits: &QueryLimits) -> (usize, usize) {
        (
            self.limit.min(limits.max_limit),
            self.offset.min(limits.max_offset),
        )
    }
}

/// A snippet of the original text with the matched words marked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    /// A fragment of the original text.
    pub text: String,
    /// Byte ranges of matched words in `text`.
    pub highlights: Vec<(usize, usize)>,
    /// `text`, HTML-escaped, with `<mark>…</mark>` around matched words.
    pub html: String,
}

/// One search hit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// BM25 score.
    pub score: f32,
    /// Headline.
    pub title: Option<String>,
    /// Publication.
    pub source: Option<String>,
    /// Date as given in the input.
    pub date: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Best fragment of the text, highlighted.
    pub snippet: Snippet,
    /// Near-duplicate cluster of the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Lower-ranked copies of this hit left out by `collapse`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub copies: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Hit counts by source and by day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// (source, hits), most hits first.
    pub by_source: Vec<(String, u64)>,
    /// (`YYYY-MM-DD`, hits), by day.
    pub by_day: Vec<(String, u64)>,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The requested page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts over all matching documents, when asked for.
    pub facets: Option<Facets>,
}

/// Rewrites the `date:` clauses of a query into the RFC 3339 ranges tantivy parses:
/// `date:2015-07-21` (that day), `date:2015-07` (that month), `date:2015`,
/// `date:[2015-07-01 TO 2015-07-31]` (days inclusive), `{…}` bounds, `*` and `date:>=2015-07-01`
/// (also `>`, `<`, `<=`). More than `max_clauses` `date:` clauses is
/// [`Error::QueryTooComplex`].
pub fn rewrite_dates(q: &str, max_clauses: usize) -> Result<String, Error> {
    let mut out = String::with_capacity(q.len() + 32);
    let mut rest = q;
    let mut clauses = 0;
    while let Some(at) = find_date_clause(rest) {
        clauses += 1;
        if clauses > max_clauses {
            return Err(Error::QueryTooComplex(format!(
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
fn date_span(s: &str) -> Result<(i64, i64), Error> {
    let bad = || {
        Error::Query(format!(
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
fn date_clause(s: &str) -> Result<(String, usize), Error> {
    let token_end = |t: &str| {
        t.find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(t.len())
    };
    if let Some(open @ ('[' | '{')) = s.chars().next() {
        let close = s
            .find([']', '}'])
            .ok_or_else(|| Error::Query("unclosed date range (expected `date:[A TO B]`)".into()))?;
        let inner = &s[1..close];
        let mut parts = inner.split_whitespace();
        let (lo, to, hi) = (parts.next(), parts.next(), parts.next());
        let (Some(lo), Some("TO"), Some(hi), None) = (lo, to, hi, parts.next()) else {
            return Err(Error::Query(format!(
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
/// [`Error::QueryTooComplex`] (the recursion is bounded).
fn lift_negations(ast: UserInputAst, max_depth: usize) -> Result<UserInputAst, Error> {
    let Some(depth) = max_depth.checked_sub(1) else {
        return Err(Error::QueryTooComplex(
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

/// Counts hits by source and day, over fast fields.
struct FacetCollector {
    source: String,
    date: String,
}

struct FacetSegmentCollector {
    source: Option<StrColumn>,
    date: Option<Column<DateTime>>,
    by_ord: Vec<u64>,
    by_day: HashMap<i64, u64>,
}

type FacetFruit = (HashMap<String, u64>, HashMap<i64, u64>);

impl Collector for FacetCollector {
    type Fruit = FacetFruit;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let source = reader.fast_fields().str(&self.source)?;
        let date = reader.fast_fields().column_opt::<DateTime>(&self.date)?;
        let terms = source.as_ref().map_or(0, |s| s.num_terms());
        Ok(FacetSegmentCollector {
            source,
            date,
            by_ord: vec![0; terms],
            by_day: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetFruit>) -> tantivy::Result<FacetFruit> {
        let mut merged = FacetFruit::default();
        for (sources, days) in fruits {
            for (k, v) in sources {
                *merged.0.entry(k).or_default() += v;
            }
            for (k, v) in days {
                *merged.1.entry(k).or_default() += v;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(source) = &self.source {
            for ord in source.term_ords(doc) {
                self.by_ord[ord as usize] += 1;
            }
        }
        if let Some(date) = &self.date
            && let Some(d) = date.first(doc)
        {
            *self
                .by_day
                .entry(d.into_timestamp_secs().div_euclid(86_400))
                .or_default() += 1;
        }
    }

    fn harvest(self) -> FacetFruit {
        let mut sources = HashMap::new();
        if let Some(column) = &self.source {
            let mut name = String::new();
            for (ord, &n) in self.by_ord.iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    sources.insert(name.clone(), n);
                }
            }
        }
        (sources, self.by_day)
    }
}

fn html_escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

impl Snippet {
    /// A snippet of `text` with `highlights` (byte ranges into it).
    pub fn new(text: &str, highlights: Vec<(usize, usize)>) -> Snippet {
        let mut html = String::with_capacity(text.len() + 16 * highlights.len());
        let mut at = 0;
        for &(a, b) in &highlights {
            html_escape(&text[at..a], &mut html);
            html.push_str("<mark>");
            html_escape(&text[a..b], &mut html);
            html.push_str("</mark>");
            at = b;
        }
        html_escape(&text[at..], &mut html);
        Snippet {
            text: text.to_string(),
            highlights,
            html,
        }
    }
}

/// The first `max` bytes of `text` (at a char boundary, preferably a space), for hits without a
/// match in the text.
fn lead(text: &str, max: usize) -> &str {
    let text = text.trim_start();
    if text.len() <= max {
        return text.trim_end();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > max / 2)
        .unwrap_or(end);
    text[..cut].trim_end()
}

impl QalamIndex {
    /// The default fields of a query, with their weights.
    fn weighted_fields(&self) -> Vec<(Field, f32)> {
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
    pub fn parse_query(&self, q: &str, all_words: bool) -> Result<Box<dyn Query>, Error> {
        let limits = &self.limits;
        limits.check_syntax(q)?;
        let q = rewrite_dates(q, limits.max_date_clauses)?;
        let weighted = self.weighted_fields();
        let mut parser =
            QueryParser::for_index(&self.index, weighted.iter().map(|(f, _)| *f).collect());
        for &(field, boost) in &weighted {
            parser.set_field_boost(field, boost);
        }
        if all_words {
            parser.set_conjunction_by_default();
        }
        let ast = tantivy::query_grammar::parse_query(&q).map_err(|_| {
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(&q);
            Error::Query(match errors.first() {
                Some(e) => format!("syntax error at byte {} of {q:?}: {}", e.pos, e.message),
                None => format!("syntax error in {q:?}"),
            })
        })?;
        limits.check_clauses(count_leaves(&ast))?;
        // The grammar adds a level per group and per operator chain: allow for both.
        let ast = lift_negations(ast, 2 * limits.max_depth + 4)?;
        parser
            .build_query_from_user_input_ast(ast)
            .map_err(|e| Error::Query(e.to_string()))
    }

    /// A bag-of-words query: every analyzed word of `text`, in every default field, is an
    /// optional clause (repeated words count again), as Lucene's classic query parser does.
    pub fn words_query(&self, text: &str) -> Result<Box<dyn Query>, Error> {
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
    pub fn request_query(&self, req: &SearchRequest) -> Result<Box<dyn Query>, Error> {
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
                return Err(Error::Query("empty query".into()));
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

    /// Ids and scores of the best `limit` documents for `query` (ids read from the fast field,
    /// not the document store).
    pub fn top_ids(&self, query: &dyn Query, limit: usize) -> Result<Vec<(String, f32)>, Error> {
        let searcher = self.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)))?;
        let mut columns: HashMap<SegmentOrdinal, Option<StrColumn>> = HashMap::new();
        let mut out = Vec::with_capacity(top.len());
        let mut id = String::new();
        for (score, address) in top {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let reader = searcher.segment_reader(address.segment_ord);
                    e.insert(reader.fast_fields().str("id")?)
                }
            };
            id.clear();
            if let Some(column) = column
                && let Some(ord) = column.term_ords(address.doc_id).next()
            {
                column.ord_to_str(ord, &mut id)?;
            }
            out.push((id.clone(), score));
        }
        Ok(out)
    }

    /// Runs a search: hits with snippets, the total, and facets when asked for.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, Error> {
        let query = self.request_query(req)?;
        let (limit, offset) = req.page(&self.limits);
        let snippet_bytes = req.snippet_bytes.min(MAX_SNIPPET_BYTES);
        let searcher = self.searcher();
        let top = if req.collapse {
            // Copies are dropped after the search: fetch more than a page.
            TopDocs::with_limit((offset + limit).max(1) * 4 + 20)
        } else {
            TopDocs::with_limit(limit.max(1)).and_offset(offset)
        };
        let facets = req.facets.then(|| FacetCollector {
            source: "source".into(),
            date: "date".into(),
        });
        let (top, total, facet_counts) = searcher.search(&*query, &(top, Count, facets))?;
        let mut generator = if req.snippets {
            let mut g = SnippetGenerator::create(&searcher, &*query, self.fields.body)?;
            g.set_max_num_chars(snippet_bytes);
            Some(g)
        } else {
            None
        };
        let top = if req.collapse {
            self.collapse_top(&searcher, top, offset, limit)?
        } else {
            top.into_iter().map(|(s, a)| (s, a, 0)).collect()
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, address, copies) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let d = self.stored_document(&doc);
            let snippet = match &mut generator {
                None => Snippet::default(),
                Some(g) => {
                    let s = g.snippet(&d.body);
                    if s.is_empty() {
                        Snippet::new(lead(&d.body, snippet_bytes), Vec::new())
                    } else {
                        let ranges = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
                        Snippet::new(s.fragment(), ranges)
                    }
                }
            };
            hits.push(Hit {
                id: d.id,
                score,
                title: d.title,
                source: d.source,
                date: d.date,
                author: d.author,
                url: d.url,
                snippet,
                cluster: doc
                    .get_first(self.fields.cluster)
                    .and_then(|v| tantivy::schema::Value::as_str(&v))
                    .map(str::to_string),
                copies,
            });
        }
        let facets = facet_counts.map(|(sources, days)| {
            let mut by_source: Vec<(String, u64)> = sources.into_iter().collect();
            by_source.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let by_day: BTreeMap<i64, u64> = days.into_iter().collect();
            Facets {
                by_source,
                by_day: by_day
                    .into_iter()
                    .map(|(d, n)| (format_day(d * 86_400), n))
                    .collect(),
            }
        });
        Ok(SearchResults {
            total,
            hits,
            facets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rw(q: &str) -> Result<String, Error> {
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
        assert!(matches!(rw("date:[2015-07-01 TO"), Err(Error::Query(_))));
        assert!(matches!(rw("date:tomorrow"), Err(Error::Query(_))));
        assert!(matches!(rw("date:2015-13"), Err(Error::Query(_))));
    }

    #[test]
    fn too_many_date_clauses_are_refused() {
        let q = "date:2015 ".repeat(11);
        assert!(matches!(rw(&q), Err(Error::QueryTooComplex(_))));
        assert!(rw(&"date:2015 ".repeat(10)).is_ok());
    }

    fn small_index() -> QalamIndex {
        let index = QalamIndex::create_in_ram(crate::AnalyzerSettings::default()).unwrap();
        let mut doc = qalam_corpus::Document::from_text("تحرير الموصل".into(), Default::default());
        doc.id = "a".into();
        index.add([doc]).unwrap();
        index
    }

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
                    Err(Error::QueryTooComplex(_)) => {}
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
            Err(Error::QueryTooComplex(_))
        ));
    }

    #[test]
    fn huge_pages_are_clamped() {
        let index = small_index();
        let req = SearchRequest {
            limit: usize::MAX,
            offset: usize::MAX,
            ..SearchRequest::new("الموصل")
        };
        assert_eq!(index.search(&req).unwrap().hits.len(), 0);
        for collapse in [false, true] {
            let req = SearchRequest {
                limit: usize::MAX,
                collapse,
                snippet_bytes: usize::MAX,
                ..SearchRequest::new("الموصل")
            };
            assert_eq!(index.search(&req).unwrap().hits.len(), 1);
        }
        assert_eq!(
            SearchRequest {
                limit: usize::MAX,
                offset: usize::MAX,
                ..SearchRequest::default()
            }
            .page(&QueryLimits::default()),
            (crate::DEFAULT_MAX_LIMIT, crate::DEFAULT_MAX_OFFSET)
        );
    }

    #[test]
    fn lift_negations_is_depth_bounded() {
        let (ast, _) = tantivy::query_grammar::parse_query_lenient("a AND NOT b");
        assert!(lift_negations(ast.clone(), 8).is_ok());
        assert!(matches!(
            lift_negations(ast, 0),
            Err(Error::QueryTooComplex(_))
        ));
    }

    #[test]
    fn snippet_html_escapes_and_marks() {
        let s = Snippet::new("a <b> داعش", vec![(6, 14)]);
        assert_eq!(s.html, "a &lt;b&gt; <mark>داعش</mark>");
    }

    #[test]
    fn lead_cuts_at_char_boundary() {
        let text = "كلمة ".repeat(100);
        let l = lead(&text, 51);
        assert!(l.len() <= 51 && l.ends_with("كلمة"), "{l}");
    }
}
