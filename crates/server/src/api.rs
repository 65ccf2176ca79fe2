//! Handlers of the JSON API under `/api`.

use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use qalam_analysis::ud::ud_words;
use qalam_analysis::{Analysis, AnalyzedDocument};
use qalam_corpus::{Document, Format, read_bytes};
use qalam_index::{
    PAGE_MAX_LIMIT, PAGE_MAX_OFFSET, QueryMode, SearchRequest, SearchResponse, WriterOptions,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::fault::Fault;
use crate::{ApiError, AppState};

/// Most record errors listed in an upload report.
const MAX_LISTED_ERRORS: usize = 100;

/// Query parameters of `GET /api/search`, as given.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    source: Option<String>,
    from: Option<String>,
    to: Option<String>,
    mode: Option<String>,
    all: Option<String>,
    facets: Option<String>,
}

fn parse_count(
    name: &str,
    value: Option<&str>,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match value.parse::<u64>() {
        Ok(n) if n <= max as u64 => Ok(n as usize),
        _ => Err(ApiError::param(
            name,
            format!("{value:?} is not a whole number from 0 to {max}"),
        )),
    }
}

fn parse_bool(name: &str, value: Option<&str>, default: bool) -> Result<bool, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ApiError::param(
            name,
            format!("{other:?} is not true or false"),
        )),
    }
}

impl SearchParams {
    /// The index request these parameters ask for.
    fn request(&self) -> Result<SearchRequest, ApiError> {
        let mode = match self.mode.as_deref().map(str::trim) {
            None | Some("") | Some("syntax") => QueryMode::Syntax,
            Some("words") => QueryMode::Words,
            Some(other) => {
                return Err(ApiError::param(
                    "mode",
                    format!("{other:?} is not syntax or words"),
                ));
            }
        };
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (source, from, to) = (opt(&self.source), opt(&self.from), opt(&self.to));
        let mut q = self.q.as_deref().unwrap_or("").trim().to_string();
        if q.is_empty() && source.is_none() && from.is_none() && to.is_none() {
            // No query and no filter: browse the whole archive.
            q = "*".into();
        }
        Ok(SearchRequest {
            q,
            mode,
            limit: parse_count("limit", self.limit.as_deref(), 10, PAGE_MAX_LIMIT)?,
            offset: parse_count("offset", self.offset.as_deref(), 0, PAGE_MAX_OFFSET)?,
            source,
            from,
            to,
            all_words: parse_bool("all", self.all.as_deref(), false)?,
            facets: parse_bool("facets", self.facets.as_deref(), true)?,
            ..SearchRequest::default()
        })
    }
}

/// `GET /api/search`.
pub(crate) async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest {
        code: "bad_parameter",
        detail: e.body_text(),
    })?;
    let request = params.request()?;
    let started = Instant::now();
    let fault = Fault::of(&state, &headers);
    let (results, request) = state
        .clone()
        .blocking(move |deadline| {
            fault.sleep();
            let request = SearchRequest {
                deadline,
                ..request
            };
            Ok((state.index().search(&request)?, request))
        })
        .await?;
    let q = params.q.unwrap_or_default();
    let response = SearchResponse::new(q, &request, results, started.elapsed());
    Ok(Json(response))
}

fn doc_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = path.map_err(|e| ApiError::BadRequest {
        code: "bad_parameter",
        detail: e.body_text(),
    })?;
    Ok(id)
}

/// A stored document and the analysis of its text.
#[derive(Serialize)]
pub(crate) struct DocumentResponse {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    body: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    extra: Map<String, Value>,
    analysis: Analysis,
}

/// `GET /api/documents/{id}`.
pub(crate) async fn get_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DocumentResponse>, ApiError> {
    let id = doc_id(path)?;
    let fault = Fault::of(&state, &headers);
    let worker = state.clone();
    let response = worker
        .blocking(move |deadline| -> Result<DocumentResponse, ApiError> {
            fault.sleep();
            let Some(doc) = state.index().get(&id)? else {
                return Err(ApiError::NotFound(format!("no document with id {id:?}")));
            };
            deadline.check()?;
            let analysis = state.inner.pipeline.analyze(&doc.body);
            let Document {
                id,
                title,
                body,
                author,
                source,
                url,
                date,
                extra,
                ..
            } = doc;
            Ok(DocumentResponse {
                id,
                title,
                body,
                author,
                source,
                url,
                date,
                extra,
                analysis,
            })
        })
        .await?;
    Ok(Json(response))
}

