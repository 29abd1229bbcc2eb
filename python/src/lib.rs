//! `netstates._core`: the compiled half of the Python package. It loads scenarios, applies
//! `--set` overrides and plays experiments into a result directory through the same library
//! calls as the command line (`scenario::load`, `scenario::apply_overrides`, the `run`
//! command's `Execution`, `store::run`), so the numbers and the files are the CLI's own.
//!
//! It must not hold logic of its own beyond the boundary: turning Python values into the
//! library's arguments, library errors into the package's exceptions (`netstates/_errors.py`),
//! and running an experiment on a thread of its own while the calling thread, with the GIL
//! released between polls, watches for Ctrl-C and reports progress. No panic crosses the
//! boundary: every entry point catches one and raises `netstates.InternalError`. The
//! DataFrames are built on the Python side, from the files written here.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::time::Duration;

use pyo3::call::PyCallArgs;
use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;

use netstates::analysis::comparison::{self, Comparison};
use netstates::cli::commands::compare::{chosen_metrics, finished_sample, labels};
use netstates::cli::error::{Error, set_error};
use netstates::model::metrics;
use netstates::report;
use netstates::report::describe;
use netstates::scenario::{self, Override, Scenario, ScenarioError};
use netstates::store::{self, Outcome, Placement, Request};

mod studies;

/// How often the calling thread looks for Ctrl-C and progress while runs play.
const POLL: Duration = Duration::from_millis(50);

/// Raises the package's exception `name` (from `netstates._errors`) with `args`.
fn raise<'py>(py: Python<'py>, name: &str, args: impl PyCallArgs<'py>) -> PyErr {
    let made = py
        .import("netstates._errors")
        .and_then(|m| m.getattr(name))
        .and_then(|class| class.call1(args));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

/// A command-line error as the package's exception, with the CLI's message.
fn cli_error(py: Python<'_>, e: Error) -> PyErr {
    match e {
        Error::Scenario(err) => scenario_error(py, &err, "ScenarioError"),
        Error::Usage(m) => raise(py, "UsageError", (m,)),
        Error::Experiment(_) | Error::Io(_) => raise(py, "RunError", (e.to_string(),)),
        Error::Interrupted { message, .. } => PyKeyboardInterrupt::new_err(message),
    }
}

/// A problem's file, line and column (all `None` for a problem with no place) and message.
type Located = (Option<String>, Option<usize>, Option<usize>, String);

/// A scenario error rendered as `netstates check` prints it, without colour: one report per
/// problem with its file, line, column and the excerpt with its marker. The exception also
/// carries the problems as (file, line, column, message) tuples, file and position `None`
/// for a problem with no place.
fn scenario_error(py: Python<'_>, err: &ScenarioError, class: &str) -> PyErr {
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(1000)
            .with_links(false);
    let mut text = String::new();
    for report in err.diagnostics() {
        let mut one = String::new();
        if handler.render_report(&mut one, report.as_ref()).is_err() {
            one = format!("{report}");
        }
        text.push_str(&one);
        text.push('\n');
    }
    let problems: Vec<Located> = err
        .problems
        .iter()
        .map(|p| match err.position(p) {
            Some(pos) => (
                Some(pos.path.display().to_string()),
                Some(pos.line),
                Some(pos.column),
                p.message.clone(),
            ),
            None => (None, None, None, p.message.clone()),
        })
        .collect();
    raise(py, class, (text.trim_end().to_string(), problems))
}

/// Runs an entry point, turning a panic (a bug) into `netstates.InternalError`.
fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(internal(py, payload.as_ref())),
    }
}

/// The exception for a caught panic.
fn internal(py: Python<'_>, payload: &(dyn std::any::Any + Send)) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    raise(
        py,
        "InternalError",
        (format!(
            "netstates panicked, which is a bug; please report it: {what}"
        ),),
    )
}

/// A validated scenario, with what it was loaded from (for its summary).
#[pyclass(module = "netstates._core", name = "Scenario", frozen)]
struct PyScenario {
    inner: Scenario,
    source: PathBuf,
}

#[pymethods]
impl PyScenario {
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    #[getter]
    fn description(&self) -> String {
        self.inner.description.clone()
    }

