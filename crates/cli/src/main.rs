//! The `qalam` command: Arabic news-text analysis and search.

mod analyze;
mod analyzer_args;
mod dedup;
mod delete;
mod demo;
mod entities;
mod eval;
mod filter_args;
mod index;
mod input;
mod limit_args;
mod normalize;
mod progress;
mod search;
mod serve;
mod stem;
mod stories;
mod tag;
mod train;
mod translit;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// First steps, shown under the one-line description of `qalam --help`.
const FIRST_STEPS: &str = "\
Start here:
  qalam demo                              index the bundled sample articles and serve them on http://127.0.0.1:7700/
  qalam index --index DIR FILES...        index your own articles (.txt, .json, .jsonl, SaudiNewsNet .zip)
  qalam search --index DIR 'الموصل'        search them (add --json for machine-readable hits)";

/// qalam (قلم): fast offline Arabic news-text analysis and search.
#[derive(Parser)]
#[command(
    name = "qalam",
    version,
    about = "qalam (قلم): fast, offline Arabic news-text analysis and search — one binary, models embedded",
    long_about = None,
    before_help = FIRST_STEPS,
    help_template = "{about-with-newline}\n{before-help}{usage-heading} {usage}\n\n{all-args}{after-help}",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse documents: sentences, tokens, normalized forms and stems, as JSON, JSONL, CoNLL-U or text.
    Analyze(analyze::AnalyzeArgs),
    /// Normalize text from stdin to stdout, line by line.
    Normalize(normalize::NormalizeArgs),
    /// Stem one word per input line.
    Stem(stem::StemArgs),
    /// Transliterate between Arabic script and (safe) Buckwalter, stdin to stdout.
    Translit(translit::TranslitArgs),
    /// Add documents to a search index (created if missing); re-added ids replace documents.
    ///
    /// Inputs are raw articles (JSON, JSONL, text, zips such as SaudiNewsNet's) or pre-analyzed
    /// records: JSON records with a "qalam_analysis" member holding their entities, keyphrases,
    /// summary and MinHash signature, as `python -m qalam.spark analyze INPUTS --out PARQUET`
    /// then `python -m qalam.spark export PARQUET --out DIR` write them (DIR/part-*.jsonl).
    /// Their spans are checked against the body and their aids indexed as given, without
    /// running NER, keyphrases or fingerprints again (with or without --no-aids).
    Index(index::IndexArgs),
    /// Search an index.
    Search(search::SearchArgs),
    /// Delete documents from an index by id.
    Delete(delete::DeleteArgs),
    /// Serve an index: JSON API (OpenAPI at /api/openapi.json) and an Arabic web page.
    Serve(serve::ServeArgs),
    /// Index the bundled sample articles into a data directory and serve them.
    Demo(demo::DemoArgs),
    /// Measure qalam against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Learn tables and models from data.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Tag pre-tokenized text (NER) or CoNLL-U gold words (POS, lemmas).
    #[command(subcommand)]
    Tag(TagCommand),
    /// List clusters of near-duplicate documents in an index.
    Dedup(dedup::DedupArgs),
    /// Group an index's articles into stories (same event within a time window).
    Stories(stories::StoriesArgs),
    /// Entity trends of an index: top entities, articles per day, pairs named together.
    Entities(entities::EntitiesArgs),
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Document frequencies of stem n-grams (for keyphrases), from SaudiNewsNet.
    Df(train::df::TrainDfArgs),
    /// The NER model (ANERcorp train + gazetteers + SaudiNewsNet clusters).
    Ner(train::ner::TrainNerArgs),
    /// The PADT clitic segmenter.
    Seg(train::padt::TrainArgs),
    /// The PADT UPOS/XPOS tagger.
    Pos(train::padt::TrainArgs),
    /// The PADT lemmatizer.
    Lemma(train::padt::TrainArgs),
    /// Word and subword (char n-gram) embeddings from SaudiNewsNet, then their evaluation.
    Embeddings(train::embeddings::TrainEmbedArgs),
}

#[derive(Subcommand)]
enum TagCommand {
    /// One token per line (blank line between sentences) → `token<TAB>TAG` with BIO PERS/LOC/ORG/MISC.
    Ner(tag::TagNerArgs),
    /// Fill LEMMA, UPOS, XPOS and FEATS of a CoNLL-U file with gold words.
    Pos(tag::TagPosArgs),
}

/// `qalam train seg|pos|lemma`: the subcommand names the model.
fn train_padt(
    mut a: train::padt::TrainArgs,
    model: train::padt::PadtModel,
) -> anyhow::Result<ExitCode> {
    a.model = model;
    train::padt::run(&a)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    use train::padt::PadtModel;
    match cli.command {
        Command::Analyze(a) => analyze::analyze(a),
        Command::Normalize(a) => normalize::normalize(a),
        Command::Stem(a) => stem::stem(a),
        Command::Translit(a) => translit::translit(a),
        Command::Index(a) => index::index(a),
        Command::Search(a) => search::search(a),
        Command::Delete(a) => delete::delete(a),
        Command::Serve(a) => serve::serve(a),
        Command::Demo(a) => demo::demo(a),
        Command::Eval(c) => eval::run(c),
        Command::Train(TrainCommand::Df(a)) => train::df::run(a),
        Command::Train(TrainCommand::Ner(a)) => train::ner::run(a),
        Command::Train(TrainCommand::Seg(a)) => train_padt(a, PadtModel::Seg),
        Command::Train(TrainCommand::Pos(a)) => train_padt(a, PadtModel::Pos),
        Command::Train(TrainCommand::Lemma(a)) => train_padt(a, PadtModel::Lemma),
        Command::Train(TrainCommand::Embeddings(a)) => train::embeddings::run(a),
        Command::Tag(TagCommand::Ner(a)) => tag::ner(a),
        Command::Tag(TagCommand::Pos(a)) => tag::pos(a),
        Command::Dedup(a) => dedup::dedup(a),
        Command::Stories(a) => stories::stories(a),
        Command::Entities(a) => entities::entities(a),
    }
}

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`qalam … | head`), as Unix tools do.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("qalam: {err:#}");
            ExitCode::from(2)
        }
    }
}
