//! `qalam train|eval seg|pos|lemma` and `qalam tag pos`: the UD-PADT morphology models.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use qalam_tagger::ner::NerTagger;
use qalam_tagger::padt::data::{GoldSentence, read_words, rebuild_sentence, split_held_out};
use qalam_tagger::padt::eval::{
    Counts, gold_words, pipeline_words, segmented_words, tagged_gold_words, ud1_upos,
};
use qalam_tagger::padt::{
    LemmaConfig, Lemmatizer, Pipeline, PosConfig, PosTagger, SegConfig, Segmenter, conllu,
};

/// Which PADT model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PadtModel {
    /// Clitic segmenter.
    Seg,
    /// UPOS+XPOS(+FEATS) tagger.
    Pos,
    /// Lemmatizer.
    Lemma,
}

impl PadtModel {
    fn file(self) -> &'static str {
        match self {
            PadtModel::Seg => "seg.qlm",
            PadtModel::Pos => "pos.qlm",
            PadtModel::Lemma => "lemma.qlm",
        }
    }
}

/// `qalam train seg|pos|lemma`.
#[derive(Args, Debug, Clone)]
pub struct TrainArgs {
    /// Model to train (set by the subcommand name).
    #[arg(skip = PadtModel::Seg)]
    pub model: PadtModel,
    /// UD-PADT training file.
    #[arg(long, default_value = "../shared/data/ud-padt/train.conllu")]
    pub data: PathBuf,
    /// Output model file [default: crates/tagger/models/{seg,pos,lemma}.qlm].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Percent of sentences (the last ones) held out for scoring; 0 trains on everything.
    #[arg(long, default_value_t = 10)]
    pub held_out: usize,
    /// Passes over the data (model default if unset).
    #[arg(long)]
    pub epochs: Option<usize>,
}

/// `qalam eval seg|pos`.
#[derive(Args, Debug, Clone)]
pub struct EvalArgs {
    /// What to score, set by the subcommand name: `seg` (Words F1 on held-out raw text) or `pos`
    /// (tags and lemmas on gold words of the held-out part and of `--dev`, then the full
    /// pipeline on raw text).
    #[arg(skip = PadtModel::Seg)]
    pub model: PadtModel,
    /// UD-PADT training file (its held-out tail is scored).
    #[arg(long, default_value = "../shared/data/ud-padt/train.conllu")]
    pub data: PathBuf,
    /// Percent of sentences held out (must match training).
    #[arg(long, default_value_t = 10)]
    pub held_out: usize,
    /// Extra gold-word file scored by `eval pos` (FORM may be vocalized).
    #[arg(long, default_value = "../shared/data/ud-padt/dev-2016.conllu")]
    pub dev: PathBuf,
    /// Directory with seg.qlm/pos.qlm/lemma.qlm to score instead of the embedded models.
    #[arg(long)]
    pub models: Option<PathBuf>,
}

/// `qalam tag pos FILE.conllu`.
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

