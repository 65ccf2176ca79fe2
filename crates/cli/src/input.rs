//! Streaming input: files or stdin, cut into documents, with UTF-8 errors that name the byte.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// How an input is cut into documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocSplit {
    /// The whole input is one document.
    None,
    /// Documents are separated by blank lines.
    Blank,
    /// Every line is a document.
    Line,
}

/// One document cut out of an input, with its position there.
pub struct Doc {
    /// File name, or "-" for stdin.
    pub name: String,
    /// The document text.
    pub text: String,
    /// Byte offset of the document in its input.
    pub offset: usize,
    /// Char offset of the document in its input.
    pub char_offset: usize,
}

/// An input error that does not stop the rest of the batch.
#[derive(Debug)]
pub struct InputError(pub String);

/// Opens a path, or stdin for "-".
pub fn open(path: &str) -> Result<Box<dyn BufRead>> {
    if path == "-" {
        Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
    } else {
        let f = File::open(Path::new(path)).with_context(|| format!("{path}: cannot open"))?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }
}

/// Decodes one chunk of `name` starting at byte `at`; errors name the file and absolute byte offset.
pub fn decode(
    name: &str,
    bytes: Vec<u8>,
    at: usize,
    lossy: bool,
) -> std::result::Result<String, InputError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => {
            let bad = at + e.utf8_error().valid_up_to();
            Err(InputError(format!(
                "{name}: invalid UTF-8 at byte {bad} (use --lossy to replace bad bytes)"
            )))
        }
    }
}

/// Reads `name` and calls `f` for each document; an undecodable document is reported to `err`
/// and skipped. Returns the number of documents skipped.
pub fn for_each_doc(
    name: &str,
    split: DocSplit,
    lossy: bool,
    mut f: impl FnMut(Doc) -> Result<()>,
    mut err: impl FnMut(InputError),
) -> Result<usize> {
    let mut reader = open(name)?;
    let mut skipped = 0;
    if split == DocSplit::None {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .with_context(|| format!("{name}: read error"))?;
        match decode(name, bytes, 0, lossy) {
            Ok(text) => f(Doc {
                name: name.to_string(),
                text,
                offset: 0,
                char_offset: 0,
            })?,
            Err(e) => {
                err(e);
                skipped += 1;
            }
        }
        return Ok(skipped);
    }
    let mut line = Vec::new();
    let mut doc: Vec<u8> = Vec::new();
    let (mut pos, mut doc_start) = (0usize, 0usize);
    let mut chars = 0usize;
    let mut doc_chars = 0usize;
    let mut flush =
        |doc: &mut Vec<u8>, start: usize, doc_chars: usize, skipped: &mut usize| -> Result<()> {
            if doc.iter().all(u8::is_ascii_whitespace) {
                doc.clear();
                return Ok(());
            }
            match decode(name, std::mem::take(doc), start, lossy) {
                Ok(text) => f(Doc {
                    name: name.to_string(),
                    text,
                    offset: start,
                    char_offset: doc_chars,
                }),
                Err(e) => {
                    err(e);
                    *skipped += 1;
                    Ok(())
                }
            }
        };
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("{name}: read error"))?;
        if n == 0 {
            break;
        }
        let blank = line.iter().all(u8::is_ascii_whitespace);
        let line_chars = line.iter().filter(|&&b| (b as i8) >= -0x40).count();
        match split {
            DocSplit::Line => {
                doc.extend_from_slice(&line);
                flush(&mut doc, pos, chars, &mut skipped)?;
            }
            DocSplit::Blank if blank => {
                flush(&mut doc, doc_start, doc_chars, &mut skipped)?;
                doc_start = pos + n;
                doc_chars = chars + line_chars;
            }
            _ => {
                if doc.is_empty() {
                    doc_start = pos;
                    doc_chars = chars;
                }
                doc.extend_from_slice(&line);
            }
        }
        pos += n;
        chars += line_chars;
    }
    flush(&mut doc, doc_start, doc_chars, &mut skipped)?;
    Ok(skipped)
}

/// Calls `f` for each line of `name` (newline removed), decoding UTF-8 per line.
pub fn for_each_line(name: &str, lossy: bool, mut f: impl FnMut(&str) -> Result<()>) -> Result<()> {
    let mut reader = open(name)?;
    let mut line = Vec::new();
    let mut pos = 0usize;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("{name}: read error"))?;
        if n == 0 {
            return Ok(());
        }
        let text = decode(name, std::mem::take(&mut line), pos, lossy)
            .map_err(|e| anyhow::anyhow!(e.0))?;
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let body = body.strip_suffix('\r').unwrap_or(body);
        f(body)?;
        pos += n;
    }
}

/// Writes `f(line)` for every line of `input` to stdout; `f` fills the (cleared) buffer.
pub fn map_lines(
    input: &str,
    lossy: bool,
    mut f: impl FnMut(&str, &mut String),
) -> Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut buf = String::new();
    for_each_line(input, lossy, |line| {
        buf.clear();
        f(line, &mut buf);
        out.write_all(buf.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
