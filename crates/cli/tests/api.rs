//! The HTTP API of `qalam demo` and `qalam serve`, against the real binary on a free port.

mod api_support;

use std::path::Path;

use api_support::{AUTH, JSON, Server, enc, index_sample};
use assert_cmd::Command;
use serde_json::{Value, json};

/// `qalam demo` with the test token.
fn demo(dir: &Path, extra: &[&str]) -> Server {
    Server::demo(dir, extra, &[])
}

fn search(s: &Server, query: &str) -> Value {
    let r = s.get(&format!("/api/search?{query}"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()
}

#[test]
fn page_health_and_openapi() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);

    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains(r#"<html dir="rtl" lang="ar">"#));
    for (path, ty) in [
        ("/assets/app.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(ty), "{path}");
        assert!(html.contains(path), "page links {path}");
    }

    let health = s.get("/api/health").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["documents"], 44);
    assert_eq!(health["writes"], true);

    let doc = s.get("/api/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/search", "get"),
        ("/api/documents/{id}", "get"),
        ("/api/documents/{id}", "delete"),
        ("/api/documents", "post"),
        ("/api/analyze", "post"),
        ("/api/health", "get"),
        ("/api/openapi.json", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} documented"
        );
    }
}

#[test]
fn search_hits_snippets_facets_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);

    let r = search(&s, &format!("q={}", enc("الموصل")));
    let total = r["total"].as_u64().unwrap();
    assert!(total >= 10, "{r}");
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 10, "default limit");
    assert!(
        hits[0]["snippet"]["html"]
            .as_str()
            .unwrap()
            .contains("<mark>الموصل</mark>")
    );
    let facets = &r["facets"];
    let by_source = facets["by_source"].as_array().unwrap();
    let counted: u64 = by_source.iter().map(|e| e[1].as_u64().unwrap()).sum();
    assert_eq!(counted, total, "every hit has one source");
    assert!(!facets["by_day"].as_array().unwrap().is_empty());

    // Paging.
    let page = search(&s, &format!("q={}&limit=3&offset=2", enc("الموصل")));
    assert_eq!(page["hits"].as_array().unwrap().len(), 3);
    assert_eq!(page["hits"][0]["id"], hits[2]["id"]);
    assert_eq!(page["offset"], 2);

    // Source and date filters.
    let r = search(&s, &format!("q={}&source={}", enc("الموصل"), enc("الرافد")));
    assert!(r["total"].as_u64().unwrap() > 0);
    for h in r["hits"].as_array().unwrap() {
        assert_eq!(h["source"], "الرافد");
    }
    let r = search(&s, "from=2017-07-01&to=2017-07-31&limit=100");
    let dates: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 3, "{dates:?}");
    assert!(dates.iter().all(|d| d.starts_with("2017-07")));

    // No query and no filter lists the archive; query syntax works.
    assert_eq!(search(&s, "")["total"], 44);
    assert_eq!(
        search(&s, "q=&limit=0")["hits"].as_array().unwrap().len(),
        0
    );
    let r = search(&s, &format!("q={}", enc("الرقة AND date:2017-10")));
    assert_eq!(r["hits"][0]["id"], "qs-030");
    // Plain-words mode reads a pasted question without syntax.
    let r = search(
        &s,
        &format!("q={}&mode=words", enc("متى تحررت الموصل؟ \"(")),
    );
    assert!(r["total"].as_u64().unwrap() > 0);
}

