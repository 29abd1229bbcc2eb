//! `netstates run`: an experiment into a result directory, and its summary table.

use std::path::Path;

use crate::analysis::bands::Bands;
use crate::cli::args::RunArgs;
use crate::cli::error::{Error, set_error};
use crate::cli::execution::resume_command;
use crate::cli::output::{say, sayln};
use crate::cli::progress::with_progress;
use crate::cli::signals::interrupt_flag;
use crate::model::metrics;
use crate::report;
use crate::report::table::summary_table;
use crate::scenario::{self, Scenario};
use crate::store::{self, Outcome, Summary};

/// `netstates run`.
pub fn run(args: &RunArgs, argv: &[String]) -> Result<(), Error> {
    let mut s = scenario::load(&args.file)?;
    scenario::apply_overrides(&mut s, &args.set).map_err(set_error)?;
    args.exec.apply(&mut s)?;
    let place = args.exec.placement(argv, |k, n| {
        let base = Path::new("results").join(&s.name);
        if n == 1 {
            base
        } else {
            base.join(format!("shard-{k}-of-{n}"))
        }
    })?;
    let pool = args.exec.pool()?;
    let (out, jobs, (k, n)) = (place.out.clone(), pool.jobs(), place.shard);
    let request = store::Request {
        scenario: &s,
        trajectory: args.exec.trajectory(&s)?,
        place,
    };
    let (outcome, elapsed) = with_progress(args.exec.quiet, |progress| {
        store::run(&request, &pool, interrupt_flag(), progress)
    });
    let outcome = outcome?;
    let summary = match outcome {
        Outcome::AlreadyDone { summary } => {
            sayln!(
                "{}: this experiment ({} runs, seed {}) is already complete in {}; its summary:",
                s.name,
                summary.runs,
                s.seed,
                out.display()
            );
            print_summary(&s, &summary);
            summary
        }
        Outcome::Finished {
            summary,
            resumed_from,
        } => {
            let played = summary.runs - resumed_from;
            sayln!(
                "{}: {} runs of {} rounds, seed {}{}, {} jobs, {:.2} s ({:.0} runs/s){}",
                s.name,
                summary.runs,
                s.rounds,
                s.seed,
                if n > 1 {
                    format!(", shard {k}/{n}")
                } else {
                    String::new()
                },
                jobs,
                elapsed,
                played as f64 / elapsed.max(1e-9),
                if resumed_from > 0 {
                    format!(", resumed after {resumed_from}")
                } else {
                    String::new()
                }
            );
            print_summary(&s, &summary);
            sayln!("results in {}", out.display());
            summary
        }
        Outcome::Interrupted { done, total } => {
            return Err(Error::interrupted(
                "",
                format!(
                    "{done} of {total} runs are kept in {}; to continue:\n  {}",
                    out.display(),
                    resume_command(argv, args.exec.out.is_none().then_some(&out))
                ),
            ));
        }
    };
    if let Some(path) = &args.report {
        write_report(&s, &out, &summary, path)?;
        sayln!("report in {}", path.display());
    }
    Ok(())
}

pub(crate) fn print_summary(s: &Scenario, summary: &Summary) {
    if summary.runs == 0 {
        sayln!(
            "no runs in this shard: the experiment's {} runs are fewer than its shards; the \
             shard is kept empty, and merge joins it with the others",
            s.runs
        );
        return;
    }
    let names: Vec<&str> = summary.metrics.iter().map(|m| m.metric.as_str()).collect();
    let summaries: Vec<_> = summary.metrics.iter().map(|m| m.summary.clone()).collect();
    say!(
        "{}",
        summary_table(&names, &metrics::is_count(s), &summaries)
    );
}

/// Writes the HTML report of the experiment in `out`: its summary and, when it recorded
/// trajectories, their bands.
fn write_report(s: &Scenario, out: &Path, summary: &Summary, path: &Path) -> Result<(), Error> {
    let finished = store::read_finished(out)?;
    let bands = finished
        .trajectories
        .as_ref()
        .map(|(rounds, kept, _)| Bands::of(rounds, summary.metrics.len(), &kept.values));
    let html = report::run_html::render(s, summary, bands.as_ref());
    store::write_atomic(path, html.as_bytes())
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}