    /// The runs of its experiment (`[experiment] runs`, or as set).
    #[getter]
    fn runs(&self) -> u64 {
        self.inner.runs
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    #[getter]
    fn rounds(&self) -> u32 {
        self.inner.rounds
    }

    /// What it was loaded from, as given.
    #[getter]
    fn source(&self) -> String {
        self.source.display().to_string()
    }

    /// The uncertain inputs, the columns of `runs.csv` between `seed` and the metrics.
    #[getter]
    fn inputs(&self) -> Vec<String> {
        self.inner.input_names()
    }

    /// The metrics, in the column order of `runs.csv`.
    #[getter]
    fn metrics(&self) -> Vec<String> {
        metrics::names(&self.inner)
    }

    /// What `netstates check` prints for it.
    fn summary(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(describe(&self.inner, &self.source)))
    }

    /// A copy with `--set PATH=VALUE` overrides applied in order (`PATH*` for the relative
    /// form), checked as the command line checks them.
    fn with_set(&self, py: Python<'_>, sets: Vec<(String, String)>) -> PyResult<PyScenario> {
        guard(py, || {
            let overrides: Vec<Override> = sets
                .into_iter()
                .map(|(path, value)| Override { path, value })
                .collect();
            let mut s = self.inner.clone();
            scenario::apply_overrides(&mut s, &overrides)
                .map_err(|e| cli_error(py, set_error(e)))?;
            Ok(PyScenario {
                inner: s,
                source: self.source.clone(),
            })
        })
    }
}

/// Loads and validates a scenario file, or a bundled scenario by name (`baseline`).
#[pyfunction]
fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
    guard(py, || match scenario::load(&path) {
        Ok(inner) => Ok(PyScenario {
            inner,
            source: path,
        }),
        // Neither a file nor a bundled name: the CLI's "cannot read" message, raised as a
        // FileNotFoundError too.
        Err(e) if !path.exists() => Err(scenario_error(py, &e, "ScenarioNotFoundError")),
        Err(e) => Err(scenario_error(py, &e, "ScenarioError")),
    })
}

/// The file names of a result directory, as `(runs, summary, manifest, trajectories,
/// trajectory summary)`.
#[pyfunction]
fn file_names() -> (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
) {
    (
        store::RUNS,
        store::SUMMARY,
        store::MANIFEST,
        store::TRAJECTORIES,
        store::TRAJECTORY_SUMMARY,
    )
}

/// A whole-number argument as the command line's parser reads it, with its message.
fn whole<T>(
    py: Python<'_>,
    name: &str,
    value: Option<String>,
    parse: fn(&str) -> Result<T, String>,
) -> PyResult<Option<T>> {
    value
        .map(|v| parse(&v).map_err(|m| raise(py, "UsageError", (format!("{name} {m}"),))))
        .transpose()
}

/// Plays `scenario`'s experiment into the new directory `out`, as `netstates run --out OUT`
/// does, and returns the seconds it took. `runs`, `seed` and `jobs` are the decimal text of
/// whole numbers (checked here with the command line's messages). `progress(done, total)` is
/// called from the calling thread, never from a worker. Ctrl-C stops the runs after those
/// under way and raises `KeyboardInterrupt`.
#[pyfunction]
#[pyo3(signature = (scenario, out, runs=None, seed=None, jobs=None, trajectories=false, every=None, command_line=Vec::new(), progress=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: &PyScenario,
    out: PathBuf,
    runs: Option<String>,
    seed: Option<String>,
    jobs: Option<String>,
    trajectories: bool,
    every: Option<i64>,
    command_line: Vec<String>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<f64> {
    guard(py, || {
        let exec = studies::execution(py, &out, runs, seed, jobs, trajectories, every)?;
        let mut s = scenario.inner.clone();
        exec.apply(&mut s).map_err(|e| cli_error(py, e))?;
        let trajectory = exec.trajectory(&s).map_err(|e| cli_error(py, e))?;
        let pool = exec.pool().map_err(|e| cli_error(py, e))?;
        let place = Placement {
            out,
            shard: (0, 1),
            resume: false,
            force: false,
            command_line,
        };

        let request = Request {
            scenario: &s,
            trajectory,
            place,
        };
        let (played, elapsed) = studies::on_thread(py, progress.as_ref(), |stop, report| {
            store::run(&request, &pool, stop, report)
        })?;
        match played {
            Err(e) => Err(cli_error(py, Error::from(e))),
            Ok(Outcome::Interrupted { done, total }) => Err(PyKeyboardInterrupt::new_err(format!(
                "interrupted: {done} of {total} runs were played"
            ))),
            Ok(Outcome::Finished { .. } | Outcome::AlreadyDone { .. }) => Ok(elapsed),
        }
    })
}

