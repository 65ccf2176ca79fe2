//! `qalam train seg|pos|lemma`: the UD-PADT morphology models, and what their evaluation and
//! `qalam tag pos` share: the held-out split, the models of a directory, the scoring.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use qalam_tagger::ner::NerTagger;
use qalam_tagger::padt::data::{GoldSentence, read_words, rebuild_sentence, split_held_out};
use qalam_tagger::padt::eval::{score_segmenter, score_tagger};
use qalam_tagger::padt::{
    LemmaConfig, Lemmatizer, PadtPipeline, PosConfig, PosTagger, SegConfig, Segmenter,
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

/// The UD-PADT gold file and its held-out tail, shared by training and evaluation.
#[derive(Args, Debug, Clone)]
pub struct GoldArgs {
    /// UD-PADT training file (its last `--held-out` percent is held out for scoring).
    #[arg(long, default_value = "../shared/data/ud-padt/train.conllu")]
    pub data: PathBuf,
    /// Percent of sentences (the last ones) held out for scoring; 0 trains on everything (an
    /// evaluation must use the value the model was trained with).
    #[arg(long, default_value_t = 10)]
    pub held_out: usize,
}

impl GoldArgs {
    /// The training sentences and the held-out ones.
    pub fn load(&self) -> Result<(Vec<GoldSentence>, Vec<GoldSentence>)> {
        if self.held_out >= 100 {
            bail!("--held-out must be below 100");
        }
        let sents = read_gold(&self.data)?;
        if sents.is_empty() {
            bail!("{}: no sentences", self.data.display());
        }
        Ok(split_held_out(sents, self.held_out))
    }
}

/// `qalam train seg|pos|lemma`.
#[derive(Args, Debug, Clone)]
pub struct TrainArgs {
    /// Model to train (set by the subcommand name).
    #[arg(skip = PadtModel::Seg)]
    pub model: PadtModel,
    #[command(flatten)]
    pub gold: GoldArgs,
    /// Output model file [default: crates/tagger/models/{seg,pos,lemma}.qlm].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Passes over the data (model default if unset).
    #[arg(long)]
    pub epochs: Option<usize>,
}

/// A file's text, or stdin's for `-`.
pub fn read_text(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The gold sentences of a CoNLL-U file.
pub fn read_gold(path: &Path) -> Result<Vec<GoldSentence>> {
    Ok(read_words(&read_text(path)?)
        .into_iter()
        .map(rebuild_sentence)
        .collect())
}

/// The tagger settings of `qalam train pos`: defaults, with the word clusters of the NER model.
fn pos_config() -> PosConfig {
    PosConfig {
        clusters: NerTagger::embedded().resources().clusters.clone(),
        ..PosConfig::default()
    }
}

/// `qalam train seg|pos|lemma`: trains on the gold file, scores the held-out part, writes the
/// model.
pub fn run(args: &TrainArgs) -> Result<ExitCode> {
    let (train, held) = args.gold.load()?;
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
                print!("{}", score_segmenter(&seg, &held).report_words());
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
                print!("{}", score_tagger(&pos, &lem, &held, false).report());
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
                print!("{}", score_tagger(&pos, &lem, &held, false).report());
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
    Ok(ExitCode::SUCCESS)
}

/// The models of `dir` (seg.qlm, pos.qlm, lemma.qlm), or the embedded ones.
pub fn load_pipeline(dir: Option<&Path>) -> Result<PadtPipeline> {
    match dir {
        None => Ok(PadtPipeline::embedded()?),
        Some(d) => {
            let read = |m: PadtModel| {
                let p = d.join(m.file());
                std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
            };
            Ok(PadtPipeline {
                seg: Segmenter::load(&read(PadtModel::Seg)?)?,
                pos: PosTagger::load(&read(PadtModel::Pos)?)?,
                lemma: Lemmatizer::load(&read(PadtModel::Lemma)?)?,
            })
        }
    }
}
