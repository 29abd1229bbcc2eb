//! `netstates sensitivity`: Sobol indices or Morris effects of every metric.
//!
//! [`Sensitivity::prepare`] turns the flags into the points to play and
//! [`Sensitivity::finish`] turns the points' summaries into the analyses and the files, for
//! this command and for the Python package alike; playing the points in between is each
//! caller's (here with a progress bar and Ctrl-C, there on the package's thread).

use std::path::{Path, PathBuf};

use crate::analysis::design::{Factor, Spec};
use crate::analysis::sensitivity::{self as sa, Method, Resamples};
use crate::cli::args::SensitivityArgs;
use crate::cli::commands::study::{
    chosen_metrics, play_study, report_order, study_scenario, write,
};
use crate::cli::error::{Error, design_error, sensitivity_error};
use crate::cli::output::{say, sayln};
use crate::model::metrics;
use crate::report::{self, export, study_table};
use crate::scenario::{Override, Scenario};
use crate::store::{self, Summary, study};

/// What a sensitivity analysis is asked for besides its scenario: the flags of
/// `netstates sensitivity`.
#[derive(Debug, Clone, Copy)]
pub struct SensitivityRequest<'a> {
    /// `--set PATH=VALUE`: the parameters fixed at every point.
    pub set: &'a [Override],
    /// `--param PATH=LO..HI`: the parameters that vary, in column order.
    pub params: &'a [Override],
    pub method: Method,
    /// `--samples`: Saltelli's base points or Morris's trajectories (default 64 or 20).
    pub samples: Option<usize>,
    /// `--levels`: Morris's grid levels.
    pub levels: usize,
    /// `--second-order`: Sobol's S2 as well.
    pub second_order: bool,
    /// `--resamples`: the bootstrap resamples of the confidence intervals.
    pub resamples: usize,
    /// `--metric`: the metrics shown, in the order given (none: the headline ones).
    pub metrics: &'a [String],
}

/// A sensitivity analysis ready to play: its points, and what its analysis needs once they
/// have been played.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    /// The scenario every point starts from.
    pub scenario: Scenario,
    /// The points, as `study.json` records them.
    pub plan: study::Plan,
    pub design: sa::Design,
    /// Each `--param`'s range `(lo, hi)`, in column order.
    pub ranges: Vec<(f64, f64)>,
    /// The sample: one row per point, one value per `--param`.
    pub x: Vec<Vec<f64>>,
    /// `--resamples`.
    pub resamples: usize,
    /// Every metric's name, in the column order of the summaries.
    pub names: Vec<String>,
    /// The metrics shown in the terminal.
    pub shown: Vec<usize>,
    /// The order of the metrics in the report.
    pub order: Vec<usize>,
}

/// A finished sensitivity analysis: every metric's analysis, where its files are, and the
/// warnings about its estimates.
#[derive(Debug, Clone)]
pub struct Finished {
    /// `(metric, analysis)` for every metric, in column order.
    pub analyses: Vec<(String, sa::Analysis)>,
    /// sensitivity.csv.
    pub csv: PathBuf,
    /// points.csv: the points and their outputs.
    pub points: PathBuf,
    /// The HTML report.
    pub report: PathBuf,
    /// [`noisy_indices`] of the metrics shown.
    pub warnings: Vec<String>,
}

