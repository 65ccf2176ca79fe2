//! Reads every input named on the command line and prints counts and throughput.
//!
//! `cargo run --release -p qalam-corpus --example read_all -- ../shared/data/saudinewsnet`
//! Add `--expect N` to fail unless exactly N records (documents + record errors) were seen,
//! and `--print` to write each document to stdout as one JSON line (the summary then goes to
//! stderr). `-` reads stdin.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut paths = Vec::new();
    let mut expect = None;
    let mut print = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--print" => print = true,
            "--expect" => expect = args.next().and_then(|n| n.parse::<u64>().ok()),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("../shared/data/saudinewsnet"));
    }
    let input_bytes: u64 = paths.iter().map(PathBuf::as_path).map(disk_size).sum();

    let started = Instant::now();
    let (mut docs, mut record_errors, mut file_errors, mut text_bytes) = (0u64, 0u64, 0u64, 0u64);
    let mut ids = HashSet::new();
    for result in qalam_corpus::read_inputs(&paths) {
        match result {
            Ok(doc) => {
                docs += 1;
                text_bytes += (doc.body.len() + doc.title.as_ref().map_or(0, String::len)) as u64;
                if print {
                    println!(
                        "{}",
                        serde_json::to_string(&doc).expect("documents serialize")
                    );
                }
                ids.insert(doc.id);
            }
            Err(err) if err.is_record_error() => {
                record_errors += 1;
                if record_errors <= 5 {
                    eprintln!("read_all: {err}");
                }
            }
            Err(err) => {
                file_errors += 1;
                eprintln!("read_all: {err}");
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let records = docs + record_errors;
    let mb = |bytes: u64| bytes as f64 / 1e6;
    let summary = [
        format!(
            "records        {records} ({docs} documents, {record_errors} record errors, {file_errors} file errors)"
        ),
        format!("distinct ids   {}", ids.len()),
        format!("time           {secs:.3} s"),
        format!("documents/s    {:.0}", docs as f64 / secs),
        format!(
            "input MB/s     {:.1} ({:.1} MB on disk)",
            mb(input_bytes) / secs,
            mb(input_bytes)
        ),
        format!(
            "text MB/s      {:.1} ({:.1} MB of title+body)",
            mb(text_bytes) / secs,
            mb(text_bytes)
        ),
    ];
    for line in summary {
        if print {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
    match expect {
        Some(n) if n != records => {
            eprintln!("read_all: expected {n} records, saw {records}");
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Total size of a file, or of the files under a directory.
fn disk_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| disk_size(&entry.path()))
        .sum()
}
