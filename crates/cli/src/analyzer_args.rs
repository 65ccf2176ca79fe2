//! Flags that choose the analysis of a new index, shared by `index` and `eval retrieval`.

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use qalam_index::AnalyzerSettings;

/// Which analyzer a new index uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AnalyzerChoice {
    /// qalam's tokenizer, normalization, stopwords and stemmer.
    Qalam,
    /// tantivy's built-in SimpleTokenizer + LowerCaser + Snowball Arabic (for comparison).
    TantivyArabic,
}

/// The analysis of a new index.
#[derive(Args, Clone, Debug)]
pub struct AnalyzerArgs {
    /// Stemmer of a new index: light, isri, snowball or none.
    #[arg(long)]
    stemmer: Option<String>,
    /// Keep stopwords (a new index removes them by default).
    #[arg(long)]
    keep_stopwords: bool,
    /// Root stemmer of the extra root fields of a new index (default isri; "none" for no root
    /// fields).
    #[arg(long)]
    root_stemmer: Option<String>,
    /// Analyzer family of a new index.
    #[arg(long, value_enum, default_value_t = AnalyzerChoice::Qalam)]
    analyzer: AnalyzerChoice,
}

impl AnalyzerArgs {
    /// The analyzer settings these flags ask for (checked: the stemmers exist).
    pub fn settings(&self) -> Result<AnalyzerSettings> {
        let settings = match self.analyzer {
            AnalyzerChoice::Qalam => AnalyzerSettings {
                stemmer: self.stemmer.clone().unwrap_or_else(|| "light".into()),
                stopwords: !self.keep_stopwords,
                root_stemmer: root_choice(self.root_stemmer.as_deref()),
                ..AnalyzerSettings::default()
            },
            AnalyzerChoice::TantivyArabic => {
                if self.stemmer.is_some() || self.keep_stopwords || self.root_stemmer.is_some() {
                    bail!(
                        "--stemmer, --root-stemmer and --keep-stopwords apply to --analyzer qalam only"
                    );
                }
                AnalyzerSettings::tantivy_arabic()
            }
        };
        settings.build()?;
        Ok(settings)
    }

    /// True when any of these flags was given (an existing index must then match them).
    pub fn given(&self) -> bool {
        self.stemmer.is_some()
            || self.keep_stopwords
            || self.root_stemmer.is_some()
            || self.analyzer != AnalyzerChoice::Qalam
    }
}

/// The root stemmer for a `--root-stemmer` value: the default (isri) when absent, none for "none".
fn root_choice(arg: Option<&str>) -> Option<String> {
    match arg {
        None => AnalyzerSettings::default().root_stemmer,
        Some(name) if name.eq_ignore_ascii_case("none") => None,
        Some(name) => Some(name.to_string()),
    }
}
