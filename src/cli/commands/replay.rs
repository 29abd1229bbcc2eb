//! `netstates replay`: re-runs one run of a finished experiment, checks it bit for bit
//! against `runs.csv`, and writes its per-round trace.

use std::path::Path;

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::model::metrics;
use crate::run::{self, ExperimentError, Record};
use crate::store;
use crate::store::csv::{self, Field};

/// `netstates replay`: re-runs one run from a result directory, checks it bit for bit
/// against `runs.csv`, and writes its per-round trace.
pub fn replay(dir: &Path, run: u64, trace: Option<&Path>) -> Result<(), Error> {
    let finished = store::read_finished(dir)?;
    let m = &finished.manifest;
    let rows = &finished.rows;
    if !(rows.first..rows.first + rows.runs).contains(&run) {
        return Err(Error::Usage(format!(
            "{} holds runs {}..{}, not run {run}",
            dir.display(),
            rows.first,
            rows.first + rows.runs
        )));
    }
    if m.netstates_version != env!("CARGO_PKG_VERSION") {
        eprintln!(
            "note: the experiment was run by netstates {}, this is {}",
            m.netstates_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let s = &m.scenario;
    let names = metrics::names(s);
    let counts = metrics::is_count(s);
    let mut header = vec!["round"];
    header.extend(names.iter().map(String::as_str));
    let mut trace_csv = csv::Text::new(&header);
    let mut last = Vec::new();
    run::run_observed(s, m.seed, run, &mut last, |round, values| {
        trace_csv.row(
            std::iter::once(Field::Whole(u64::from(round))).chain(
                values
                    .iter()
                    .zip(&counts)
                    .map(|(&x, &c)| if c { Field::Count(x) } else { Field::Number(x) }),
            ),
        );
    })
    .map_err(ExperimentError::from)?;
    let trace_text = trace_csv.finish();
    let width = names.len();
    let i = (run - rows.first) as usize;
    // The run again, with its inputs and its trajectory if the experiment recorded one.
    let mut record = Record::default();
    run::run_record(s, m.seed, run, m.trajectory, &mut record).map_err(ExperimentError::from)?;
    let n_in = record.inputs.len();
    let mut differ: Vec<String> = Vec::new();
    let mut compare = |what: String, recorded: &[f64], replayed: &[f64]| {
        for (j, (a, b)) in recorded.iter().zip(replayed).enumerate() {
            if a.to_bits() != b.to_bits() {
                differ.push(format!("{what} {}: recorded {a}, replayed {b}", j));
            }
        }
        if recorded.len() != replayed.len() {
            differ.push(format!(
                "{what}: {} values recorded, {} replayed",
                recorded.len(),
                replayed.len()
            ));
        }
    };
    compare(
        "metrics".into(),
        &rows.values[i * width..(i + 1) * width],
        &record.metrics,
    );
    compare(
        "inputs".into(),
        &rows.inputs[i * n_in..(i + 1) * n_in],
        &record.inputs,
    );
    debug_assert_eq!(last, record.metrics);
    let mut checked = vec![format!("all {width} metrics")];
    if n_in > 0 {
        checked.push(format!("{n_in} inputs"));
    }
    if let Some((rounds, kept, _)) = &finished.trajectories {
        let per_run = rounds.len() * width;
        compare(
            "trajectory value".into(),
            &kept.values[i * per_run..(i + 1) * per_run],
            &record.trajectory,
        );
        checked.push(format!("{} trajectory rows", rounds.len()));
    }
    // Name the metric of a differing metric or trajectory value.
    let differ: Vec<String> = differ
        .into_iter()
        .map(|d| match d.strip_prefix("metrics ") {
            Some(rest) => {
                let (j, tail) = rest.split_once(':').unwrap_or((rest, ""));
                let name = j
                    .parse::<usize>()
                    .ok()
                    .and_then(|j| names.get(j))
                    .map_or(j, |n| n);
                format!("{name}:{tail}")
            }
            None => d,
        })
        .collect();
    if let Some(path) = trace {
        store::write_atomic(path, trace_text.as_bytes())
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    if !differ.is_empty() {
        return Err(Error::Io(format!(
            "run {run} does not reproduce:\n  {}",
            differ.join("\n  ")
        )));
    }
    sayln!(
        "run {run} of {} (seed {}) reproduces {} bit for bit{}",
        dir.display(),
        m.seed,
        checked.join(", "),
        trace.map_or(String::new(), |p| format!("; trace in {}", p.display()))
    );
    Ok(())
}