impl Sensitivity {
    /// The analysis of `request` from the study's scenario `s` and its `fixed` factors (as
    /// `study_scenario` gives them, from `request.set`): the flags checked in the command's
    /// order, the default samples, the design and its sample, the plan. Sobol's warnings
    /// about `--samples` go to `warn` as soon as they are known, before the checks after them.
    pub fn prepare(
        s: Scenario,
        fixed: &[Factor],
        request: &SensitivityRequest<'_>,
        warn: &mut dyn FnMut(String),
    ) -> Result<Self, Error> {
        if let Some(f) = fixed.iter().find(|f| !matches!(f.spec, Spec::Fixed(_))) {
            return Err(Error::Usage(format!(
                "--set {}: sensitivity fixes parameters with --set PATH=VALUE; give what varies \
                 with --param PATH=LO..HI",
                f.path
            )));
        }
        let mut paths = Vec::new();
        let mut ranges = Vec::new();
        for o in request.params {
            let f = Factor::parse(o, &s).map_err(|e| design_error(e, "--param"))?;
            match f.spec {
                Spec::Range { lo, hi } => ranges.push((lo, hi)),
                _ => {
                    return Err(Error::Usage(format!(
                        "--param {}={}: expected a numeric range LO..HI",
                        o.path, o.value
                    )));
                }
            }
            if paths.contains(&f.path) || request.set.iter().any(|o| o.path == f.path) {
                return Err(Error::Usage(format!(
                    "--param {}: given twice (or also with --set)",
                    f.path
                )));
            }
            paths.push(f.path);
        }
        if !(2..=100_000).contains(&request.resamples) {
            return Err(Error::Usage(format!(
                "--resamples must be between 2 and 100000, got {}",
                request.resamples
            )));
        }
        let method = request.method;
        let samples = request.samples.unwrap_or(match method {
            Method::Sobol => 64,
            Method::Morris => 20,
        });
        if method == Method::Sobol {
            sobol_sample_warnings(samples).into_iter().for_each(warn);
        }
        let design = sa::Design {
            method,
            samples,
            levels: request.levels,
            second_order: request.second_order,
        };
        let x = sa::sample(&design, &ranges, s.seed).map_err(sensitivity_error)?;
        let points: Vec<Vec<study::Setting>> = x
            .iter()
            .map(|row| row.iter().map(|&v| study::Setting::Number(v)).collect())
            .collect();
        let names = metrics::names(&s);
        let shown = chosen_metrics(&names, request.metrics)?;
        let order = report_order(names.len(), request.metrics, &shown);
        let mut name = format!("sensitivity {} N={samples}", method.name());
        match method {
            Method::Morris => name.push_str(&format!(" levels={}", request.levels)),
            Method::Sobol if request.second_order => name.push_str(" second-order"),
            Method::Sobol => {}
        }
        let plan = study::Plan::new(&name, &s, paths, points);
        Ok(Self {
            scenario: s,
            plan,
            design,
            ranges,
            x,
            resamples: request.resamples,
            names,
            shown,
            order,
        })
    }

    /// Every metric's analysis from the played points' `summaries` (in point order), written
    /// into `out` (sensitivity.csv, points.csv, second-order.csv with S2) and the report to
    /// `report` (default: report.html in `out`).
    pub fn finish(
        &self,
        summaries: &[Summary],
        out: &Path,
        report: Option<PathBuf>,
    ) -> Result<Finished, Error> {
        let (plan, s) = (&self.plan, &self.scenario);
        let draws = Resamples::draw(&self.design, self.ranges.len(), self.resamples, s.seed);
        let mut analyses = Vec::with_capacity(self.names.len());
        for (m, name) in self.names.iter().enumerate() {
            let y: Vec<f64> = summaries
                .iter()
                .map(|p| p.metrics[m].summary.mean)
                .collect();
            let a = sa::analyze(&self.design, &self.x, &y, &draws).map_err(sensitivity_error)?;
            analyses.push((name.clone(), a));
        }
        let csv = write(
            out.join(store::SENSITIVITY_CSV),
            export::sensitivity_csv(&plan.factors, &analyses),
        )?;
        let points = write(
            out.join(store::POINTS_CSV),
            export::sweep_csv(&plan.factors, &plan.points, summaries),
        )?;
        if let Some(text) = export::second_order_csv(&plan.factors, &analyses) {
            write(out.join(store::SECOND_ORDER_CSV), text)?;
        }
        let report = write(
            report.unwrap_or_else(|| out.join(store::REPORT_HTML)),
            report::sensitivity_html::render(
                plan,
                s,
                self.design.method,
                self.resamples,
                &analyses,
                &self.order,
            ),
        )?;
        let warnings = noisy_indices(&plan.factors, &analyses, &self.shown);
        Ok(Finished {
            analyses,
            csv,
            points,
            report,
            warnings,
        })
    }
}

/// `netstates sensitivity`.
pub fn sensitivity(args: &SensitivityArgs, argv: &[String]) -> Result<(), Error> {
    let (s, fixed) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    let request = SensitivityRequest {
        set: &args.set,
        params: &args.params,
        method: Method::from(args.method),
        samples: args.samples,
        levels: args.levels,
        second_order: args.second_order,
        resamples: args.resamples,
        metrics: &args.study.metrics,
    };
    let quiet = args.study.exec.quiet;
    let analysis = Sensitivity::prepare(s, &fixed, &request, &mut |warning| {
        if !quiet {
            eprintln!("warning: {warning}");
        }
    })?;
    let (plan, method) = (&analysis.plan, request.method);
    let (out, summaries) = play_study(
        plan,
        &analysis.scenario,
        &args.study,
        "sensitivity analysis",
        method.name(),
        argv,
    )?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let finished = analysis.finish(&summaries, &out, args.study.report.clone())?;
    if !quiet {
        for warning in &finished.warnings {
            eprintln!("warning: {warning}");
        }
    }
    for &m in &analysis.shown {
        let (name, a) = &finished.analyses[m];
        say!(
            "\n{}",
            study_table::sensitivity_table(&plan.factors, name, a)
        );
    }
    sayln!(
        "\n{} for every metric in {}; the points and their outputs in {}; bar charts in {}",
        match method {
            Method::Sobol if args.second_order => {
                "S1 and ST with 95% intervals (S2 in second-order.csv)"
            }
            Method::Sobol => "S1 and ST with 95% intervals",
            Method::Morris => "mu, mu*, sigma and mu*'s 95% interval",
        },
        finished.csv.display(),
        finished.points.display(),
        finished.report.display()
    );
    Ok(())
}

