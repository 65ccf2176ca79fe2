//! The OpenAPI 3.1 description of the API, served at `GET /api/openapi.json`.
//!
//! The document is `openapi.json`; [`document`] adds the build's version and the two patterns
//! that are easier to read as code: [`date_filter_pattern`] (the `from`/`to` filters) and
//! [`non_blank_pattern`] (record titles and texts). Both are checked against the server's own
//! parsing by the tests below, and the whole document against the running server by
//! `.ci/schemathesis.sh`.

use std::sync::OnceLock;

use serde_json::Value;

const OPENAPI_JSON: &str = include_str!("openapi.json");

/// The characters `char::is_whitespace` (so `str::trim`) treats as white space, as the body of a
/// regex character class. Spelled out because `\s` differs between regex dialects (Python's
/// includes U+001C–U+001F, which Rust does not trim).
const WHITE_SPACE: &str =
    r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Pattern (ECMA 262, unanchored) of a string that is not blank: one character is not white space.
pub fn non_blank_pattern() -> String {
    format!("[^{WHITE_SPACE}]")
}

/// Pattern (ECMA 262) of the values the `from` and `to` filters accept, after trimming: empty
/// (no bound), `YYYY`, `YYYY-MM`, or an existing day `YYYY-MM-DD` / `YYYY/MM/DD` with an optional
/// time `( |T)HH:MM[:SS[.frac]]` and zone `Z` or `±HH:MM`. Digits are ASCII only.
pub fn date_filter_pattern() -> String {
    // Month and day of a day that exists in every year, with `sep` between them.
    let month_day = |sep: &str| {
        format!(
            "(?:(?:0[13578]|1[02]){sep}(?:0[1-9]|[12][0-9]|3[01])\
             |(?:0[469]|11){sep}(?:0[1-9]|[12][0-9]|30)\
             |02{sep}(?:0[1-9]|1[0-9]|2[0-8]))"
        )
    };
    // Leap years: divisible by 4 but not by 100, or by 400.
    let leap = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
    let day = format!(
        "(?:[0-9]{{4}}-{}|[0-9]{{4}}/{}|{leap}-02-29|{leap}/02/29)",
        month_day("-"),
        month_day("/")
    );
    let time = "[ Tt](?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\\.[0-9]*)?)?\
                (?:[Zz]|[+-][0-9]{2}:[0-9]{2})?";
    let year_month = "[0-9]{4}(?:-(?:0[1-9]|1[0-2]))?";
    format!("^[{WHITE_SPACE}]*(?:{year_month}|{day}(?:{time})?)?[{WHITE_SPACE}]*$")
}

/// The OpenAPI document, with `info.version` set to this build's version.
pub fn document() -> Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc: Value =
            serde_json::from_str(OPENAPI_JSON).expect("openapi.json is valid JSON");
        doc["info"]["version"] = Value::String(env!("CARGO_PKG_VERSION").into());
        let schemas = &mut doc["components"]["schemas"];
        schemas["DateFilter"]["pattern"] = Value::String(date_filter_pattern());
        schemas["NonBlank"]["pattern"] = Value::String(non_blank_pattern());
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
    use regex::Regex;
    use tower::ServiceExt;

    use super::*;
    use crate::{AppState, ServerConfig, app};

    /// `s` percent-encoded for a query string.
    fn encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn white_space_is_what_rust_trims() {
        let class = Regex::new(&format!("^[{WHITE_SPACE}]$")).unwrap();
        let mut buf = [0; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(
                class.is_match(c.encode_utf8(&mut buf)),
                c.is_whitespace(),
                "{c:?}"
            );
        }
        let non_blank = Regex::new(&non_blank_pattern()).unwrap();
        for s in [
            "",
            " ",
            "\t\u{3000}\n\u{85}",
            "\u{1c}",
            " ا ",
            "x",
            "\u{200b}",
        ] {
            assert_eq!(non_blank.is_match(s), !s.trim().is_empty(), "{s:?}");
        }
        let doc = document();
        assert_eq!(
            doc["components"]["schemas"]["NonBlank"]["pattern"],
            non_blank_pattern()
        );
    }

    /// The `from`/`to` pattern accepts exactly the values the search and aid endpoints accept.
    #[tokio::test]
    async fn date_filter_pattern_is_what_the_server_reads() {
        let doc = document();
        let pattern = doc["components"]["schemas"]["DateFilter"]["pattern"]
            .as_str()
            .unwrap();
        let pattern = Regex::new(pattern).unwrap();
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let router = app(AppState::new(index, ServerConfig::default()));
        let mut cases: Vec<String> = [
            "",
            " ",
            "2015",
            "0000",
            "9999",
            "201",
            "20150",
            "+2015",
            "2015-7",
            "2015/07",
            "15-07-21",
            "2015-07-21/",
            "2015-07/21",
            "2015/07-21",
            "2015-07-21Z",
            "2015-07-21 02:51",
            "2015-07-21T02:51:32",
            "2015-07-21t23:59:60z",
            "2015-07-21T02:51:32.+03:00",
            "2015-07-21 02:51:32.125-11:30",
            "2015-07-21T24:00",
            "2015-07-21T02:60",
            "2015-07-21T02:5",
            "2015-07-21T02:51:61",
            "2015-07-21T02:51+3:00",
            "2015-07-21T02:51:32.5 ",
            "2015-07-21X02:51",
            "٢٠١٥",
            "٢٠١٥-٠٧",
            "abc",
            "2015-07-21 x",
        ]
        .map(String::from)
        .to_vec();
        for year in ["2015", "2016", "1900", "2000", "0000"] {
            for month in 0..=13 {
                cases.push(format!("{year}-{month:02}"));
                for day in [0, 1, 9, 10, 19, 20, 28, 29, 30, 31, 32] {
                    cases.push(format!("{year}-{month:02}-{day:02}"));
                    cases.push(format!("{year}/{month:02}/{day:02}"));
                }
            }
        }
        for space in [
            " ", "\t", "\n", "\u{85}", "\u{a0}", "\u{2009}", "\u{3000}", "\u{1c}", "\u{200b}",
        ] {
            cases.push(format!("{space}2015-07{space}"));
            cases.push(format!("2015-07-21{space}"));
            cases.push(space.repeat(2));
        }
        let mut accepted = 0;
        for case in &cases {
            let want = pattern.is_match(case);
            accepted += usize::from(want);
            for uri in [
                format!("/api/search?q=x&from={}", encode(case)),
                format!("/api/entities?to={}", encode(case)),
            ] {
                let req = Request::get(&uri).body(Body::empty()).unwrap();
                let status = router.clone().oneshot(req).await.unwrap().status();
                let expected = if want {
                    StatusCode::OK
                } else {
                    StatusCode::BAD_REQUEST
                };
                assert_eq!(status, expected, "{case:?} ({uri})");
            }
        }
        assert!(accepted > 100 && accepted < cases.len() - 100, "{accepted}");
    }

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
