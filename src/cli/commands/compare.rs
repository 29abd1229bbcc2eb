//! `netstates compare`: the outcome distributions of scenarios, each against the first.

use std::path::Path;

use crate::analysis::comparison::{self, Sample};
use crate::cli::args::{CompareArgs, Format};
pub use crate::cli::commands::study::chosen_metrics;
use crate::cli::error::{Error, set_error};
use crate::cli::execution::{checked_runs, jobs_or_all};
use crate::cli::output::{say, sayln};
use crate::cli::progress::Progress;
use crate::cli::signals::interrupt_flag;
use crate::model::metrics;
use crate::report;
use crate::run::{self, Pool, Trajectory};
use crate::scenario::{self, Scenario};
use crate::store;

/// An input of `compare`: a scenario file to run, or a finished result directory.
enum Input {
    Scenario(Box<Scenario>),
    Finished(Box<store::Finished>),
}

/// `netstates compare`.
pub fn compare(args: &CompareArgs, argv: &[String]) -> Result<(), Error> {
    let pool = Pool::new(jobs_or_all(args.jobs)?)?;
    // Read every input first, so a bad one fails before anything runs.
    let mut inputs = Vec::new();
    for input in &args.inputs {
        inputs.push(if input.is_dir() {
            let f = store::read_finished(input)?;
            if f.manifest.shard.count != 1 {
                return Err(Error::Usage(format!(
                    "{} holds one shard of an experiment; merge the shards first",
                    input.display()
                )));
            }
            Input::Finished(Box::new(f))
        } else {
            let mut s = scenario::load(input)?;
            scenario::apply_overrides(&mut s, &args.set).map_err(set_error)?;
            Input::Scenario(Box::new(s))
        });
    }
    let names: Vec<&str> = inputs
        .iter()
        .map(|i| match i {
            Input::Scenario(s) => s.name.as_str(),
            Input::Finished(f) => f.manifest.scenario.name.as_str(),
        })
        .collect();
    let labels = labels(&args.labels, &names, args.out.is_some())?;
    let first = inputs.iter().find_map(|i| match i {
        Input::Scenario(s) => Some(s),
        Input::Finished(_) => None,
    });
    let runs = args.runs.or(first.map(|s| s.runs)).unwrap_or(1000);
    let seed = args.seed.or(first.map(|s| s.seed)).unwrap_or(0);
    let runs = checked_runs(runs)?;
    if !args.metrics.is_empty() {
        let known: Vec<String> = match &inputs[0] {
            Input::Scenario(s) => metrics::names(s),
            Input::Finished(f) => metrics::names(&f.manifest.scenario),
        };
        chosen_metrics(&known, &args.metrics)?;
    }
    let mut samples = Vec::new();
    for ((input, path), label) in inputs.into_iter().zip(&args.inputs).zip(labels) {
        let source = path.display().to_string();
        let sample = match input {
            Input::Finished(f) => finished_sample(*f, label, source),
            Input::Scenario(mut s) => {
                s.runs = runs;
                s.seed = seed;
                let trajectory = args.record.trajectory(&s)?;
                let mut progress = Progress::new(args.quiet);
                let sample = match &args.out {
                    Some(dir) => {
                        let out = dir.join(&label);
                        let request = store::Request {
                            scenario: &s,
                            trajectory,
                            place: store::Placement {
                                out: out.clone(),
                                shard: (0, 1),
                                resume: false,
                                force: args.force,
                                command_line: argv.to_vec(),
                            },
                        };
                        let update = |done, total| progress.update(done, total);
                        match store::run(&request, &pool, interrupt_flag(), update)? {
                            store::Outcome::Interrupted { done, total } => {
                                return Err(Error::interrupted(
                                    "",
                                    format!(
                                        "{done} of {total} runs of {label} are kept in {}; to \
                                         continue them:\n  {}",
                                        out.display(),
                                        resume_as_run(args, path, &out, runs, seed)
                                    ),
                                ));
                            }
                            _ => finished_sample(store::read_finished(&out)?, label, source),
                        }
                    }
                    None => {
                        let (values, traj) = run_in_memory(&s, trajectory, &pool, &mut progress)?;
                        Sample {
                            label,
                            description: s.description.clone(),
                            source,
                            seed,
                            names: metrics::names(&s),
                            values,
                            trajectory: trajectory.map(|t| (t.rounds(s.rounds).collect(), traj)),
                        }
                    }
                };
                progress.finish();
                sample
            }
        };
        samples.push(sample);
    }
    let mut comparison = comparison::compare(samples, args.resamples, seed);
    if !args.metrics.is_empty() {
        comparison.show_only(&args.metrics);
    }
    match args.format {
        Format::Table => say!("{}", report::compare_table::render(&comparison)),
        Format::Csv => say!("{}", report::export::compare_csv(&comparison)),
        Format::Json => say!(
            "{}",
            serde_json::to_string_pretty(&comparison).unwrap_or_default() + "\n"
        ),
    }
    if let Some(path) = &args.report {
        let html = report::html::render(&comparison);
        store::write_atomic(path, html.as_bytes())
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        if args.format == Format::Table {
            sayln!("report in {}", path.display());
        }
    }
    Ok(())
}