/// What to say about Saltelli's N before a Sobol analysis runs: below 64 base points the
/// indices are mostly noise, and off a power of 2 the Sobol sequence is unbalanced.
pub fn sobol_sample_warnings(samples: usize) -> Vec<String> {
    let mut warnings = Vec::new();
    if samples < 64 {
        warnings.push(format!(
            "--samples {samples} is below 64: Sobol indices from so few base points are \
             mostly estimation noise (intervals wide, S1 outside [0, 1]); use 64 or more"
        ));
    }
    if !samples.is_power_of_two() {
        warnings.push(format!(
            "--samples {samples} is not a power of 2; the Sobol sequence is balanced only at \
             powers of 2 (such as {})",
            samples.next_power_of_two()
        ));
    }
    warnings
}

/// First-order indices outside [-0.05, 1.05]: no true index lies there, so the estimate is
/// noise, and more samples (or runs per point) would narrow it. One line per index of the
/// metrics shown (`shown`), then one line counting those of the other metrics.
pub fn noisy_indices(
    factors: &[String],
    analyses: &[(String, sa::Analysis)],
    shown: &[usize],
) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut elsewhere = 0;
    for (m, (metric, a)) in analyses.iter().enumerate() {
        let sa::Analysis::Sobol(ix) = a else { continue };
        for (factor, &s1) in factors.iter().zip(&ix.s1) {
            if (-0.05..=1.05).contains(&s1) {
                continue;
            }
            if shown.contains(&m) {
                warnings.push(format!(
                    "S1 of {factor} for {metric} is {s1:.3}, outside [-0.05, 1.05]: estimation \
                     noise; more --samples (or --runs per point) will narrow it"
                ));
            } else {
                elsewhere += 1;
            }
        }
    }
    if elsewhere > 0 {
        warnings.push(format!(
            "{elsewhere} S1 of metrics not shown lie outside [-0.05, 1.05] (sensitivity.csv): \
             estimation noise; more --samples (or --runs per point) will narrow them"
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::sobol::Indices;

    #[test]
    fn few_or_unbalanced_samples_are_warned_of() {
        assert!(sobol_sample_warnings(64).is_empty());
        assert!(sobol_sample_warnings(1024).is_empty());
        let few = sobol_sample_warnings(32);
        assert_eq!(few.len(), 1);
        assert!(few[0].contains("below 64"), "{few:?}");
        let odd = sobol_sample_warnings(100);
        assert_eq!(odd.len(), 1);
        assert!(odd[0].contains("such as 128"), "{odd:?}");
        assert_eq!(sobol_sample_warnings(10).len(), 2);
    }

    #[test]
    fn first_order_indices_outside_the_unit_interval_are_noise() {
        let indices = |s1: Vec<f64>| {
            sa::Analysis::Sobol(Indices {
                s1_conf: vec![0.1; s1.len()],
                st: s1.clone(),
                st_conf: vec![0.1; s1.len()],
                s1,
                s2: Vec::new(),
            })
        };
        let factors = ["a".to_string(), "b".to_string(), "c".to_string()];
        let analyses = vec![
            ("capture".to_string(), indices(vec![-0.04, 1.05, 0.5])),
            ("trust".to_string(), indices(vec![-0.2, 0.3, 1.3])),
        ];
        let warnings = noisy_indices(&factors, &analyses, &[1]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("S1 of a for trust is -0.200"));
        assert!(warnings[1].starts_with("S1 of c for trust is 1.300"));
        let hidden = noisy_indices(&factors, &analyses, &[0]);
        assert_eq!(hidden.len(), 1, "{hidden:?}");
        assert!(
            hidden[0].starts_with("2 S1 of metrics not shown"),
            "{hidden:?}"
        );
    }
}
