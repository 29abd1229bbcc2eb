//! What `sweep` and `sensitivity` share: the scenario every point starts from, the factors,
//! playing the points into a study directory, and the metrics shown in the terminal.

use std::path::{Path, PathBuf};

use crate::analysis::design::{self, Factor};
use crate::cli::args::{Execution, StudyArgs};
use crate::cli::error::{Error, design_error, set_error};
use crate::cli::execution::resume_command;
use crate::cli::output::sayln;
use crate::cli::progress::with_progress;
use crate::cli::signals::interrupt_flag;
use crate::scenario::{self, Override, Scenario};
use crate::store::Summary;
use crate::store::study;

/// The metrics a study shows in the terminal: `--metric`s, else the headline ones.
pub fn chosen_metrics(names: &[String], asked: &[String]) -> Result<Vec<usize>, Error> {
    const HEADLINE: [&str; 5] = [
        "capture",
        "public_gap",
        "welfare",
        "trust",
        "compliance_rate",
    ];
    if asked.is_empty() {
        return Ok(HEADLINE
            .iter()
            .filter_map(|h| names.iter().position(|n| n == h))
            .collect());
    }
    asked
        .iter()
        .map(|a| {
            names.iter().position(|n| n == a).ok_or_else(|| {
                Error::Usage(format!(
                    "--metric {a}: no such metric{}; the metrics are {}",
                    crate::scenario::suggest::did_you_mean(a, names.iter().map(String::as_str)),
                    names.join(", ")
                ))
            })
        })
        .collect()
}

/// The order of the metrics in a study's report: the `--metric`s in the order given, then the
/// others in their usual order; every metric when none was asked for.
pub fn report_order(count: usize, asked: &[String], shown: &[usize]) -> Vec<usize> {
    let first: &[usize] = if asked.is_empty() { &[] } else { shown };
    let mut order = first.to_vec();
    order.extend((0..count).filter(|m| !first.contains(m)));
    order
}

/// A study's scenario: the file with its fixed `--set`s, `--runs` and `--seed` applied, and
/// the factors that vary.
pub(crate) fn study_scenario(
    file: &Path,
    set: &[Override],
    args: &StudyArgs,
    flag: &str,
) -> Result<(Scenario, Vec<Factor>), Error> {
    study_scenario_of(&scenario::load(file)?, set, &args.exec, flag)
}

/// [`study_scenario`] of a scenario already loaded (the Python package's studies): the same
/// checks, in the same order.
pub fn study_scenario_of(
    loaded: &Scenario,
    set: &[Override],
    exec: &Execution,
    flag: &str,
) -> Result<(Scenario, Vec<Factor>), Error> {
    let mut s = loaded.clone();
    if let Some(twice) = set
        .iter()
        .enumerate()
        .find(|(i, o)| set[..*i].iter().any(|p| p.path == o.path))
    {
        return Err(Error::Usage(format!(
            "{flag} {}: given twice",
            twice.1.path
        )));
    }
    // `experiment.*` and `scenario.rounds` are the same at every point: set them as `run` does.
    let (whole, varying): (Vec<Override>, Vec<Override>) = set.iter().cloned().partition(|o| {
        ["experiment.runs", "experiment.seed", "scenario.rounds"].contains(&o.path.as_str())
            && !o.value.contains(',')
            && !o.value.contains("..")
    });
    scenario::apply_overrides(&mut s, &whole).map_err(set_error)?;
    let factors = varying
        .iter()
        .map(|o| Factor::parse(o, &s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| design_error(e, flag))?;
    design::apply_fixed(&mut s, &factors).map_err(set_error)?;
    exec.apply(&mut s)?;
    Ok((s, factors))
}

/// Plays a study's points; `Ok(Some(summaries))` when every point is done, `Ok(None)` when
/// this shard's are.
pub(crate) fn play_study(
    plan: &study::Plan,
    base: &Scenario,
    args: &StudyArgs,
    command: &str,
    dir_suffix: &str,
    argv: &[String],
) -> Result<(PathBuf, Option<Vec<Summary>>), Error> {
    plan.check(base)?;
    let place = args.exec.placement(argv, |_, _| {
        Path::new("results").join(format!("{}-{dir_suffix}", base.name))
    })?;
    let pool = args.exec.pool()?;
    let (out, jobs, (k, n)) = (place.out.clone(), pool.jobs(), place.shard);
    let request = study::Request {
        plan,
        base,
        trajectory: args.exec.trajectory(base)?,
        place,
    };
    let (outcome, elapsed) = with_progress(args.exec.quiet, |progress| {
        study::run(&request, &pool, interrupt_flag(), progress)
    });
    let outcome = outcome?;
    let points = plan.points.len();
    match outcome {
        study::StudyOutcome::Finished { summaries, reused } => {
            sayln!(
                "{}: {command} of {points} points x {} runs, seed {}, {jobs} jobs, {elapsed:.1} s{}",
                base.name,
                base.runs,
                base.seed,
                if reused > 0 {
                    format!(" ({reused} points already done)")
                } else {
                    String::new()
                }
            );
            Ok((out, Some(summaries)))
        }
        study::StudyOutcome::ShardDone {
            points: range,
            reused,
        } => {
            sayln!(
                "{}: shard {k}/{n} of the {command}: points {}..{} of {points} done in {} \
                 ({reused} already were), {elapsed:.1} s; when every shard is done, the same \
                 command without --shard collects them",
                base.name,
                range.start,
                range.end,
                out.display()
            );
            Ok((out, None))
        }
        study::StudyOutcome::Interrupted { point, done, total } => Err(Error::interrupted(
            &format!(" in point {point}"),
            format!(
                "{done} of {total} runs are kept in {}; to continue:\n  {}",
                out.display(),
                resume_command(argv, args.exec.out.is_none().then_some(&out))
            ),
        )),
    }
}

/// Writes a study's file (a table, a report) whole, and returns where.
pub(crate) fn write(path: PathBuf, text: String) -> Result<PathBuf, Error> {
    crate::store::write_atomic(&path, text.as_bytes())
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_puts_the_asked_metrics_first_in_their_order() {
        let asked = vec!["trust".to_string(), "capture".to_string()];
        assert_eq!(report_order(5, &asked, &[3, 1]), [3, 1, 0, 2, 4]);
        assert_eq!(
            report_order(3, &[], &[2, 0]),
            [0, 1, 2],
            "headline shown, all kept"
        );
    }
}
