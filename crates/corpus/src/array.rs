//! A streaming reader for JSON arrays that splits elements at top-level commas.

use std::io::{self, BufRead};

use crate::json::{Pos, parse_record, peek_non_ws};
use crate::source::{Ctx, Records};
use crate::{CorpusError, Document};

/// Streams the records of a JSON array whose `[` is the next byte of `reader`, at `pos`.
pub(crate) fn records<'a, R: BufRead + Send + 'a>(reader: R, ctx: Ctx, pos: Pos) -> Records<'a> {
    Box::new(ArrayRecords {
        reader,
        ctx,
        pos,
        buf: Vec::new(),
        index: 0,
        started: false,
        pending: None,
        done: false,
    })
}

/// How one array element ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Comma,
    Close,
    Eof,
}

/// Streams the elements of a JSON array, splitting them at top-level commas so that a broken
/// element costs only itself.
struct ArrayRecords<R> {
    reader: R,
    ctx: Ctx,
    pos: Pos,
    buf: Vec<u8>,
    index: u64,
    started: bool,
    pending: Option<CorpusError>,
    done: bool,
}

impl<R: BufRead> Iterator for ArrayRecords<R> {
    type Item = Result<Document, CorpusError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(err) = self.pending.take() {
                return Some(Err(err));
            }
            if self.done {
                return None;
            }
            match self.next_element() {
                Ok(Some(result)) => return Some(result),
                Ok(None) => {}
                Err(err) => {
                    self.done = true;
                    return Some(Err(err));
                }
            }
        }
    }
}

impl<R: BufRead> ArrayRecords<R> {
    /// Reads the next element; `Ok(None)` when the array ended (a pending error may remain).
    fn next_element(&mut self) -> Result<Option<Result<Document, CorpusError>>, CorpusError> {
        if !self.started {
            self.started = true;
            self.reader.consume(1); // the '[' seen by `json`
            self.pos.advance(b"[");
        }
        let Some(_) = peek_non_ws(&mut self.reader, &mut self.pos)? else {
            return Err(self.unclosed());
        };
        let start = self.pos;
        self.buf.clear();
        let limit = self.ctx.limits.max_record_bytes;
        let (end, over) = scan_element(&mut self.reader, &mut self.buf, &mut self.pos, limit)?;
        let len = self
            .buf
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        self.buf.truncate(len);
        match end {
            End::Close => self.finish()?,
            End::Eof => {
                self.done = true;
                self.pending = Some(self.unclosed());
            }
            End::Comma => {}
        }
        if self.buf.is_empty() && !over {
            if end == End::Comma {
                self.index += 1;
                let err = CorpusError::Json {
                    line: Some(start.line),
                    column: start.col,
                    message: "empty record (two commas in a row?)".into(),
                };
                return Ok(Some(Err(err.with_record(self.index, start.line))));
            }
            return Ok(None);
        }
        self.index += 1;
        let result = if over {
            Err(CorpusError::RecordTooLarge { limit })
        } else {
            parse_record(&self.buf, start, false, &self.ctx, Some(self.index))
        };
        Ok(Some(
            result.map_err(|e| e.with_record(self.index, start.line)),
        ))
    }

    /// After the closing `]`: only whitespace may follow.
    fn finish(&mut self) -> Result<(), CorpusError> {
        self.done = true;
        if peek_non_ws(&mut self.reader, &mut self.pos)?.is_some() {
            self.pending = Some(CorpusError::Json {
                line: Some(self.pos.line),
                column: self.pos.col,
                message: "trailing characters after the array".into(),
            });
        }
        Ok(())
    }

    fn unclosed(&self) -> CorpusError {
        CorpusError::Json {
            line: Some(self.pos.line),
            column: self.pos.col,
            message: "end of file inside the array (missing `]`)".into(),
        }
    }
}

/// Copies one array element into `buf`, up to a top-level `,` or `]` (consumed, not copied).
///
/// Copies at most `max` bytes (whitespace before the `,` included); returns true with the end
/// when the element was longer, after scanning past it all the same.
fn scan_element<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    pos: &mut Pos,
    max: u64,
) -> Result<(End, bool), CorpusError> {
    let keep = usize::try_from(max).unwrap_or(usize::MAX);
    let mut over = false;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if chunk.is_empty() {
            return Ok((End::Eof, over));
        }
        let mut end = None;
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                } else {
                    // Fast path: skip ordinary string bytes in bulk.
                    i += quote_or_backslash(&chunk[i..]).max(1);
                    continue;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' => depth = depth.saturating_sub(1),
                    b']' if depth == 0 => {
                        end = Some(End::Close);
                        break;
                    }
                    b']' => depth -= 1,
                    b',' if depth == 0 => {
                        end = Some(End::Comma);
                        break;
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        if !over {
            if i > keep - buf.len() {
                over = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..i]);
            }
        }
        pos.advance(&chunk[..i]);
        match end {
            Some(end) => {
                pos.advance(&chunk[i..i + 1]);
                reader.consume(i + 1);
                return Ok((end, over));
            }
            None => reader.consume(i),
        }
    }
}

