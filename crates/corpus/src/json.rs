//! Streaming readers for JSONL and `.json` files, yielding one result per record.

use std::io::{self, BufRead, Cursor};

use serde_json::Value;

use crate::array;
use crate::source::{Ctx, Records, one};
use crate::{Document, Error};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A position in the input: 1-based line and byte column, 0-based byte offset.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pos {
    pub(crate) line: u64,
    pub(crate) col: u64,
    pub(crate) offset: u64,
}

impl Pos {
    const START: Pos = Pos {
        line: 1,
        col: 1,
        offset: 0,
    };

    /// Moves past `bytes`.
    pub(crate) fn advance(&mut self, bytes: &[u8]) {
        self.offset += bytes.len() as u64;
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(nl) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.col = (bytes.len() - nl) as u64;
            }
            None => self.col += bytes.len() as u64,
        }
    }
}

/// Parses one record's bytes; `start` is where they begin in the file.
pub(crate) fn parse_record(
    bytes: &[u8],
    start: Pos,
    line_known: bool,
    ctx: &Ctx,
    record: Option<u64>,
) -> Result<Document, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::BadUtf8 {
        offset: start.offset + e.valid_up_to() as u64,
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let err = Error::from_serde(&e, Some((start.line, start.col)));
        match err {
            Error::Json {
                column,
                message,
                line,
            } if line_known && line == Some(start.line) => Error::Json {
                line: None,
                column,
                message,
            },
            other => other,
        }
    })?;
    Document::from_json(value, ctx.origin(Some(start.line), record))
}

/// Skips a leading UTF-8 byte-order mark.
fn skip_bom<R: BufRead>(reader: &mut R, pos: &mut Pos) -> io::Result<()> {
    if reader.fill_buf()?.starts_with(BOM) {
        reader.consume(BOM.len());
        pos.offset += BOM.len() as u64;
    }
    Ok(())
}

/// Skips JSON whitespace and returns the next byte without consuming it.
pub(crate) fn peek_non_ws<R: BufRead>(reader: &mut R, pos: &mut Pos) -> io::Result<Option<u8>> {
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(None);
        }
        let found = chunk.iter().position(|b| !b.is_ascii_whitespace());
        let skip = found.unwrap_or(chunk.len());
        pos.advance(&chunk[..skip]);
        let next = found.map(|i| chunk[i]);
        reader.consume(skip);
        if next.is_some() {
            return Ok(next);
        }
    }
}

/// Reads a JSONL stream line by line; blank lines are skipped.
pub(crate) fn jsonl<'a, R: BufRead + Send + 'a>(reader: R, ctx: Ctx) -> Records<'a> {
    Box::new(JsonlRecords {
        reader,
        ctx,
        line: Vec::new(),
        pos: Pos::START,
        started: false,
        seen_content: false,
        done: false,
    })
}

struct JsonlRecords<R> {
    reader: R,
    ctx: Ctx,
    line: Vec<u8>,
    pos: Pos,
    started: bool,
    seen_content: bool,
    done: bool,
}

impl<R: BufRead> Iterator for JsonlRecords<R> {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(e) = skip_bom(&mut self.reader, &mut self.pos) {
                self.done = true;
                return Some(Err(e.into()));
            }
        }
        loop {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => {
                    self.done = true;
                    return (!self.seen_content).then_some(Err(Error::Empty));
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::Io(e).with_line(self.pos.line)));
                }
            }
            let start = self.pos;
            self.pos.line += 1;
            self.pos.col = 1;
            self.pos.offset += self.line.len() as u64;
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.seen_content = true;
            let result = parse_record(&self.line, start, true, &self.ctx, None);
            return Some(result.map_err(|e| e.with_line(start.line)));
        }
    }
}

