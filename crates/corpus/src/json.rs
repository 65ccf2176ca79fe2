//! Streaming readers for JSONL and `.json` files, yielding one result per record.

use std::io::{self, BufRead, Read};

use serde_json::Value;

use crate::array;
use crate::source::{Ctx, Records, one};
use crate::{CorpusError, Document};

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

    /// Moves past a line of `len` bytes, which ends in a newline when `newline` is true.
    fn advance_line(&mut self, len: u64, newline: bool) {
        self.offset += len;
        if newline {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += len;
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
) -> Result<Document, CorpusError> {
    let text = std::str::from_utf8(bytes).map_err(|e| CorpusError::BadUtf8 {
        offset: start.offset + e.valid_up_to() as u64,
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let err = CorpusError::from_serde(&e, Some((start.line, start.col)));
        match err {
            CorpusError::Json {
                column,
                message,
                line,
            } if line_known && line == Some(start.line) => CorpusError::Json {
                line: None,
                column,
                message,
            },
            other => other,
        }
    })?;
    let doc = Document::from_json(value, ctx.origin(Some(start.line), record))?;
    ctx.limits.check_id(&doc.id)?;
    Ok(doc)
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

/// Reads one line into `buf` (cleared first), newline included, keeping at most `max` bytes
/// before the newline; the rest of a longer line is consumed and dropped.
///
/// Returns the bytes consumed, whether the line ended in a newline, and whether it was longer.
pub(crate) fn read_line_bounded<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: u64,
) -> io::Result<(u64, bool, bool)> {
    buf.clear();
    let keep = usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1);
    let mut consumed = 0u64;
    let mut over = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            // Without a newline, all `keep` bytes kept are content.
            return Ok((consumed, false, over || buf.len() == keep));
        }
        let (take, newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !over {
            let room = keep - buf.len();
            if take <= room {
                buf.extend_from_slice(&chunk[..take]);
            } else {
                // `keep` is room for `max` bytes and a newline: the line is longer.
                buf.extend_from_slice(&chunk[..room]);
                over = true;
            }
        }
        reader.consume(take);
        consumed += take as u64;
        if newline {
            return Ok((consumed, true, over));
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

/// Reads the rest of a JSONL stream from `pos`, after records already read.
fn jsonl_from<'a, R: BufRead + Send + 'a>(reader: R, ctx: Ctx, pos: Pos) -> Records<'a> {
    Box::new(JsonlRecords {
        reader,
        ctx,
        line: Vec::new(),
        pos,
        started: true,
        seen_content: true,
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
    type Item = Result<Document, CorpusError>;

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
        let limit = self.ctx.limits.max_record_bytes;
        loop {
            let (len, newline, over) =
                match read_line_bounded(&mut self.reader, &mut self.line, limit) {
                    Ok((0, ..)) => {
                        self.done = true;
                        return (!self.seen_content).then_some(Err(CorpusError::Empty));
                    }
                    Ok(read) => read,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(CorpusError::Io(e).with_line(self.pos.line)));
                    }
                };
            let start = self.pos;
            self.pos.advance_line(len, newline);
            if !over && self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.seen_content = true;
            let result = if over {
                Err(CorpusError::RecordTooLarge { limit })
            } else {
                parse_record(&self.line, start, true, &self.ctx, None)
            };
            return Some(result.map_err(|e| e.with_line(start.line)));
        }
    }
}

/// Reads a `.json` stream: an array of records (streamed), one object, or JSONL in disguise.
///
/// A stream whose first line, starting with `{`, is a complete JSON value followed by more text
/// is read as JSONL (streamed); otherwise a `{`-first stream must be one object (at most
/// [`Limits::max_record_bytes`](crate::Limits::max_record_bytes)).
pub(crate) fn json<'a, R: BufRead + Send + 'a>(mut reader: R, ctx: Ctx) -> Records<'a> {
    let mut pos = Pos::START;
    let first = skip_bom(&mut reader, &mut pos).and_then(|()| peek_non_ws(&mut reader, &mut pos));
    match first {
        Err(e) => one(Err(e.into())),
        Ok(None) => one(Err(CorpusError::Empty)),
        Ok(Some(b'[')) => array::records(reader, ctx, pos),
        Ok(Some(b'{')) => object_or_jsonl(reader, ctx, pos).unwrap_or_else(|e| one(Err(e))),
        Ok(Some(_)) => one(Err(CorpusError::Json {
            line: Some(pos.line),
            column: pos.col,
            message: "expected a JSON array or object".into(),
        })),
    }
}

/// Reads a stream whose next byte, at `start`, is `{`: one object, or JSONL.
fn object_or_jsonl<'a, R: BufRead + Send + 'a>(
    mut reader: R,
    ctx: Ctx,
    start: Pos,
) -> Result<Records<'a>, CorpusError> {
    let limit = ctx.limits.max_record_bytes;
    let mut first = Vec::new();
    let (len, newline, over) = read_line_bounded(&mut reader, &mut first, limit)?;
    let mut pos = start;
    pos.advance_line(len, newline);
    let complete = !over && serde_json::from_slice::<serde::de::IgnoredAny>(&first).is_ok();
    if over || complete {
        let followed = peek_non_ws(&mut reader, &mut pos)?.is_some();
        if followed {
            // JSONL: the first line is its first record.
            let result = if over {
                Err(CorpusError::RecordTooLarge { limit })
            } else {
                parse_record(&first, start, true, &ctx, None)
            };
            let head = one(result.map_err(|e| e.with_line(start.line)));
            return Ok(Box::new(head.chain(jsonl_from(reader, ctx, pos))));
        }
        if over {
            return Err(CorpusError::RecordTooLarge { limit });
        }
        return Ok(one(parse_record(&first, start, false, &ctx, None)));
    }
    // One object over several lines.
    let room = (limit + 1).saturating_sub(first.len() as u64);
    reader.take(room).read_to_end(&mut first)?;
    if first.len() as u64 > limit {
        return Err(CorpusError::RecordTooLarge { limit });
    }
    Ok(one(parse_record(&first, start, false, &ctx, None)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Limits;
    use std::io::Cursor;

    pub(crate) fn read(
        f: fn(Cursor<Vec<u8>>, Ctx) -> Records<'static>,
        input: &str,
    ) -> Vec<Result<Document, CorpusError>> {
        read_with(f, input, Limits::default())
    }

    pub(crate) fn read_with(
        f: fn(Cursor<Vec<u8>>, Ctx) -> Records<'static>,
        input: &str,
        limits: Limits,
    ) -> Vec<Result<Document, CorpusError>> {
        f(
            Cursor::new(input.as_bytes().to_vec()),
            Ctx::new("t", limits),
        )
        .collect()
    }

    pub(crate) fn messages(results: &[Result<Document, CorpusError>]) -> Vec<String> {
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
        let results: Vec<_> = jsonl(Cursor::new(bytes), Ctx::new("t", Limits::default())).collect();
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
