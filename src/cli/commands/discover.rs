//! `netstates discover`: scenario discovery over the runs of an experiment or a study. PRIM
//! boxes of the inputs where a condition holds, and feature scores of every input for every
//! metric; the chosen box in words; CSV and JSON files and an HTML report.
//!
//! [`discover_into`] computes and writes everything, for this command and for the Python
//! package alike; [`discover`] only adds what the command prints.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::discovery::{self, Cases, Condition};
use crate::analysis::features::{self, Forest};
use crate::analysis::prim::{self, Limit, Params, PrimBox};
use crate::cli::args::DiscoverArgs;
use crate::cli::error::Error;
use crate::cli::output::{say, sayln};
use crate::report::{discover_html, export};
use crate::run::streams::{self, Reserved};
use crate::store::{self, table};

/// Most boxes of the trajectory printed in the terminal (the files hold all).
const SHOWN: usize = 8;

/// PRIM's parameters as asked for (`--threshold`, `--peel-alpha`, `--paste-alpha`,
/// `--mass-min`); each one not given is the Workbench's default.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrimOptions {
    pub threshold: Option<f64>,
    pub peel_alpha: Option<f64>,
    pub paste_alpha: Option<f64>,
    pub mass_min: Option<f64>,
}

impl PrimOptions {
    /// PRIM's parameters: the defaults filled in, each checked against its range, with the
    /// flag's name in the message.
    pub fn params(&self) -> Result<Params, Error> {
        let defaults = Params::default();
        let params = Params {
            peel_alpha: self.peel_alpha.unwrap_or(defaults.peel_alpha),
            paste_alpha: self.paste_alpha.unwrap_or(defaults.paste_alpha),
            mass_min: self.mass_min.unwrap_or(defaults.mass_min),
            threshold: self.threshold.unwrap_or(defaults.threshold),
        };
        for (flag, v, lo, hi) in [
            ("--peel-alpha", params.peel_alpha, 0.0, 0.5),
            ("--paste-alpha", params.paste_alpha, 0.0, 0.5),
            ("--mass-min", params.mass_min, 0.0, 1.0),
            ("--threshold", params.threshold, 0.0, 1.0),
        ] {
            if !(v > lo && v <= hi) {
                return Err(Error::Usage(format!(
                    "{flag} must be greater than {lo} and at most {hi}, got {v}"
                )));
            }
        }
        Ok(params)
    }
}

/// What a discovery found, and where its files are: what the command prints from.
pub struct Discovery {
    pub condition: Condition,
    /// The inputs that vary, and whether the condition holds per run.
    pub cases: Cases,
    /// PRIM's peeling trajectory, from the whole input space on.
    pub trajectory: Vec<PrimBox>,
    /// The box of the trajectory described (`--box`, else the default one).
    pub chosen: usize,
    /// Every input's feature scores per outcome: the condition first, then every metric.
    pub scores: Vec<(String, Vec<f64>)>,
    /// The directory of the CSV and JSON files.
    pub out: PathBuf,
    /// The HTML report.
    pub report: PathBuf,
}

impl Discovery {
    /// The chosen box in words.
    pub fn description(&self) -> String {
        discovery::describe(
            &self.condition,
            &self.cases.inputs,
            &self.trajectory[self.chosen],
        )
    }
}

/// Scenario discovery over the finished experiment or study in `dir`, where `condition`
/// (`--where`) holds: checks the arguments, finds PRIM's trajectory and the feature scores
/// (on the current rayon pool; each outcome draws from its own part of the reserved stream,
/// so the scores are the same on any number of threads), and writes the files into `out` and
/// the HTML report, which names `source` as where the runs came from, to `report`.
pub fn discover_into(
    dir: &Path,
    out: &Path,
    report: &Path,
    condition: &str,
    source: &str,
    options: &PrimOptions,
    r#box: Option<usize>,
) -> Result<Discovery, Error> {
    let condition: Condition = condition
        .parse()
        .map_err(|e: discovery::DiscoveryError| Error::Usage(format!("--where: {e}")))?;
    let table = table::read(dir)?;
    let cases = condition
        .cases(&table)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let params = options.params()?;
    let trajectory = prim::trajectory(&cases.inputs, &cases.y, &params)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let chosen = match r#box {
        Some(i) if i < trajectory.len() => i,
        Some(i) => {
            return Err(Error::Usage(format!(
                "--box {i}: the trajectory has boxes 0 to {}",
                trajectory.len() - 1
            )));
        }
        None => discovery::default_box(&trajectory),
    };

    // Feature scores: per metric, and for the condition itself.
    let x: Vec<Vec<f64>> = cases.inputs.iter().map(discovery::as_numbers).collect();
    // Outcome o draws from part o of the reserved stream: the same scores on any thread.
    let forest = Forest::default();
    let y01: Vec<f64> = cases.y.iter().map(|&b| f64::from(u8::from(b))).collect();
    let mut outcomes: Vec<(String, &[f64])> = vec![(condition.to_string(), &y01)];
    outcomes.extend(table.metrics.iter().map(|(n, v)| (n.clone(), v.as_slice())));
    let scores: Vec<(String, Vec<f64>)> = outcomes
        .into_par_iter()
        .enumerate()
        .map(|(o, (name, y))| {
            let mut rng = streams::reserved_part(table.seed, Reserved::FeatureScoring, o as u64);
            (name, features::scores(&x, y, &forest, &mut rng))
        })
        .collect();

    let names: Vec<String> = cases.inputs.iter().map(|i| i.name.clone()).collect();
    write(
        &out.join(store::PRIM_TRAJECTORY_CSV),
        &export::prim_trajectory_csv(&trajectory),
    )?;
    write(
        &out.join(store::PRIM_BOX_CSV),
        &export::prim_box_csv(&names, chosen, &trajectory[chosen]),
    )?;
    write(
        &out.join(store::FEATURE_SCORES_CSV),
        &export::feature_scores_csv(&names, &scores),
    )?;
    let json = export::discover_json(
        &condition.to_string(),
        &params,
        &names,
        &trajectory,
        chosen,
        &scores,
    );
    write(&out.join(store::DISCOVER_JSON), &json)?;
    let html = discover_html::render(source, &condition, &cases, &trajectory, chosen, &scores);
    write(report, &html)?;
    Ok(Discovery {
        condition,
        cases,
        trajectory,
        chosen,
        scores,
        out: out.to_path_buf(),
        report: report.to_path_buf(),
    })
}

