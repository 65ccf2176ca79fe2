//! Fuzzes snippets: tantivy's generator over qalam's analyzer, then `Snippet::new`, as
//! `QalamIndex::search` makes them (on arbitrary bodies and queries), and full searches of a
//! small index. Highlights must be ordered, disjoint, in bounds and on char boundaries, and the
//! HTML must be the escaped text with `<mark>` around the highlights.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qalam_corpus::{Format, read_str};
use qalam_index::{AnalyzerSettings, QalamIndex, QueryMode, SearchRequest, Snippet};
use tantivy::snippet::SnippetGenerator;

const NEWS: &str = r#"{"id": "1", "title": "افتتاح المدرسة", "content": "افتتحت وزارة التعليم المدرسة الجديدة فى الرياض <b>&</b>.", "date": "2015-07-21"}
{"id": "2", "title": "المدارس", "content": "ارتفعت رسوم المدارس في جدة، وقال \"الوزير\" إنّ المدارسَ الأهليةَ ستُراجع."}
{"id": "3", "content": "   \n\n  الطقس: أمطار غزيرة على مكة المكرمة والمدينة المنورة اليوم وغدا وبعد غد"}
"#;

fn index() -> &'static QalamIndex {
    static INDEX: OnceLock<QalamIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let docs = read_str("news", NEWS, Format::Jsonl);
        index.add(docs.into_iter().map(Result::unwrap)).unwrap();
        index
    })
}

/// Removes `<mark>` tags and undoes the escapes of `Snippet::new`, in one pass.
fn unescape(html: &str) -> String {
    const ENTITIES: [(&str, &str); 7] = [
        ("<mark>", ""),
        ("</mark>", ""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ];
    let mut out = String::new();
    let mut rest = html;
    'outer: while let Some(c) = rest.chars().next() {
        for (from, to) in ENTITIES {
            if let Some(after) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = after;
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn check(s: &Snippet) {
    let mut at = 0;
    for &(a, b) in &s.highlights {
        assert!(at <= a && a < b && b <= s.text.len(), "{:?}", s.highlights);
        assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
        at = b;
    }
    assert_eq!(s.html.matches("<mark>").count(), s.highlights.len());
    assert_eq!(unescape(&s.html), s.text);
}

fuzz_target!(|data: &[u8]| {
    let Some((&max, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (query, body) = text.split_once('\u{0}').unwrap_or((&text, &text));
    let index = index();
    let max_chars = 1 + usize::from(max) * 2;

    // The generator of `search` on an arbitrary body.
    if let Ok(q) = index.words_query(query) {
        let searcher = index.searcher();
        if let Ok(mut g) = SnippetGenerator::create(&searcher, &*q, index.fields().body) {
            g.set_max_num_chars(max_chars);
            let s = g.snippet(body);
            let ranges = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
            let snippet = Snippet::new(s.fragment(), ranges);
            check(&snippet);
        }
    }
    // Whole searches of the small index, with the lead of the text when nothing matches.
    let req = SearchRequest {
        q: query.to_string(),
        mode: QueryMode::Words,
        snippet_bytes: max_chars,
        ..SearchRequest::default()
    };
    if let Ok(results) = index.search(&req) {
        for hit in &results.hits {
            check(&hit.snippet);
        }
    }
});
