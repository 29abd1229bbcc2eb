//! `runs.csv`: one row per run in run order, `run,seed,<inputs>,<metrics>` (the inputs are the
//! values each run drew for the scenario's uncertain parameters, absent when nothing is
//! uncertain); written as runs finish and read back to resume, replay, compare and merge.

use std::io::Write;

use super::csv::{self, Field};
use crate::model::metrics;
use crate::scenario::Scenario;

/// The columns of a scenario's `runs.csv` after `run,seed`: its inputs, then its metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub inputs: Vec<String>,
    pub metrics: Vec<String>,
    /// Per metric: whether it counts events (written as an integer).
    pub counts: Vec<bool>,
}

impl Columns {
    pub fn of(s: &Scenario) -> Columns {
        Columns {
            inputs: s.input_names(),
            metrics: metrics::names(s),
            counts: metrics::is_count(s),
        }
    }

    /// The header fields of `runs.csv`.
    pub fn header(&self) -> Vec<&str> {
        let mut h = vec!["run", "seed"];
        h.extend(self.inputs.iter().map(String::as_str));
        h.extend(self.metrics.iter().map(String::as_str));
        h
    }

    /// The header line of `runs.csv`, as the file starts.
    pub fn header_line(&self) -> String {
        csv::Text::new(&self.header()).finish()
    }
}

/// Writes rows of `runs.csv` to `out` (after its header).
pub struct RowWriter<W: Write> {
    csv: csv::Writer<W>,
    counts: Vec<bool>,
}

/// A metric as a field: counts as integers.
pub(crate) fn metric_fields<'a>(
    values: &'a [f64],
    counts: &'a [bool],
) -> impl Iterator<Item = Field<'static>> + 'a {
    values
        .iter()
        .zip(counts)
        .map(|(&x, &c)| if c { Field::Count(x) } else { Field::Number(x) })
}

impl<W: Write> RowWriter<W> {
    /// `counts[m]`: whether metric `m` counts events (written as an integer).
    pub fn new(out: W, counts: Vec<bool>) -> RowWriter<W> {
        RowWriter {
            csv: csv::Writer::headless(out),
            counts,
        }
    }

    /// One run's row: its inputs, then its metrics.
    pub fn row(
        &mut self,
        run: u64,
        seed: u64,
        inputs: &[f64],
        values: &[f64],
    ) -> std::io::Result<()> {
        let fields = [Field::Whole(run), Field::Whole(seed)]
            .into_iter()
            .chain(inputs.iter().map(|&x| Field::Number(x)))
            .chain(metric_fields(values, &self.counts));
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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rows {
    pub first: u64,
    pub runs: u64,
    /// `runs x inputs` drawn values in run order.
    pub inputs: Vec<f64>,
    /// `runs x metrics` values in run order.
    pub values: Vec<f64>,
    /// Bytes of the text that hold the header and the complete rows.
    pub complete: usize,
    /// Bytes of the header.
    pub header: usize,
    /// Per complete row, the bytes up to and including it.
    pub ends: Vec<usize>,
}

impl Rows {
    /// Keeps the first `runs` rows only.
    pub fn truncate(&mut self, runs: u64, inputs: usize, width: usize) {
        if runs < self.runs {
            self.runs = runs;
            self.inputs.truncate(runs as usize * inputs);
            self.values.truncate(runs as usize * width);
            self.ends.truncate(runs as usize);
            self.complete = self.ends.last().copied().unwrap_or(self.header);
        }
    }
}

/// The lines of `bytes` after its header: each complete line (without its newline) with the
/// byte offset just past it, and whether a last line was cut short. Errors name the line.
pub(crate) fn lines(
    bytes: &[u8],
    from: usize,
) -> impl Iterator<Item = (usize, &[u8], Option<usize>)> {
    let mut at = from;
    let mut line_no = 1;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        line_no += 1;
        let rest = &bytes[at..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(end) => {
                at += end + 1;
                Some((line_no, &rest[..end], Some(at)))
            }
            None => {
                at = bytes.len();
                Some((line_no, rest, None))
            }
        }
    })
}

/// A line as text, or an error naming it.
pub(crate) fn text(line_no: usize, line: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(line)
        .map_err(|_| format!("line {line_no}: not UTF-8 text (\"{}\")", excerpt(line)))
}

/// Parses `count` numbers from `fields`, or an error naming the line.
pub(crate) fn numbers<'a>(
    line_no: usize,
    fields: &mut impl Iterator<Item = &'a str>,
    count: usize,
    out: &mut Vec<f64>,
) -> Result<(), String> {
    for got in 0..count {
        let f = fields
            .next()
            .ok_or_else(|| format!("line {line_no}: {got} values, expected {count} here"))?;
        let x: f64 = f.parse().map_err(|_| {
            format!(
                "line {line_no}: \"{}\" is not a number",
                excerpt(f.as_bytes())
            )
        })?;
        out.push(x);
    }
    Ok(())
}

