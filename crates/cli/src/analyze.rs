//! `qalam analyze`: documents in, tokens, sentences, stems, entities, keyphrases, summaries
//! (JSON, JSONL), UD words (CoNLL-U) or sentences (text) out.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use qalam_analysis::ud::ud_words;
use qalam_analysis::{Analysis, AnalyzedDocument, Pipeline, PipelineOptions};
use qalam_morph::Stemmer;

use crate::input::{self, DocSplit};
use crate::tag::NerModel;

/// Output format of `qalam analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One pretty-printed JSON object per document.
    Json,
    /// One JSON object per line per document.
    Jsonl,
    /// CoNLL-U from the PADT models: multiword tokens, LEMMA, UPOS, XPOS, FEATS, SpaceAfter=No.
    Conllu,
    /// One sentence per line, tokens separated by spaces.
    Text,
}

/// Arguments of `qalam analyze`.
#[derive(Args)]
pub struct AnalyzeArgs {
    /// Input files; "-" (the default) reads stdin.
    #[arg(default_value = "-")]
    inputs: Vec<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = OutputFormat::Json)]
    format: OutputFormat,
    /// How inputs are cut into documents (offsets stay relative to the whole input).
    #[arg(long, value_enum, default_value_t = DocSplit::Blank)]
    split: DocSplit,
    /// Stemmer for the "stem" field.
    #[arg(long, default_value_t = Stemmer::Light)]
    stemmer: Stemmer,
    /// Replace invalid UTF-8 instead of rejecting the document.
    #[arg(long)]
    lossy: bool,
    /// Add "words" to json/jsonl: the UD words of the PADT models (clitics split off), each with
    /// its byte span, UPOS, XPOS, FEATS and lemmas.
    #[arg(long)]
    morph: bool,
    /// Add "fingerprint" to json/jsonl: the near-duplicate MinHash signature (hex) and its LSH
    /// band keys, as `qalam index` stores them.
    #[arg(long)]
    fingerprint: bool,
    /// NER model: `fast` (the perceptron) or `neural` (perceptron + network, slower).
    #[arg(long, value_enum, default_value_t = NerModel::Fast)]
    ner_model: NerModel,
}

/// `qalam analyze`: exit 2 when some documents could not be read.
pub fn analyze(args: AnalyzeArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::new(PipelineOptions {
        stemmer: args.stemmer,
        fingerprints: args.fingerprint,
        entities: args.ner_model.entity_model(),
        ..PipelineOptions::default()
    })?;
    let padt = if args.format == OutputFormat::Conllu || args.morph {
        Some(pipeline.padt()?)
    } else {
        None
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut padt_cache = qalam_tagger::padt::AnalysisCache::default();
    let mut failed = 0usize;
    for name in &args.inputs {
        let res = input::for_each_doc(
            name,
            args.split,
            args.lossy,
            |doc| {
                let text = &doc.text;
                if let (Some(padt), OutputFormat::Conllu) = (&padt, args.format) {
                    let tokens = qalam_text::tokenize(text);
                    let sentences = qalam_text::sentences(text);
                    let misc = ner_misc(pipeline.ner(), text, &tokens, &sentences);
                    let conllu =
                        padt.to_conllu_with(text, &tokens, &sentences, &misc, &mut padt_cache);
                    out.write_all(conllu.as_bytes())?;
                    return Ok(());
                }
                let mut analysis = pipeline.analyze(text);
                match args.format {
                    OutputFormat::Json | OutputFormat::Jsonl => {
                        analysis.shift(doc.offset, doc.char_offset);
                        let mut d = AnalyzedDocument::new(doc.name.as_str(), doc.offset, analysis);
                        if args.fingerprint {
                            d = d.with_fingerprint();
                        }
                        d.words = padt.map(|p| ud_words(p, text, doc.offset, &mut padt_cache));
                        if args.format == OutputFormat::Json {
                            serde_json::to_writer_pretty(&mut out, &d)?;
                        } else {
                            serde_json::to_writer(&mut out, &d)?;
                        }
                        writeln!(out)?;
                    }
                    OutputFormat::Text | OutputFormat::Conllu => {
                        write_text(&mut out, text, &analysis)?
                    }
                }
                Ok(())
            },
            |e| {
                eprintln!("qalam: {}", e.0);
            },
        );
        match res {
            Ok(skipped) => failed += skipped,
            Err(e) => {
                if is_broken_pipe(&e) {
                    return Err(e);
                }
                eprintln!("qalam: {e:#}");
                failed += 1;
            }
        }
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn write_text(out: &mut impl Write, text: &str, a: &Analysis) -> io::Result<()> {
    let mut tokens = a.tokens.iter().peekable();
    for s in &a.sentences {
        let mut first = true;
        while let Some(t) = tokens.next_if(|t| t.start < s.end) {
            if !first {
                out.write_all(b" ")?;
            }
            first = false;
            out.write_all(&text.as_bytes()[t.start..t.end])?;
        }
        out.write_all(b"\n")?;
    }
    out.write_all(b"\n")
}

/// `NER=B-TYPE` / `NER=I-TYPE` for the tokens inside an entity of the NER model (none without).
fn ner_misc(
    ner: Option<&qalam_tagger::ner::NerTagger>,
    text: &str,
    tokens: &[qalam_text::Token],
    sentences: &[qalam_text::Sentence],
) -> Vec<Option<String>> {
    let mut misc = vec![None; tokens.len()];
    let Some(ner) = ner else {
        return misc;
    };
    let entities = ner.entities_with_sentences(text, tokens, sentences);
    let mut i = 0;
    for e in entities {
        while i < tokens.len() && tokens[i].end <= e.start {
            i += 1;
        }
        let mut prefix = "B";
        while i < tokens.len() && tokens[i].start < e.end {
            misc[i] = Some(format!("NER={prefix}-{}", e.kind.as_str()));
            prefix = "I";
            i += 1;
        }
    }
    misc
}