fn read_text(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn load_split(data: &Path, held_out: usize) -> Result<(Vec<GoldSentence>, Vec<GoldSentence>)> {
    let sents: Vec<GoldSentence> = read_words(&read_text(data)?)
        .into_iter()
        .map(rebuild_sentence)
        .collect();
    if sents.is_empty() {
        bail!("{}: no sentences", data.display());
    }
    if held_out >= 100 {
        bail!("--held-out must be below 100");
    }
    Ok(split_held_out(sents, held_out))
}

/// The tagger settings of `qalam train pos`: defaults, with the word clusters of the NER model.
fn pos_config() -> PosConfig {
    PosConfig {
        clusters: NerTagger::embedded().resources().clusters.clone(),
        ..PosConfig::default()
    }
}

/// Runs `qalam train`.
pub fn run_train(args: &TrainArgs) -> Result<()> {
    let (train, held) = load_split(&args.data, args.held_out)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("crates/tagger/models").join(args.model.file()));
    eprintln!(
        "training {:?} on {} sentences ({} held out)",
        args.model,
        train.len(),
        held.len()
    );
    let t0 = Instant::now();
    let words: Vec<_> = train.iter().map(|s| s.words.clone()).collect();
    let bytes = match args.model {
        PadtModel::Seg => {
            let mut cfg = SegConfig::default();
            cfg.epochs = args.epochs.unwrap_or(cfg.epochs);
            let seg = Segmenter::train(&train, &cfg);
            eprintln!("trained in {:.1}s", t0.elapsed().as_secs_f64());
            if !held.is_empty() {
                print!("{}", score_seg(&seg, &held).report_words());
            }
            seg.save()
        }
        PadtModel::Pos => {
            let mut cfg = pos_config();
            cfg.epochs = args.epochs.unwrap_or(cfg.epochs);
            let pos = PosTagger::train(&words, &cfg);
            eprintln!("trained in {:.1}s", t0.elapsed().as_secs_f64());
            if !held.is_empty() {
                let lem = Lemmatizer::train(&words, &LemmaConfig::default());
                print!("{}", score_gold(&pos, &lem, &held).report());
            }
            pos.save()
        }
        PadtModel::Lemma => {
            let mut cfg = LemmaConfig::default();
            cfg.epochs = args.epochs.unwrap_or(cfg.epochs);
            let lem = Lemmatizer::train(&words, &cfg);
            eprintln!("trained in {:.1}s", t0.elapsed().as_secs_f64());
            if !held.is_empty() {
                let pos = PosTagger::train(&words, &pos_config());
                print!("{}", score_gold(&pos, &lem, &held).report());
            }
            lem.save()
        }
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    qalam_index::write_durably(&out, &bytes)
        .with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

fn score_seg(seg: &Segmenter, held: &[GoldSentence]) -> Counts {
    let mut c = Counts::default();
    for s in held {
        c.add(&gold_words(s), &segmented_words(seg, &s.text));
    }
    c
}

fn score_gold(pos: &PosTagger, lem: &Lemmatizer, sents: &[GoldSentence]) -> Counts {
    let mut c = Counts::default();
    for s in sents {
        let (g, y) = tagged_gold_words(pos, lem, &s.words);
        c.add(&g, &y);
    }
    c
}

fn load_pipeline(dir: Option<&Path>) -> Result<Pipeline> {
    match dir {
        None => Ok(Pipeline::embedded()?),
        Some(d) => {
            let read = |m: PadtModel| {
                let p = d.join(m.file());
                std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
            };
            Ok(Pipeline {
                seg: Segmenter::load(&read(PadtModel::Seg)?)?,
                pos: PosTagger::load(&read(PadtModel::Pos)?)?,
                lemma: Lemmatizer::load(&read(PadtModel::Lemma)?)?,
            })
        }
    }
}

/// Runs `qalam eval`.
pub fn run_eval(args: &EvalArgs) -> Result<()> {
    let p = load_pipeline(args.models.as_deref())?;
    let (_, held) = load_split(&args.data, args.held_out)?;
    let n_words: usize = held.iter().map(|s| s.words.len()).sum();
    match args.model {
        PadtModel::Seg => {
            let t0 = Instant::now();
            let c = score_seg(&p.seg, &held);
            let dt = t0.elapsed().as_secs_f64();
            println!(
                "== segmentation, held-out {}% of train, raw text",
                args.held_out
            );
            print!("{}", c.report_words());
            eprintln!("({n_words} words in {dt:.2}s, tokenization and alignment included)");
        }
        PadtModel::Pos | PadtModel::Lemma => {
            println!("== gold words, held-out {}% of train", args.held_out);
            print!("{}", score_gold(&p.pos, &p.lemma, &held).report());
            if args.dev.exists() {
                let dev: Vec<GoldSentence> = read_words(&read_text(&args.dev)?)
                    .into_iter()
                    .map(rebuild_sentence)
                    .collect();
                println!("== gold words, {}", args.dev.display());
                print!("{}", score_gold(&p.pos, &p.lemma, &dev).report());
                println!("== same, predicted UPOS mapped to the UD v1 labels of that file");
                let mut c = Counts::default();
                for s in &dev {
                    let (g, mut y) = tagged_gold_words(&p.pos, &p.lemma, &s.words);
                    for w in &mut y {
                        w.upos = ud1_upos(&w.upos, &w.xpos).to_string();
                    }
                    c.add(&g, &y);
                }
                print!("{}", c.report());
            }
            println!("== raw text (segmenter + tagger + lemmatizer), held-out part");
            let mut c = Counts::default();
            for s in &held {
                c.add(&gold_words(s), &pipeline_words(&p, &s.text));
            }
            print!("{}", c.report());
        }
    }
    Ok(())
}

/// Runs `qalam tag pos`: fills LEMMA, UPOS, XPOS and FEATS of every word line.
pub fn run_tag_pos(args: &TagPosArgs) -> Result<()> {
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
    Ok(())
}
