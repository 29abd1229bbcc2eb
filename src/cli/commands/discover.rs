//! `netstates discover`: scenario discovery over the runs of an experiment or a study. PRIM
//! boxes of the inputs where a condition holds, and feature scores of every input for every
//! metric; the chosen box in words; CSV and JSON files and an HTML report.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::discovery::{self, Condition};
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

pub fn discover(args: &DiscoverArgs) -> Result<(), Error> {
    let condition: Condition = args
        .condition
        .parse()
        .map_err(|e: discovery::DiscoveryError| Error::Usage(format!("--where: {e}")))?;
    let table = table::read(&args.dir)?;
    let cases = condition
        .cases(&table)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let defaults = Params::default();
    let params = Params {
        peel_alpha: args.peel_alpha.unwrap_or(defaults.peel_alpha),
        paste_alpha: args.paste_alpha.unwrap_or(defaults.paste_alpha),
        mass_min: args.mass_min.unwrap_or(defaults.mass_min),
        threshold: args.threshold.unwrap_or(defaults.threshold),
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
    let trajectory = prim::trajectory(&cases.inputs, &cases.y, &params)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let chosen = match args.r#box {
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

    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dir.join("discover"));
    let names: Vec<String> = cases.inputs.iter().map(|i| i.name.clone()).collect();
    write(
        &out.join("prim-trajectory.csv"),
        &export::prim_trajectory_csv(&trajectory),
    )?;
    write(
        &out.join("prim-box.csv"),
        &export::prim_box_csv(&names, chosen, &trajectory[chosen]),
    )?;
    write(
        &out.join("feature-scores.csv"),
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
    write(&out.join("discover.json"), &json)?;
    let report = args
        .report
        .clone()
        .unwrap_or_else(|| out.join("report.html"));
    let html = discover_html::render(
        &args.dir.display().to_string(),
        &condition,
        &cases,
        &trajectory,
        chosen,
        &scores,
    );
    write(&report, &html)?;

    print_summary(&condition, &cases.inputs, &trajectory, chosen, &scores[0].1);
    sayln!("files in {}; report in {}", out.display(), report.display());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<PathBuf, Error> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    store::write_atomic(path, text.as_bytes())
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(path.to_path_buf())
}

fn print_summary(
    condition: &Condition,
    inputs: &[prim::Input],
    trajectory: &[PrimBox],
    chosen: usize,
    scores: &[f64],
) {
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
    sayln!(
        "\nbox {chosen}: {}",
        discovery::describe(condition, inputs, &trajectory[chosen])
    );
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