/// Returns the index of the first `"` or `\\` in `bytes`, or its length; 8 bytes per step.
fn quote_or_backslash(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let quote = word ^ (ONES * u64::from(b'"'));
        let slash = word ^ (ONES * u64::from(b'\\'));
        // A byte of `quote` or `slash` is zero where the word has that byte; the lowest flagged
        // byte is always a true match.
        let zero = (quote.wrapping_sub(ONES) & !quote) | (slash.wrapping_sub(ONES) & !slash);
        let found = zero & HIGHS;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use crate::json::json;
    use crate::json::tests::{messages, read};
    use crate::source::Ctx;

    use super::quote_or_backslash;

    #[test]
    fn quote_or_backslash_matches_naive_search() {
        let alphabet: &[u8] = b"a\"\\\x80\xff\x00\x22\x5c\x21\x5d\xa2\xdc";
        let mut state = 0x1234_5678_9abc_def0u64;
        for len in 0..80 {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let pick = (state % (alphabet.len() as u64 * 4)) as usize;
                        // Mostly plain bytes, so that matches land at every position.
                        if pick < alphabet.len() {
                            alphabet[pick]
                        } else {
                            b'x'
                        }
                    })
                    .collect();
                let naive = bytes
                    .iter()
                    .position(|&b| b == b'"' || b == b'\\')
                    .unwrap_or(len);
                assert_eq!(quote_or_backslash(&bytes), naive, "{bytes:?}");
            }
        }
    }

    #[test]
    fn array_streams_records_and_survives_bad_ones() {
        let input = "[\n  {\"content\": \"أ\", \"id\": 1},\n  {\"content\": tru},\n  {\"x\": 1},,\n  {\"content\": \"ب\"}\n]\n";
        let results = read(json, input);
        assert_eq!(
            messages(&results),
            [
                "ok أ",
                "err record 2 (line 3): invalid JSON at line 3, column 18: expected ident",
                "err record 3 (line 4): record has no text field (content|body|text)",
                "err record 4 (line 4): invalid JSON at line 4, column 12: empty record (two commas in a row?)",
                "ok ب",
            ]
        );
        let d = results[4].as_ref().unwrap();
        assert_eq!((d.origin.record, d.origin.line), (Some(5), Some(5)));
        assert_eq!(results[0].as_ref().unwrap().id, "1");
    }

    #[test]
    fn array_with_brackets_inside_strings() {
        let input = r#"[{"content": "a ] b , c } { [ \" ]"}, {"content": "\\"}]"#;
        let results = read(json, input);
        assert_eq!(messages(&results), ["ok a ] b , c } { [ \" ]", "ok \\"]);
    }

    #[test]
    fn array_edge_cases() {
        assert!(read(json, "[]").is_empty());
        assert!(read(json, " [ ] \n").is_empty());
        assert_eq!(messages(&read(json, "[{\"text\": \"a\"},]")), ["ok a"]);
        assert_eq!(
            messages(&read(json, "[{\"text\": \"a\"}")),
            [
                "ok a",
                "err invalid JSON at line 1, column 15: end of file inside the array (missing `]`)"
            ]
        );
        assert_eq!(
            messages(&read(json, "[{\"text\": \"a\"}] x")),
            [
                "ok a",
                "err invalid JSON at line 1, column 17: trailing characters after the array"
            ]
        );
        assert_eq!(
            messages(&read(json, "[")),
            ["err invalid JSON at line 1, column 2: end of file inside the array (missing `]`)"]
        );
        let results = read(json, "[{\"text\": \"a\"}}, {\"text\": \"b\"}]");
        assert!(results[0].is_err());
        assert_eq!(results[1].as_ref().unwrap().body, "b");
    }

    #[test]
    fn array_bad_utf8_offset() {
        let mut bytes = b"[{\"text\": \"a\"}, {\"text\": \"".to_vec();
        let bad_at = bytes.len() as u64;
        bytes.extend_from_slice(b"\xC3\x28\"}, {\"text\": \"c\"}]");
        let results: Vec<_> =
            json(Cursor::new(bytes), Ctx::new("t", crate::Limits::default())).collect();
        assert_eq!(
            messages(&results),
            [
                "ok a".to_string(),
                format!("err record 2 (line 1): invalid UTF-8 at byte {bad_at}"),
                "ok c".to_string()
            ]
        );
    }
}