/// `netstates discover`: [`discover_into`] `DIR/discover/` (or `--out`), then its summary.
pub fn discover(args: &DiscoverArgs) -> Result<(), Error> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join(store::DISCOVER));
    let report = args
        .report
        .clone()
        .unwrap_or_else(|| out.join(store::REPORT_HTML));
    let options = PrimOptions {
        threshold: args.threshold,
        peel_alpha: args.peel_alpha,
        paste_alpha: args.paste_alpha,
        mass_min: args.mass_min,
    };
    let found = discover_into(
        &args.dir,
        &out,
        &report,
        &args.condition,
        &args.dir.display().to_string(),
        &options,
        args.r#box,
    )?;
    print_summary(&found);
    sayln!(
        "files in {}; report in {}",
        found.out.display(),
        found.report.display()
    );
    Ok(())
}

/// Writes one file whole, making its directory first.
fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    store::write_atomic(path, text.as_bytes())
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}

/// The trajectory's last boxes, the chosen one with its limits, and the strongest inputs for
/// the condition.
fn print_summary(found: &Discovery) {
    let Discovery {
        condition,
        cases,
        trajectory,
        chosen,
        scores,
        ..
    } = found;
    let (inputs, chosen, scores) = (&cases.inputs, *chosen, &scores[0].1);
    let holds = trajectory.first().map_or(0.0, |b| b.density);
    sayln!(
        "{condition} holds in {:.1}% of the runs; PRIM's peeling trajectory has {} boxes (the last {} shown):",
        holds * 100.0,
        trajectory.len(),
        SHOWN.min(trajectory.len())
    );
    sayln!("  box  coverage  density   mass  restricted");
    for (i, b) in trajectory
        .iter()
        .enumerate()
        .skip(trajectory.len().saturating_sub(SHOWN))
    {
        sayln!(
            "  {i:>3}  {:>8.3}  {:>7.3}  {:>5.3}  {}{}",
            b.coverage,
            b.density,
            b.mass,
            b.res_dim,
            if i == chosen { "   <- chosen" } else { "" }
        );
    }
    sayln!("\nbox {chosen}: {}", found.description());
    for (i, limit) in &trajectory[chosen].limits {
        let qp = trajectory[chosen]
            .quasi_p
            .iter()
            .find(|(j, _)| j == i)
            .map_or(f64::NAN, |(_, p)| *p);
        let what = match limit {
            Limit::Interval { lo, hi } => format!(
                "[{}, {}]",
                crate::store::csv::number(*lo),
                crate::store::csv::number(*hi)
            ),
            Limit::Set(levels) => format!("{{{}}}", levels.join(", ")),
        };
        sayln!(
            "  {:<40} {what:<30} quasi-p {}",
            inputs[*i].name,
            crate::report::table::format_sig(qp, 2)
        );
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    say!("\nfeature scores for {condition}:");
    for &i in order.iter().take(6) {
        say!(" {} {:.2};", inputs[i].name, scores[i]);
    }
    sayln!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prim_options_fill_in_the_defaults_and_name_the_flag_out_of_range() {
        assert_eq!(
            PrimOptions::default().params().ok(),
            Some(Params::default())
        );
        let none = PrimOptions::default();
        for (options, message) in [
            (
                PrimOptions {
                    peel_alpha: Some(0.7),
                    ..none
                },
                "--peel-alpha must be greater than 0 and at most 0.5, got 0.7",
            ),
            (
                PrimOptions {
                    paste_alpha: Some(0.0),
                    ..none
                },
                "--paste-alpha must be greater than 0 and at most 0.5, got 0",
            ),
            (
                PrimOptions {
                    mass_min: Some(1.5),
                    ..none
                },
                "--mass-min must be greater than 0 and at most 1, got 1.5",
            ),
            (
                PrimOptions {
                    threshold: Some(f64::NAN),
                    ..none
                },
                "--threshold must be greater than 0 and at most 1, got NaN",
            ),
        ] {
            match options.params() {
                Err(Error::Usage(m)) => assert_eq!(m, message),
                other => panic!("{options:?}: {other:?}"),
            }
        }
    }
}
