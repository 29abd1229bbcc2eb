//! Progress on stderr while runs are played: a bar on a terminal (indicatif), a plain line
//! every few seconds otherwise (Slurm and CI logs, where indicatif hides its bar), nothing with
//! `--quiet`.

#![allow(
    clippy::disallowed_methods,
    reason = "the clock measures progress and elapsed time here, never the model"
)]

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// Runs `work` with progress shown on stderr; returns its result and the seconds it took.
pub(crate) fn with_progress<T>(
    quiet: bool,
    work: impl FnOnce(&mut (dyn FnMut(u64, u64) + Send)) -> T,
) -> (T, f64) {
    let clock = Instant::now();
    let mut progress = Progress::new(quiet);
    let result = work(&mut |done, total| progress.update(done, total));
    progress.finish();
    (result, clock.elapsed().as_secs_f64())
}

/// Progress on stderr: a bar on a terminal, a plain line every few seconds otherwise (Slurm
/// and CI logs), nothing with `--quiet`.
pub(crate) struct Progress {
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    /// For the plain line: when it started, when it last printed, and the runs done then.
    plain: Option<(Instant, Instant, u64)>,
}

impl Progress {
    const PLAIN_EVERY: Duration = Duration::from_secs(5);

    pub(crate) fn new(quiet: bool) -> Progress {
        Progress {
            quiet,
            bar: None,
            plain: None,
        }
    }

    pub(crate) fn update(&mut self, done: u64, total: u64) {
        if self.quiet {
            return;
        }
        if std::io::stderr().is_terminal() {
            let bar = self.bar.get_or_insert_with(|| {
                let b = indicatif::ProgressBar::new(total);
                b.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:40} {pos}/{len} runs  {rate}  elapsed {elapsed}  eta {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .with_key(
                        "rate",
                        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                            let _ = write!(w, "{:.1} runs/s", state.per_sec());
                        },
                    ),
                );
                b.set_position(done);
                b.reset_eta();
                b
            });
            bar.set_position(done);
            return;
        }
        let now = Instant::now();
        let (start, last, at_start) = self.plain.get_or_insert((now, now, done));
        if now.duration_since(*last) >= Self::PLAIN_EVERY {
            *last = now;
            let secs = now.duration_since(*start).as_secs_f64();
            let rate = (done - *at_start) as f64 / secs.max(1e-9);
            let eta = (total - done) as f64 / rate.max(1e-9);
            eprintln!(
                "progress: {done}/{total} runs, {rate:.1} runs/s, elapsed {secs:.0} s, eta {eta:.0} s"
            );
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