#[test]
fn documents_and_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);

    let doc = s.get("/api/documents/qs-023").json();
    assert_eq!(doc["id"], "qs-023");
    assert_eq!(doc["source"], "المنارة");
    assert_eq!(doc["date"], "2017-07-10");
    let body = doc["body"].as_str().unwrap();
    assert!(body.contains("الموصل"));
    let analysis = &doc["analysis"];
    assert!(!analysis["sentences"].as_array().unwrap().is_empty());
    assert!(analysis["tokens"].as_array().unwrap().len() > 50);
    let entities = analysis["entities"].as_array().unwrap();
    assert!(!entities.is_empty(), "the NER model finds names in {body}");
    for e in entities {
        let (a, b) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&body[a..b], e["text"].as_str().unwrap());
        assert!(["PERS", "LOC", "ORG", "MISC"].contains(&e["type"].as_str().unwrap()));
    }

    let missing = s.get("/api/documents/no-such-id");
    assert_eq!(missing.assert_error(404), "not_found");
    // Percent-decoded ids that are not UTF-8 are a client error, not a crash.
    assert_eq!(
        s.get("/api/documents/%FF%FE").assert_error(400),
        "bad_parameter"
    );
}

#[test]
fn analyze_matches_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);
    let text = "أعلن رئيس الوزراء العراقي حيدر العبادي تحرير الموصل. وخرج الناس إلى شوارع بغداد.";

    // `qalam analyze --format json EXTRA…` on `text`, without its "name".
    let cli_json = |extra: &[&str]| {
        let cli = Command::cargo_bin("qalam")
            .unwrap()
            .args(["analyze", "--format", "json"])
            .args(extra)
            .write_stdin(text)
            .output()
            .unwrap();
        assert!(cli.status.success());
        let mut v: Value = serde_json::from_slice(&cli.stdout).unwrap();
        v.as_object_mut().unwrap().remove("name");
        v
    };
    let expected = cli_json(&[]);

    let plain = s.send(
        "POST",
        "/api/analyze",
        &[("Content-Type", "text/plain; charset=utf-8")],
        text.as_bytes(),
    );
    let as_json = s.send(
        "POST",
        "/api/analyze",
        &[JSON],
        json!({ "text": text }).to_string().as_bytes(),
    );
    let no_type = s.send("POST", "/api/analyze", &[], text.as_bytes());
    for r in [plain, as_json, no_type] {
        assert_eq!(r.status, 200);
        let mut got = r.json();
        assert_eq!(got["name"], "request");
        got.as_object_mut().unwrap().remove("name");
        assert_eq!(got, expected);
    }

    let expected = cli_json(&["--morph"]);
    assert!(expected["words"].as_array().is_some_and(|w| w.len() > 15));
    let r = s.send("POST", "/api/analyze?morph=true", &[], text.as_bytes());
    assert_eq!(r.status, 200);
    let mut got = r.json();
    got.as_object_mut().unwrap().remove("name");
    assert_eq!(got, expected);
    let bad = s.send("POST", "/api/analyze?morph=maybe", &[], text.as_bytes());
    assert_eq!(bad.assert_error(400), "bad_parameter");
}

