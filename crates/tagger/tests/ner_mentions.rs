//! Entity spans and keys on the hand-made mentions of `fixtures/ner/mentions.tsv`: spans leave
//! proclitics out, keys keep a name's own letters, multi-word names stay whole.

use qalam_tagger::ner::{Entity, EntityKind, NerTagger};

const MENTIONS: &str = include_str!("../../../fixtures/ner/mentions.tsv");

/// One expected mention: the first occurrence of `span` in `sentence`.
struct Row {
    line: usize,
    sentence: &'static str,
    span: &'static str,
    key: &'static str,
    kind: EntityKind,
}

impl Row {
    fn start(&self) -> usize {
        self.sentence.find(self.span).expect("checked by rows()")
    }
    fn end(&self) -> usize {
        self.start() + self.span.len()
    }
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    for (i, line) in MENTIONS.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "line {}: {line:?}", i + 1);
        let row = Row {
            line: i + 1,
            sentence: cols[0],
            span: cols[1],
            key: cols[2],
            kind: cols[3].parse().unwrap(),
        };
        assert!(
            row.sentence.contains(row.span),
            "line {}: span not in sentence",
            row.line
        );
        out.push(row);
    }
    out
}

#[test]
fn the_fixture_has_over_a_hundred_mentions() {
    let rows = rows();
    assert!(rows.len() >= 100, "{}", rows.len());
    // It covers proclitics, the article fused with ل, names that begin with clitic letters and
    // multi-word names.
    let in_word = |r: &Row| {
        let s = r.start();
        s > 0 && !r.sentence[..s].ends_with(' ')
    };
    assert!(rows.iter().filter(|r| in_word(r)).count() >= 30);
    assert!(
        rows.iter()
            .any(|r| r.sentence.contains("لل") && r.key.starts_with("ال"))
    );
    assert!(rows.iter().filter(|r| r.span.contains(' ')).count() >= 30);
}

/// The tokens a row's span touches, as the entity the tagger would report for them.
fn read_gold(tagger: &NerTagger, row: &Row) -> (usize, usize, String) {
    let tokens = qalam_text::tokenize(row.sentence);
    let (s, e) = (row.start(), row.end());
    let inside: Vec<&qalam_text::Token> =
        tokens.iter().filter(|t| t.end > s && t.start < e).collect();
    let words: Vec<&str> = inside.iter().map(|t| t.text(row.sentence)).collect();
    let m = tagger.resources().mention(&words);
    (
        inside[0].start + m.start,
        inside[inside.len() - 1].end,
        m.key,
    )
}

#[test]
fn spans_and_keys_of_every_mention() {
    let tagger = NerTagger::embedded();
    let mut wrong = Vec::new();
    for row in rows() {
        let (s, e, key) = read_gold(&tagger, &row);
        if (s, e, key.as_str()) != (row.start(), row.end(), row.key) {
            wrong.push(format!(
                "line {}: {:?} key {key:?}, expected {:?} key {:?}",
                row.line,
                &row.sentence[s..e],
                row.span,
                row.key
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_tagger_finds_the_mentions_with_their_spans_keys_and_types() {
    let tagger = NerTagger::embedded();
    let rows = rows();
    let mut found = 0;
    let mut misses = Vec::new();
    let mut last: Option<(&str, Vec<Entity>)> = None;
    for row in &rows {
        if last.as_ref().is_none_or(|(s, _)| *s != row.sentence) {
            let tokens = qalam_text::tokenize(row.sentence);
            last = Some((row.sentence, tagger.entities(row.sentence, &tokens)));
        }
        let entities = &last.as_ref().expect("set above").1;
        let exact = entities.iter().any(|e| {
            (e.start, e.end, e.kind, e.key.as_str()) == (row.start(), row.end(), row.kind, row.key)
        });
        if exact {
            found += 1;
            continue;
        }
        // Whatever the tagger found there, it must not carry a proclitic into the span: no
        // entity starts inside the name's first word but before the name.
        let word_start = row.sentence[..row.start()].rfind(' ').map_or(0, |i| i + 1);
        for e in entities {
            assert!(
                !(word_start..row.start()).contains(&e.start),
                "line {}: {:?} starts before the name {:?}",
                row.line,
                e.text,
                row.span
            );
        }
        misses.push(format!(
            "line {} {} {:?}: {entities:?}",
            row.line, row.kind, row.span
        ));
    }
    assert!(
        found * 100 >= rows.len() * 90,
        "{found} of {} found; missed:\n{}",
        rows.len(),
        misses.join("\n")
    );
}
