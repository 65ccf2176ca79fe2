//! The OpenAPI 3 description of the API, served at `GET /api/openapi.json`.

use std::sync::OnceLock;

use serde_json::Value;

const OPENAPI_JSON: &str = include_str!("openapi.json");

/// The OpenAPI document, with `info.version` set to this build's version.
pub fn document() -> Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc: Value =
            serde_json::from_str(OPENAPI_JSON).expect("openapi.json is valid JSON");
        doc["info"]["version"] = Value::String(env!("CARGO_PKG_VERSION").into());
        doc
    })
    .clone()
}

/// (method, path template) of every operation the document describes, e.g. `("get", "/api/search")`.
pub fn operations() -> Vec<(String, String)> {
    let doc = document();
    let mut out = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in ["get", "post", "put", "delete", "patch"] {
                if item.get(method).is_some() {
                    out.push((method.to_string(), path.clone()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use qalam_index::{AnalyzerSettings, QalamIndex};
    use tower::ServiceExt;

    use super::*;
    use crate::{AppState, ServerConfig, app};

    #[test]
    fn every_ref_resolves() {
        let doc = document();
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/").skip(1) {
            let pointer = &part[..part.find('"').unwrap()];
            assert!(
                doc.pointer(&format!("/{pointer}")).is_some(),
                "dangling $ref {pointer}"
            );
        }
    }

    /// Each documented operation is routed (no 404 "no such route", no 405), and the routes
    /// the router answers under /api are all documented.
    #[tokio::test]
    async fn document_matches_routes() {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let router = app(AppState::new(index, ServerConfig::default()));
        let ops = operations();
        assert_eq!(ops.len(), 10, "{ops:?}");
        for (method, path) in &ops {
            let uri = path.replace("{id}", "x");
            let req = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
                .uri(&uri)
                .body(Body::empty())
                .unwrap();
            let res = router.clone().oneshot(req).await.unwrap();
            assert_ne!(
                res.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}"
            );
            let body = axum::body::to_bytes(res.into_body(), 1 << 20)
                .await
                .unwrap();
            assert!(
                !String::from_utf8_lossy(&body).contains("no such route"),
                "{method} {path} is documented but not routed"
            );
        }
        for (method, uri) in [("PUT", "/api/search"), ("PATCH", "/api/documents/x")] {
            let req = Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::empty())
                .unwrap();
            let res = router.clone().oneshot(req).await.unwrap();
            assert_eq!(
                res.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}"
            );
            assert!(
                !ops.iter()
                    .any(|(m, p)| m.eq_ignore_ascii_case(method) && p.replace("{id}", "x") == uri)
            );
        }
    }
}
