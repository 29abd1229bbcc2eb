//! `netstates sweep`: the experiment at every point of a grid or a Latin hypercube.

use crate::analysis::design::{self, Design};
use crate::cli::args::SweepArgs;
use crate::cli::commands::study::{
    chosen_metrics, play_study, report_order, study_scenario, write,
};
use crate::cli::error::{Error, design_error};
use crate::cli::output::{say, sayln};
use crate::model::metrics;
use crate::report::{self, export, study_table};
use crate::store::{self, study};

/// `netstates sweep`.
pub fn sweep(args: &SweepArgs, argv: &[String]) -> Result<(), Error> {
    let (s, factors) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    let design = Design::from(args.design);
    let (paths, points) = design::points(design, &factors, args.samples, s.seed)
        .map_err(|e| design_error(e, "--set"))?;
    let names = metrics::names(&s);
    let shown = chosen_metrics(&names, &args.study.metrics)?;
    let plan = study::Plan::new(&format!("sweep {}", design.name()), &s, paths, points);
    let (out, summaries) = play_study(&plan, &s, &args.study, "sweep", "sweep", argv)?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let csv_path = write(
        out.join(store::SWEEP_CSV),
        export::sweep_csv(&plan.factors, &plan.points, &summaries),
    )?;
    let report_path = write(
        args.study
            .report
            .clone()
            .unwrap_or_else(|| out.join(store::REPORT_HTML)),
        report::sweep_html::render(
            &plan,
            &s,
            &summaries,
            &report_order(names.len(), &args.study.metrics, &shown),
        ),
    )?;
    say!(
        "{}",
        study_table::sweep_table(&plan.factors, &plan.points, &summaries, &shown)
    );
    sayln!(
        "means above; every metric's mean, sd, p5, p50, p95 in {}; plots in {}",
        csv_path.display(),
        report_path.display()
    );
    Ok(())
}