/// Parses `runs.csv` bytes: the header must be this scenario's, rows must number consecutive
/// runs from `first` with the experiment's seed, each with one number per input and metric.
/// With `partial_ok`, a last line cut short (a process killed mid-write) is left out;
/// otherwise it is an error. Errors name the line (1 is the header) and say what is wrong.
pub fn parse(
    bytes: &[u8],
    columns: &Columns,
    first: u64,
    seed: u64,
    partial_ok: bool,
) -> Result<Rows, String> {
    let header = columns.header_line();
    check_header(bytes, &header, "this scenario's")?;
    let (n_in, width) = (columns.inputs.len(), columns.metrics.len());
    let mut rows = Rows {
        first,
        complete: header.len(),
        header: header.len(),
        ..Rows::default()
    };
    for (line_no, line, end) in lines(bytes, header.len()) {
        let Some(end) = end else {
            if partial_ok {
                break;
            }
            return Err(format!("line {line_no}: the row is cut short"));
        };
        let line = text(line_no, line)?;
        let expected_run = first + rows.runs;
        let mut fields = line.split(',');
        let run = fields.next().and_then(|f| f.parse::<u64>().ok());
        let row_seed = fields.next().and_then(|f| f.parse::<u64>().ok());
        if run != Some(expected_run) || row_seed != Some(seed) {
            return Err(format!(
                "line {line_no}: expected run {expected_run} with seed {seed}, found \"{}\"",
                excerpt(line.as_bytes())
            ));
        }
        numbers(line_no, &mut fields, n_in, &mut rows.inputs)?;
        numbers(line_no, &mut fields, width, &mut rows.values)?;
        if fields.next().is_some() {
            return Err(format!("line {line_no}: more than {} values", n_in + width));
        }
        rows.runs += 1;
        rows.complete = end;
        rows.ends.push(end);
    }
    Ok(rows)
}

/// At most 40 characters of some bytes, for a message (invalid UTF-8 shown as U+FFFD).
/// An error unless `bytes` start with `header` (a whole header line); the error shows the
/// first line found, and says whose header was expected.
pub(crate) fn check_header(bytes: &[u8], header: &str, whose: &str) -> Result<(), String> {
    if bytes.starts_with(header.as_bytes()) {
        return Ok(());
    }
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    Err(format!(
        "line 1: its header is not {whose} (\"{}\")",
        excerpt(&bytes[..end])
    ))
}

pub(crate) fn excerpt(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(160)])
        .chars()
        .take(40)
        .collect()
}

/// The SHA-256 of a file's bytes in hex, as a finished manifest records `runs.csv`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(inputs: &[&str], metrics: &[&str]) -> Columns {
        Columns {
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            metrics: metrics.iter().map(|s| s.to_string()).collect(),
            counts: vec![false; metrics.len()],
        }
    }

    #[test]
    fn a_cut_row_is_left_out_only_when_allowed() {
        let c = columns(&[], &["a", "b"]);
        let text = "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n7,9,0.1".as_bytes();
        let rows = parse(text, &c, 5, 9, true).unwrap();
        assert_eq!(rows.runs, 2);
        assert_eq!(rows.values, [0.5, 1.0, 0.25, 2.0]);
        assert_eq!(
            &text[..rows.complete],
            "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n".as_bytes()
        );
        assert_eq!(rows.ends, [23, 34]);
        assert!(parse(text, &c, 5, 9, false).is_err());
        assert!(parse(text, &c, 4, 9, true).is_err(), "wrong first run");
        assert!(parse(text, &c, 5, 8, true).is_err(), "wrong seed");
        assert!(parse(b"run,seed,a,b\n5,9,0.5\n", &c, 5, 9, true).is_err());
        assert!(parse(b"run,seed,a,b\n5,9,0.5,1,2\n", &c, 5, 9, true).is_err());
    }

    #[test]
    fn inputs_sit_between_the_seed_and_the_metrics() {
        let c = columns(&["firm.a.growth"], &["x"]);
        assert_eq!(c.header_line(), "run,seed,firm.a.growth,x\n");
        let mut w = RowWriter::new(Vec::new(), vec![false]);
        w.row(0, 3, &[0.015], &[0.25]).unwrap();
        let text = c.header_line() + &String::from_utf8(w.into_inner().unwrap()).unwrap();
        let rows = parse(text.as_bytes(), &c, 0, 3, false).unwrap();
        assert_eq!((rows.inputs, rows.values), (vec![0.015], vec![0.25]));
    }

    #[test]
    fn corrupt_rows_are_errors_that_name_the_line() {
        let c = columns(&[], &["a"]);
        let bad_utf8 = b"run,seed,a\n0,1,0.5\n1,1,\xff\xfe\n2,1,0.1";
        let e = parse(bad_utf8, &c, 0, 1, true).expect_err("invalid UTF-8");
        assert!(e.starts_with("line 3: not UTF-8"), "{e}");
        let e = parse(b"run,seed,a\n0,1,x\n", &c, 0, 1, true).expect_err("not a number");
        assert!(e.starts_with("line 2:"), "{e}");
        let e = parse(b"nonsense\n", &c, 0, 1, true).expect_err("header");
        assert!(e.starts_with("line 1:"), "{e}");
        // A last line cut mid-character is a cut row, not corruption.
        let cut = b"run,seed,a\n0,1,0.5\n1,1,0.\xc3";
        assert_eq!(parse(cut, &c, 0, 1, true).expect("cut").runs, 1);
    }

    #[test]
    fn rows_written_read_back() {
        let c = Columns {
            counts: vec![false, true],
            ..columns(&[], &["x", "violations"])
        };
        let mut w = RowWriter::new(Vec::new(), c.counts.clone());
        w.row(0, 3, &[], &[0.1, 4.0]).unwrap();
        w.row(1, 3, &[], &[-0.0, 0.0]).unwrap();
        let body = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(body, "0,3,0.1,4\n1,3,0,0\n");
        let text = c.header_line() + &body;
        let rows = parse(text.as_bytes(), &c, 0, 3, false).unwrap();
        assert_eq!(rows.values, [0.1, 4.0, 0.0, 0.0]);
    }
}
