//! `analyze_columns`: the analysis of a batch of texts as flat columns (for Arrow and Spark's
//! `mapInArrow`), without a dict per token.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use qalam_analysis::Analysis;
use rayon::prelude::*;

use crate::analyze::pipeline;
use crate::error;

/// The columns of one batch, filled document by document.
#[derive(Default)]
struct Columns {
    entity_offsets: Vec<i64>,
    entity_type: Vec<&'static str>,
    entity_start: Vec<i64>,
    entity_end: Vec<i64>,
    entity_text: Vec<String>,
    entity_key: Vec<String>,
    keyphrase_offsets: Vec<i64>,
    keyphrase_text: Vec<String>,
    keyphrase_key: Vec<String>,
    keyphrase_score: Vec<f64>,
    keyphrase_count: Vec<i64>,
    keyphrase_start: Vec<i64>,
    keyphrase_end: Vec<i64>,
    summary_offsets: Vec<i64>,
    summary_index: Vec<i64>,
    summary_start: Vec<i64>,
    summary_end: Vec<i64>,
    summary_score: Vec<f64>,
    minhash: Vec<Option<Vec<u8>>>,
    band_offsets: Vec<i64>,
    bands: Vec<i64>,
    day: Vec<Option<i64>>,
}

impl Columns {
    fn new() -> Columns {
        Columns {
            entity_offsets: vec![0],
            keyphrase_offsets: vec![0],
            summary_offsets: vec![0],
            band_offsets: vec![0],
            ..Columns::default()
        }
    }

    fn push(&mut self, a: Analysis, day: Option<i64>) {
        for e in a.entities {
            self.entity_type.push(e.kind.as_str());
            self.entity_start.push(e.start as i64);
            self.entity_end.push(e.end as i64);
            self.entity_text.push(e.text);
            self.entity_key.push(e.key);
        }
        self.entity_offsets.push(self.entity_type.len() as i64);
        for k in a.keyphrases {
            self.keyphrase_text.push(k.text);
            self.keyphrase_key.push(k.key);
            // f32 -> f64 is exact, so Arrow's float32 gets the pipeline's value back.
            self.keyphrase_score.push(f64::from(k.score));
            self.keyphrase_count.push(i64::from(k.count));
            self.keyphrase_start.push(k.start as i64);
            self.keyphrase_end.push(k.end as i64);
        }
        self.keyphrase_offsets
            .push(self.keyphrase_text.len() as i64);
        for s in a.summary {
            self.summary_index.push(s.index as i64);
            self.summary_start.push(s.start as i64);
            self.summary_end.push(s.end as i64);
            self.summary_score.push(f64::from(s.score));
        }
        self.summary_offsets.push(self.summary_index.len() as i64);
        match a.fingerprint {
            Some(sig) => {
                if sig.shingles > 0 {
                    // The band keys are u64; Spark has signed longs only (same bits).
                    self.bands.extend(sig.bands().iter().map(|&k| k as i64));
                }
                self.minhash.push(Some(sig.to_bytes()));
            }
            None => self.minhash.push(None),
        }
        self.band_offsets.push(self.bands.len() as i64);
        self.day.push(day);
    }
}

/// The day (days since 1970-01-01, UTC) of a date as the index files it (`None`: undated).
pub fn day_of(date: Option<&str>) -> Option<i64> {
    let secs = qalam_index::date::parse_date(date?)?;
    qalam_index::date::tantivy_date(secs)?;
    Some(secs.div_euclid(86_400))
}

/// Analyses many texts (on `threads` threads, default one) and returns their entities,
/// keyphrases, summaries, MinHash signatures and LSH band keys as flat columns: a dict of
/// lists, where `X_offsets[i]..X_offsets[i+1]` are the rows of text `i` in the `X_*` lists
/// (Arrow's list layout). `dates` (optional, one per text) give `day`, the day number the
/// index files each date under (`None` if undated or unreadable). Band keys are the u64 keys
/// of the index's `lsh` terms as signed 64-bit integers; `minhash` holds the signature bytes.
///
/// >>> cols = qalam.analyze_columns(["زار الملك سلمان مدينة الرياض."])
/// >>> cols["entity_text"], cols["entity_offsets"]
/// (['سلمان', 'الرياض'], [0, 2])
#[pyfunction]
#[pyo3(signature = (texts, dates = None, threads = None))]
pub fn analyze_columns<'py>(
    py: Python<'py>,
    texts: &Bound<'py, PyAny>,
    dates: Option<&Bound<'py, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let owned = crate::convert::texts(texts)?;
    let mut days: Vec<Option<i64>> = vec![None; owned.len()];
    if let Some(dates) = dates {
        let mut n = 0;
        for (i, item) in dates.try_iter()?.enumerate() {
            let item = item?;
            n += 1;
            if i >= days.len() || item.is_none() {
                continue;
            }
            let s = item
                .cast::<PyString>()
                .map_err(|_| error::argument(format!("dates[{i}] is not str or None")))?;
            days[i] = day_of(Some(&crate::convert::text(s)?));
        }
        if n != owned.len() {
            return Err(error::argument(format!(
                "{n} dates for {} texts",
                owned.len()
            )));
        }
    }
    let pool = crate::analyze::thread_pool(Some(threads.unwrap_or(1)))?;
    let analyses: Vec<Analysis> = py.detach(|| {
        let p = pipeline();
        match pool {
            Some(pool) if pool.current_num_threads() > 1 => {
                pool.install(|| owned.par_iter().map(|t| p.analyze(t)).collect())
            }
            _ => owned.iter().map(|t| p.analyze(t)).collect(),
        }
    });
    let mut c = Columns::new();
    for (a, day) in analyses.into_iter().zip(days) {
        c.push(a, day);
    }
    let out = PyDict::new(py);
    out.set_item("entity_offsets", c.entity_offsets)?;
    out.set_item("entity_type", c.entity_type)?;
    out.set_item("entity_start", c.entity_start)?;
    out.set_item("entity_end", c.entity_end)?;
    out.set_item("entity_text", c.entity_text)?;
    out.set_item("entity_key", c.entity_key)?;
    out.set_item("keyphrase_offsets", c.keyphrase_offsets)?;
    out.set_item("keyphrase_text", c.keyphrase_text)?;
    out.set_item("keyphrase_key", c.keyphrase_key)?;
    out.set_item("keyphrase_score", c.keyphrase_score)?;
    out.set_item("keyphrase_count", c.keyphrase_count)?;
    out.set_item("keyphrase_start", c.keyphrase_start)?;
    out.set_item("keyphrase_end", c.keyphrase_end)?;
    out.set_item("summary_offsets", c.summary_offsets)?;
    out.set_item("summary_index", c.summary_index)?;
    out.set_item("summary_start", c.summary_start)?;
    out.set_item("summary_end", c.summary_end)?;
    out.set_item("summary_score", c.summary_score)?;
    let minhash = PyList::empty(py);
    for m in &c.minhash {
        match m {
            Some(bytes) => minhash.append(PyBytes::new(py, bytes))?,
            None => minhash.append(py.None())?,
        }
    }
    out.set_item("minhash", minhash)?;
    out.set_item("band_offsets", c.band_offsets)?;
    out.set_item("bands", c.bands)?;
    out.set_item("day", c.day)?;
    Ok(out)
}
