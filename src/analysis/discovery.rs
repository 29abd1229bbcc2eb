//! Scenario discovery over the runs of an experiment or a study: which combinations of
//! inputs lead to an outcome, such as `capture > 0.4`. The condition is parsed here, the
//! inputs that vary are chosen from a runs table, PRIM ([`super::prim`]) finds the boxes and
//! [`super::features`] scores the inputs; this module assembles what a person reads: the
//! chosen box in words. Pure computation.

use std::fmt;

use super::prim::{Column, Input, Limit, PrimBox};
use crate::store::table::{Table, Values};

/// A comparison of a metric with a number: `capture > 0.4`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub metric: String,
    pub op: Op,
    pub value: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Greater => ">",
            Op::GreaterEqual => ">=",
            Op::Less => "<",
            Op::LessEqual => "<=",
        }
    }

    fn holds(self, x: f64, v: f64) -> bool {
        match self {
            Op::Greater => x > v,
            Op::GreaterEqual => x >= v,
            Op::Less => x < v,
            Op::LessEqual => x <= v,
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} {} {}", self.metric, self.op.symbol(), self.value)
    }
}

/// What cannot be discovered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiscoveryError {
    #[error(
        "a condition is METRIC OP NUMBER with OP one of >, >=, <, <= (e.g. 'capture > 0.4'), got \"{0}\""
    )]
    Malformed(String),
    #[error("no metric {metric}; the metrics are {known}")]
    UnknownMetric { metric: String, known: String },
    #[error(
        "no input varies over these runs: discovery needs uncertain parameters or a study's factors"
    )]
    NothingVaries,
    #[error(
        "{condition} holds in {holds} of the {runs} runs: PRIM needs runs where it holds and runs where it does not"
    )]
    Degenerate {
        condition: String,
        holds: usize,
        runs: usize,
    },
}

impl std::str::FromStr for Condition {
    type Err = DiscoveryError;
    fn from_str(s: &str) -> Result<Condition, DiscoveryError> {
        let malformed = || DiscoveryError::Malformed(s.to_string());
        // The longest operators first, so `>=` is not read as `>`.
        let (at, op, len) = [
            (">=", Op::GreaterEqual),
            ("<=", Op::LessEqual),
            (">", Op::Greater),
            ("<", Op::Less),
        ]
        .iter()
        .find_map(|(sym, op)| s.find(sym).map(|at| (at, *op, sym.len())))
        .ok_or_else(malformed)?;
        let metric = s[..at].trim();
        let value: f64 = s[at + len..].trim().parse().map_err(|_| malformed())?;
        if metric.is_empty() || !value.is_finite() || metric.contains(['<', '>', '=']) {
            return Err(malformed());
        }
        Ok(Condition {
            metric: metric.to_string(),
            op,
            value,
        })
    }
}

/// The cases of a discovery: the inputs that vary, and whether the condition holds per run.
pub struct Cases {
    pub inputs: Vec<Input>,
    pub y: Vec<bool>,
}

