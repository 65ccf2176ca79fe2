//! What the OpenAPI document promises, through `oneshot`: bodies it calls invalid get 400, the
//! ids its links follow can be fetched, and answers have the documented shape. The whole
//! document is checked against the running server by `.ci/schemathesis.sh`.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use qalam_corpus::content_id;
use qalam_index::{AnalyzerSettings, QalamIndex};
use qalam_server::{AppState, ServerConfig, app, openapi};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "contract-test-token-0123456789";

fn router() -> Router {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    let config = ServerConfig {
        write_token: Some(TOKEN.into()),
        ..ServerConfig::default()
    };
    app(AppState::new(index, config))
}

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{status}: {e}: {}", String::from_utf8_lossy(&body)));
    (status, value)
}

fn upload(body: &Value) -> Request<Body> {
    Request::post("/api/documents")
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// The path of a document, its id percent-encoded.
fn document_path(id: &str) -> String {
    let mut path = "/api/documents/".to_string();
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

/// Follows the `GetDocument` link of an upload report as a client of the document would.
fn linked_id(report: &Value) -> String {
    let doc = openapi::document();
    let link = &doc["paths"]["/api/documents"]["post"]["responses"]["200"]["links"]["GetDocument"];
    assert_eq!(link["operationId"], "getDocument");
    let expression = link["parameters"]["id"].as_str().unwrap();
    let pointer = expression.strip_prefix("$response.body#").unwrap();
    report
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{expression} not in {report}"))
        .to_string()
}

#[tokio::test]
async fn blank_ids_get_the_content_id_and_the_link_fetches_it() {
    let r = router();
    let body = "أعلنت الحكومة تحرير مدينة الموصل";
    for blank in ["", "  ", "\t\u{3000}"] {
        let (status, report) = call(&r, upload(&json!({"id": blank, "content": body}))).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let id = linked_id(&report);
        assert_eq!(id, content_id(None, body), "id {blank:?}");
        let (status, doc) = call(&r, get(&document_path(&id))).await;
        assert_eq!(status, StatusCode::OK, "{doc}");
        assert_eq!(doc["id"], id.as_str());
        assert_eq!(doc["body"], body);
    }
    // Ids that need escaping in a path are fetched by the same link.
    for odd in ["a/b", "٣ ?#%", "..", "."] {
        let (status, report) = call(&r, upload(&json!({"id": odd, "content": body}))).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(linked_id(&report), odd);
        let (status, doc) = call(&r, get(&document_path(odd))).await;
        assert_eq!(status, StatusCode::OK, "{odd:?}: {doc}");
        assert_eq!(doc["id"], odd);
    }
}

#[tokio::test]
async fn blank_records_are_refused_and_a_title_alone_is_enough() {
    let r = router();
    for record in [
        json!({"content": ""}),
        json!({"content": " \n", "title": "\u{3000}"}),
        json!({"content": null, "body": "", "title": null}),
        json!({"title": "عنوان"}),
    ] {
        let (status, e) = call(&r, upload(&record)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{record}: {e}");
        assert_eq!(e["error"], "no_valid_documents", "{record}");
    }
    for record in [
        json!({"content": "", "title": "عنوان"}),
        json!({"content": null, "body": "نص", "text": 5}),
        json!({"text": "نص", "date": null, "date_extracted": 2015}),
    ] {
        let (status, report) = call(&r, upload(&record)).await;
        assert_eq!(status, StatusCode::OK, "{record}: {report}");
        assert_eq!(report["ids"].as_array().unwrap().len(), 1);
    }
    // An array needs one valid record (the document's `contains`); the others are listed.
    let mixed = json!([5, {"content": "نص"}, {"content": " "}, []]);
    let (status, report) = call(&r, upload(&mixed)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["rejected"], 3);
    assert_eq!(report["errors"].as_array().unwrap().len(), 3);
    let (status, e) = call(&r, upload(&json!([5, {"content": " "}]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"], "no_valid_documents");
    let doc = openapi::document();
    assert_eq!(
        doc["components"]["schemas"]["Upload"]["oneOf"][1]["contains"]["$ref"],
        "#/components/schemas/Record"
    );
}

#[tokio::test]
async fn analyze_needs_a_body_and_known_fields() {
    let r = router();
    let no_body = Request::post("/api/analyze").body(Body::empty()).unwrap();
    let (status, e) = call(&r, no_body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"], "empty_body");
    let empty_text = Request::post("/api/analyze?morph=true")
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&r, empty_text).await.1["error"], "empty_body");
    let extra = Request::post("/api/analyze")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"text": "نص", "lang": "ar"}"#))
        .unwrap();
    let (status, e) = call(&r, extra).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"], "bad_json");
    let doc = openapi::document();
    let schema = &doc["paths"]["/api/analyze"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(schema["additionalProperties"], false);
    // Blank text is still text: an empty analysis.
    let (status, analysis) = call(
        &r,
        Request::post("/api/analyze").body(Body::from(" ")).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(analysis["tokens"], json!([]));
}

#[tokio::test]
async fn stories_and_duplicates_are_arrays() {
    let r = router();
    let doc = openapi::document();
    for path in ["/api/stories", "/api/duplicates"] {
        let (status, v) = call(&r, get(path)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {v}");
        assert!(v.is_array(), "{path}: {v}");
        let schema =
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "array", "{path}");
    }
}

#[tokio::test]
async fn dates_outside_tantivys_range_are_neither_fatal_nor_wrapped() {
    let r = router();
    let records = json!([
        {"id": "old", "content": "نص قديم", "date": "0001-01-01"},
        {"id": "new", "content": "نص جديد", "date": "2017-07-10"},
        {"id": "far", "content": "نص بعيد", "date": "9999-12-31 23:59:59"}
    ]);
    let (status, report) = call(&r, upload(&records)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["added"], 3);
    // Bounds past tantivy's years clamp: everything indexed with a date is inside them.
    for (query, total) in [
        ("from=0000", 1),
        ("to=9999", 1),
        ("from=0000&to=9999-12-31", 1),
        ("from=2018", 0),
        ("to=1600-01", 0),
    ] {
        let (status, v) = call(&r, get(&format!("/api/search?{query}"))).await;
        assert_eq!(status, StatusCode::OK, "{query}: {v}");
        assert_eq!(v["total"], total, "{query}: {v}");
    }
    let (status, doc) = call(&r, get("/api/documents/old")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["date"], "0001-01-01");
}
