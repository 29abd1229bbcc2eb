//! The studies of `netstates._core`: `sweep`, `sensitivity` and `discover`, each written into
//! a new directory with the files of the command of the same name (`netstates sweep --out`,
//! `netstates sensitivity --out`, `netstates discover --out`), by those commands' own
//! functions: `Sweep` and `Sensitivity` (`cli::commands::sweep`, `cli::commands::sensitivity`)
//! check the arguments and lay out the points, which `store::study::run` plays, then write the
//! files from the points' summaries; `discover_into` (`cli::commands::discover`) computes and
//! writes a discovery.
//!
//! It must not check, compute or write anything itself: what it holds is turning Python values
//! into those functions' arguments, and playing the points on a thread of its own while the
//! calling thread polls Ctrl-C and reports progress, as `run` does, where the commands print,
//! draw a progress bar and install a signal handler. The Python side reads the files.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};

use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;

use netstates::analysis::design::Design;
use netstates::analysis::sensitivity::Method;
use netstates::cli::args::{self, Execution, Record};
use netstates::cli::commands::discover::{PrimOptions, discover_into};
use netstates::cli::commands::sensitivity::{Sensitivity, SensitivityRequest};
use netstates::cli::commands::study::study_scenario_of;
use netstates::cli::commands::sweep::Sweep;
use netstates::cli::error::Error;
use netstates::scenario::{Override, Scenario};
use netstates::store::{self, Placement, Summary, study};

use crate::{POLL, PyScenario, cli_error, guard, internal, raise, whole};

/// Plays `work` on a thread of its own while the calling thread, with the GIL released
/// between polls, watches for Ctrl-C and calls `progress(done, total)` with what `work`
/// reports. Ctrl-C (or an exception from `progress`) sets the stop flag `work` is given, waits
/// for it to return, and is raised. Returns what `work` returned and the seconds it took.
pub(crate) fn on_thread<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&AtomicBool, &(dyn Fn(u64, u64) + Sync)) -> T + Send,
) -> PyResult<(T, f64)> {
    #[allow(
        clippy::disallowed_methods,
        reason = "the clock only measures the elapsed time reported to the caller"
    )]
    let clock = std::time::Instant::now();
    let stop = AtomicBool::new(false);
    let (done, total) = (AtomicU64::new(0), AtomicU64::new(0));
    let report = |d: u64, t: u64| {
        done.store(d, Ordering::Relaxed);
        total.store(t, Ordering::Relaxed);
    };
    let (tx, rx) = mpsc::channel::<std::thread::Result<T>>();
    let rx = Mutex::new(rx);
    let receive = || match rx.lock() {
        Ok(rx) => rx.recv_timeout(POLL),
        Err(_) => Err(mpsc::RecvTimeoutError::Disconnected),
    };
    let (played, failure, shown) = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("netstates-study".into())
            .spawn_scoped(scope, || {
                let _ = tx.send(catch_unwind(AssertUnwindSafe(|| work(&stop, &report))));
            })
            .map_err(|e| raise(py, "RunError", (format!("cannot start a thread: {e}"),)))?;
        let mut shown = u64::MAX;
        let mut failure: Option<PyErr> = None;
        let played = loop {
            match py.detach(receive) {
                Ok(played) => break played,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break Err(Box::new("the study's thread ended without a result"));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if failure.is_some() {
                continue;
            }
            let mut check = py.check_signals();
            if check.is_ok()
                && let Some(callback) = progress
            {
                let d = done.load(Ordering::Relaxed);
                if d != shown {
                    shown = d;
                    check = callback
                        .call1((d, total.load(Ordering::Relaxed)))
                        .map(|_| ());
                }
            }
            if let Err(e) = check {
                stop.store(true, Ordering::SeqCst);
                failure = Some(e);
            }
        };
        let _ = py.detach(|| worker.join());
        Ok::<_, PyErr>((played, failure, shown))
    })?;
    let elapsed = clock.elapsed().as_secs_f64();
    if let Some(e) = failure {
        return Err(e);
    }
    let value = played.map_err(|payload| internal(py, payload.as_ref()))?;
    let d = done.load(Ordering::Relaxed);
    if let Some(callback) = progress
        && d != shown
    {
        callback.call1((d, total.load(Ordering::Relaxed)))?;
    }
    Ok((value, elapsed))
}

