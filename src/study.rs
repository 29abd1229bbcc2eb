//! Studies: many experiments of one scenario, one per point of a design. A point sets some
//! parameters (MODEL.md 1.2 paths) to values; every point plays the same runs with the same
//! seed, so run i of every point shares its random stream (common random numbers) and the
//! differences between points come from the parameters, not from the draws.
//!
//! A study lives in one directory: `study.json` (the factors and every point's values) and
//! one result directory per point under `points/`, each an ordinary experiment (`runs.csv`,
//! `summary.json`, `manifest.json`) that `replay` and `compare` read. Points are played in
//! order, several at once when a point has fewer runs than there are threads; a point's files
//! do not depend on it. An interrupted study keeps every finished point and the completed runs
//! of those under way; `--resume` continues it. `--shard K/N` plays points [K*P/N, (K+1)*P/N), so the
//! shards of a cluster job share one directory, and the same command without `--shard` then
//! finds every point done and collects them. This module runs points; what is sampled and
//! what is computed from the points' summaries belong to `sweep` and `sensitivity`.

use std::fmt;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::report::files::{self, Summary};
use crate::results::{self, Outcome, Placement, ResultsError, Status};
use crate::scenario::{self, Level, Override, Scenario, paths, raw::SetValue};

/// One value a point gives a parameter: a number, or an ambassador level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Setting {
    Number(f64),
    Level(Level),
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Setting::Number(x) => f.write_str(&files::format_value(*x, false)),
            Setting::Level(l) => f.write_str(l.name()),
        }
    }
}

/// How a `--set` or `--param` of a study varies its parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// `PATH=LO..HI:STEPS`: STEPS evenly spaced values from LO to HI, both included.
    Steps { lo: f64, hi: f64, steps: usize },
    /// `PATH=LO..HI`: an interval a sampled design draws from.
    Range { lo: f64, hi: f64 },
    /// `PATH=A,B,C`: these values, in this order.
    List(Vec<Setting>),
    /// `PATH=VALUE`: one value for every point.
    Fixed(Setting),
}

/// A parameter of a study and how it varies.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub path: String,
    pub spec: Spec,
}

/// Most values a list or a grid axis may have, and most points a study may have: far more
/// than any experiment could run, small enough that a typing slip is an error, not an hour
/// of allocation.
pub const MAX_POINTS: usize = 1_000_000;

impl Factor {
    /// Reads `PATH=VALUE` against a scenario: the path must name a settable parameter and
    /// every value must be one it can take. The error names the argument.
    pub fn parse(o: &Override, s: &Scenario, flag: &str) -> Result<Factor, String> {
        let whole = |e: String| format!("{flag} {}={}: {e}", o.path, o.value);
        if ["experiment.runs", "experiment.seed", "scenario.rounds"].contains(&o.path.as_str()) {
            return Err(whole(
                "a study cannot vary this; give it with --runs, --seed or in the file".into(),
            ));
        }
        let target = paths::resolve(&o.path, s).map_err(whole)?;
        let setting = |word: &str| -> Result<Setting, String> {
            let value = Override {
                path: o.path.clone(),
                value: word.trim().to_string(),
            }
            .parsed_value();
            if let SetValue::Number(scenario::Param::Uniform(..)) = value {
                return Err(whole(format!(
                    "\"{}\" is a range; a list holds single values",
                    word.trim()
                )));
            }
            match target.value(&value).map_err(whole)? {
                paths::Value::Number(scenario::Param::Fixed(x)) => Ok(Setting::Number(x)),
                paths::Value::Number(_) => Err(whole("expected a single value".into())),
                paths::Value::Level(l) => Ok(Setting::Level(l)),
            }
        };
        let numeric = target.range().is_some();
        let spec = if o.value.contains(',') {
            let items = o
                .value
                .split(',')
                .map(setting)
                .collect::<Result<Vec<_>, _>>()?;
            if items.len() > MAX_POINTS {
                return Err(whole(format!("more than {MAX_POINTS} values")));
            }
            Spec::List(items)
        } else if let Some((lo, hi, steps)) = split_range(&o.value) {
            if !numeric {
                return Err(whole(
                    "an ambassador level is varied as a list, e.g. none,observer,equal".into(),
                ));
            }
            let (lo, hi) = match (setting(lo)?, setting(hi)?) {
                (Setting::Number(lo), Setting::Number(hi)) if lo < hi => (lo, hi),
                (Setting::Number(lo), Setting::Number(hi)) => {
                    return Err(whole(format!("expected LO < HI, got {lo}..{hi}")));
                }
                _ => return Err(whole("expected numbers LO..HI".into())),
            };
            match steps {
                None => Spec::Range { lo, hi },
                Some(steps) => match steps.trim().parse::<usize>() {
                    Ok(steps) if (2..=MAX_POINTS).contains(&steps) => Spec::Steps { lo, hi, steps },
                    _ => {
                        return Err(whole(format!(
                            "STEPS must be a whole number between 2 and {MAX_POINTS}, got \"{}\"",
                            steps.trim()
                        )));
                    }
                },
            }
        } else {
            Spec::Fixed(setting(&o.value)?)
        };
        Ok(Factor {
            path: o.path.clone(),
            spec,
        })
    }