/// The media type of a request, lower-cased, without parameters; `None` without a header.
fn media_type(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::UnsupportedMediaType("(not ASCII)".into()))?;
    let media = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Ok((!media.is_empty()).then_some(media))
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| ApiError::BadRequest {
        code: "bad_utf8",
        detail: format!(
            "body is not UTF-8: invalid byte at offset {}",
            e.valid_up_to()
        ),
    })
}

/// The text to analyse from a `text/plain` or `{"text": …}` body; an empty body is an error.
fn analyze_text(headers: &HeaderMap, body: &[u8]) -> Result<String, ApiError> {
    match media_type(headers)?.as_deref() {
        None | Some("text/plain") if body.is_empty() => Err(ApiError::BadRequest {
            code: "empty_body",
            detail: "no text in the body (send text/plain or {\"text\": …})".into(),
        }),
        None | Some("text/plain") => Ok(utf8(body)?.to_string()),
        Some(m) if is_json(m) => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct TextBody {
                text: String,
            }
            let parsed: TextBody =
                serde_json::from_slice(body).map_err(|e| ApiError::BadRequest {
                    code: "bad_json",
                    detail: format!("expected {{\"text\": \"…\"}}: {e}"),
                })?;
            Ok(parsed.text)
        }
        Some(other) => Err(ApiError::UnsupportedMediaType(format!(
            "{other} (send text/plain or application/json)"
        ))),
    }
}

/// Query parameters of `POST /api/analyze`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnalyzeParams {
    /// Add the UD words of the PADT models, as `qalam analyze --morph`.
    #[serde(default)]
    morph: bool,
}

/// `POST /api/analyze`: the same JSON as `qalam analyze --format json` (`?morph=true`: `--morph`).
pub(crate) async fn analyze(
    State(state): State<AppState>,
    params: Result<Query<AnalyzeParams>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AnalyzedDocument>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest {
        code: "bad_parameter",
        detail: e.body_text(),
    })?;
    let text = analyze_text(&headers, &body)?;
    let fault = Fault::of(&state, &headers);
    let worker = state.clone();
    let document = worker
        .blocking(move |deadline| -> Result<AnalyzedDocument, ApiError> {
            fault.sleep();
            let pipeline = &state.inner.pipeline;
            let words = if params.morph {
                let padt = pipeline
                    .padt()
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                Some(ud_words(padt, &text, 0, &mut Default::default()))
            } else {
                None
            };
            deadline.check()?;
            let mut document = AnalyzedDocument::new("request", 0, pipeline.analyze(&text));
            document.words = words;
            Ok(document)
        })
        .await?;
    Ok(Json(document))
}

/// Refuses write requests without the configured bearer token (before the body is read).
pub(crate) async fn require_write(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    match state.authorize_write(request.headers()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

/// The answer of `POST /api/documents`.
#[derive(Serialize)]
pub(crate) struct UploadReport {
    added: u64,
    replaced: u64,
    rejected: u64,
    docs_in_index: u64,
    ids: Vec<String>,
    errors: Vec<String>,
}

/// `POST /api/documents`: a JSON array, object or JSONL; indexed and committed.
pub(crate) async fn add_documents(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<UploadReport>, ApiError> {
    let format = match media_type(&headers)?.as_deref() {
        None => Format::Json,
        Some(m) if is_json(m) => Format::Json,
        Some(
            "application/x-ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/jsonlines",
        ) => Format::Jsonl,
        Some(other) => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "{other} (send application/json or application/x-ndjson)"
            )));
        }
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::BadRequest {
            code: "empty_body",
            detail: "no documents in the body".into(),
        });
    }
    let fault = Fault::of(&state, &headers);
    let worker = state.clone();
    let report = worker
        .blocking(move |deadline| -> Result<UploadReport, ApiError> {
            fault.sleep();
            let records = read_bytes("", &body, format);
            let mut errors = Vec::new();
            let mut error_count = 0u64;
            let mut note = |errors: &mut Vec<String>, e: String| {
                error_count += 1;
                if errors.len() < MAX_LISTED_ERRORS {
                    errors.push(e);
                }
            };
            let _guard = state.write_lock();
            let index = state.index();
            let options = WriterOptions {
                threads: 1,
                memory_bytes: 64 << 20,
                commit_docs: u64::MAX,
                commit_bytes: u64::MAX,
                aids: Some(state.inner.pipeline.clone()),
            };
            let mut ingester = index.writer(options)?;
            let mut ids = Vec::new();
            for record in records {
                // Stopping drops the writer: nothing of this upload is committed.
                deadline.check()?;
                match record {
                    Ok(doc) => match ingester.add(&doc) {
                        Ok(_) => ids.push(doc.id),
                        Err(e @ qalam_index::IndexError::Document { .. }) => {
                            ingester.reject();
                            note(&mut errors, e.to_string());
                        }
                        Err(e) => return Err(e.into()),
                    },
                    Err(e) => {
                        ingester.reject();
                        note(&mut errors, e.to_string());
                    }
                }
            }
            if ids.is_empty() {
                drop(ingester);
                return Err(ApiError::NoDocuments {
                    detail: errors
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "no documents in the body".into()),
                    errors,
                });
            }
            fault.panic_point("upload");
            let report = ingester.finish()?;
            crate::memory::release_free_memory();
            if error_count as usize > errors.len() {
                errors.push(format!(
                    "… and {} more",
                    error_count as usize - errors.len()
                ));
            }
            Ok(UploadReport {
                added: report.added,
                replaced: report.replaced,
                rejected: report.rejected,
                docs_in_index: report.docs_in_index,
                ids,
                errors,
            })
        })
        .await?;
    Ok(Json(report))
}

