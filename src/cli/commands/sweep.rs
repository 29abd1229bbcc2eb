//! `netstates sweep`: the experiment at every point of a grid or a Latin hypercube.
//!
//! [`Sweep::prepare`] turns the flags into the points to play and [`Sweep::finish`] writes
//! the files from the points' summaries, for this command and for the Python package alike;
//! playing the points in between is each caller's.

use std::path::{Path, PathBuf};

use crate::analysis::design::{self, Design, Factor};
use crate::cli::args::SweepArgs;
use crate::cli::commands::study::{
    chosen_metrics, play_study, report_order, study_scenario, write,
};
use crate::cli::error::{Error, design_error};
use crate::cli::output::{say, sayln};
use crate::model::metrics;
use crate::report::{self, export, study_table};
use crate::scenario::Scenario;
use crate::store::{self, Summary, study};

/// A sweep ready to play: its points, and what its files need once they have been played.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The scenario every point starts from.
    pub scenario: Scenario,
    /// The points, as `study.json` records them.
    pub plan: study::Plan,
    /// The metrics shown in the terminal.
    pub shown: Vec<usize>,
    /// The order of the metrics in the report.
    pub order: Vec<usize>,
}

/// The files of a finished sweep.
#[derive(Debug, Clone)]
pub struct SweepFiles {
    /// sweep.csv: every metric's statistics at every point.
    pub csv: PathBuf,
    /// The HTML report.
    pub report: PathBuf,
}

impl Sweep {
    /// The sweep of the study's scenario `s` over its `factors` (as `study_scenario` gives
    /// them, from `--set`): the points of `design` (`samples` of them for a Latin
    /// hypercube), and the `--metric`s (`metrics`) checked.
    pub fn prepare(
        s: Scenario,
        factors: &[Factor],
        design: Design,
        samples: Option<usize>,
        metrics: &[String],
    ) -> Result<Self, Error> {
        let (paths, points) = design::points(design, factors, samples, s.seed)
            .map_err(|e| design_error(e, "--set"))?;
        let names = metrics::names(&s);
        let shown = chosen_metrics(&names, metrics)?;
        let order = report_order(names.len(), metrics, &shown);
        let plan = study::Plan::new(&format!("sweep {}", design.name()), &s, paths, points);
        Ok(Self {
            scenario: s,
            plan,
            shown,
            order,
        })
    }

    /// Writes sweep.csv into `out` from the played points' `summaries` (in point order), and
    /// the report to `report` (default: report.html in `out`).
    pub fn finish(
        &self,
        summaries: &[Summary],
        out: &Path,
        report: Option<PathBuf>,
    ) -> Result<SweepFiles, Error> {
        let plan = &self.plan;
        let csv = write(
            out.join(store::SWEEP_CSV),
            export::sweep_csv(&plan.factors, &plan.points, summaries),
        )?;
        let report = write(
            report.unwrap_or_else(|| out.join(store::REPORT_HTML)),
            report::sweep_html::render(plan, &self.scenario, summaries, &self.order),
        )?;
        Ok(SweepFiles { csv, report })
    }
}

/// `netstates sweep`.
pub fn sweep(args: &SweepArgs, argv: &[String]) -> Result<(), Error> {
    let (s, factors) = study_scenario(&args.file, &args.set, &args.study, "--set")?;
    let sweep = Sweep::prepare(
        s,
        &factors,
        Design::from(args.design),
        args.samples,
        &args.study.metrics,
    )?;
    let plan = &sweep.plan;
    let (out, summaries) = play_study(plan, &sweep.scenario, &args.study, "sweep", "sweep", argv)?;
    let Some(summaries) = summaries else {
        return Ok(());
    };
    let files = sweep.finish(&summaries, &out, args.study.report.clone())?;
    say!(
        "{}",
        study_table::sweep_table(&plan.factors, &plan.points, &summaries, &sweep.shown)
    );
    sayln!(
        "means above; every metric's mean, sd, p5, p50, p95 in {}; plots in {}",
        files.csv.display(),
        files.report.display()
    );
    Ok(())
}
