//! `qalam tag ner` (BIO tags of pre-tokenized text) and `qalam tag pos` (LEMMA, UPOS, XPOS and
//! FEATS of CoNLL-U gold words).

use std::io::{BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use qalam_analysis::EntityModel;
use qalam_tagger::embed::Embeddings;
use qalam_tagger::ner::{self, NerScratch, NerTagger};
use qalam_tagger::neural::{NeuralNer, perceptron_digest};
use qalam_tagger::padt::conllu;

use crate::train::padt::{load_pipeline, read_text};

/// Arguments of `qalam tag ner`.
#[derive(Args, Debug, Clone)]
pub struct TagNerArgs {
    /// Pre-tokenized input: one token per line (text after the first space or tab ignored),
    /// blank line between sentences; `-` reads stdin.
    #[arg(default_value = "-")]
    pub input: PathBuf,
    /// The NER model files or embedded model to use.
    #[command(flatten)]
    pub ner: NerModelArgs,
}

/// Arguments of `qalam tag pos`.
#[derive(Args, Debug, Clone)]
pub struct TagPosArgs {
    /// CoNLL-U file with gold words (`-` for stdin).
    pub file: PathBuf,
    /// Output file [default: stdout].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Directory with pos.qlm/lemma.qlm to use instead of the embedded models.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// Which embedded NER model a command uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum NerModel {
    /// The perceptron alone (the default: as accurate on our dev split, and faster).
    #[default]
    Fast,
    /// The perceptron with the neural network on top.
    Neural,
}

impl NerModel {
    /// The pipeline setting of this model.
    pub fn entity_model(self) -> EntityModel {
        match self {
            NerModel::Fast => EntityModel::Embedded,
            NerModel::Neural => EntityModel::Neural,
        }
    }
}

/// How a command picks its NER model.
#[derive(Args, Debug, Clone)]
pub struct NerModelArgs {
    /// Embedded NER model: `fast` (the perceptron) or `neural` (perceptron + network).
    #[arg(long, value_enum, default_value_t = NerModel::Fast)]
    pub ner_model: NerModel,
    /// Perceptron model file (`ner.bin` from `qalam train ner`) instead of the embedded one;
    /// alone, it tags without a network.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Neural network file (`ner-neural.qlm` from `qalam train ner`) to put on top of the
    /// perceptron it was trained with.
    #[arg(long)]
    pub neural: Option<PathBuf>,
}

/// The NER model the arguments name: files, or an embedded model.
pub fn load_ner_model(args: &NerModelArgs) -> Result<Arc<NerTagger>> {
    let perceptron = match &args.model {
        Some(p) => {
            Arc::new(NerTagger::load(p).with_context(|| format!("reading {}", p.display()))?)
        }
        None if args.neural.is_none() => {
            return Ok(match args.ner_model {
                NerModel::Neural => NerTagger::embedded_neural(),
                NerModel::Fast => NerTagger::embedded(),
            });
        }
        None => NerTagger::embedded(),
    };
    let Some(path) = &args.neural else {
        return Ok(perceptron);
    };
    let head = NeuralNer::load(path, Embeddings::embedded())
        .with_context(|| format!("reading {}", path.display()))?;
    if !head.matches_perceptron(perceptron_digest(&perceptron)) {
        bail!(
            "{}: the network was trained on the tags of another perceptron model",
            path.display()
        );
    }
    Ok(Arc::new(
        perceptron.without_neural().with_neural(Arc::new(head)),
    ))
}

/// Longest run of tokens given to the model at once; longer sentences are cut.
const MAX_SENTENCE: usize = 4096;

/// `qalam tag ner [FILE|-]`: one `token<TAB>TAG` line per input token line, blank lines kept.
pub fn ner(args: TagNerArgs) -> Result<ExitCode> {
    let tagger = load_ner_model(&args.ner)?;
    let mut bytes = Vec::new();
    if args.input.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading stdin")?;
    } else {
        bytes = std::fs::read(&args.input)
            .with_context(|| format!("reading {}", args.input.display()))?;
    }
    let text = String::from_utf8_lossy(&bytes);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    tag_lines(&tagger, &text, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The token of an input line, or `None` for a blank line.
fn line_token(line: &str) -> Option<&str> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
    if line.trim().is_empty() {
        return None;
    }
    match line.split([' ', '\t']).next() {
        Some(t) if !t.is_empty() => Some(t),
        _ => line.split_whitespace().next(),
    }
}

/// Tags pre-tokenized `text`, writing one output line per input line.
pub fn tag_lines(tagger: &NerTagger, text: &str, out: &mut impl Write) -> Result<()> {
    let mut scratch = NerScratch::default();
    let mut tags = Vec::new();
    let mut sentence: Vec<&str> = Vec::new();
    let flush = |sentence: &mut Vec<&str>,
                 out: &mut dyn Write,
                 scratch: &mut NerScratch,
                 tags: &mut Vec<ner::Tag>|
     -> Result<()> {
        for part in sentence.chunks(MAX_SENTENCE) {
            tagger.predict_into(part, scratch, tags);
            for (tok, tag) in part.iter().zip(tags.iter()) {
                writeln!(out, "{tok}\t{tag}")?;
            }
        }
        sentence.clear();
        Ok(())
    };
    for line in text.lines() {
        match line_token(line) {
            Some(tok) => sentence.push(tok),
            None => {
                flush(&mut sentence, out, &mut scratch, &mut tags)?;
                writeln!(out)?;
            }
        }
    }
    flush(&mut sentence, out, &mut scratch, &mut tags)?;
    Ok(())
}

/// `qalam tag pos`: fills LEMMA, UPOS, XPOS and FEATS of every word line.
pub fn pos(args: TagPosArgs) -> Result<ExitCode> {
    let p = load_pipeline(args.models.as_deref())?;
    let text = read_text(&args.file)?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for mut s in conllu::parse(&text) {
        qalam_tagger::padt::tag_sentence(&p.pos, &p.lemma, &mut s);
        s.write(&mut out);
    }
    match &args.out {
        Some(path) => {
            std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?
        }
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_tokens() {
        assert_eq!(line_token("word B-LOC"), Some("word"));
        assert_eq!(line_token("word\tB-LOC\r"), Some("word"));
        assert_eq!(line_token("\u{FEFF}word"), Some("word"));
        assert_eq!(line_token("  \r"), None);
        assert_eq!(line_token(" lead"), Some("lead"));
    }

    #[test]
    fn tag_lines_keeps_one_output_line_per_input_line() {
        let input = "\r\n\r\nبقلم\r\n:\r\nمكرم X\r\nمحمد\r\nأحمد\r\n\r\n\r\nفي\tO\nالقاهرة\n\n";
        let mut out = Vec::new();
        tag_lines(&NerTagger::embedded(), input, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), input.lines().count());
        assert_eq!(lines[0], "");
        assert_eq!(lines[4], "مكرم\tB-PERS");
        assert_eq!(lines[6], "أحمد\tI-PERS");
        assert_eq!(lines[7], "");
        assert!(lines[10].starts_with("القاهرة\t"));
        assert!(
            lines
                .iter()
                .all(|l| l.is_empty() || l.split('\t').count() == 2)
        );
    }
}
