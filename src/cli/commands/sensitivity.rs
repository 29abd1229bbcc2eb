//! `netstates sensitivity`: Sobol indices or Morris effects of every metric.

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
use crate::store::{self, study};

/// `netstates sensitivity`.
pub fn sensitivity(args: &SensitivityArgs, argv: &[String]) -> Result<(), Error> {
    let (s, fixed) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    if let Some(f) = fixed.iter().find(|f| !matches!(f.spec, Spec::Fixed(_))) {
        return Err(Error::Usage(format!(
            "--set {}: sensitivity fixes parameters with --set PATH=VALUE; give what varies \
             with --param PATH=LO..HI",
            f.path
        )));
    }
    let mut paths = Vec::new();
    let mut ranges = Vec::new();
    for o in &args.params {
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
        if paths.contains(&f.path) || args.set.iter().any(|o| o.path == f.path) {
            return Err(Error::Usage(format!(
                "--param {}: given twice (or also with --set)",
                f.path
            )));
        }
        paths.push(f.path);
    }
    if !(2..=100_000).contains(&args.resamples) {
        return Err(Error::Usage(format!(
            "--resamples must be between 2 and 100000, got {}",
            args.resamples
        )));
    }
    let method = Method::from(args.method);
    let samples = args.samples.unwrap_or(match method {
        Method::Sobol => 64,
        Method::Morris => 20,
    });
    if method == Method::Sobol && !args.study.exec.quiet {
        for warning in sobol_sample_warnings(samples) {
            eprintln!("warning: {warning}");
        }
    }
    let design = sa::Design {
        method,
        samples,
        levels: args.levels,
        second_order: args.second_order,
    };
    let x = sa::sample(&design, &ranges, s.seed).map_err(sensitivity_error)?;
    let points: Vec<Vec<study::Setting>> = x
        .iter()
        .map(|row| row.iter().map(|&v| study::Setting::Number(v)).collect())
        .collect();
    let names = metrics::names(&s);
    let shown = chosen_metrics(&names, &args.study.metrics)?;
    let mut name = format!("sensitivity {} N={samples}", method.name());
    match method {
        Method::Morris => name.push_str(&format!(" levels={}", args.levels)),
        Method::Sobol if args.second_order => name.push_str(" second-order"),
        Method::Sobol => {}
    }
    let plan = study::Plan::new(&name, &s, paths, points);
    let (out, summaries) = play_study(
        &plan,
        &s,
        &args.study,
        "sensitivity analysis",
        method.name(),
        argv,
    )?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let resamples = Resamples::draw(&design, ranges.len(), args.resamples, s.seed);
    let mut analyses = Vec::with_capacity(names.len());
    for (m, name) in names.iter().enumerate() {
        let y: Vec<f64> = summaries
            .iter()
            .map(|p| p.metrics[m].summary.mean)
            .collect();
        let a = sa::analyze(&design, &x, &y, &resamples).map_err(sensitivity_error)?;
        analyses.push((name.clone(), a));
    }
    let csv_path = write(
        out.join(store::SENSITIVITY_CSV),
        export::sensitivity_csv(&plan.factors, &analyses),
    )?;
    write(
        out.join(store::POINTS_CSV),
        export::sweep_csv(&plan.factors, &plan.points, &summaries),
    )?;
    if let Some(text) = export::second_order_csv(&plan.factors, &analyses) {
        write(out.join(store::SECOND_ORDER_CSV), text)?;
    }
    let report_path = write(
        args.study
            .report
            .clone()
            .unwrap_or_else(|| out.join(store::REPORT_HTML)),
        report::sensitivity_html::render(
            &plan,
            &s,
            method,
            args.resamples,
            &analyses,
            &report_order(names.len(), &args.study.metrics, &shown),
        ),
    )?;
    if !args.study.exec.quiet {
        for warning in noisy_indices(&plan.factors, &analyses, &shown) {
            eprintln!("warning: {warning}");
        }
    }
    for &m in &shown {
        let (name, a) = &analyses[m];
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
        csv_path.display(),
        out.join(store::POINTS_CSV).display(),
        report_path.display()
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
