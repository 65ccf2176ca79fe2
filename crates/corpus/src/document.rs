//! `Document`, where it came from (`Origin`), stable ids, and the mapping from JSON records.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::CorpusError;
use crate::byline::{find_byline, text_title};

/// Fields that may hold the article text, in order of preference.
pub const TEXT_FIELDS: [&str; 3] = ["content", "body", "text"];
/// Fields that may hold the date, in order of preference (`date_extracted` is SaudiNewsNet's).
pub const DATE_FIELDS: [&str; 2] = ["date", "date_extracted"];

/// One article: its text, metadata and origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the record's own `id`, else [`content_id`] of title and body.
    pub id: String,
    /// Headline, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Article text exactly as stored, so byte offsets into it are offsets into the source.
    pub body: String,
    /// Author, from the record or from a leading byline of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication or feed name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Address of the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Date as given in the record (not parsed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Every other field of the record, unchanged.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
    /// Where the document was read from.
    pub origin: Origin,
}

/// Where a document was read from: a file, maybe a zip member, and a line or record number.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The file path as given (or found while walking a directory); `<stdin>` for stdin.
    pub path: String,
    /// The member of a zip archive (`outer.json`, or `inner.zip/x.json` for nested archives).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The 1-based line of the record (JSONL line, or where a JSON array element starts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The 1-based index of the record in a JSON array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(member) = &self.member {
            write!(f, ": {member}")?;
        }
        match (self.record, self.line) {
            (Some(record), Some(line)) => write!(f, ": record {record} (line {line})"),
            (Some(record), None) => write!(f, ": record {record}"),
            (None, Some(line)) => write!(f, ": line {line}"),
            (None, None) => Ok(()),
        }
    }
}

/// Returns the content id of an article: blake3 of the title and body, 16 hex digits.
///
/// The title is length-prefixed, so `("ab", "c")` and `("a", "bc")` differ. A missing title
/// hashes like an empty one.
pub fn content_id(title: Option<&str>, body: &str) -> String {
    let title = title.unwrap_or("");
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(title.len() as u64).to_le_bytes());
    hasher.update(title.as_bytes());
    hasher.update(body.as_bytes());
    let mut id = hasher.finalize().to_hex().to_string();
    id.truncate(16);
    id
}

impl Document {
    /// Builds a document from a plain-text article, keeping `body` byte for byte.
    ///
    /// A leading byline ("بقلم : NAME") becomes `author` but stays in the body. The title is the
    /// first other non-blank line, cut to ~120 chars (see [`crate::byline::text_title`]). The id
    /// is [`content_id`] of the body alone, since the title is derived from it.
    pub fn from_text(body: String, origin: Origin) -> Document {
        let author = find_byline(&body).map(|b| b.author.to_string());
        let title = text_title(&body);
        Document {
            id: content_id(None, &body),
            title,
            body,
            author,
            source: None,
            url: None,
            date: None,
            extra: Map::new(),
            origin,
        }
    }

    /// Builds a document from one JSON record (an object).
    ///
    /// Known fields: `id` (string or number), `title`, `content`|`body`|`text` (the first one
    /// present and not null is the body), `author`, `source`, `url`, `date`|`date_extracted`
    /// (string or number). Blank strings and nulls count as absent; other fields, and
    /// unused alternatives, go to `extra`. Without `author`, a byline at the start of the body
    /// is used.
    pub fn from_json(value: Value, origin: Origin) -> Result<Document, CorpusError> {
        let mut map = match value {
            Value::Object(map) => map,
            other => {
                return Err(CorpusError::NotAnObject {
                    found: json_type(&other),
                });
            }
        };
        let body = match take_first(&mut map, &TEXT_FIELDS) {
            Some((_, Value::String(body))) => body,
            Some((field, other)) => return Err(bad_field(field, &other, "a string")),
            None => return Err(CorpusError::NoText),
        };
        let title = take_string(&mut map, "title")?;
        if title.is_none() && body.trim().is_empty() {
            return Err(CorpusError::BlankRecord);
        }
        let id = match map.remove("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(id)) => Some(id).filter(|id| !id.trim().is_empty()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => return Err(bad_field("id", &other, "a string or a number")),
        };
        let date = match take_first(&mut map, &DATE_FIELDS) {
            None => None,
            Some((_, Value::String(date))) => Some(date).filter(|d| !d.trim().is_empty()),
            Some((_, Value::Number(n))) => Some(n.to_string()),
            Some((field, other)) => return Err(bad_field(field, &other, "a string or a number")),
        };
        let author = match take_string(&mut map, "author")? {
            Some(author) => Some(author),
            None => find_byline(&body).map(|b| b.author.to_string()),
        };
        let source = take_string(&mut map, "source")?;
        let url = take_string(&mut map, "url")?;
        Ok(Document {
            id: id.unwrap_or_else(|| content_id(title.as_deref(), &body)),
            title,
            body,
            author,
            source,
            url,
            date,
            extra: map,
            origin,
        })
    }
}

/// Removes and returns the first of `fields` present with a non-null value.
fn take_first(
    map: &mut Map<String, Value>,
    fields: &[&'static str],
) -> Option<(&'static str, Value)> {
    let field = *fields
        .iter()
        .find(|f| map.get(**f).is_some_and(|v| !v.is_null()))?;
    map.remove(field).map(|value| (field, value))
}

/// Removes a string field; null, blank or missing give `None`.
fn take_string(
    map: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, CorpusError> {
    match map.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s).filter(|s| !s.trim().is_empty())),
        Some(other) => Err(bad_field(field, &other, "a string")),
    }
}