/// How a study plays its points, as `--runs`, `--seed`, `--jobs` and `--trajectories
/// --every` give it, into `out`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn execution(
    py: Python<'_>,
    out: &Path,
    runs: Option<String>,
    seed: Option<String>,
    jobs: Option<String>,
    trajectories: bool,
    every: Option<i64>,
) -> PyResult<Execution> {
    Ok(Execution {
        runs: whole(py, "runs", runs, args::runs)?,
        seed: whole(py, "seed", seed, args::seed)?,
        jobs: whole(py, "jobs", jobs, args::jobs)?,
        out: Some(out.to_path_buf()),
        shard: None,
        resume: false,
        force: false,
        record: Record {
            trajectories,
            every,
        },
        quiet: true,
    })
}

/// `(path, value)` pairs as the command line's `--set PATH=VALUE`s.
fn overrides(pairs: Vec<(String, String)>) -> Vec<Override> {
    pairs
        .into_iter()
        .map(|(path, value)| Override { path, value })
        .collect()
}

/// Plays a study's points into `exec.out`, as the study commands do; returns every point's
/// summary and the seconds it took.
fn play_study(
    py: Python<'_>,
    plan: &study::Plan,
    base: &Scenario,
    exec: &Execution,
    command_line: Vec<String>,
    progress: Option<&Bound<'_, PyAny>>,
) -> PyResult<(Vec<Summary>, f64)> {
    let cli = |e: Error| cli_error(py, e);
    plan.check(base).map_err(|e| cli(e.into()))?;
    let pool = exec.pool().map_err(cli)?;
    let request = study::Request {
        plan,
        base,
        trajectory: exec.trajectory(base).map_err(cli)?,
        place: Placement {
            out: exec.out.clone().unwrap_or_default(),
            shard: (0, 1),
            resume: false,
            force: false,
            command_line,
        },
    };
    let (outcome, seconds) = on_thread(py, progress, |stop, report| {
        study::run(&request, &pool, stop, report)
    })?;
    match outcome.map_err(|e| cli(e.into()))? {
        study::StudyOutcome::Finished { summaries, .. } => Ok((summaries, seconds)),
        study::StudyOutcome::Interrupted { point, done, total } => {
            Err(PyKeyboardInterrupt::new_err(format!(
                "interrupted in point {point}: {done} of {total} runs were played"
            )))
        }
        study::StudyOutcome::ShardDone { .. } => Err(raise(
            py,
            "InternalError",
            ("a study without shards stopped after a shard".to_string(),),
        )),
    }
}

/// Plays a sweep into the new directory `out`, as `netstates sweep --out OUT` does: `set`
/// holds the `--set PATH=VALUES` in order, `design` is `grid` or `lhs`. Returns the seconds.
#[pyfunction]
#[pyo3(signature = (scenario, out, set, design="grid", samples=None, runs=None, seed=None, jobs=None, metrics=Vec::new(), trajectories=false, every=None, command_line=Vec::new(), progress=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sweep(
    py: Python<'_>,
    scenario: &PyScenario,
    out: PathBuf,
    set: Vec<(String, String)>,
    design: &str,
    samples: Option<usize>,
    runs: Option<String>,
    seed: Option<String>,
    jobs: Option<String>,
    metrics: Vec<String>,
    trajectories: bool,
    every: Option<i64>,
    command_line: Vec<String>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<f64> {
    guard(py, || {
        let cli = |e: Error| cli_error(py, e);
        let exec = execution(py, &out, runs, seed, jobs, trajectories, every)?;
        let design = choice(
            py,
            "design",
            design,
            &[("grid", Design::Grid), ("lhs", Design::Lhs)],
        )?;
        let (s, factors) =
            study_scenario_of(&scenario.inner, &overrides(set), &exec, "--set").map_err(cli)?;
        let sweep = Sweep::prepare(s, &factors, design, samples, &metrics).map_err(cli)?;
        let progress = progress.as_ref();
        let (summaries, seconds) = play_study(
            py,
            &sweep.plan,
            &sweep.scenario,
            &exec,
            command_line,
            progress,
        )?;
        sweep.finish(&summaries, &out, None).map_err(cli)?;
        Ok(seconds)
    })
}

