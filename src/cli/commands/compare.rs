//! `netstates compare`: the outcome distributions of scenarios, each against the first.

use crate::analysis::comparison::{self, Sample};
use crate::cli::args::{CompareArgs, Format};
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

/// `netstates compare`.
pub fn compare(args: &CompareArgs) -> Result<(), Error> {
    let pool = Pool::new(jobs_or_all(args.jobs)?)?;
    // Load every scenario file first, so a bad one fails before anything runs.
    let mut loaded: Vec<Option<Scenario>> = Vec::new();
    for input in &args.inputs {
        loaded.push(if input.is_dir() {
            None
        } else {
            let mut s = scenario::load(input)?;
            scenario::apply_overrides(&mut s, &args.set).map_err(set_error)?;
            Some(s)
        });
    }
    let first = loaded.iter().flatten().next();
    let runs = args.runs.or(first.map(|s| s.runs)).unwrap_or(1000);
    let seed = args.seed.or(first.map(|s| s.seed)).unwrap_or(0);
    let runs = checked_runs(runs)?;
    let mut samples = Vec::new();
    for (input, scenario) in args.inputs.iter().zip(loaded) {
        let sample = match scenario {
            None => {
                let f = store::read_finished(input)?;
                if f.manifest.shard.count != 1 {
                    return Err(Error::Usage(format!(
                        "{} holds one shard of an experiment; merge the shards first",
                        input.display()
                    )));
                }
                Sample {
                    label: f.manifest.scenario.name.clone(),
                    description: f.manifest.scenario.description.clone(),
                    source: input.display().to_string(),
                    seed: f.manifest.seed,
                    names: metrics::names(&f.manifest.scenario),
                    values: f.rows.values,
                    trajectory: f
                        .trajectories
                        .map(|(rounds, kept, _)| (rounds, kept.values)),
                }
            }
            Some(mut s) => {
                s.runs = runs;
                s.seed = seed;
                let mut progress = Progress::new(args.quiet);
                let trajectory = args.record.trajectory(&s)?;
                let (values, traj) = run_in_memory(&s, trajectory, &pool, &mut progress)?;
                progress.finish();
                Sample {
                    label: s.name.clone(),
                    description: s.description.clone(),
                    source: input.display().to_string(),
                    seed,
                    names: metrics::names(&s),
                    values,
                    trajectory: trajectory.map(|t| (t.rounds(s.rounds).collect(), traj)),
                }
            }
        };
        samples.push(sample);
    }
    let comparison = comparison::compare(samples, args.resamples, seed);
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
