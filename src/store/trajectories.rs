//! `trajectories.csv` (`run,round,<metrics>`: every run's metrics at round 0, every N-th round
//! and the last) and `trajectory-summary.csv` (`round,metric,n,mean,sd,p5,p25,p50,p75,p95`,
//! computed in run order), written with `--trajectories`. Rows are streamed in run order as
//! runs finish, like `runs.csv`; the summary keeps every recorded value (8 bytes each), so
//! its memory is reserved before anything runs.

use std::io::Write;

use super::csv::{self, Field, Text};
use super::runs::{check_header, excerpt, lines, metric_fields, numbers, text};
use super::summary::{NotFinite, check_finite, summarize};

/// The header fields of `trajectories.csv`.
pub fn header_line(metrics: &[String]) -> String {
    let mut h = vec!["run", "round"];
    h.extend(metrics.iter().map(String::as_str));
    Text::new(&h).finish()
}

/// Writes the rows of `trajectories.csv` (after its header), a run at a time.
pub struct TrajectoryWriter<W: Write> {
    csv: csv::Writer<W>,
    counts: Vec<bool>,
    rounds: Vec<u32>,
}

impl<W: Write> TrajectoryWriter<W> {
    /// `rounds`: the recorded rounds; `counts[m]`: whether metric `m` counts events.
    pub fn new(out: W, rounds: Vec<u32>, counts: Vec<bool>) -> TrajectoryWriter<W> {
        TrajectoryWriter {
            csv: csv::Writer::headless(out),
            counts,
            rounds,
        }
    }

    /// One run's rows: `values` holds a row of metrics per recorded round.
    pub fn run(&mut self, run: u64, values: &[f64]) -> std::io::Result<()> {
        let width = self.counts.len();
        for (row, &round) in values.chunks(width.max(1)).zip(&self.rounds) {
            self.csv.row(
                [Field::Whole(run), Field::Whole(u64::from(round))]
                    .into_iter()
                    .chain(metric_fields(row, &self.counts)),
            )?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }

    pub fn into_inner(self) -> std::io::Result<W> {
        self.csv.into_inner()
    }
}

/// The runs of a `trajectories.csv`, parsed and checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Kept {
    pub runs: u64,
    /// `runs x rounds x metrics` values in run order.
    pub values: Vec<f64>,
    /// Bytes of the header.
    pub header: usize,
    /// Per complete run (all its rounds), the bytes up to and including its last row.
    pub ends: Vec<usize>,
}

impl Kept {
    /// Bytes of the header and the complete runs.
    pub fn complete(&self) -> usize {
        self.ends.last().copied().unwrap_or(self.header)
    }

    /// Keeps the first `runs` runs only.
    pub fn truncate(&mut self, runs: u64, per_run: usize) {
        if runs < self.runs {
            self.runs = runs;
            self.values.truncate(runs as usize * per_run);
            self.ends.truncate(runs as usize);
        }
    }
}

/// Parses `trajectories.csv` bytes: the header must be these metrics'; rows must be runs
/// `first`, `first + 1`, ... each with a row per recorded round in order. A run whose rows
/// are not all there ends the file (with `partial_ok`, after a process was killed) or is an
/// error. Errors name the line.
pub fn parse(
    bytes: &[u8],
    metrics: &[String],
    rounds: &[u32],
    first: u64,
    partial_ok: bool,
) -> Result<Kept, String> {
    let header = header_line(metrics);
    check_header(bytes, &header, "these metrics'")?;
    let width = metrics.len();
    let mut kept = Kept {
        header: header.len(),
        ..Kept::default()
    };
    let mut at_round = 0;
    let mut row_values = Vec::with_capacity(rounds.len() * width);
    for (line_no, line, end) in lines(bytes, header.len()) {
        let Some(end) = end else {
            if partial_ok {
                break;
            }
            return Err(format!("line {line_no}: the row is cut short"));
        };
        let line = text(line_no, line)?;
        let expected = (first + kept.runs, rounds[at_round]);
        let mut fields = line.split(',');
        let run = fields.next().and_then(|f| f.parse::<u64>().ok());
        let round = fields.next().and_then(|f| f.parse::<u32>().ok());
        if (run, round) != (Some(expected.0), Some(expected.1)) {
            return Err(format!(
                "line {line_no}: expected run {} round {}, found \"{}\"",
                expected.0,
                expected.1,
                excerpt(line.as_bytes())
            ));
        }
        numbers(line_no, &mut fields, width, &mut row_values)?;
        if fields.next().is_some() {
            return Err(format!("line {line_no}: more than {width} metrics"));
        }
        at_round += 1;
        if at_round == rounds.len() {
            kept.values.append(&mut row_values);
            kept.runs += 1;
            kept.ends.push(end);
            at_round = 0;
        }
    }
    if at_round != 0 && !partial_ok {
        return Err(format!(
            "run {} has {at_round} of its {} rounds",
            first + kept.runs,
            rounds.len()
        ));
    }
    Ok(kept)
}