    /// The values of a grid axis: the steps or the list.
    pub fn grid_values(&self) -> Option<Vec<Setting>> {
        match &self.spec {
            Spec::Steps { lo, hi, steps } => Some(
                (0..*steps)
                    .map(|i| {
                        let x = lerp(*lo, *hi, i as f64 / (*steps - 1) as f64);
                        Setting::Number(shortest_near(x, (*hi - *lo) * 1e-12))
                    })
                    .collect(),
            ),
            Spec::List(items) => Some(items.clone()),
            Spec::Range { .. } | Spec::Fixed(_) => None,
        }
    }
}

/// `lo + (hi - lo) * t`, exact at both ends.
pub fn lerp(lo: f64, hi: f64, t: f64) -> f64 {
    if t >= 1.0 { hi } else { lo + (hi - lo) * t }
}

/// The number with the fewest significant digits within `tolerance` of `x`, so that the
/// steps of `0..0.4:5` are 0.3, not 0.30000000000000004.
fn shortest_near(x: f64, tolerance: f64) -> f64 {
    (1..17)
        .filter_map(|digits| format!("{:.*e}", digits - 1, x).parse::<f64>().ok())
        .find(|y| (y - x).abs() <= tolerance)
        .unwrap_or(x)
}

/// Splits `LO..HI` or `LO..HI:STEPS`.
fn split_range(value: &str) -> Option<(&str, &str, Option<&str>)> {
    let (lo, rest) = value.split_once("..")?;
    match rest.split_once(':') {
        Some((hi, steps)) => Some((lo, hi, Some(steps))),
        None => Some((lo, rest, None)),
    }
}

/// Applies the fixed factors to the scenario every point starts from.
pub fn apply_fixed(s: &mut Scenario, factors: &[Factor]) -> Result<(), String> {
    let fixed: Vec<Override> = factors
        .iter()
        .filter_map(|f| match &f.spec {
            Spec::Fixed(v) => Some(Override {
                path: f.path.clone(),
                value: v.to_string(),
            }),
            _ => None,
        })
        .collect();
    scenario::apply_overrides(s, &fixed)
}

/// The points of a study and what they vary, as `study.json` records them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// `sweep grid`, `sweep lhs`, `sensitivity sobol`, `sensitivity morris`.
    pub design: String,
    pub scenario_name: String,
    /// The hash of the scenario every point starts from (fixed `--set`s applied).
    pub scenario_sha256: String,
    pub seed: u64,
    pub runs: u64,
    /// The paths the points set, in column order.
    pub factors: Vec<String>,
    /// One row of settings per point, in `factors` order.
    pub points: Vec<Vec<Setting>>,
}