/// Reads a `.json` stream: an array of records (streamed), one object, or JSONL in disguise.
///
/// A stream that starts with `{` is read whole. If its first line alone is a complete JSON
/// value and more follows, it is read as JSONL; otherwise it must be one object.
pub(crate) fn json<'a, R: BufRead + Send + 'a>(mut reader: R, ctx: Ctx) -> Records<'a> {
    let mut pos = Pos::START;
    let first = skip_bom(&mut reader, &mut pos).and_then(|()| peek_non_ws(&mut reader, &mut pos));
    match first {
        Err(e) => one(Err(e.into())),
        Ok(None) => one(Err(Error::Empty)),
        Ok(Some(b'[')) => array::records(reader, ctx, pos),
        Ok(Some(b'{')) => {
            let mut rest = Vec::new();
            if let Err(e) = reader.read_to_end(&mut rest) {
                return one(Err(e.into()));
            }
            if looks_like_jsonl(&rest) {
                // Pad so that JSONL line numbers and byte offsets match the file.
                let newlines = (pos.line - 1) as usize;
                let mut whole = vec![b'\n'; newlines];
                whole.resize((pos.offset as usize).max(newlines), b' ');
                whole.extend_from_slice(&rest);
                return jsonl(Cursor::new(whole), ctx);
            }
            one(parse_record(&rest, pos, false, &ctx, None))
        }
        Ok(Some(_)) => one(Err(Error::Json {
            line: Some(pos.line),
            column: pos.col,
            message: "expected a JSON array or object".into(),
        })),
    }
}

/// True when the first line is a whole JSON value and non-blank text follows it.
fn looks_like_jsonl(bytes: &[u8]) -> bool {
    let Some(nl) = bytes.iter().position(|&b| b == b'\n') else {
        return false;
    };
    let (first, rest) = bytes.split_at(nl);
    !rest.iter().all(u8::is_ascii_whitespace)
        && serde_json::from_slice::<serde::de::IgnoredAny>(first).is_ok()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn read(
        f: fn(Cursor<Vec<u8>>, Ctx) -> Records<'static>,
        input: &str,
    ) -> Vec<Result<Document, Error>> {
        f(Cursor::new(input.as_bytes().to_vec()), Ctx::new("t")).collect()
    }

    pub(crate) fn messages(results: &[Result<Document, Error>]) -> Vec<String> {
        results
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {}", d.body),
                Err(e) => format!("err {e}"),
            })
            .collect()
    }

    #[test]
    fn jsonl_lines_and_errors() {
        let input = "{\"content\": \"أ\"}\n\n{\"title\": \"t\"}\r\n{\"content\": \"ب\", }\n[1]\n{\"text\": \"ج\"}";
        let results = read(jsonl, input);
        assert_eq!(
            messages(&results),
            [
                "ok أ",
                "err line 3: record has no text field (content|body|text)",
                "err line 4: invalid JSON at column 19: trailing comma",
                "err line 5: record is an array, not a JSON object",
                "ok ج",
            ]
        );
        let d = results[4].as_ref().unwrap();
        assert_eq!(d.origin.line, Some(6));
        assert_eq!(d.origin.record, None);
    }

    #[test]
    fn jsonl_bad_utf8_offset_and_bom() {
        let mut bytes = b"\xEF\xBB\xBF{\"text\": \"a\"}\n{\"text\": \"".to_vec();
        let bad_at = bytes.len() as u64;
        bytes.extend_from_slice(b"\xFF\"}\n");
        let results: Vec<_> = jsonl(Cursor::new(bytes), Ctx::new("t")).collect();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap().body, "a");
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("line 2: invalid UTF-8 at byte {bad_at}")
        );
    }

    #[test]
    fn jsonl_empty() {
        assert_eq!(messages(&read(jsonl, " \n\n")), ["err file is empty"]);
    }

    #[test]
    fn single_object_and_disguised_jsonl() {
        let pretty = "{\n  \"id\": \"x\",\n  \"content\": \"نص\"\n}\n";
        let results = read(json, pretty);
        assert_eq!(messages(&results), ["ok نص"]);
        assert_eq!(results[0].as_ref().unwrap().origin.record, None);
        let lines = "{\"text\": \"a\"}\n{\"text\": \"b\"}\n";
        assert_eq!(messages(&read(json, lines)), ["ok a", "ok b"]);
        let broken = "{\n  \"content\": \"نص\",\n  \"id\": }";
        assert_eq!(
            messages(&read(json, broken)),
            ["err invalid JSON at line 3, column 9: expected value"]
        );
    }

    #[test]
    fn json_top_level_errors() {
        assert_eq!(messages(&read(json, "")), ["err file is empty"]);
        assert_eq!(messages(&read(json, "\u{feff}  \n")), ["err file is empty"]);
        assert_eq!(
            messages(&read(json, "\n \"x\"")),
            ["err invalid JSON at line 2, column 2: expected a JSON array or object"]
        );
    }
}