#[test]
fn malformed_requests_get_json_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &["--body-limit-mb", "1"]);

    for query in [
        "q=x&limit=1e30",
        "q=x&limit=-1",
        "q=x&limit=101",
        "q=x&offset=99999999999",
        "q=x&offset=18446744073709551616",
        "q=x&mode=fuzzy",
        "q=x&facets=maybe",
    ] {
        let r = s.get(&format!("/api/search?{query}"));
        assert_eq!(r.assert_error(400), "bad_parameter", "{query}");
    }
    for query in ["q=date:tomorrow", "q=x&from=yesterday", "q=date:%5B2015"] {
        let r = s.get(&format!("/api/search?{query}"));
        assert_eq!(r.assert_error(400), "bad_query", "{query}");
    }
    // Bytes that are not UTF-8 in the query string are replaced, not fatal.
    assert_eq!(s.get("/api/search?q=%FF%FE").status, 200);

    let bad_utf8 = s.send(
        "POST",
        "/api/analyze",
        &[("Content-Type", "text/plain")],
        b"\xd8\xa7\xff",
    );
    assert_eq!(bad_utf8.assert_error(400), "bad_utf8");
    let no_body = s.send("POST", "/api/analyze", &[], b"");
    assert_eq!(no_body.assert_error(400), "empty_body");
    let bad_json = s.send("POST", "/api/analyze", &[JSON], b"{\"text\": ");
    assert_eq!(bad_json.assert_error(400), "bad_json");
    let wrong_shape = s.send("POST", "/api/analyze", &[JSON], b"[1, 2]");
    assert_eq!(wrong_shape.assert_error(400), "bad_json");
    let media = s.send(
        "POST",
        "/api/analyze",
        &[("Content-Type", "image/png")],
        b"x",
    );
    assert_eq!(media.assert_error(415), "unsupported_media_type");

    // Over the limit (1 MiB here): refused from the Content-Length, before the body is read.
    let big = s.send(
        "POST",
        "/api/analyze",
        &[("Content-Length", "2000000")],
        b"",
    );
    assert_eq!(big.assert_error(413), "payload_too_large");
    let huge = s.send(
        "POST",
        "/api/documents",
        &[AUTH, ("Content-Length", "99999999999")],
        b"",
    );
    assert_eq!(huge.assert_error(413), "payload_too_large");

    assert_eq!(s.get("/api/nothing").assert_error(404), "not_found");
    let r = s.send("PUT", "/api/search", &[], b"");
    assert_eq!(r.assert_error(405), "method_not_allowed");
    let r = s.send("POST", "/api/health", &[], b"");
    assert_eq!(r.assert_error(405), "method_not_allowed");
}