/// `trajectory-summary.csv` of `values` (`runs x rounds x metrics`, in run order): per
/// recorded round and metric, n, mean, sd, p5, p25, p50, p75, p95 as `summary.json`
/// computes them. With `point`, every row starts with it (a study's summary).
pub fn summary_rows(
    out: &mut Text,
    point: Option<u64>,
    rounds: &[u32],
    metrics: &[String],
    values: &[f64],
) -> Result<(), NotFinite> {
    let width = metrics.len();
    let per_run = rounds.len() * width;
    let runs = values.len().checked_div(per_run).unwrap_or(0);
    if runs == 0 {
        return Ok(());
    }
    let mut column = Vec::with_capacity(runs);
    for (j, &round) in rounds.iter().enumerate() {
        for (m, name) in metrics.iter().enumerate() {
            column.clear();
            column.extend((0..runs).map(|r| values[r * per_run + j * width + m]));
            let s = summarize(&column);
            check_finite(name, &s, &column)?;
            let stats = [s.mean, s.sd, s.p5, s.p25, s.p50, s.p75, s.p95].map(Field::Number);
            out.row(
                point
                    .map(Field::Whole)
                    .into_iter()
                    .chain([
                        Field::Whole(u64::from(round)),
                        Field::Text(name),
                        Field::Whole(s.n as u64),
                    ])
                    .chain(stats),
            );
        }
    }
    Ok(())
}

/// The header of `trajectory-summary.csv`, with a leading `point` for a study's.
pub fn summary_header(point: bool) -> Vec<&'static str> {
    let mut h = if point { vec!["point"] } else { vec![] };
    h.extend([
        "round", "metric", "n", "mean", "sd", "p5", "p25", "p50", "p75", "p95",
    ]);
    h
}

/// The whole `trajectory-summary.csv` of one experiment.
pub fn summary_csv(
    rounds: &[u32],
    metrics: &[String],
    values: &[f64],
) -> Result<String, NotFinite> {
    let mut out = Text::new(&summary_header(false));
    summary_rows(&mut out, None, rounds, metrics, values)?;
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_written_read_back_and_a_cut_run_is_left_out() {
        let metrics = vec!["a".to_string(), "violations".to_string()];
        let rounds = vec![0, 2, 3];
        let mut w = TrajectoryWriter::new(Vec::new(), rounds.clone(), vec![false, true]);
        w.run(4, &[0.5, 0.0, 0.25, 1.0, 0.125, 2.0]).unwrap();
        w.run(5, &[0.5, 0.0, 0.5, 3.0, 1.0, 4.0]).unwrap();
        let text = header_line(&metrics) + &String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(
            text.starts_with("run,round,a,violations\n4,0,0.5,0\n4,2,0.25,1\n"),
            "{text}"
        );
        let kept = parse(text.as_bytes(), &metrics, &rounds, 4, false).unwrap();
        assert_eq!(kept.runs, 2);
        assert_eq!(kept.values.len(), 12);
        // Cut inside run 5: only run 4 is whole.
        let cut = &text.as_bytes()[..text.find("5,2,").unwrap() + 2];
        let kept = parse(cut, &metrics, &rounds, 4, true).unwrap();
        assert_eq!(
            (kept.runs, kept.complete()),
            (1, text.find("\n5,0,").unwrap() + 1)
        );
        assert!(parse(cut, &metrics, &rounds, 4, false).is_err());
        assert!(
            parse(text.as_bytes(), &metrics, &rounds, 3, false).is_err(),
            "wrong first"
        );
    }

    #[test]
    fn the_summary_has_a_row_per_round_and_metric() {
        let metrics = vec!["a".to_string()];
        let csv = summary_csv(&[0, 1], &metrics, &[0.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!(
            csv,
            "round,metric,n,mean,sd,p5,p25,p50,p75,p95\n\
             0,a,2,1,1.4142135623730951,0.1,0.5,1,1.5,1.9\n\
             1,a,2,2,1.4142135623730951,1.1,1.5,2,2.5,2.9\n"
        );
    }
}
