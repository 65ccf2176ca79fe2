//! The `qalam` command: Arabic news-text analysis and search.

mod aids_cmd;
mod analyze;
mod embed_cmd;
mod eval;
mod index_cmd;
mod input;
mod limit_args;
mod ner_cmd;
mod padt_cmd;
mod serve_cmd;

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
    Normalize(analyze::NormalizeArgs),
    /// Stem one word per input line.
    Stem(analyze::StemArgs),
    /// Transliterate between Arabic script and (safe) Buckwalter, stdin to stdout.
    Translit(analyze::TranslitArgs),
    /// Add documents to a search index (created if missing); re-added ids replace documents.
    Index(index_cmd::IndexArgs),
    /// Search an index.
    Search(index_cmd::SearchArgs),
    /// Delete documents from an index by id.
    Delete(index_cmd::DeleteArgs),
    /// Serve an index: JSON API (OpenAPI at /api/openapi.json) and an Arabic web page.
    Serve(serve_cmd::ServeArgs),
    /// Index the bundled sample articles into a data directory and serve them.
    Demo(serve_cmd::DemoArgs),
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
    Dedup(aids_cmd::DedupArgs),
    /// Group an index's articles into stories (same event within a time window).
    Stories(aids_cmd::StoriesArgs),
    /// Entity trends of an index: top entities, articles per day, pairs named together.
    Entities(aids_cmd::EntitiesArgs),
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Document frequencies of stem n-grams (for keyphrases), from SaudiNewsNet.
    Df(aids_cmd::TrainDfArgs),
    /// The NER model (ANERcorp train + gazetteers + SaudiNewsNet clusters).
    Ner(ner_cmd::TrainNerArgs),
    /// The PADT clitic segmenter.
    Seg(padt_cmd::TrainArgs),
    /// The PADT UPOS/XPOS tagger.
    Pos(padt_cmd::TrainArgs),
    /// The PADT lemmatizer.
    Lemma(padt_cmd::TrainArgs),
    /// Word and subword (char n-gram) embeddings from SaudiNewsNet, then their evaluation.
    Embeddings(embed_cmd::TrainEmbedArgs),
}

#[derive(Subcommand)]
enum TagCommand {
    /// One token per line (blank line between sentences) → `token<TAB>TAG` with BIO PERS/LOC/ORG/MISC.
    Ner(ner_cmd::TagNerArgs),
    /// Fill LEMMA, UPOS, XPOS and FEATS of a CoNLL-U file with gold words.
    Pos(padt_cmd::TagPosArgs),
}

fn train_padt(mut a: padt_cmd::TrainArgs, model: padt_cmd::PadtModel) -> anyhow::Result<ExitCode> {
    a.model = model;
    padt_cmd::run_train(&a)?;
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Analyze(a) => analyze::analyze(a),
        Command::Normalize(a) => analyze::normalize(a),
        Command::Stem(a) => analyze::stem(a),
        Command::Translit(a) => analyze::translit(a),
        Command::Index(a) => index_cmd::index(a),
        Command::Search(a) => index_cmd::search(a),
        Command::Delete(a) => index_cmd::delete(a),
        Command::Serve(a) => serve_cmd::serve(a),
        Command::Demo(a) => serve_cmd::demo(a),
        Command::Eval(c) => eval::run(c),
        Command::Train(TrainCommand::Df(a)) => aids_cmd::train_df(a),
        Command::Train(TrainCommand::Ner(a)) => ner_cmd::run_train(a),
        Command::Train(TrainCommand::Seg(a)) => train_padt(a, padt_cmd::PadtModel::Seg),
        Command::Train(TrainCommand::Pos(a)) => train_padt(a, padt_cmd::PadtModel::Pos),
        Command::Train(TrainCommand::Lemma(a)) => train_padt(a, padt_cmd::PadtModel::Lemma),
        Command::Train(TrainCommand::Embeddings(a)) => embed_cmd::run(a),
        Command::Tag(TagCommand::Ner(a)) => ner_cmd::run_tag(a),
        Command::Tag(TagCommand::Pos(a)) => padt_cmd::run_tag_pos(&a).map(|()| ExitCode::SUCCESS),
        Command::Dedup(a) => aids_cmd::dedup(a),
        Command::Stories(a) => aids_cmd::stories(a),
        Command::Entities(a) => aids_cmd::entities(a),
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