/// The labels of the inputs: `--label`s (one per input), else each scenario's name, numbered
/// from the second of a name on ("baseline", "baseline-2"). Labels name directories under
/// `--out` (`plain`), so they must then be plain names.
pub fn labels(given: &[String], names: &[&str], plain: bool) -> Result<Vec<String>, Error> {
    let labels: Vec<String> = if given.is_empty() {
        let mut seen: Vec<&str> = Vec::new();
        names
            .iter()
            .map(|&n| {
                let k = seen.iter().filter(|&&s| s == n).count();
                seen.push(n);
                if k == 0 {
                    n.to_string()
                } else {
                    format!("{n}-{}", k + 1)
                }
            })
            .collect()
    } else if given.len() != names.len() {
        return Err(Error::Usage(format!(
            "--label was given {} times for {} inputs; give one label per input, in order",
            given.len(),
            names.len()
        )));
    } else {
        given.to_vec()
    };
    for (i, label) in labels.iter().enumerate() {
        if labels[..i].contains(label) {
            return Err(Error::Usage(format!(
                "two inputs are labelled \"{label}\"; labels must differ"
            )));
        }
        let unsafe_name = label.is_empty()
            || label.starts_with('.')
            || label.contains(['/', '\\'])
            || label.chars().any(char::is_control);
        if plain && unsafe_name {
            return Err(Error::Usage(format!(
                "the label \"{label}\" cannot name a directory under --out; give --label a \
                 plain name"
            )));
        }
    }
    Ok(labels)
}

/// The sample of a finished experiment directory.
pub fn finished_sample(f: store::Finished, label: String, source: String) -> Sample {
    Sample {
        label,
        description: f.manifest.scenario.description.clone(),
        source,
        seed: f.manifest.seed,
        names: metrics::names(&f.manifest.scenario),
        values: f.rows.values,
        trajectory: f
            .trajectories
            .map(|(rounds, kept, _)| (rounds, kept.values)),
    }
}

/// The `netstates run` command that resumes a scenario of `compare --out` in `out`.
fn resume_as_run(args: &CompareArgs, file: &Path, out: &Path, runs: u64, seed: u64) -> String {
    let mut words: Vec<String> = vec!["netstates".into(), "run".into()];
    words.push(file.display().to_string());
    for o in &args.set {
        words.push("--set".into());
        words.push(format!("{}={}", o.path, o.value));
    }
    words.extend([
        "--runs".into(),
        runs.to_string(),
        "--seed".into(),
        seed.to_string(),
    ]);
    if args.record.trajectories {
        words.push("--trajectories".into());
        if let Some(every) = args.record.every {
            words.extend(["--every".into(), every.to_string()]);
        }
    }
    words.extend(["--out".into(), out.display().to_string(), "--resume".into()]);
    shell_words::join(words)
}

/// Runs a scenario's experiment without a result directory, for `compare`: its metrics, and
/// its trajectories when asked for (`runs x rounds x metrics`, else empty).
fn run_in_memory(
    s: &Scenario,
    trajectory: Option<Trajectory>,
    pool: &Pool,
    progress: &mut Progress,
) -> Result<(Vec<f64>, Vec<f64>), Error> {
    let plan = run::Plan {
        scenario: s,
        seed: s.seed,
        runs: 0..s.runs,
        trajectory,
    };
    let width = metrics::names(s).len();
    let points = trajectory.map_or(0, |t| t.points(s.rounds));
    let (mut values, mut traj) = (Vec::new(), Vec::new());
    if values.try_reserve_exact(s.runs as usize * width).is_err()
        || traj
            .try_reserve_exact(s.runs as usize * points * width)
            .is_err()
    {
        return Err(Error::Usage(format!(
            "{} runs do not fit in memory",
            s.runs
        )));
    }
    let mut done = 0;
    let finished = run::execute(&plan, pool, interrupt_flag(), |block| {
        values.extend_from_slice(&block.values);
        traj.extend_from_slice(&block.trajectories);
        done += block.runs() as u64;
        progress.update(done, s.runs);
        Ok(())
    })?;
    if !finished {
        return Err(Error::interrupted(
            "",
            format!("{} was not finished, and compare keeps nothing", s.name),
        ));
    }
    Ok((values, traj))
}
