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

/// Parses `runs.csv` bytes: the header must be this scenario's, rows must number consecutive
/// runs from `first` with the experiment's seed, each with one number per metric. With
/// `partial_ok`, a last line cut short (a process killed mid-write) is left out; otherwise it
/// is an error. Errors name the line (1 is the header) and say what is wrong there.
pub fn parse(
    bytes: &[u8],
    names: &[String],
    first: u64,
    seed: u64,
    partial_ok: bool,
) -> Result<Rows, String> {
    let header = header_line(names);
    if !bytes.starts_with(header.as_bytes()) {
        let end = bytes
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(bytes.len());
        return Err(format!(
            "line 1: its header is not this scenario's (\"{}\")",
            excerpt(&bytes[..end])
        ));
    }
    let width = names.len();
    let mut rows = Rows {
        first,
        runs: 0,
        values: Vec::new(),
        complete: header.len(),
    };
    let mut rest = &bytes[header.len()..];
    while !rest.is_empty() {
        let line_no = rows.runs + 2;
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            if partial_ok {
                break;
            }
            return Err(format!("line {line_no}: the row is cut short"));
        };
        let line = std::str::from_utf8(&rest[..end]).map_err(|_| {
            format!(
                "line {line_no}: not UTF-8 text (\"{}\")",
                excerpt(&rest[..end])
            )
        })?;
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
        let before = rows.values.len();
        for f in fields {
            if rows.values.len() - before == width {
                return Err(format!("line {line_no}: more than {width} metrics"));
            }
            let x: f64 = f.parse().map_err(|_| {
                format!(
                    "line {line_no}: \"{}\" is not a number",
                    excerpt(f.as_bytes())
                )
            })?;
            rows.values.push(x);
        }
        if rows.values.len() - before != width {
            return Err(format!(
                "line {line_no}: {} metrics, expected {width}",
                rows.values.len() - before
            ));
        }
        rows.runs += 1;
        rows.complete += end + 1;
        rest = &rest[end + 1..];
    }
    Ok(rows)
}

/// At most 40 characters of some bytes, for a message (invalid UTF-8 shown as U+FFFD).
fn excerpt(bytes: &[u8]) -> String {
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

    #[test]
    fn a_cut_row_is_left_out_only_when_allowed() {
        let names = vec!["a".to_string(), "b".to_string()];
        let text = "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n7,9,0.1".as_bytes();
        let rows = parse(text, &names, 5, 9, true).unwrap();
        assert_eq!(rows.runs, 2);
        assert_eq!(rows.values, [0.5, 1.0, 0.25, 2.0]);
        assert_eq!(
            &text[..rows.complete],
            "run,seed,a,b\n5,9,0.5,1\n6,9,0.25,2\n".as_bytes()
        );
        assert!(parse(text, &names, 5, 9, false).is_err());
        assert!(parse(text, &names, 4, 9, true).is_err(), "wrong first run");
        assert!(parse(text, &names, 5, 8, true).is_err(), "wrong seed");
        let short = b"run,seed,a,b\n5,9,0.5\n";
        assert!(parse(short, &names, 5, 9, true).is_err());
        let long = b"run,seed,a,b\n5,9,0.5,1,2\n";
        assert!(parse(long, &names, 5, 9, true).is_err());
    }

    #[test]
    fn corrupt_rows_are_errors_that_name_the_line() {
        let names = vec!["a".to_string()];
        let bad_utf8 = b"run,seed,a\n0,1,0.5\n1,1,\xff\xfe\n2,1,0.1";
        let e = parse(bad_utf8, &names, 0, 1, true).expect_err("invalid UTF-8");
        assert!(e.starts_with("line 3: not UTF-8"), "{e}");
        let e = parse(b"run,seed,a\n0,1,x\n", &names, 0, 1, true).expect_err("not a number");
        assert!(e.starts_with("line 2:"), "{e}");
        let e = parse(b"nonsense\n", &names, 0, 1, true).expect_err("header");
        assert!(e.starts_with("line 1:"), "{e}");
        // A last line cut mid-character is a cut row, not corruption.
        let cut = b"run,seed,a\n0,1,0.5\n1,1,0.\xc3";
        assert_eq!(parse(cut, &names, 0, 1, true).expect("cut").runs, 1);
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
        let rows = parse(text.as_bytes(), &names, 0, 3, false).unwrap();
        assert_eq!(rows.values, [0.1, 4.0, 0.0, 0.0]);
    }
}
