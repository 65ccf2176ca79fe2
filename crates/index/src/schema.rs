//! The index schema: field names, options and handles.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::{NORM_ANALYZER, ROOT_ANALYZER, STEM_ANALYZER};

/// Handles of every field of a qalam index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Document id (raw, stored, fast): the record's id or its content hash.
    pub id: Field,
    /// Headline, stemmed (stored).
    pub title: Field,
    /// Headline, normalized but not stemmed.
    pub title_exact: Field,
    /// Headline, root-stemmed (no positions).
    pub title_root: Field,
    /// Article text, stemmed (stored).
    pub body: Field,
    /// Article text, normalized but not stemmed.
    pub body_exact: Field,
    /// Article text, root-stemmed (no positions).
    pub body_root: Field,
    /// Author, normalized (stored).
    pub author: Field,
    /// Publication name (raw, stored, fast: filters and facets).
    pub source: Field,
    /// Address of the article (raw, stored).
    pub url: Field,
    /// Publication date (indexed, fast, stored; second precision, UTC).
    pub date: Field,
    /// The date exactly as given by the input (stored only).
    pub date_raw: Field,
    /// Other fields of the record, as a JSON object string (stored only).
    pub extra: Field,
    /// Where the document was read from, as a JSON object string (stored only).
    pub origin: Field,
    /// Entities as `KIND:key` (multi-valued; raw, fast, stored).
    pub entity: Field,
    /// Keyphrases by surface form (multi-valued; stored only).
    pub keyphrase: Field,
    /// Near-duplicate cluster: the id of the cluster's first document (fast, stored).
    pub cluster: Field,
    /// MinHash signature of the body (stored bytes).
    pub minhash: Field,
    /// LSH bands of the signature as exact values (multi-valued u64, indexed only; see
    /// `MinHash::band_values`).
    pub lsh: Field,
    /// Keyphrases, summary spans and entity labels as a JSON object string (stored only).
    pub aids: Field,
}

fn text(analyzer: &str, stored: bool) -> TextOptions {
    let positions = if analyzer == ROOT_ANALYZER {
        IndexRecordOption::WithFreqs
    } else {
        IndexRecordOption::WithFreqsAndPositions
    };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(positions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

impl Fields {
    /// Builds the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED | FAST),
            title: b.add_text_field("title", text(STEM_ANALYZER, true)),
            title_exact: b.add_text_field("title_exact", text(NORM_ANALYZER, false)),
            title_root: b.add_text_field("title_root", text(ROOT_ANALYZER, false)),
            body: b.add_text_field("body", text(STEM_ANALYZER, true)),
            body_exact: b.add_text_field("body_exact", text(NORM_ANALYZER, false)),
            body_root: b.add_text_field("body_root", text(ROOT_ANALYZER, false)),
            author: b.add_text_field("author", text(NORM_ANALYZER, true)),
            source: b.add_text_field("source", STRING | STORED | FAST),
            url: b.add_text_field("url", STRING | STORED),
            date: b.add_date_field(
                "date",
                DateOptions::from(INDEXED)
                    .set_stored()
                    .set_fast()
                    .set_precision(DateTimePrecision::Seconds),
            ),
            date_raw: b.add_text_field("date_raw", STORED),
            extra: b.add_text_field("extra", STORED),
            origin: b.add_text_field("origin", STORED),
            entity: b.add_text_field("entity", STRING | FAST | STORED),
            // Stories read keyphrases and clusters back; only entities are looked up by term.
            keyphrase: b.add_text_field("keyphrase", STORED),
            cluster: b.add_text_field("cluster", FAST | STORED),
            minhash: b.add_bytes_field("minhash", STORED),
            lsh: b.add_u64_field("lsh", INDEXED),
            aids: b.add_text_field("aids", STORED),
        };
        (b.build(), fields)
    }

    /// Field handles of an existing schema; `None` if a field is missing.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f("id")?,
            title: f("title")?,
            title_exact: f("title_exact")?,
            title_root: f("title_root")?,
            body: f("body")?,
            body_exact: f("body_exact")?,
            body_root: f("body_root")?,
            author: f("author")?,
            source: f("source")?,
            url: f("url")?,
            date: f("date")?,
            date_raw: f("date_raw")?,
            extra: f("extra")?,
            origin: f("origin")?,
            entity: f("entity")?,
            keyphrase: f("keyphrase")?,
            cluster: f("cluster")?,
            minhash: f("minhash")?,
            lsh: f("lsh")?,
            aids: f("aids")?,
        })
    }
}
