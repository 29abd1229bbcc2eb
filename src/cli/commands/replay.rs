//! `netstates replay`: re-runs one run of a finished experiment, checks it bit for bit
//! against `runs.csv`, and writes its per-round trace.

use std::path::Path;

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::model::metrics;
use crate::run::{self, ExperimentError};
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
    let at = (run - rows.first) as usize * width;
    let recorded = &rows.values[at..at + width];
    let differ: Vec<String> = names
        .iter()
        .zip(recorded.iter().zip(&last))
        .filter(|(_, (a, b))| a.to_bits() != b.to_bits())
        .map(|(n, (a, b))| format!("{n}: recorded {a}, replayed {b}"))
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
        "run {run} of {} (seed {}) reproduces all {} metrics bit for bit{}",
        dir.display(),
        m.seed,
        width,
        trace.map_or(String::new(), |p| format!("; trace in {}", p.display()))
    );
    Ok(())
}
