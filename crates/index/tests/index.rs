//! End-to-end tests of the index API on small inline fixtures.

use qalam_corpus::{Document, Format, read_str};
use qalam_index::{
    AnalyzerSettings, IndexError, QalamIndex, QueryMode, SETTINGS_FILE, SearchRequest,
    WriterOptions,
};

const NEWS: &str = r#"{"id": "1", "title": "افتتاح المدرسة", "content": "افتتحت وزارة التعليم المدرسة الجديدة فى الرياض أمس.", "source": "okaz", "date": "2015-07-21 10:00:00", "author": "محمد", "tags": ["تعليم"]}
{"id": "2", "title": "المدارس الأهلية", "content": "ارتفعت رسوم المدارس الأهلية في جدة هذا العام.", "source": "alriyadh", "date": "2015-08-02"}
{"id": "3", "title": "داعش", "content": "تنظيم داعش يتبنى تفجير مسجد في الكويت، وولي العهد يدين التفجير.", "source": "okaz", "date": "2015-07-03"}
{"id": "4", "title": "الطقس", "content": "أمطار غزيرة على مكة والمدرسة مغلقة.", "source": "sabq"}
"#;

fn docs(text: &str) -> Vec<Document> {
    read_str("news.jsonl", text, Format::Jsonl)
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

fn ids(index: &QalamIndex, req: &SearchRequest) -> Vec<String> {
    index
        .search(req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn q(index: &QalamIndex, query: &str) -> Vec<String> {
    let mut req = SearchRequest::new(query);
    req.limit = 100;
    let mut v = ids(index, &req);
    v.sort();
    v
}

fn fixture() -> QalamIndex {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    let report = index.add(docs(NEWS)).unwrap();
    assert_eq!((report.added, report.replaced, report.rejected), (4, 0, 0));
    assert_eq!(report.docs_in_index, 4);
    index
}

#[test]
fn stems_match_across_forms_and_exact_forms_rank_first() {
    let index = fixture();
    // مدرسة, المدرسة, والمدرسة share the light stem مدرس; the broken plural المدارس only shares
    // the ISRI root درس, so it matches through the root fields and ranks last.
    let hits = index.search(&SearchRequest::new("مدرسة")).unwrap().hits;
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[2], "2", "{hits:?}");
    let hits = index.search(&SearchRequest::new("المدرسة")).unwrap().hits;
    assert_eq!(hits[0].id, "1", "title and body have the exact form");
    assert_eq!(hits[0].snippet.highlights.len(), 1, "{:?}", hits[0].snippet);
    let no_root = QalamIndex::create_in_ram(AnalyzerSettings {
        root_stemmer: None,
        ..AnalyzerSettings::default()
    })
    .unwrap();
    no_root.add(docs(NEWS)).unwrap();
    assert_eq!(q(&no_root, "مدرسة"), ["1", "4"]);
    assert_eq!(q(&no_root, "المدارس"), ["2"]);
}

#[test]
fn boolean_phrase_field_source_and_date_syntax() {
    let index = fixture();
    assert_eq!(q(&index, "داعش OR أمطار"), ["3", "4"]);
    assert_eq!(q(&index, "المدرسة AND NOT أمطار"), ["1", "2"]);
    assert_eq!(q(&index, "المدرسة -أمطار -جدة"), ["1"]);
    assert_eq!(q(&index, "\"ولي العهد\""), ["3"]);
    assert_eq!(q(&index, "\"العهد ولي\""), Vec::<String>::new());
    assert_eq!(q(&index, "title:داعش"), ["3"]);
    assert_eq!(q(&index, "source:okaz"), ["1", "3"]);
    assert_eq!(
        q(&index, "في source:okaz AND date:[2015-07-01 TO 2015-07-10]"),
        ["3"]
    );
    assert_eq!(q(&index, "date:2015-07"), ["1", "3"]);
    assert_eq!(q(&index, "date:[2015-07-21 TO 2015-08-02]"), ["1", "2"]);
    assert_eq!(q(&index, "author:محمد"), ["1"]);
}

#[test]
fn request_filters_facets_and_paging() {
    let index = fixture();
    let mut req = SearchRequest::new("مدرسة OR المدارس OR داعش");
    req.facets = true;
    let all = index.search(&req).unwrap();
    assert_eq!(all.total, 4);
    let facets = all.facets.unwrap();
    assert_eq!(facets.by_source[0], ("okaz".to_string(), 2));
    assert_eq!(
        facets.by_day,
        [
            ("2015-07-03".to_string(), 1),
            ("2015-07-21".to_string(), 1),
            ("2015-08-02".to_string(), 1)
        ]
    );
    req.source = Some("okaz".into());
    req.from = Some("2015-07-10".into());
    assert_eq!(ids(&index, &req), ["1"]);
    let mut page = SearchRequest::new("مدرسة OR المدارس OR داعش");
    page.limit = 2;
    page.offset = 2;
    let second = index.search(&page).unwrap();
    assert_eq!(second.total, 4);
    assert_eq!(second.hits.len(), 2);
}

#[test]
fn snippets_highlight_the_original_text() {
    let index = fixture();
    let hit = &index
        .search(&SearchRequest::new("مدرسه الرياض"))
        .unwrap()
        .hits[0];
    assert_eq!(hit.id, "1");
    let s = &hit.snippet;
    let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
    assert_eq!(marked, ["المدرسة", "الرياض"]);
    assert!(s.html.contains("<mark>المدرسة</mark>"), "{}", s.html);
    assert_eq!(hit.source.as_deref(), Some("okaz"));
    assert_eq!(hit.date.as_deref(), Some("2015-07-21 10:00:00"));
}

#[test]
fn words_mode_takes_questions_verbatim() {
    let index = fixture();
    let mut req = SearchRequest::new("- من تبنى تفجير مسجد الكويت؟ (date:");
    assert!(matches!(index.search(&req), Err(IndexError::Query(_))));
    req.mode = QueryMode::Words;
    assert_eq!(ids(&index, &req)[0], "3");
}

#[test]
fn syntax_errors_are_errors_not_panics() {
    let index = fixture();
    for bad in [
        "title:(",
        "\"unclosed",
        "date:[2015 TO",
        "nosuchfield:x",
        "date:yesterday",
        "",
    ] {
        match index.search(&SearchRequest::new(bad)) {
            Err(IndexError::Query(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
}

#[test]
fn replace_delete_and_get() {
    let index = fixture();
    let changed = NEWS.lines().next().unwrap().replace("الرياض", "الدمام");
    let report = index.add(docs(&changed)).unwrap();
    assert_eq!((report.added, report.replaced), (0, 1));
    assert_eq!(index.num_docs(), 4);
    assert_eq!(q(&index, "الرياض"), Vec::<String>::new());
    assert_eq!(q(&index, "الدمام"), ["1"]);
    let doc = index.get("1").unwrap().unwrap();
    assert!(doc.body.contains("الدمام"));
    assert_eq!(doc.extra["tags"][0], "تعليم");
    assert_eq!(doc.origin.line, Some(1));
    assert_eq!(index.delete(&["1", "nope"]).unwrap(), 1);
    assert_eq!(index.get("1").unwrap(), None);
    assert_eq!(index.num_docs(), 3);
}

#[test]
fn duplicate_ids_in_one_ingest_keep_the_last() {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    let mut writer = index
        .writer(WriterOptions {
            threads: 1,
            ..WriterOptions::default()
        })
        .unwrap();
    for body in ["نص أول", "نص ثان", "نص ثالث"] {
        let doc = &docs(&format!("{{\"id\": \"x\", \"text\": \"{body}\"}}"))[0];
        writer.add(doc).unwrap();
    }
    let report = writer.finish().unwrap();
    assert_eq!(
        (report.added, report.replaced, report.docs_in_index),
        (1, 2, 1)
    );
    assert!(index.get("x").unwrap().unwrap().body.ends_with("ثالث"));
}

#[test]
fn settings_are_stored_and_used_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idx");
    let settings = AnalyzerSettings {
        stemmer: "none".into(),
        stopwords: false,
        root_stemmer: None,
        ..AnalyzerSettings::default()
    };
    let index = QalamIndex::create(&path, settings.clone()).unwrap();
    index.add(docs(NEWS)).unwrap();
    drop(index);
    let json = std::fs::read_to_string(path.join(SETTINGS_FILE)).unwrap();
    assert!(json.contains("\"stemmer\": \"none\""), "{json}");
    let index = QalamIndex::open(&path).unwrap();
    assert_eq!(index.settings().analyzer, settings);
    // Without stemming, مدرسة matches no document; with stopwords kept, في is searchable.
    assert_eq!(q(&index, "مدرسة"), Vec::<String>::new());
    assert_eq!(q(&index, "في"), ["1", "2", "3"]);
    let (again, created) = QalamIndex::open_or_create(&path, AnalyzerSettings::default()).unwrap();
    assert!(!created);
    assert_eq!(again.settings().analyzer.stemmer, "none");
}

#[test]
fn refuses_foreign_directories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    let err = QalamIndex::create(dir.path(), AnalyzerSettings::default()).unwrap_err();
    assert!(matches!(err.kind(), IndexError::NotEmpty), "{err}");
    let err = QalamIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err.kind(), IndexError::NotAnIndex), "{err}");
    std::fs::write(dir.path().join(SETTINGS_FILE), "{\"format\": 99}").unwrap();
    let err = QalamIndex::open(dir.path()).unwrap_err();
    assert!(
        matches!(err.kind(), IndexError::Format { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn a_stream_of_uploads_and_deletes_keeps_few_files_mapped() {
    // Every upload and delete is its own commit (as in the server): new segments, merges and
    // delete sets come and go. Only the files of live segments may stay in the map cache.
    let dir = tempfile::tempdir().unwrap();
    let index = QalamIndex::create(dir.path().join("idx"), AnalyzerSettings::default()).unwrap();
    let options = || WriterOptions {
        threads: 1,
        aids: None,
        ..WriterOptions::default()
    };
    for n in 0..40 {
        let doc = &docs(&format!("{{\"id\": \"d{n}\", \"text\": \"نص رقم {n}\"}}"))[0];
        let mut writer = index.writer(options()).unwrap();
        writer.add(doc).unwrap();
        writer.finish().unwrap();
        if n >= 5 {
            assert_eq!(index.delete(&[format!("d{}", n - 5)]).unwrap(), 1);
        }
        assert!(!q(&index, "نص").is_empty());
    }
    assert_eq!(index.num_docs(), 5);
    index.reload().unwrap();
    let segments = index.searcher().segment_readers().len();
    let mapped = index.mapped_files();
    assert!(
        mapped > 0 && mapped <= 8 * segments,
        "{mapped} files mapped for {segments} segments"
    );
}