impl Condition {
    /// The cases of `table`: every input column that varies (numbers with no gap, or words
    /// of more than one level) and the condition per run.
    pub fn cases(&self, table: &Table) -> Result<Cases, DiscoveryError> {
        let column = table
            .metrics
            .iter()
            .find(|(name, _)| *name == self.metric)
            .ok_or_else(|| DiscoveryError::UnknownMetric {
                metric: self.metric.clone(),
                known: table
                    .metrics
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let y: Vec<bool> = column
            .1
            .iter()
            .map(|&x| self.op.holds(x, self.value))
            .collect();
        let holds = y.iter().filter(|&&b| b).count();
        if holds == 0 || holds == y.len() {
            return Err(DiscoveryError::Degenerate {
                condition: self.to_string(),
                holds,
                runs: y.len(),
            });
        }
        let inputs: Vec<Input> = table
            .inputs
            .iter()
            .filter_map(|(name, values)| {
                let column = match values {
                    Values::Numbers(v) => {
                        let varies = v.iter().any(|x| *x != v[0]);
                        (varies && v.iter().all(|x| x.is_finite()))
                            .then(|| Column::Numeric(v.clone()))?
                    }
                    Values::Words(w) => {
                        let mut levels: Vec<String> = w.clone();
                        levels.sort();
                        levels.dedup();
                        if levels.len() < 2 {
                            return None;
                        }
                        let codes = w
                            .iter()
                            .map(|s| levels.iter().position(|l| l == s).unwrap_or(0) as u32)
                            .collect();
                        Column::Categorical { levels, codes }
                    }
                };
                Some(Input {
                    name: name.clone(),
                    column,
                })
            })
            .collect();
        if inputs.is_empty() {
            return Err(DiscoveryError::NothingVaries);
        }
        Ok(Cases { inputs, y })
    }
}

/// An input's values as numbers (categories as their codes), for feature scoring and plots.
pub fn as_numbers(input: &Input) -> Vec<f64> {
    match &input.column {
        Column::Numeric(v) => v.clone(),
        Column::Categorical { codes, .. } => codes.iter().map(|&c| f64::from(c)).collect(),
    }
}

/// The smallest and largest value of a numeric input.
pub fn range(input: &Input) -> (f64, f64) {
    as_numbers(input)
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// The default box: the densest with coverage at least 0.5 (the first such on ties), else the
/// first box.
pub fn default_box(trajectory: &[PrimBox]) -> usize {
    trajectory
        .iter()
        .enumerate()
        .filter(|(_, b)| b.coverage >= 0.5)
        .fold(None::<(usize, f64)>, |best, (i, b)| match best {
            Some((_, d)) if d >= b.density => best,
            _ => Some((i, b.density)),
        })
        .map_or(0, |(i, _)| i)
}

/// A box in words: "capture > 0.4 in 94% of runs where a >= 0.31 and b in {x, y} (coverage
/// 0.82, 31% of runs)".
pub fn describe(condition: &Condition, inputs: &[Input], b: &PrimBox) -> String {
    let numbers = |x: f64| crate::store::csv::number((x * 1e4).round() / 1e4);
    let limits: Vec<String> = b
        .limits
        .iter()
        .map(|(i, limit)| {
            let input = &inputs[*i];
            match limit {
                Limit::Interval { lo, hi } => {
                    let (min, max) = range(input);
                    match (*lo > min, *hi < max) {
                        (true, true) => {
                            format!("{} <= {} <= {}", numbers(*lo), input.name, numbers(*hi))
                        }
                        (true, false) => format!("{} >= {}", input.name, numbers(*lo)),
                        (false, true) => format!("{} <= {}", input.name, numbers(*hi)),
                        (false, false) => format!("{} anywhere", input.name),
                    }
                }
                Limit::Set(levels) => format!("{} in {{{}}}", input.name, levels.join(", ")),
            }
        })
        .collect();
    let place = if limits.is_empty() {
        "over all runs".to_string()
    } else {
        format!("where {}", limits.join(" and "))
    };
    format!(
        "{condition} in {:.0}% of runs {place} (coverage {:.2}, {:.0}% of runs)",
        b.density * 100.0,
        b.coverage,
        b.mass * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_parsed_with_their_operator() {
        let c: Condition = "capture > 0.4".parse().expect("valid");
        assert_eq!(
            (c.metric.as_str(), c.op, c.value),
            ("capture", Op::Greater, 0.4)
        );
        let c: Condition = "trust<=0.8".parse().expect("valid");
        assert_eq!(
            (c.metric.as_str(), c.op, c.value),
            ("trust", Op::LessEqual, 0.8)
        );
        for bad in [
            "capture",
            "capture > x",
            "> 0.4",
            "capture == 0.4",
            "capture > nan",
            "a >> 1",
        ] {
            assert!(bad.parse::<Condition>().is_err(), "{bad}");
        }
    }
}
