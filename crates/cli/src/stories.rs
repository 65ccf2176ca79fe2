//! `qalam stories`: an index's articles grouped into stories (the same event within a time
//! window).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use qalam_analysis::stories::StoryConfig;

use crate::filter_args::SelectionArgs;

/// Arguments of `qalam stories`.
#[derive(Args)]
pub struct StoriesArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Days a story stays open without a new article.
    #[arg(long, default_value_t = StoryConfig::default().window_days)]
    window: i64,
    /// Smallest cosine similarity of an article to a story.
    #[arg(long, default_value_t = StoryConfig::default().threshold)]
    threshold: f32,
    /// Smallest story listed.
    #[arg(long, default_value_t = 3)]
    min_docs: usize,
    /// Stories listed (0: all).
    #[arg(long, default_value_t = 30)]
    limit: usize,
    /// One JSON object per story (JSONL) instead of text.
    #[arg(long)]
    json: bool,
}

/// One story as printed by `qalam stories --json`.
#[derive(serde::Serialize)]
struct StoryOut<'a> {
    title: Option<&'a str>,
    from: Option<String>,
    to: Option<String>,
    articles: usize,
    copies_collapsed: usize,
    entities: &'a [(String, usize)],
    keyphrases: &'a [(String, usize)],
    docs: Vec<StoryDocOut<'a>>,
}

#[derive(serde::Serialize)]
struct StoryDocOut<'a> {
    id: &'a str,
    title: Option<&'a str>,
    date: Option<&'a str>,
    source: Option<&'a str>,
}

/// `qalam stories`: articles about the same event grouped within a time window.
pub fn stories(args: StoriesArgs) -> Result<ExitCode> {
    let (index, req) = args.selection.open()?;
    let config = StoryConfig {
        window_days: args.window,
        threshold: args.threshold,
        min_docs: args.min_docs,
        ..StoryConfig::default()
    };
    let started = Instant::now();
    let (docs, stories) = index.stories(&req, &config)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if !args.json {
        writeln!(
            out,
            "{} stories of {}+ articles among {} documents ({:.1} s)",
            stories.len(),
            args.min_docs,
            docs.len(),
            started.elapsed().as_secs_f64()
        )?;
    }
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let day = |d: i64| qalam_analysis::trends::format_day(d);
    for s in stories.iter().take(limit) {
        let o = StoryOut {
            title: docs[s.central].title.as_deref(),
            from: s.days.map(|d| day(d.0)),
            to: s.days.map(|d| day(d.1)),
            articles: s.docs.len(),
            copies_collapsed: s.docs.len() - s.clusters,
            entities: &s.entities,
            keyphrases: &s.keyphrases,
            docs: s
                .docs
                .iter()
                .map(|&i| StoryDocOut {
                    id: &docs[i].id,
                    title: docs[i].title.as_deref(),
                    date: docs[i].date.as_deref(),
                    source: docs[i].source.as_deref(),
                })
                .collect(),
        };
        if args.json {
            serde_json::to_writer(&mut out, &o)?;
            writeln!(out)?;
            continue;
        }
        let names: Vec<String> = o
            .entities
            .iter()
            .take(5)
            .map(|(e, n)| format!("{e} ({n})"))
            .collect();
        writeln!(
            out,
            "\n{} — {} articles ({} distinct), {} to {}\n  entities: {}",
            o.title.unwrap_or("-"),
            o.articles,
            s.clusters,
            o.from.as_deref().unwrap_or("?"),
            o.to.as_deref().unwrap_or("?"),
            names.join(", ")
        )?;
        for d in &o.docs {
            writeln!(
                out,
                "  {}  {}  {}",
                d.date.unwrap_or("-"),
                d.source.unwrap_or("-"),
                d.title.unwrap_or("-")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