impl Plan {
    pub fn new(
        design: &str,
        base: &Scenario,
        factors: Vec<String>,
        points: Vec<Vec<Setting>>,
    ) -> Plan {
        Plan {
            design: design.to_string(),
            scenario_name: base.name.clone(),
            scenario_sha256: files::scenario_hash(base),
            seed: base.seed,
            runs: base.runs,
            factors,
            points,
        }
    }

    /// The scenario of point `i`: the base with the point's settings applied and checked as
    /// `--set` is (ranges, and the rules that involve several keys).
    pub fn scenario(&self, base: &Scenario, i: usize) -> Result<Scenario, String> {
        let mut s = base.clone();
        let overrides: Vec<Override> = self
            .factors
            .iter()
            .zip(&self.points[i])
            .map(|(path, v)| Override {
                path: path.clone(),
                value: v.to_string(),
            })
            .collect();
        scenario::apply_overrides(&mut s, &overrides).map_err(|e| {
            let settings: Vec<String> = overrides
                .iter()
                .map(|o| format!("{}={}", o.path, o.value))
                .collect();
            format!("point {i} ({}): {e}", settings.join(", "))
        })?;
        Ok(s)
    }

    /// Checks every point before anything runs.
    pub fn check(&self, base: &Scenario) -> Result<(), String> {
        (0..self.points.len()).try_for_each(|i| self.scenario(base, i).map(drop))
    }
}

/// `study.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyFile {
    pub netstates_version: String,
    pub plan: Plan,
    pub command_line: Vec<String>,
    pub started: String,
}

pub const STUDY: &str = "study.json";
pub const POINTS: &str = "points";

/// A point's result directory: `points/0007`.
pub fn point_dir(out: &Path, i: usize, points: usize) -> PathBuf {
    let width = points.saturating_sub(1).to_string().len().max(4);
    out.join(POINTS).join(format!("{i:0width$}"))
}

/// One study to run into a directory.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub plan: &'a Plan,
    pub base: &'a Scenario,
    /// Its shard is of the points.
    pub place: Placement,
}

/// How a study ended.
#[derive(Debug)]
pub enum StudyOutcome {
    /// Every point is done: their summaries in point order, and how many were already done.
    Finished {
        summaries: Vec<Summary>,
        reused: usize,
    },
    /// This shard's points are done.
    ShardDone { points: Range<usize>, reused: usize },
    /// Stopped by the user inside point `point`.
    Interrupted { point: usize, done: u64, total: u64 },
}

fn io_err(what: &str, path: &Path, e: impl fmt::Display) -> ResultsError {
    ResultsError::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// Reads a study directory's `study.json`, if any.
pub fn read_study(out: &Path) -> Result<Option<StudyFile>, ResultsError> {
    let path = out.join(STUDY);
    if !path.exists() {
        return Ok(None);
    }
    let text = fs::read_to_string(&path).map_err(|e| io_err("read", &path, e))?;
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| io_err("parse", &path, e))
}