/// Checks `compare`'s labels and metrics before anything runs, as the command does: `names`
/// are the inputs' scenario names, `known` the first input's metrics. Returns the labels.
#[pyfunction]
#[pyo3(signature = (names, given=None, metrics=Vec::new(), known=Vec::new()))]
fn compare_labels(
    py: Python<'_>,
    names: Vec<String>,
    given: Option<Vec<String>>,
    metrics: Vec<String>,
    known: Vec<String>,
) -> PyResult<Vec<String>> {
    guard(py, || {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let labels =
            labels(&given.unwrap_or_default(), &names, false).map_err(|e| cli_error(py, e))?;
        if !metrics.is_empty() {
            chosen_metrics(&known, &metrics).map_err(|e| cli_error(py, e))?;
        }
        Ok(labels)
    })
}

/// A comparison of outcome distributions, each input against the first.
#[pyclass(module = "netstates._core", name = "Comparison", frozen)]
struct PyComparison {
    inner: Comparison,
}

#[pymethods]
impl PyComparison {
    /// Every statistic, one row per (scenario, metric): `compare --format csv`.
    fn csv(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(report::export::compare_csv(&self.inner)))
    }

    /// The table `compare` prints.
    fn table(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(report::compare_table::render(&self.inner)))
    }

    /// The self-contained HTML report of `compare --report`.
    fn html(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(report::html::render(&self.inner)))
    }

    /// Writes the HTML report to `path`, atomically, as `compare --report` does.
    fn write_report(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        guard(py, || {
            let html = report::html::render(&self.inner);
            store::write_atomic(&path, html.as_bytes()).map_err(|e| {
                cli_error(
                    py,
                    Error::Io(format!("cannot write {}: {e}", path.display())),
                )
            })
        })
    }
}

/// Compares finished result directories (`dirs`, with the `sources` they came from and
/// their `labels`), as `netstates compare` compares its inputs once they have run: the
/// bootstrap draws from `seed`'s reserved stream; with `metrics`, only those are kept.
#[pyfunction]
#[pyo3(signature = (dirs, sources, labels, seed, resamples=2000, metrics=Vec::new()))]
fn compare(
    py: Python<'_>,
    dirs: Vec<PathBuf>,
    sources: Vec<String>,
    labels: Vec<String>,
    seed: u64,
    resamples: usize,
    metrics: Vec<String>,
) -> PyResult<PyComparison> {
    guard(py, || {
        let mut samples = Vec::new();
        for ((dir, source), label) in dirs.iter().zip(sources).zip(labels) {
            let finished = store::read_finished(dir).map_err(|e| cli_error(py, e.into()))?;
            samples.push(finished_sample(finished, label, source));
        }
        if samples.len() < 2 {
            return Err(raise(
                py,
                "UsageError",
                ("compare needs at least two inputs".to_string(),),
            ));
        }
        let mut inner = py.detach(|| comparison::compare(samples, resamples, seed));
        if !metrics.is_empty() {
            inner.show_only(&metrics);
        }
        Ok(PyComparison { inner })
    })
}

/// The scenario name and metrics of a result directory, from its manifest (checked as
/// `compare` checks it).
#[pyfunction]
fn result_info(py: Python<'_>, dir: PathBuf) -> PyResult<(String, Vec<String>)> {
    guard(py, || {
        let m = store::read_manifest(&dir).map_err(|e| cli_error(py, e.into()))?;
        Ok((m.scenario.name.clone(), metrics::names(&m.scenario)))
    })
}

/// Whether a path names a bundled scenario rather than a file (for messages).
#[pyfunction]
fn bundled_names() -> Vec<&'static str> {
    scenario::bundled::LIBRARY.iter().map(|b| b.name).collect()
}

/// Panics on purpose, so that the tests can check that a panic becomes
/// `netstates.InternalError` and nothing else.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guard(py, || -> PyResult<()> {
        let empty: Vec<u8> = Vec::new();
        let i = empty.len() + 1;
        #[allow(clippy::indexing_slicing, reason = "the panic is the point")]
        let _ = empty[i];
        Ok(())
    })
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScenario>()?;
    m.add_class::<PyComparison>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(compare_labels, m)?)?;
    m.add_function(wrap_pyfunction!(result_info, m)?)?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(file_names, m)?)?;
    m.add_function(wrap_pyfunction!(bundled_names, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    studies::register(m)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