fn bad_field(field: &'static str, value: &Value, expected: &'static str) -> CorpusError {
    CorpusError::BadField {
        field,
        found: json_type(value),
        expected,
    }
}

/// Names the JSON type of a value, with its article.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(value: Value) -> Result<Document, CorpusError> {
        Document::from_json(value, Origin::default())
    }

    #[test]
    fn saudinewsnet_record() {
        let d = doc(json!({
            "source": "aawsat", "url": "http://aawsat.com/x", "date_extracted": "2015-07-21 02:51:32",
            "title": "بريطانيا: أربعة محاور", "author": "لندن: رنيم حنوش", "content": "حدد رئيس الوزراء"
        }))
        .unwrap();
        assert_eq!(d.body, "حدد رئيس الوزراء");
        assert_eq!(d.title.as_deref(), Some("بريطانيا: أربعة محاور"));
        assert_eq!(d.author.as_deref(), Some("لندن: رنيم حنوش"));
        assert_eq!(d.source.as_deref(), Some("aawsat"));
        assert_eq!(d.url.as_deref(), Some("http://aawsat.com/x"));
        assert_eq!(d.date.as_deref(), Some("2015-07-21 02:51:32"));
        assert!(d.extra.is_empty());
        assert_eq!(d.id, content_id(d.title.as_deref(), &d.body));
        assert_eq!(d.id.len(), 16);
        assert!(d.id.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn given_ids_string_and_number() {
        assert_eq!(doc(json!({"id": "a-1", "text": "نص"})).unwrap().id, "a-1");
        assert_eq!(doc(json!({"id": 42, "text": "نص"})).unwrap().id, "42");
        assert_eq!(doc(json!({"id": 1.5, "text": "نص"})).unwrap().id, "1.5");
        let blank = doc(json!({"id": " ", "text": "نص"})).unwrap();
        assert_eq!(blank.id, content_id(None, "نص"));
        let err = doc(json!({"id": [1], "text": "نص"})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `id` is an array, expected a string or a number"
        );
    }

    #[test]
    fn text_field_preference_and_extra() {
        let d = doc(json!({"body": "ب", "text": "ت", "tags": ["x"], "date": 20150721, "date_extracted": "d"}))
            .unwrap();
        assert_eq!(d.body, "ب");
        assert_eq!(d.date.as_deref(), Some("20150721"));
        assert_eq!(d.extra["text"], json!("ت"));
        assert_eq!(d.extra["tags"], json!(["x"]));
        assert_eq!(d.extra["date_extracted"], json!("d"));
        let d = doc(json!({"content": null, "text": "ت"})).unwrap();
        assert_eq!(d.body, "ت");
        assert_eq!(d.extra.get("content"), Some(&Value::Null));
    }

    #[test]
    fn record_errors() {
        let err = doc(json!({"title": "عنوان"})).unwrap_err();
        assert!(matches!(err, CorpusError::NoText), "{err}");
        let err = doc(json!({"content": 5})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field `content` is a number, expected a string"
        );
        let err = doc(json!({"content": " ", "title": ""})).unwrap_err();
        assert!(matches!(err, CorpusError::BlankRecord), "{err}");
        let err = doc(json!({"content": "x", "author": {"a": 1}})).unwrap_err();
        assert!(
            matches!(
                err,
                CorpusError::BadField {
                    field: "author",
                    ..
                }
            ),
            "{err}"
        );
        let err = doc(json!("just text")).unwrap_err();
        assert_eq!(err.to_string(), "record is a string, not a JSON object");
    }

    #[test]
    fn blank_body_with_title_is_kept() {
        let d = doc(json!({"content": " ", "title": "قصة مصورة"})).unwrap();
        assert_eq!(d.body, " ");
        assert_eq!(d.title.as_deref(), Some("قصة مصورة"));
    }

    #[test]
    fn byline_in_json_body_when_author_missing() {
        let d = doc(json!({"content": "بقلم : فلان\nالنص", "author": ""})).unwrap();
        assert_eq!(d.author.as_deref(), Some("فلان"));
        assert_eq!(d.body, "بقلم : فلان\nالنص");
    }

    #[test]
    fn from_text_keeps_body_exact() {
        let text = "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها\n".to_string();
        let d = Document::from_text(text.clone(), Origin::default());
        assert_eq!(d.body, text);
        assert_eq!(d.author.as_deref(), Some("مكرم محمد أحمد"));
        assert_eq!(d.title.as_deref(), Some("لا تزال داعش تطلق تهديداتها"));
        assert_eq!(d.id, content_id(None, &text));
    }

    #[test]
    fn content_id_is_stable_and_length_prefixed() {
        // Pinned value: ids must not change between versions, or re-ingesting duplicates articles.
        assert_eq!(content_id(Some("عنوان"), "نص"), "68edb11f1a79957a");
        assert_ne!(content_id(Some("ab"), "c"), content_id(Some("a"), "bc"));
        assert_eq!(content_id(None, "x"), content_id(Some(""), "x"));
        let mut hasher = blake3::Hasher::new();
        hasher.update(&0u64.to_le_bytes());
        hasher.update(b"x");
        assert_eq!(content_id(None, "x"), hasher.finalize().to_hex()[..16]);
    }

    #[test]
    fn serde_round_trip() {
        let mut d = doc(json!({"id": 7, "content": "نص", "x": 1})).unwrap();
        d.origin = Origin {
            path: "a.zip".into(),
            member: Some("a.json".into()),
            line: Some(3),
            record: Some(2),
        };
        let back: Document = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        assert_eq!(d.origin.to_string(), "a.zip: a.json: record 2 (line 3)");
    }
}
