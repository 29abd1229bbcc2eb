//! `runs.csv`: one row per run in run order, `run,seed,<metrics>`; written as runs finish and
//! read back to resume, replay, compare and merge.

use std::io::Write;

use super::csv::{self, Field};

/// The header fields of `runs.csv`.
pub fn header(names: &[String]) -> Vec<&str> {
    let mut h = vec!["run", "seed"];
    h.extend(names.iter().map(String::as_str));
    h
}

/// The header line of `runs.csv`, as the file starts.
pub fn header_line(names: &[String]) -> String {
    csv::Text::new(&header(names)).finish()
}

/// Writes rows of `runs.csv` to `out` (after its header).
pub struct RowWriter<W: Write> {
    csv: csv::Writer<W>,
    counts: Vec<bool>,
}

impl<W: Write> RowWriter<W> {
    /// `counts[m]`: whether metric `m` counts events (written as an integer).
    pub fn new(out: W, counts: Vec<bool>) -> RowWriter<W> {
        RowWriter {
            csv: csv::Writer::headless(out),
            counts,
        }
    }

    /// One run's row.
    pub fn row(&mut self, run: u64, seed: u64, values: &[f64]) -> std::io::Result<()> {
        let fields = [Field::Whole(run), Field::Whole(seed)].into_iter().chain(
            values
                .iter()
                .zip(&self.counts)
                .map(|(&x, &c)| if c { Field::Count(x) } else { Field::Number(x) }),
        );
        self.csv.row(fields)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.csv.flush()
    }

    pub fn into_inner(self) -> std::io::Result<W> {
        self.csv.into_inner()
    }
}

/// The rows of a `runs.csv`, parsed and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    pub first: u64,
    pub runs: u64,
    /// `runs x width` values in run order.
    pub values: Vec<f64>,
    /// Bytes of the text that hold the header and the complete rows.
    pub complete: usize,
}

/// Parses `runs.csv` text: the header must be this scenario's, rows must number consecutive
/// runs from `first` with the experiment's seed. With `partial_ok`, a last line cut short (a
/// process killed mid-write) is left out; otherwise it is an error.
pub fn parse(
    text: &str,
    names: &[String],
    first: u64,
    seed: u64,
    partial_ok: bool,
) -> Result<Rows, String> {
    let header = header_line(names);
    if !text.starts_with(&header) {
        return Err("its header does not match this scenario's metrics".into());
    }
    let width = names.len();
    let mut rows = Rows {
        first,
        runs: 0,
        values: Vec::new(),
        complete: header.len(),
    };
    let mut rest = &text[header.len()..];
    while !rest.is_empty() {
        let Some(end) = rest.find('\n') else {
            if partial_ok {
                break;
            }
            return Err(format!("row {} is cut short", rows.runs + 1));
        };
        let line = &rest[..end];
        let expected_run = first + rows.runs;
        let mut fields = line.split(',');
        let run = fields.next().and_then(|f| f.parse::<u64>().ok());
        let row_seed = fields.next().and_then(|f| f.parse::<u64>().ok());
        if run != Some(expected_run) || row_seed != Some(seed) {
            return Err(format!(
                "expected run {expected_run} with seed {seed}, found \"{}\"",
                line.chars().take(40).collect::<String>()
            ));
        }
        let before = rows.values.len();
        for f in fields {
            let x: f64 = f
                .parse()
                .map_err(|_| format!("run {expected_run}: \"{f}\" is not a number"))?;
            rows.values.push(x);
        }
        if rows.values.len() - before != width {
            return Err(format!(
                "run {expected_run} has {} metrics, expected {width}",
                rows.values.len() - before
            ));
        }
        rows.runs += 1;
        rows.complete += end + 1;
        rest = &rest[end + 1..];
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_row_is_left_out_only_when_allowed() {
        let names = vec!["a".to_string(), "b".to_string()];
        let text = "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n7,9,0.1";
        let rows = parse(text, &names, 5, 9, true).unwrap();
        assert_eq!(rows.runs, 2);
        assert_eq!(rows.values, [0.5, 1.0, 0.25, 2.0]);
        assert_eq!(
            &text[..rows.complete],
            "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n"
        );
        assert!(parse(text, &names, 5, 9, false).is_err());
        assert!(parse(text, &names, 4, 9, true).is_err(), "wrong first run");
        assert!(parse(text, &names, 5, 8, true).is_err(), "wrong seed");
        let short = "run,seed,a,b\n5,9,0.5\n";
        assert!(parse(short, &names, 5, 9, true).is_err());
    }

    #[test]
    fn rows_written_read_back() {
        let names = vec!["x".to_string(), "violations".to_string()];
        let mut w = RowWriter::new(Vec::new(), vec![false, true]);
        w.row(0, 3, &[0.1, 4.0]).unwrap();
        w.row(1, 3, &[-0.0, 0.0]).unwrap();
        let body = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(body, "0,3,0.1,4\n1,3,0,0\n");
        let text = header_line(&names) + &body;
        let rows = parse(&text, &names, 0, 3, false).unwrap();
        assert_eq!(rows.values, [0.1, 4.0, 0.0, 0.0]);
    }
}
