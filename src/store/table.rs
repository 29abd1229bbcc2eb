//! The runs of an experiment or a whole study as one table, for discovery: per run, the
//! inputs that can vary (a study's factors, then what each run drew) and the metrics. An
//! experiment's come from its checked `runs.csv`; a study's from the `runs.csv` at its root.

use std::fs;
use std::path::Path;

use super::error::{Refusal, StoreError};
use super::experiment::{self, read_json};
use super::runs::Columns;
use super::study::StudyFile;
use super::{MANIFEST, RUNS, STUDY};

/// One input column: numbers, or words (an ambassador level). A study's run whose point left
/// an input undrawn has NaN there.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    Numbers(Vec<f64>),
    Words(Vec<String>),
}

/// The runs of an experiment or a study, column by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub runs: usize,
    /// The experiment's (or study's) seed.
    pub seed: u64,
    /// Inputs, in the file's order: a study's factors first.
    pub inputs: Vec<(String, Values)>,
    /// Metrics, in column order.
    pub metrics: Vec<(String, Vec<f64>)>,
}

/// Reads the runs table of `dir`: a finished experiment or a collected study.
pub fn read(dir: &Path) -> Result<Table, StoreError> {
    if dir.join(STUDY).exists() {
        return read_study(dir);
    }
    if !dir.join(MANIFEST).exists() {
        return Err(StoreError::refused(dir, Refusal::NoExperiment));
    }
    let f = experiment::read_finished(dir)?;
    let columns = Columns::of(&f.manifest.scenario);
    let (n_in, width) = (columns.inputs.len(), columns.metrics.len());
    let runs = f.rows.runs as usize;
    let inputs = columns
        .inputs
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let v = (0..runs).map(|r| f.rows.inputs[r * n_in + j]).collect();
            (name.clone(), Values::Numbers(v))
        })
        .collect();
    let metrics = columns
        .metrics
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let v = (0..runs).map(|r| f.rows.values[r * width + m]).collect();
            (name.clone(), v)
        })
        .collect();
    Ok(Table {
        runs,
        seed: f.manifest.seed,
        inputs,
        metrics,
    })
}

/// A study's own `runs.csv`: `point,<factors>,run,<inputs>,<metrics>`.
fn read_study(dir: &Path) -> Result<Table, StoreError> {
    let study: StudyFile = read_json(&dir.join(STUDY))?;
    let path = dir.join(RUNS);
    if !path.exists() {
        return Err(StoreError::damaged(
            &path,
            "it is missing: the study is not finished (run it again without --shard to \
             collect its points)",
        ));
    }
    let bytes = fs::read(&path).map_err(|e| StoreError::io("read", &path, e))?;
    let mut reader = ::csv::ReaderBuilder::new().from_reader(&bytes[..]);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| StoreError::damaged(&path, e))?
        .iter()
        .map(String::from)
        .collect();
    let factors = study.plan.factors.len();
    let run_at = 1 + factors;
    if header.len() <= run_at || header[run_at] != "run" || header[0] != "point" {
        return Err(StoreError::damaged(&path, "its header is not a study's"));
    }
    // Metrics start where the base scenario's metric names start: the columns after the
    // inputs; an input's name always has a dot, a metric's never.
    let metrics_at = (run_at + 1..header.len())
        .find(|&i| !header[i].contains('.'))
        .unwrap_or(header.len());
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| StoreError::damaged(&path, e))?;
        if record.len() != header.len() {
            return Err(StoreError::damaged(
                &path,
                format!(
                    "line {}: {} fields, expected {}",
                    line + 2,
                    record.len(),
                    header.len()
                ),
            ));
        }
        for (c, field) in cells.iter_mut().zip(record.iter()) {
            c.push(field.to_string());
        }
    }
    let runs = cells[0].len();
    let number = |line: usize, s: &str| -> Result<f64, StoreError> {
        if s.is_empty() {
            return Ok(f64::NAN);
        }
        s.parse().map_err(|_| {
            StoreError::damaged(&path, format!("line {}: \"{s}\" is not a number", line + 2))
        })
    };
    let mut inputs = Vec::new();
    for i in (1..run_at).chain(run_at + 1..metrics_at) {
        let column = &cells[i];
        let values = if column
            .iter()
            .all(|s| s.is_empty() || s.parse::<f64>().is_ok())
        {
            Values::Numbers(
                column
                    .iter()
                    .enumerate()
                    .map(|(l, s)| number(l, s))
                    .collect::<Result<_, _>>()?,
            )
        } else {
            Values::Words(column.clone())
        };
        inputs.push((header[i].clone(), values));
    }
    let mut metrics = Vec::new();
    for i in metrics_at..header.len() {
        let v = cells[i]
            .iter()
            .enumerate()
            .map(|(l, s)| number(l, s))
            .collect::<Result<_, _>>()?;
        metrics.push((header[i].clone(), v));
    }
    Ok(Table {
        runs,
        seed: study.plan.seed,
        inputs,
        metrics,
    })
}