/// Plays a sensitivity analysis into the new directory `out`, as `netstates sensitivity
/// --out OUT` does: `params` holds the `--param PATH=LO..HI`, `set` the `--set PATH=VALUE`,
/// `method` is `sobol` or `morris`. Returns the seconds and the warnings the command prints.
#[pyfunction]
#[pyo3(signature = (scenario, out, params, set=Vec::new(), method="sobol", samples=None, levels=4, second_order=false, resamples=100, runs=None, seed=None, jobs=None, metrics=Vec::new(), trajectories=false, every=None, command_line=Vec::new(), progress=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn sensitivity(
    py: Python<'_>,
    scenario: &PyScenario,
    out: PathBuf,
    params: Vec<(String, String)>,
    set: Vec<(String, String)>,
    method: &str,
    samples: Option<usize>,
    levels: usize,
    second_order: bool,
    resamples: usize,
    runs: Option<String>,
    seed: Option<String>,
    jobs: Option<String>,
    metrics: Vec<String>,
    trajectories: bool,
    every: Option<i64>,
    command_line: Vec<String>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<(f64, Vec<String>)> {
    guard(py, || {
        let cli = |e: Error| cli_error(py, e);
        let exec = execution(py, &out, runs, seed, jobs, trajectories, every)?;
        let method = choice(
            py,
            "method",
            method,
            &[("sobol", Method::Sobol), ("morris", Method::Morris)],
        )?;
        let set = overrides(set);
        let params = overrides(params);
        let (s, fixed) = study_scenario_of(&scenario.inner, &set, &exec, "--set").map_err(cli)?;
        let request = SensitivityRequest {
            set: &set,
            params: &params,
            method,
            samples,
            levels,
            second_order,
            resamples,
            metrics: &metrics,
        };
        let mut warnings = Vec::new();
        let analysis =
            Sensitivity::prepare(s, &fixed, &request, &mut |w| warnings.push(w)).map_err(cli)?;
        let progress = progress.as_ref();
        let (summaries, seconds) = play_study(
            py,
            &analysis.plan,
            &analysis.scenario,
            &exec,
            command_line,
            progress,
        )?;
        let finished = analysis.finish(&summaries, &out, None).map_err(cli)?;
        warnings.extend(finished.warnings);
        Ok((seconds, warnings))
    })
}

/// Scenario discovery over the finished experiment or study in `dir`, written into `out` as
/// `netstates discover DIR --out OUT` writes it, by the command's own
/// `cli::commands::discover::discover_into`, without the summary the command prints. The
/// report names `source` where the command names DIR. Returns the chosen box in words.
#[pyfunction]
#[pyo3(signature = (dir, out, condition, source, threshold=None, peel_alpha=None, paste_alpha=None, mass_min=None, r#box=None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn discover(
    py: Python<'_>,
    dir: PathBuf,
    out: PathBuf,
    condition: String,
    source: String,
    threshold: Option<f64>,
    peel_alpha: Option<f64>,
    paste_alpha: Option<f64>,
    mass_min: Option<f64>,
    r#box: Option<usize>,
) -> PyResult<String> {
    guard(py, || {
        let options = PrimOptions {
            threshold,
            peel_alpha,
            paste_alpha,
            mass_min,
        };
        let report = out.join(store::REPORT_HTML);
        // Without the GIL: the feature scores play on rayon.
        let found = py
            .detach(|| discover_into(&dir, &out, &report, &condition, &source, &options, r#box))
            .map_err(|e| cli_error(py, e))?;
        Ok(found.description())
    })
}

/// The file names of a study directory, as `(study, points, sweep, sensitivity, second
/// order, points table, report)`.
#[pyfunction]
pub(crate) fn study_file_names() -> [&'static str; 7] {
    [
        store::STUDY,
        store::POINTS,
        store::SWEEP_CSV,
        store::SENSITIVITY_CSV,
        store::SECOND_ORDER_CSV,
        store::POINTS_CSV,
        store::REPORT_HTML,
    ]
}

/// The files `netstates discover` writes, as `(prim trajectory, prim box, feature scores,
/// discover.json)`.
#[pyfunction]
pub(crate) fn discover_file_names() -> [&'static str; 4] {
    [
        store::PRIM_TRAJECTORY_CSV,
        store::PRIM_BOX_CSV,
        store::FEATURE_SCORES_CSV,
        store::DISCOVER_JSON,
    ]
}

/// The value that `given` names among `options`, or a `UsageError` "WHAT must be "a" or "b",
/// got ...".
fn choice<T: Copy>(py: Python<'_>, what: &str, given: &str, options: &[(&str, T)]) -> PyResult<T> {
    if let Some((_, v)) = options.iter().find(|(name, _)| *name == given) {
        return Ok(*v);
    }
    let names: Vec<String> = options.iter().map(|(n, _)| format!("{n:?}")).collect();
    Err(raise(
        py,
        "UsageError",
        (format!(
            "{what} must be {}, got {given:?}",
            names.join(" or ")
        ),),
    ))
}

/// Adds the studies to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add_function(wrap_pyfunction!(study_file_names, m)?)?;
    m.add_function(wrap_pyfunction!(discover_file_names, m)?)?;
    Ok(())
}