/// `DELETE /api/documents/{id}`.
pub(crate) async fn delete_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let id = doc_id(path)?;
    let fault = Fault::of(&state, &headers);
    let worker = state.clone();
    let response = worker
        .blocking(move |_| -> Result<Value, ApiError> {
            fault.sleep();
            let _guard = state.write_lock();
            fault.panic_point("delete");
            let found = state.index().delete(&[id.as_str()])?;
            crate::memory::release_free_memory();
            if found == 0 {
                return Err(ApiError::NotFound(format!("no document with id {id:?}")));
            }
            Ok(json!({ "deleted": id, "docs_in_index": state.index().num_docs() }))
        })
        .await?;
    Ok(Json(response))
}

/// `GET /api/health`.
pub(crate) async fn health(State(state): State<AppState>) -> Json<Value> {
    let index = state.index();
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "documents": index.num_docs(),
        "writes": state.config().write_token.is_some(),
        "analyzer": index.settings().analyzer,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_reject_huge_and_odd_numbers() {
        assert_eq!(parse_count("limit", None, 10, 100).unwrap(), 10);
        assert_eq!(parse_count("limit", Some(" 7 "), 10, 100).unwrap(), 7);
        for bad in ["1e30", "-1", "101", "99999999999999999999999", "abc", "1.5"] {
            let e = parse_count("limit", Some(bad), 10, 100).unwrap_err();
            assert_eq!(e.code(), "bad_parameter", "{bad}");
            assert!(e.to_string().starts_with("limit: "), "{e}");
        }
    }

    #[test]
    fn empty_query_browses_everything() {
        let req = SearchParams::default().request().unwrap();
        assert_eq!(req.q, "*");
        let with_source = SearchParams {
            source: Some("x".into()),
            ..SearchParams::default()
        };
        assert_eq!(with_source.request().unwrap().q, "");
    }

    #[test]
    fn analyze_body_kinds() {
        let mut h = HeaderMap::new();
        assert_eq!(analyze_text(&h, "نص".as_bytes()).unwrap(), "نص");
        h.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(analyze_text(&h, br#"{"text": "a"}"#).unwrap(), "a");
        assert_eq!(
            analyze_text(&h, br#"{"txt": "a"}"#).unwrap_err().code(),
            "bad_json"
        );
        assert_eq!(analyze_text(&h, b"").unwrap_err().code(), "bad_json");
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(analyze_text(&h, b"a\xffb").unwrap_err().code(), "bad_utf8");
        assert_eq!(analyze_text(&h, b"").unwrap_err().code(), "empty_body");
        assert_eq!(analyze_text(&h, b" ").unwrap(), " ");
        assert_eq!(
            analyze_text(&HeaderMap::new(), b"").unwrap_err().code(),
            "empty_body"
        );
        h.insert(header::CONTENT_TYPE, "image/png".parse().unwrap());
        assert_eq!(
            analyze_text(&h, b"x").unwrap_err().code(),
            "unsupported_media_type"
        );
    }
}
