//! Fuzzes the query pipeline of a search: the limits pre-scan, the `date:` rewriter, tantivy's
//! grammar, negation lifting and query building, then a search in a small in-memory index.
//! Asserts that every query gets an answer (hits or a query error, never a panic), that an
//! accepted query stays within the limits, and that the date rewrite grows the text by a bounded
//! amount. Run with `-timeout=1`: a slow input is a finding.
#![no_main]

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use qalam_corpus::{Document, Origin};
use qalam_index::{
    AnalyzerSettings, IndexError, QalamIndex, QueryLimits, QueryMode, SearchRequest, WriterOptions,
    query_shape, rewrite_dates,
};

fn index() -> &'static QalamIndex {
    static INDEX: OnceLock<QalamIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let doc = |id: &str, body: &str, date: &str| {
            let mut d = Document::from_text(body.to_string(), Origin::default());
            d.id = id.into();
            d.date = Some(date.into());
            d.source = Some("src".into());
            d
        };
        // Without reading aids (no NER model to load): the query path does not read them.
        let mut writer = index
            .writer(WriterOptions {
                threads: 1,
                aids: None,
                ..WriterOptions::default()
            })
            .unwrap();
        for d in [
            doc(
                "a",
                "أعلنت الحكومة تحرير مدينة الموصل من داعش",
                "2017-07-10",
            ),
            doc("b", "معارك في مدينة الرقة", "2017-10-17"),
            doc("c", "the quick brown fox 42", "2015-01-01"),
        ] {
            writer.add(&d).unwrap();
        }
        writer.finish().unwrap();
        index
    })
}

/// Slowest call so far, in microseconds (printed when it grows).
static SLOWEST_US: AtomicU64 = AtomicU64::new(0);

fuzz_target!(init: { index(); }, |data: &[u8]| {
    // First byte: flags; the rest: the query.
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let q = String::from_utf8_lossy(rest);
    let q = q.as_ref();
    let limits = QueryLimits::default();
    let started = Instant::now();

    if let Ok(rewritten) = rewrite_dates(q, limits.max_date_clauses) {
        assert!(
            rewritten.len() <= q.len() + 64 * limits.max_date_clauses,
            "date rewrite grew {} bytes to {}",
            q.len(),
            rewritten.len()
        );
    }

    let index = index();
    let req = SearchRequest {
        q: q.to_string(),
        mode: if flags & 1 == 0 {
            QueryMode::Syntax
        } else {
            QueryMode::Words
        },
        all_words: flags & 2 != 0,
        collapse: flags & 4 != 0,
        facets: flags & 8 != 0,
        limit: usize::MAX >> (flags >> 4),
        offset: usize::MAX >> (flags >> 4),
        ..SearchRequest::default()
    };
    match index.search(&req) {
        Ok(results) => {
            assert!(results.hits.len() <= 3);
            assert!(q.len() <= limits.max_bytes);
            if req.mode == QueryMode::Syntax {
                let shape = query_shape(q.trim());
                assert!(shape.depth <= limits.max_depth, "{shape:?}");
                assert!(shape.clauses <= limits.max_clauses, "{shape:?}");
            }
        }
        Err(IndexError::Query(_) | IndexError::QueryTooComplex(_)) => {}
        Err(e) => panic!("unexpected error for {q:?}: {e}"),
    }

    let us = started.elapsed().as_micros() as u64;
    if us > SLOWEST_US.fetch_max(us, Ordering::Relaxed) {
        eprintln!(
            "query: slowest so far {:.1} ms ({} bytes)",
            us as f64 / 1e3,
            q.len()
        );
    }
});