#[test]
fn writes_need_the_token_and_are_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &["--cors", "http://app.example"]);
    let records = json!([
        {"id": "t-1", "title": "اختبار الرفع", "content": "افتتحت بلدية الموصل جسرا جديدا فوق نهر دجلة", "source": "اختبار", "date": "2018-03-01"},
        {"id": "t-2", "content": "مكتبة جامعة الموصل تستقبل الطلاب", "source": "اختبار"},
        {"title": "بلا نص"}
    ])
    .to_string();

    let none = s.send("POST", "/api/documents", &[JSON], records.as_bytes());
    assert_eq!(none.assert_error(401), "unauthorized");
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let wrong = s.send(
        "POST",
        "/api/documents",
        &[JSON, ("Authorization", "Bearer nope")],
        records.as_bytes(),
    );
    assert_eq!(wrong.assert_error(401), "unauthorized");
    assert_eq!(s.get("/api/documents/t-1").status, 404, "nothing written");

    let ok = s.send("POST", "/api/documents", &[JSON, AUTH], records.as_bytes());
    assert_eq!(ok.status, 200, "{}", String::from_utf8_lossy(&ok.body));
    let report = ok.json();
    assert_eq!(
        (
            report["added"].as_u64(),
            report["replaced"].as_u64(),
            report["rejected"].as_u64()
        ),
        (Some(2), Some(0), Some(1))
    );
    assert_eq!(report["docs_in_index"], 46);
    assert_eq!(report["ids"], json!(["t-1", "t-2"]));
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].as_str().unwrap().contains("record 3"),
        "{errors:?}"
    );

    // Committed: visible to reads at once.
    assert_eq!(s.get("/api/documents/t-1").json()["title"], "اختبار الرفع");
    let r = search(&s, &format!("q={}&source={}", enc("دجلة"), enc("اختبار")));
    assert_eq!(r["hits"][0]["id"], "t-1");

    // JSONL, replacing t-2.
    let jsonl = "{\"id\": \"t-2\", \"content\": \"نص جديد عن الرقة\"}\n{\"id\": \"t-3\", \"content\": \"نص ثالث\"}\n";
    let r = s
        .send(
            "POST",
            "/api/documents",
            &[("Content-Type", "application/x-ndjson"), AUTH],
            jsonl.as_bytes(),
        )
        .json();
    assert_eq!(
        (r["added"].as_u64(), r["replaced"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        s.get("/api/documents/t-2").json()["body"],
        "نص جديد عن الرقة"
    );

    // Nothing usable: 400 with every record's error.
    let r = s.send(
        "POST",
        "/api/documents",
        &[JSON, AUTH],
        b"[{\"title\": 1}, 5]",
    );
    assert_eq!(r.assert_error(400), "no_valid_documents");
    assert_eq!(r.json()["errors"].as_array().unwrap().len(), 2);
    let r = s.send("POST", "/api/documents", &[JSON, AUTH], b"not json at all");
    assert_eq!(r.assert_error(400), "no_valid_documents");
    assert_eq!(
        s.send("POST", "/api/documents", &[JSON, AUTH], b"  ")
            .assert_error(400),
        "empty_body"
    );
    let r = s.send(
        "POST",
        "/api/documents",
        &[("Content-Type", "text/csv"), AUTH],
        b"a,b",
    );
    assert_eq!(r.assert_error(415), "unsupported_media_type");

    // Concurrent uploads are serialised, none fails.
    let addr = s.addr.clone();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let body =
                    json!([{"id": format!("c-{i}"), "content": format!("وثيقة متزامنة رقم {i}")}])
                        .to_string();
                api_support::request(
                    &addr,
                    "POST",
                    "/api/documents",
                    &[JSON, AUTH],
                    body.as_bytes(),
                )
                .status
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
    assert_eq!(s.get("/api/health").json()["documents"], 51);

    // Delete.
    let r = s.send("DELETE", "/api/documents/t-1", &[], b"");
    assert_eq!(r.assert_error(401), "unauthorized");
    let r = s.send("DELETE", "/api/documents/t-1", &[AUTH], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["deleted"], "t-1");
    assert_eq!(s.get("/api/documents/t-1").assert_error(404), "not_found");
    assert_eq!(
        s.send("DELETE", "/api/documents/t-1", &[AUTH], b"")
            .assert_error(404),
        "not_found"
    );

    // CORS was asked for: the allowed origin gets the headers, others do not.
    let pre = s.send(
        "OPTIONS",
        "/api/search",
        &[
            ("Origin", "http://app.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        b"",
    );
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("http://app.example")
    );
    let other = s.send(
        "GET",
        "/api/health",
        &[("Origin", "http://evil.example")],
        b"",
    );
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn serve_without_token_is_read_only() {
    let tmp = tempfile::tempdir().unwrap();
    let index = index_sample(tmp.path());
    let s = Server::start(
        &["serve", "--index", index.to_str().unwrap()],
        &[],
        tmp.path(),
    );
    assert_eq!(s.get("/api/health").json()["writes"], false);
    let hits = search(&s, &format!("q={}", enc("داعش")))["hits"].clone();
    assert!(!hits.as_array().unwrap().is_empty());

    let body = r#"[{"id": "x", "content": "نص"}]"#.as_bytes();
    for headers in [vec![JSON], vec![JSON, AUTH]] {
        let r = s.send("POST", "/api/documents", &headers, body);
        assert_eq!(r.assert_error(403), "writes_disabled");
    }
    assert_eq!(
        s.send("DELETE", "/api/documents/qs-001", &[AUTH], b"")
            .assert_error(403),
        "writes_disabled"
    );
    assert_eq!(s.get("/api/documents/qs-001").status, 200, "still there");
    // No CORS unless asked for.
    let r = s.send(
        "GET",
        "/api/health",
        &[("Origin", "http://app.example")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn serve_reports_a_missing_index() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("none");
    Command::cargo_bin("qalam")
        .unwrap()
        .args([
            "serve",
            "--index",
            missing.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such index directory"));
    Command::cargo_bin("qalam")
        .unwrap()
        .args([
            "demo",
            "--data-dir",
            tmp.path().to_str().unwrap(),
            "--cors",
            "bad\norigin",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--cors"));
}
