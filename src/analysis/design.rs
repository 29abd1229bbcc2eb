//! Designs: the factors a study varies (`PATH=LO..HI:STEPS`, `PATH=LO..HI`, `PATH=A,B,C`,
//! `PATH=VALUE`) and the points of a grid or a Latin hypercube over them. A Latin hypercube
//! draws from the seed's reserved design stream. Running the points is [`crate::store::study`]'s
//! work; this module only designs.

use rand::Rng;

use crate::run::streams::{self, Reserved};
use crate::scenario::{self, Override, OverrideError, Param, Scenario, paths, raw::SetValue};
use crate::store::study::Setting;

/// How the points of a sweep are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// Every combination of the values of `LO..HI:STEPS` and `A,B,C` axes.
    Grid,
    /// A number of points of a Latin hypercube over `LO..HI` ranges and `A,B,C` lists.
    Lhs,
}

impl Design {
    pub fn name(self) -> &'static str {
        match self {
            Design::Grid => "grid",
            Design::Lhs => "lhs",
        }
    }
}

/// A factor or a design that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DesignError {
    /// `PATH=VALUE` that names nothing settable or gives a value it cannot take.
    #[error("{path}={value}: {reason}")]
    Factor {
        path: String,
        value: String,
        reason: String,
    },
    #[error("nothing varies: a design needs at least one factor with steps, a range or a list")]
    NothingVaries,
    #[error("a grid has every combination; a number of samples is for a Latin hypercube")]
    SamplesForGrid,
    #[error("a Latin hypercube needs a number of samples")]
    NoSamples,
    #[error("a Latin hypercube takes 1 to {MAX_POINTS} samples, got {0}")]
    Samples(usize),
    #[error(
        "{0}: a grid axis needs its steps (LO..HI:STEPS) or its values (A,B,C); a plain LO..HI \
         range is for a Latin hypercube"
    )]
    NotGridAxis(String),
    #[error("{0}: a Latin hypercube samples ranges (LO..HI) and lists (A,B,C), not steps")]
    NotLhsAxis(String),
    #[error("the grid has more than {MAX_POINTS} points")]
    TooManyPoints,
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
    /// every value must be one it can take. In the relative form `PATH*=VALUE` the values are
    /// factors (numbers) that multiply each agent's value; whether every product is in the
    /// key's range is checked per point, by [`crate::store::study::Plan::check`]. The error
    /// names the argument.
    pub fn parse(o: &Override, s: &Scenario) -> Result<Factor, DesignError> {
        let whole = |reason: String| DesignError::Factor {
            path: o.path.clone(),
            value: o.value.clone(),
            reason,
        };
        if ["experiment.runs", "experiment.seed", "scenario.rounds"].contains(&o.target_path()) {
            return Err(whole(
                "a study cannot vary this; give it for every point, or in the file".into(),
            ));
        }
        let target = paths::resolve(o.target_path(), s).map_err(whole)?;
        let relative = o.relative();
        if relative && target.range().is_none() {
            return Err(whole(
                "the relative form *= multiplies a number; this path holds an ambassador level"
                    .into(),
            ));
        }
        let setting = |word: &str| -> Result<Setting, DesignError> {
            if relative {
                return match word.trim().parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(Setting::Number(x)),
                    _ => Err(whole(format!(
                        "the relative form *= takes factors, numbers, got \"{}\"",
                        word.trim()
                    ))),
                };
            }
            let value = Override {
                path: o.target_path().to_string(),
                value: word.trim().to_string(),
            }
            .parsed_value();
            if let SetValue::Number(Param::Uniform(..)) = value {
                return Err(whole(format!(
                    "\"{}\" is a range; a list holds single values",
                    word.trim()
                )));
            }
            match target.value(&value).map_err(whole)? {
                paths::Value::Number(Param::Fixed(x)) => Ok(Setting::Number(x)),
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
pub fn apply_fixed(s: &mut Scenario, factors: &[Factor]) -> Result<(), OverrideError> {
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

/// The varying factors' paths and every point's settings.
pub type Points = (Vec<String>, Vec<Vec<Setting>>);

/// The points of a design. Fixed factors (`PATH=VALUE`) are not columns: they apply to every
/// point. A grid's first factor varies slowest.
pub fn points(
    design: Design,
    factors: &[Factor],
    samples: Option<usize>,
    seed: u64,
) -> Result<Points, DesignError> {
    let varying: Vec<&Factor> = factors
        .iter()
        .filter(|f| !matches!(f.spec, Spec::Fixed(_)))
        .collect();
    if varying.is_empty() {
        return Err(DesignError::NothingVaries);
    }
    let paths = varying.iter().map(|f| f.path.clone()).collect();
    let rows = match design {
        Design::Grid => {
            if samples.is_some() {
                return Err(DesignError::SamplesForGrid);
            }
            grid(&varying)?
        }
        Design::Lhs => {
            let n = samples.ok_or(DesignError::NoSamples)?;
            if !(1..=MAX_POINTS).contains(&n) {
                return Err(DesignError::Samples(n));
            }
            latin_hypercube(&varying, n, seed)?
        }
    };
    Ok((paths, rows))
}

fn grid(factors: &[&Factor]) -> Result<Vec<Vec<Setting>>, DesignError> {
    let mut axes = Vec::new();
    for f in factors {
        match f.grid_values() {
            Some(values) => axes.push(values),
            None => return Err(DesignError::NotGridAxis(f.path.clone())),
        }
    }
    let total = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.len()))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or(DesignError::TooManyPoints)?;
    let mut rows = Vec::with_capacity(total);
    for mut k in 0..total {
        let mut row = vec![Setting::Number(0.0); axes.len()];
        for (j, axis) in axes.iter().enumerate().rev() {
            row[j] = axis[k % axis.len()];
            k /= axis.len();
        }
        rows.push(row);
    }
    Ok(rows)
}

/// A Latin hypercube (McKay, Beckman & Conover 1979): each factor's range is cut into `n`
/// equal strata, each stratum holds exactly one point (at a uniform position inside it), and
/// the strata are paired across factors by independent random permutations. A list of `m`
/// values is a factor whose unit interval maps to its values in `m` equal parts.
fn latin_hypercube(
    factors: &[&Factor],
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<Setting>>, DesignError> {
    let mut rng = streams::reserved(seed, Reserved::Design);
    let mut rows = vec![Vec::with_capacity(factors.len()); n];
    let mut strata: Vec<usize> = Vec::with_capacity(n);
    for f in factors {
        strata.clear();
        strata.extend(0..n);
        // Fisher-Yates, from the top.
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        for (row, &stratum) in rows.iter_mut().zip(&strata) {
            let u = (stratum as f64 + rng.random::<f64>()) / n as f64;
            row.push(match &f.spec {
                Spec::Range { lo, hi } => Setting::Number(lerp(*lo, *hi, u)),
                Spec::List(items) => {
                    items[((u * items.len() as f64) as usize).min(items.len() - 1)]
                }
                Spec::Steps { .. } | Spec::Fixed(_) => {
                    return Err(DesignError::NotLhsAxis(f.path.clone()));
                }
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Level;
    use std::path::Path;

    fn base() -> Scenario {
        scenario::load(Path::new("scenarios/baseline.toml")).expect("the bundled baseline loads")
    }

    fn parse(arg: &str) -> Result<Factor, String> {
        let o: Override = arg.parse()?;
        Factor::parse(&o, &base()).map_err(|e| e.to_string())
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
            assert!(e.starts_with(arg.split('=').next().unwrap()), "{arg}: {e}");
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

    fn factors(args: &[&str]) -> Vec<Factor> {
        let s = base();
        args.iter()
            .map(|a| Factor::parse(&a.parse::<Override>().expect("PATH=VALUE"), &s))
            .collect::<Result<_, _>>()
            .expect("valid factors")
    }

    #[test]
    fn a_grid_has_every_combination_first_factor_slowest() {
        let f = factors(&[
            "government.*.ambassador=none,equal",
            "model.opinion.confidence=0.1..0.3:3",
            "government.*.capacity=0.5",
        ]);
        let (paths, rows) = points(Design::Grid, &f, None, 0).expect("a grid");
        assert_eq!(paths.len(), 2, "the fixed factor is not a column");
        assert_eq!(rows.len(), 6);
        let n = |x| Setting::Number(x);
        let none = Setting::Level(Level::None);
        let equal = Setting::Level(Level::Equal);
        assert_eq!(rows[0], vec![none, n(0.1)]);
        assert_eq!(rows[2], vec![none, n(0.3)]);
        assert_eq!(rows[3], vec![equal, n(0.1)]);
        assert_eq!(rows[5], vec![equal, n(0.3)]);
    }

    #[test]
    fn a_latin_hypercube_fills_every_stratum_once_and_repeats_with_its_seed() {
        let f = factors(&[
            "model.opinion.confidence=0.1..0.5",
            "firm.*.lobby_share=0..0.1",
        ]);
        let n = 40;
        let (_, rows) = points(Design::Lhs, &f, Some(n), 7).expect("an lhs");
        for (j, (lo, hi)) in [(0.1, 0.5), (0.0, 0.1)].into_iter().enumerate() {
            let mut seen = vec![0; n];
            for row in &rows {
                let Setting::Number(x) = row[j] else {
                    panic!("numbers expected")
                };
                let stratum = ((x - lo) / (hi - lo) * n as f64) as usize;
                seen[stratum.min(n - 1)] += 1;
            }
            assert!(seen.iter().all(|&c| c == 1), "factor {j}: {seen:?}");
        }
        assert_eq!(points(Design::Lhs, &f, Some(n), 7).expect("again").1, rows);
        assert_ne!(points(Design::Lhs, &f, Some(n), 8).expect("seed 8").1, rows);
    }

    #[test]
    fn designs_refuse_what_they_cannot_use() {
        let range = factors(&["model.opinion.confidence=0.1..0.5"]);
        let confidence = "model.opinion.confidence".to_string();
        let e = points(Design::Grid, &range, None, 0).expect_err("no steps");
        assert_eq!(e, DesignError::NotGridAxis(confidence.clone()));
        assert!(e.to_string().contains("LO..HI:STEPS"), "{e}");
        let steps = factors(&["model.opinion.confidence=0.1..0.5:3"]);
        let e = points(Design::Lhs, &steps, Some(4), 0).expect_err("steps");
        assert_eq!(e, DesignError::NotLhsAxis(confidence));
        let e = points(Design::Lhs, &range, None, 0).expect_err("no samples");
        assert_eq!(e, DesignError::NoSamples);
        let e = points(Design::Grid, &range, Some(3), 0).expect_err("samples for a grid");
        assert_eq!(e, DesignError::SamplesForGrid);
        let e = points(Design::Lhs, &range, Some(0), 0).expect_err("no points");
        assert_eq!(e, DesignError::Samples(0));
        let fixed = factors(&["model.opinion.confidence=0.1"]);
        let e = points(Design::Grid, &fixed, None, 0).expect_err("nothing varies");
        assert_eq!(e, DesignError::NothingVaries);
        let big = factors(&[
            "model.opinion.confidence=0.1..0.5:1000",
            "firm.*.lobby_share=0..0.1:1001",
        ]);
        let e = points(Design::Grid, &big, None, 0).expect_err("too many points");
        assert_eq!(e, DesignError::TooManyPoints);
    }
}
