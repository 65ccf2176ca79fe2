//! Reading-aid endpoints: `GET /api/entities` (entity trends), `GET /api/stories` and
//! `GET /api/duplicates`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use qalam_analysis::stories::StoryConfig;
use qalam_analysis::trends::{EntityTrends, format_day};
use qalam_index::SearchRequest;
use serde::{Deserialize, Serialize};

use crate::{ApiError, AppState};

/// Most entities one trends request returns.
const MAX_TOP: usize = 200;
/// Most stories or clusters one request returns.
const MAX_LIST: usize = 500;

/// The routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/entities", get(entities))
        .route("/api/stories", get(stories))
        .route("/api/duplicates", get(duplicates))
}

/// Query parameters shared by the endpoints.
#[derive(Debug, Default, Deserialize)]
struct AidParams {
    q: Option<String>,
    from: Option<String>,
    to: Option<String>,
    source: Option<String>,
    top: Option<String>,
    limit: Option<String>,
    min_docs: Option<String>,
    window: Option<String>,
}

fn count(name: &str, value: Option<&str>, default: usize, max: usize) -> Result<usize, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(ApiError::param(
                name,
                format!("{v:?} is not a whole number from 0 to {max}"),
            )),
        },
    }
}

impl AidParams {
    fn request(&self) -> SearchRequest {
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        SearchRequest {
            q: opt(&self.q).unwrap_or_default(),
            from: opt(&self.from),
            to: opt(&self.to),
            source: opt(&self.source),
            ..SearchRequest::default()
        }
    }
}

fn params(p: Result<Query<AidParams>, QueryRejection>) -> Result<AidParams, ApiError> {
    p.map(|Query(p)| p).map_err(|e| ApiError::BadRequest {
        code: "bad_parameter",
        detail: e.body_text(),
    })
}

/// `GET /api/entities?q=&from=&to=&source=&top=`: entity trends of the matching documents.
async fn entities(
    State(state): State<AppState>,
    p: Result<Query<AidParams>, QueryRejection>,
) -> Result<Json<EntityTrends>, ApiError> {
    let p = params(p)?;
    let top = count("top", p.top.as_deref(), 20, MAX_TOP)?;
    let req = p.request();
    let worker = state.clone();
    let trends = worker
        .blocking(move |deadline| {
            let req = SearchRequest { deadline, ..req };
            Ok(state.index().entity_trends_for(&req, top)?)
        })
        .await?;
    Ok(Json(trends))
}

/// One story of `GET /api/stories`.
#[derive(Serialize)]
struct StoryJson {
    title: Option<String>,
    from: Option<String>,
    to: Option<String>,
    articles: usize,
    distinct: usize,
    entities: Vec<(String, usize)>,
    keyphrases: Vec<(String, usize)>,
    docs: Vec<StoryDocJson>,
}

#[derive(Serialize)]
struct StoryDocJson {
    id: String,
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
}

/// `GET /api/stories?from=&to=&q=&min_docs=&window=&limit=`: stories among the matching documents.
async fn stories(
    State(state): State<AppState>,
    p: Result<Query<AidParams>, QueryRejection>,
) -> Result<Json<Vec<StoryJson>>, ApiError> {
    let p = params(p)?;
    let config = StoryConfig {
        min_docs: count("min_docs", p.min_docs.as_deref(), 3, MAX_LIST)?,
        window_days: count("window", p.window.as_deref(), 3, 365)? as i64,
        ..StoryConfig::default()
    };
    let limit = count("limit", p.limit.as_deref(), 30, MAX_LIST)?;
    let req = p.request();
    let worker = state.clone();
    let (docs, stories) = worker
        .blocking(move |deadline| {
            let req = SearchRequest { deadline, ..req };
            Ok(state.index().stories(&req, &config)?)
        })
        .await?;
    let out = stories
        .into_iter()
        .take(limit)
        .map(|s| StoryJson {
            title: docs[s.central].title.clone(),
            from: s.days.map(|d| format_day(d.0)),
            to: s.days.map(|d| format_day(d.1)),
            articles: s.docs.len(),
            distinct: s.clusters,
            entities: s.entities,
            keyphrases: s.keyphrases,
            docs: s
                .docs
                .iter()
                .map(|&i| StoryDocJson {
                    id: docs[i].id.clone(),
                    title: docs[i].title.clone(),
                    date: docs[i].date.clone(),
                    source: docs[i].source.clone(),
                })
                .collect(),
        })
        .collect();
    Ok(Json(out))
}

/// `GET /api/duplicates?min_docs=&limit=`: clusters of near-duplicate documents.
async fn duplicates(
    State(state): State<AppState>,
    p: Result<Query<AidParams>, QueryRejection>,
) -> Result<Json<Vec<qalam_index::dedup::DuplicateCluster>>, ApiError> {
    let p = params(p)?;
    let min_docs = count("min_docs", p.min_docs.as_deref(), 2, MAX_LIST)?;
    let limit = count("limit", p.limit.as_deref(), 50, MAX_LIST)?;
    let worker = state.clone();
    let mut clusters = worker
        .blocking(move |deadline| Ok(state.index().duplicate_clusters_until(min_docs, deadline)?))
        .await?;
    clusters.truncate(limit);
    Ok(Json(clusters))
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::{Request, StatusCode};
    use qalam_corpus::{Format, read_str};
    use qalam_index::{AnalyzerSettings, QalamIndex};
    use serde_json::Value;
    use tower::ServiceExt;

    use crate::{AppState, ServerConfig, app};

    const BODY: &str = "أعلنت وزارة الصحة في الرياض تسجيل إصابات جديدة بفيروس كورونا بين العاملين في مستشفى الملك فهد بالحرس الوطني وعزل قسم الطوارئ.";

    async fn get(path: &str) -> (StatusCode, Value) {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let jsonl = format!(
            "{{\"id\": \"a\", \"title\": \"كورونا في الرياض\", \"content\": \"{BODY}\", \"date\": \"2015-07-21\"}}\n\
             {{\"id\": \"b\", \"title\": \"إصابات بكورونا\", \"content\": \"و{BODY}\", \"date\": \"2015-07-22\"}}"
        );
        let docs = read_str("t", &jsonl, Format::Jsonl);
        index.add(docs.into_iter().map(Result::unwrap)).unwrap();
        let router = app(AppState::new(index, ServerConfig::default()));
        let res = router
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let bytes = to_bytes(res.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn entities_count_days_and_names() {
        let (status, v) = get("/api/entities?top=3").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["docs"], 2);
        assert_eq!(v["days"], serde_json::json!(["2015-07-21", "2015-07-22"]));
        assert!(v["top"].as_array().unwrap().len() <= 3);
        let (status, v) = get("/api/entities?top=x").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["error"], "bad_parameter");
    }

    #[tokio::test]
    async fn copies_form_a_story_and_a_cluster() {
        let (status, v) = get("/api/stories?from=2015-07-21&to=2015-07-22&min_docs=2").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v[0]["articles"], 2);
        assert_eq!(v[0]["distinct"], 1);
        let (status, v) = get("/api/duplicates").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v[0]["cluster"], "a");
        assert_eq!(v[0]["docs"][1]["id"], "b");
    }
}
