//! Pre-analyzed records: documents whose reading aids were computed elsewhere (by
//! `python -m qalam.spark`), indexed without running NER, keyphrases or fingerprints again.
//!
//! A pre-analyzed record is an ordinary JSON record (`id`, `title`, `content`, `author`,
//! `source`, `url`, `date`) with one more member, [`FIELD`]:
//!
//! ```json
//! {"id": "a", "content": "…", "qalam_analysis": {"version": 1,
//!   "entities": [{"type": "LOC", "start": 0, "end": 10, "text": "…", "key": "…"}],
//!   "keyphrases": [{"text": "…", "key": "…", "score": 0.5, "count": 2, "start": 0, "end": 8}],
//!   "summary": [{"index": 0, "start": 0, "end": 40, "score": 1.0}],
//!   "minhash": "0a00…", "extra": {}, "origin": {"path": "news.jsonl", "line": 1}}}
//! ```
//!
//! `extra` and `origin` are the document's own (the record's other fields and where it was first
//! read), so the index holds exactly what it holds when built from the raw article. Every span
//! is checked against the body; a bad record is an [`IndexError::Document`] for that record alone.

use qalam_analysis::fingerprint::{BYTES, MinHash};
use qalam_analysis::keyphrase::Keyphrase;
use qalam_analysis::summary::SummarySentence;
use qalam_analysis::{Analysis, Entity};
use qalam_corpus::{Document, Origin};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::IndexError;
use crate::aids::{DocAids, doc_aids};

/// The member of a record that holds its analysis.
pub const FIELD: &str = "qalam_analysis";
/// The version of the format this build reads and writes.
pub const VERSION: u32 = 1;

/// The analysis carried by a pre-analyzed record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreAnalyzed {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// Entities of the body, in text order.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Keyphrases, best first.
    #[serde(default)]
    pub keyphrases: Vec<Keyphrase>,
    /// Summary sentences, in text order.
    #[serde(default)]
    pub summary: Vec<SummarySentence>,
    /// MinHash signature of the body in hex ([`MinHash::to_bytes`]); none: no near-duplicates.
    #[serde(default)]
    pub minhash: Option<String>,
    /// The document's other fields.
    #[serde(default)]
    pub extra: Map<String, Value>,
    /// Where the document was first read.
    #[serde(default)]
    pub origin: Origin,
}

/// The document and reading aids of a pre-analyzed record; `None` for an ordinary record.
///
/// The document gets the `extra` and `origin` of the analysis; an analysis that does not
/// parse, or whose spans do not fit the body, is an [`IndexError::Document`].
pub fn take(doc: &Document) -> Option<Result<(Document, DocAids), IndexError>> {
    let value = doc.extra.get(FIELD)?;
    let fail = |message: String| IndexError::Document {
        id: doc.id.clone(),
        message: format!("{FIELD}: {message}"),
    };
    let analyzed = match PreAnalyzed::deserialize(value) {
        Ok(a) => a,
        Err(e) => return Some(Err(fail(e.to_string()))),
    };
    Some(check(&doc.body, &analyzed).map_err(fail).map(|minhash| {
        let aids = doc_aids(Analysis {
            entities: analyzed.entities,
            keyphrases: analyzed.keyphrases,
            summary: analyzed.summary,
            fingerprint: minhash,
            ..Analysis::default()
        });
        // Field by field: the record's `extra` holds the whole analysis, not worth a copy.
        let restored = Document {
            id: doc.id.clone(),
            title: doc.title.clone(),
            body: doc.body.clone(),
            author: doc.author.clone(),
            source: doc.source.clone(),
            url: doc.url.clone(),
            date: doc.date.clone(),
            extra: analyzed.extra,
            origin: analyzed.origin,
        };
        (restored, aids)
    }))
}

/// Checks that `start..end` is a span of `body` on character boundaries (`what` and `i` name
/// it in the error).
fn span(body: &str, what: &str, i: usize, start: usize, end: usize) -> Result<(), String> {
    if start > end || end > body.len() {
        return Err(format!(
            "{what} {i} span {start}..{end} is outside the body ({} bytes)",
            body.len()
        ));
    }
    if !body.is_char_boundary(start) || !body.is_char_boundary(end) {
        return Err(format!(
            "{what} {i} span {start}..{end} cuts a character of the body"
        ));
    }
    Ok(())
}

/// Checks an analysis of `body` (version, spans, scores); returns its parsed MinHash.
fn check(body: &str, a: &PreAnalyzed) -> Result<Option<MinHash>, String> {
    if a.version != VERSION {
        return Err(format!(
            "version {} is not {VERSION} (re-export with this qalam)",
            a.version
        ));
    }
    for (i, e) in a.entities.iter().enumerate() {
        span(body, "entity", i, e.start, e.end)?;
        if body[e.start..e.end] != e.text {
            return Err(format!(
                "entity {i} text {:?} is not the body's {:?} at {}..{}",
                e.text,
                &body[e.start..e.end],
                e.start,
                e.end
            ));
        }
    }
    for (i, k) in a.keyphrases.iter().enumerate() {
        span(body, "keyphrase", i, k.start, k.end)?;
        if !k.score.is_finite() {
            return Err(format!("keyphrase {i} score is not a finite number"));
        }
    }
    for (i, s) in a.summary.iter().enumerate() {
        span(body, "summary sentence", i, s.start, s.end)?;
        if !s.score.is_finite() {
            return Err(format!("summary sentence {i} score is not a finite number"));
        }
    }
    a.minhash.as_deref().map(parse_minhash).transpose()
}