/// Plays a study's points (or one shard's) into `req.place.out`, in point order, several at once when
/// a point has fewer runs than there are threads. `progress(done, total)` counts runs over the
/// points this call plays; `stop` ends the study after the runs under way.
pub fn run(
    req: &Request,
    stop: &AtomicBool,
    progress: impl FnMut(u64, u64) + Send,
) -> Result<StudyOutcome, ResultsError> {
    let out = &req.place.out;
    let plan = req.plan;
    let refuse = |what: &str| Err(ResultsError::Refused(format!("{} {what}", out.display())));
    if out.join(results::MANIFEST).exists() {
        return refuse("holds an experiment, not a study; choose another --out");
    }
    let existing = read_study(out)?;
    match &existing {
        Some(file) if file.plan == *plan => {}
        Some(_) if req.place.force => {
            let points = out.join(POINTS);
            if points.exists() {
                fs::remove_dir_all(&points).map_err(|e| io_err("remove", &points, e))?;
            }
        }
        Some(_) => {
            return refuse(
                "holds a study of another scenario, design, seed or number of runs; choose \
                 another --out, or pass --force to replace it",
            );
        }
        None => {}
    }
    fs::create_dir_all(out).map_err(|e| io_err("create", out, e))?;
    let started = match existing {
        Some(file) if file.plan == *plan => file.started,
        _ => files::now_rfc3339(),
    };
    let file = StudyFile {
        netstates_version: env!("CARGO_PKG_VERSION").to_string(),
        plan: plan.clone(),
        command_line: req.place.command_line.clone(),
        started,
    };
    let json = serde_json::to_string_pretty(&file).map_err(|e| io_err("encode", out, e))? + "\n";
    let study_path = out.join(STUDY);
    files::write_atomic(&study_path, json.as_bytes())
        .map_err(|e| io_err("write", &study_path, e))?;

    let n = plan.points.len();
    let (k, count) = req.place.shard;
    let range = results::shard_range(k, count, n as u64);
    let range = range.start as usize..range.end as usize;
    let dirs: Vec<PathBuf> = range.clone().map(|i| point_dir(out, i, n)).collect();
    let statuses = dirs
        .iter()
        .map(|d| results::status(d))
        .collect::<Result<Vec<_>, _>>()?;
    if !req.place.resume
        && !req.place.force
        && let Some(at) = statuses
            .iter()
            .position(|s| matches!(s, Status::Interrupted(_)))
    {
        return refuse(&format!(
            "holds this study, interrupted in point {}; pass --resume to continue it (finished \
             points are kept), or --force to start again",
            range.start + at
        ));
    }

    let runs = plan.runs;
    let total = runs * range.len() as u64;
    let reused = statuses
        .iter()
        .filter(|s| matches!(s, Status::Finished(_)))
        .count();
    // With fewer runs per point than threads, several points play at once, each on a share
    // of the threads, so no core idles; a point's files do not depend on how it was played.
    let concurrent =
        (req.place.jobs / (runs as usize).clamp(1, req.place.jobs)).clamp(1, range.len().max(1));
    let point_jobs = (req.place.jobs / concurrent).max(1);
    let next = AtomicUsize::new(0);
    let halt = AtomicBool::new(false);
    let done = Mutex::new((vec![0u64; range.len()], progress));
    let outcomes: Vec<Mutex<Option<Result<Outcome, ResultsError>>>> =
        (0..range.len()).map(|_| Mutex::new(None)).collect();
    let play = |k: usize| -> Result<Outcome, ResultsError> {
        let i = range.start + k;
        let scenario = plan.scenario(req.base, i).map_err(ResultsError::Refused)?;
        let point = results::Request {
            scenario: &scenario,
            place: Placement {
                out: dirs[k].clone(),
                shard: (0, 1),
                jobs: point_jobs,
                resume: matches!(statuses[k], Status::Interrupted(_)),
                ..req.place.clone()
            },
        };
        results::run(&point, stop, |runs_done, _| {
            let mut guard = done.lock().unwrap_or_else(PoisonError::into_inner);
            let (per_point, progress) = &mut *guard;
            per_point[k] = runs_done;
            let sum = per_point.iter().sum();
            progress(sum, total);
        })
    };
    std::thread::scope(|scope| {
        for _ in 0..concurrent {
            scope.spawn(|| {
                while !halt.load(Ordering::Relaxed) {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= range.len() {
                        break;
                    }
                    let outcome = play(k);
                    if !matches!(
                        outcome,
                        Ok(Outcome::Finished { .. } | Outcome::AlreadyDone { .. })
                    ) {
                        halt.store(true, Ordering::Relaxed);
                    }
                    *outcomes[k].lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
                }
            });
        }
    });

    // In point order: the first failure, else the first point not finished, else every summary.
    let outcomes: Vec<Option<Result<Outcome, ResultsError>>> = outcomes
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect();
    let mut summaries = Vec::with_capacity(range.len());
    let mut unfinished = None;
    for (k, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Some(Err(e)) => return Err(e),
            Some(Ok(Outcome::Finished { summary, .. } | Outcome::AlreadyDone { summary })) => {
                summaries.push(summary);
            }
            Some(Ok(Outcome::Interrupted { .. })) | None => {
                unfinished.get_or_insert(range.start + k);
            }
        }
    }
    if let Some(point) = unfinished {
        let (per_point, _) = done.into_inner().unwrap_or_else(PoisonError::into_inner);
        return Ok(StudyOutcome::Interrupted {
            point,
            done: per_point.iter().sum(),
            total,
        });
    }
    Ok(if range.len() == n {
        StudyOutcome::Finished { summaries, reused }
    } else {
        StudyOutcome::ShardDone {
            points: range,
            reused,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Scenario {
        scenario::load(Path::new("scenarios/baseline.toml")).expect("the bundled baseline loads")
    }

    fn parse(arg: &str) -> Result<Factor, String> {
        let o: Override = arg.parse()?;
        Factor::parse(&o, &base(), "--set")
    }

    #[test]
    fn specs_are_read_from_the_value() {
        assert_eq!(
            parse("model.opinion.confidence=0.1..0.3:3").map(|f| f.spec),
            Ok(Spec::Steps {
                lo: 0.1,
                hi: 0.3,
                steps: 3
            })
        );
        assert_eq!(
            parse("firm.*.lobby_share=0.01..0.05").map(|f| f.spec),
            Ok(Spec::Range { lo: 0.01, hi: 0.05 })
        );
        assert_eq!(
            parse("government.*.ambassador=none,equal").map(|f| f.spec),
            Ok(Spec::List(vec![
                Setting::Level(Level::None),
                Setting::Level(Level::Equal)
            ]))
        );
        assert_eq!(
            parse("government.*.capacity=0.5").map(|f| f.spec),
            Ok(Spec::Fixed(Setting::Number(0.5)))
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_argument() {
        for (arg, expected) in [
            ("model.opinion.confidence=0.3..0.1:3", "expected LO < HI"),
            (
                "model.opinion.confidence=0.1..0.3:1",
                "STEPS must be a whole number",
            ),
            (
                "model.opinion.confidence=0.1..0.3:x",
                "STEPS must be a whole number",
            ),
            ("model.opinion.confidence=0.1..7", "expected a number"),
            ("government.*.ambassador=none..equal", "varied as a list"),
            (
                "government.*.ambassador=none,sometimes",
                "expected none, observer",
            ),
            ("government.*.capacity=0.1,0.2..0.3", "is a range"),
            (
                "government.mars.capacity=0.1,0.2",
                "no government has the id",
            ),
            ("experiment.runs=1,2", "cannot vary"),
        ] {
            let e = parse(arg).expect_err(arg);
            assert!(e.contains(expected), "{arg}: {e}");
            assert!(e.starts_with("--set "), "{arg}: {e}");
        }
    }

    #[test]
    fn grid_steps_hit_both_ends_exactly() {
        let f = parse("model.opinion.confidence=0.1..0.7:7").expect("valid");
        let values = f.grid_values().expect("a grid axis");
        assert_eq!(values.len(), 7);
        assert_eq!(values[0], Setting::Number(0.1));
        assert_eq!(values[6], Setting::Number(0.7));
        assert_eq!(values[3], Setting::Number(0.4));
        let f = parse("model.ambassador.stakes.observer=0..0.4:5").expect("valid");
        let values = f.grid_values().expect("a grid axis");
        assert_eq!(values[3], Setting::Number(0.3), "not 0.30000000000000004");
    }

    #[test]
    fn a_point_that_breaks_a_rule_is_named() {
        let s = base();
        let plan = Plan::new(
            "sweep grid",
            &s,
            vec![
                "model.ambassador.stakes.equal".into(),
                "model.coregulation.ngo_seat".into(),
            ],
            vec![
                vec![Setting::Number(0.5), Setting::Number(0.5)],
                vec![Setting::Number(0.9), Setting::Number(0.5)],
            ],
        );
        let e = plan.check(&s).expect_err("stakes 0.9 + seat 0.5 exceed 1");
        assert!(
            e.starts_with(
                "point 1 (model.ambassador.stakes.equal=0.9, model.coregulation.ngo_seat=0.5)"
            ),
            "{e}"
        );
    }
}
