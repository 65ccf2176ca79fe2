//! The router through `oneshot`, without a socket: limits, timeouts, writes and searches.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use qalam_index::{AnalyzerSettings, QalamIndex};
use qalam_server::{AppState, ServerConfig, app};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "oneshot-test-token";
const BEARER: &str = "Bearer oneshot-test-token";

fn router(config: ServerConfig) -> Router {
    let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
    app(AppState::new(index, config))
}

fn writable() -> ServerConfig {
    ServerConfig {
        write_token: Some(TOKEN.into()),
        ..ServerConfig::default()
    }
}

async fn call(router: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/json"));
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert!(is_json, "{status}: {}", String::from_utf8_lossy(&body));
    (status, serde_json::from_slice(&body).unwrap())
}

fn post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::AUTHORIZATION, BEARER)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .unwrap()
}

#[tokio::test]
async fn upload_then_search_and_read() {
    let r = router(writable());
    let docs = json!([
        {"id": "m", "title": "تحرير الموصل", "content": "أعلنت الحكومة تحرير مدينة الموصل من داعش", "source": "أ", "date": "2017-07-10"},
        {"id": "r", "title": "الرقة", "content": "معارك في مدينة الرقة", "source": "ب", "date": "2017-10-17"}
    ]);
    let (status, report) = call(&r, post("/api/documents", docs.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["added"], 2);

    let search = Request::get("/api/search?q=%D9%85%D8%AF%D9%8A%D9%86%D8%A9&limit=1")
        .body(Body::empty())
        .unwrap();
    let (status, results) = call(&r, search).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results["total"], 2);
    assert_eq!(results["hits"].as_array().unwrap().len(), 1);
    assert!(
        results["hits"][0]["snippet"]["html"]
            .as_str()
            .unwrap()
            .contains("<mark>")
    );
    assert_eq!(results["facets"]["by_source"].as_array().unwrap().len(), 2);

    let (status, doc) = call(
        &r,
        Request::get("/api/documents/m")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["title"], "تحرير الموصل");
    assert!(doc["analysis"]["tokens"].as_array().unwrap().len() >= 7);
}

#[tokio::test]
async fn body_over_the_limit_is_413_without_content_length() {
    let r = router(ServerConfig {
        body_limit: 1000,
        ..writable()
    });
    // No Content-Length header: the limit applies while the body is read.
    let (status, err) = call(&r, post("/api/analyze", vec![b' '; 2000])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"], "payload_too_large");
    assert!(err["detail"].as_str().unwrap().contains("1000 bytes"));
    let (status, _) = call(&r, post("/api/documents", vec![b' '; 2000])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // At the limit it is read.
    let (status, _) = call(&r, post("/api/analyze", r#"{"text": "نص"}"#)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn slow_requests_time_out_with_json() {
    let r = router(ServerConfig {
        request_timeout: Duration::from_millis(1),
        ..ServerConfig::default()
    });
    // Analysing ~400 KB takes far longer than a millisecond.
    let text = "أعلن رئيس الوزراء تحرير مدينة الموصل من تنظيم داعش. ".repeat(4000);
    let request = Request::post("/api/analyze")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(text))
        .unwrap();
    let (status, err) = call(&r, request).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{err}");
    assert_eq!(err["error"], "request_timeout");
}

#[tokio::test]
async fn bad_json_upload_lists_record_errors() {
    let r = router(writable());
    let body = "{\"id\": \"a\", \"content\": \"نص\"}\n{broken\n";
    let request = Request::post("/api/documents")
        .header(header::AUTHORIZATION, BEARER)
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from(body))
        .unwrap();
    let (status, report) = call(&r, request).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["added"], 1);
    assert_eq!(report["rejected"], 1);
    assert!(
        report["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("line 2: invalid JSON"),
        "{report}"
    );
}