/// A MinHash signature from its hex form.
fn parse_minhash(hex: &str) -> Result<MinHash, String> {
    let digits = hex.as_bytes();
    if digits.len() != 2 * BYTES {
        return Err(format!(
            "minhash has {} hex digits, not {}",
            digits.len(),
            2 * BYTES
        ));
    }
    let mut bytes = Vec::with_capacity(BYTES);
    for pair in digits.chunks_exact(2) {
        let digit = |c: u8| (c as char).to_digit(16);
        match (digit(pair[0]), digit(pair[1])) {
            (Some(hi), Some(lo)) => bytes.push((hi * 16 + lo) as u8),
            _ => return Err("minhash is not hex".into()),
        }
    }
    MinHash::from_bytes(&bytes).ok_or_else(|| "minhash has the wrong length".into())
}

/// The hex form of a MinHash signature, as [`FIELD`]`.minhash` holds it.
pub fn minhash_hex(sig: &MinHash) -> String {
    sig.to_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The pre-analyzed record of `doc` with `analysis` (as `python -m qalam.spark export` writes
/// it): the document's fields, with [`FIELD`] holding the analysis, `extra` and `origin`.
pub fn record(doc: &Document, analysis: &Analysis) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), Value::String(doc.id.clone()));
    let mut put = |key: &str, v: &Option<String>| {
        if let Some(v) = v {
            map.insert(key.into(), Value::String(v.clone()));
        }
    };
    put("title", &doc.title);
    put("author", &doc.author);
    put("source", &doc.source);
    put("url", &doc.url);
    put("date", &doc.date);
    map.insert("content".into(), Value::String(doc.body.clone()));
    let analyzed = PreAnalyzed {
        version: VERSION,
        entities: analysis.entities.clone(),
        keyphrases: analysis.keyphrases.clone(),
        summary: analysis.summary.clone(),
        minhash: analysis.fingerprint.as_ref().map(minhash_hex),
        extra: doc.extra.clone(),
        origin: doc.origin.clone(),
    };
    map.insert(
        FIELD.into(),
        serde_json::to_value(analyzed).unwrap_or(Value::Null),
    );
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qalam_analysis::Pipeline;

    const BODY: &str = "أعلنت وزارة الصحة في الرياض تسجيل إصابات بفيروس كورونا.\nوقالت الوزارة إن فيروس كورونا ينتشر في الرياض.";

    fn raw() -> Document {
        let mut d = Document::from_text(BODY.into(), Origin::default());
        d.id = "x".into();
        d.date = Some("2015-07-21".into());
        d.extra
            .insert("section".into(), Value::String("health".into()));
        d.origin = Origin {
            path: "news.jsonl".into(),
            line: Some(3),
            ..Origin::default()
        };
        d
    }

    /// The document a reader makes of `record`'s JSON line.
    fn read(record: &Value) -> Document {
        let line = serde_json::to_string(record).unwrap();
        qalam_corpus::read_str("export.jsonl", &line, qalam_corpus::Format::Jsonl)
            .remove(0)
            .unwrap()
    }

    #[test]
    fn a_record_gives_back_the_document_and_its_aids() {
        let pipeline = Pipeline::default();
        let doc = raw();
        let analysis = pipeline.analyze(&doc.body);
        let (restored, aids) = take(&read(&record(&doc, &analysis))).unwrap().unwrap();
        assert_eq!(restored, doc);
        assert_eq!(aids, crate::aids::annotate(&pipeline, &doc));
        assert!(
            take(&doc).is_none(),
            "an ordinary record is not pre-analyzed"
        );
    }

    #[test]
    fn bad_spans_and_fields_are_errors_of_the_record() {
        let pipeline = Pipeline::default();
        let doc = raw();
        let good = record(&doc, &pipeline.analyze(&doc.body));
        let cases: [(&str, Value, &str); 6] = [
            ("/entities/0/end", Value::from(100_000), "outside the body"),
            ("/entities/0/start", Value::from(1), "cuts a character"),
            (
                "/summary/0/end",
                Value::from(100_000),
                "summary sentence 0 span",
            ),
            ("/minhash", Value::from("zz"), "hex digits"),
            ("/version", Value::from(9), "version 9"),
            ("/entities/0/type", Value::from("CITY"), "unknown variant"),
        ];
        for (pointer, value, expected) in cases {
            let mut bad = good.clone();
            *bad[FIELD].pointer_mut(pointer).unwrap() = value;
            let err = take(&read(&bad)).unwrap().unwrap_err();
            let shown = err.to_string();
            assert!(
                shown.starts_with("document x: qalam_analysis: ") && shown.contains(expected),
                "{pointer}: {shown}"
            );
        }
        let mut wrong_text = good.clone();
        wrong_text[FIELD]["entities"][0]["text"] = Value::from("غير");
        let err = take(&read(&wrong_text)).unwrap().unwrap_err();
        assert!(err.to_string().contains("entity 0 text"), "{err}");
    }
}
