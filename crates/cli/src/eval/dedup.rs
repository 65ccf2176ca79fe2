//! `qalam eval dedup`: near-duplicate clusters of a corpus in memory, with a sample of linked
//! pairs to check by hand.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use qalam_analysis::fingerprint::{Clusterer, MinHash};
use qalam_analysis::words::Words;
use qalam_corpus::{Document, read_inputs};
use qalam_text::hash::Fnv1a;

/// Arguments of `qalam eval dedup`.
#[derive(Args)]
pub struct EvalDedupArgs {
    /// Articles to cluster.
    #[arg(long, default_value = "../shared/data/saudinewsnet")]
    data: Vec<PathBuf>,
    /// Linked pairs to print for checking by hand (a deterministic sample).
    #[arg(long, default_value_t = 30)]
    sample: usize,
    /// Characters of each body printed with a sampled pair.
    #[arg(long, default_value_t = 300)]
    chars: usize,
}

/// `qalam eval dedup`: near-duplicate clusters of a corpus (in memory), with a sample of linked
/// pairs to check by hand.
pub fn run(args: EvalDedupArgs) -> Result<ExitCode> {
    let mut docs: Vec<Document> = Vec::new();
    let mut clusterer = Clusterer::default();
    let mut words = Words::default();
    let mut secs = 0.0;
    for doc in read_inputs(&args.data).flatten() {
        let t = Instant::now();
        words.fill(&doc.body);
        let sig = MinHash::of(&words);
        clusterer.add(sig);
        secs += t.elapsed().as_secs_f64();
        docs.push(doc);
    }
    let clusters = clusterer.clusters();
    let mut sizes: HashMap<u32, usize> = HashMap::new();
    for &c in &clusters {
        *sizes.entry(c).or_default() += 1;
    }
    let multi: Vec<usize> = sizes.values().copied().filter(|&n| n > 1).collect();
    let in_multi: usize = multi.iter().sum();
    let exact = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].body.trim() == docs[*b as usize].body.trim())
        .count();
    let cross_source = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].source != docs[*b as usize].source)
        .count();
    println!(
        "dedup: {} articles; {} clusters of 2+ ({} articles, largest {}); {} linked pairs ({} with identical bodies, {} across sources); fingerprints {:.0} docs/s",
        docs.len(),
        multi.len(),
        in_multi,
        multi.iter().max().copied().unwrap_or(0),
        clusterer.links.len(),
        exact,
        cross_source,
        docs.len() as f64 / f64::max(secs, 1e-9)
    );
    let mut hist = [0usize; 6];
    for (_, _, j) in &clusterer.links {
        hist[((j * 10.0) as usize).saturating_sub(4).min(5)] += 1;
    }
    println!(
        "similarity of linked pairs: <0.5 (cut copies) {}, 0.5-0.6 {}, 0.6-0.7 {}, 0.7-0.8 {}, 0.8-0.9 {}, >=0.9 {}",
        hist[0], hist[1], hist[2], hist[3], hist[4], hist[5]
    );
    // A deterministic sample of non-identical pairs (identical bodies need no checking).
    let mut pairs: Vec<&(u32, u32, f32)> = clusterer
        .links
        .iter()
        .filter(|(a, b, _)| docs[*a as usize].body.trim() != docs[*b as usize].body.trim())
        .collect();
    pairs.sort_by_key(|(a, b, _)| {
        let mut h = Fnv1a::new();
        h.write(&a.to_le_bytes());
        h.write(&b.to_le_bytes());
        h.finish()
    });
    let cut = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(args.chars)
            .collect()
    };
    for (n, (a, b, j)) in pairs.into_iter().take(args.sample).enumerate() {
        let (x, y) = (&docs[*a as usize], &docs[*b as usize]);
        println!(
            "\n#{} jaccard {j:.2} containment {:.2}",
            n + 1,
            clusterer.signature(*a).containment(clusterer.signature(*b))
        );
        for d in [x, y] {
            println!(
                "  [{} {} {} words] {}\n    {}",
                d.source.as_deref().unwrap_or("-"),
                d.date.as_deref().unwrap_or("-"),
                d.body.split_whitespace().count(),
                d.title.as_deref().unwrap_or("-"),
                cut(&d.body)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
