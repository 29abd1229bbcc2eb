//! The one CSV dialect and number format of every CSV file netstates writes: `runs.csv`,
//! traces, `sweep.csv`, `sensitivity.csv`, comparisons. Fields are quoted only when they must
//! be (RFC 4180, by the `csv` crate); numbers are written in the shortest form that reads
//! back to the same bits, counts as integers, and zero without a sign.

use std::io::{self, Write};

/// A number as every CSV of netstates holds it: the shortest decimal that reads back to the
/// same bits (scientific notation outside [1e-5, 1e16)), `0` for both zeros.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if (1e-5..1e16).contains(&x.abs()) || !x.is_finite() {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A metric value: counts (whole numbers of events) as integers, others as [`number`].
pub fn value(x: f64, count: bool) -> String {
    if count && x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        number(x)
    }
}

/// One field of a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Field<'a> {
    Text(&'a str),
    Number(f64),
    /// A metric that counts events: an integer when whole.
    Count(f64),
    Whole(u64),
    Flag(bool),
    /// An empty field (a statistic that does not apply).
    Empty,
}

impl<'a> Field<'a> {
    fn render<'b>(self, buf: &'b mut String) -> &'b str
    where
        'a: 'b,
    {
        buf.clear();
        match self {
            Field::Text(s) => return s,
            Field::Number(x) => buf.push_str(&number(x)),
            Field::Count(x) => buf.push_str(&value(x, true)),
            Field::Whole(n) => buf.push_str(&n.to_string()),
            Field::Flag(b) => buf.push_str(if b { "true" } else { "false" }),
            Field::Empty => {}
        }
        buf
    }
}

/// A CSV file being written: a header, then rows of [`Field`]s.
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
    buf: String,
}

impl<W: Write> Writer<W> {
    /// Starts a file with its header.
    pub fn new<S: AsRef<str>>(out: W, header: &[S]) -> io::Result<Writer<W>> {
        let mut w = Writer::headless(out);
        w.inner
            .write_record(header.iter().map(|h| h.as_ref()))
            .map_err(io::Error::other)?;
        Ok(w)
    }

    /// Continues a file whose header is already written.
    pub fn headless(out: W) -> Writer<W> {
        Writer {
            inner: csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out),
            buf: String::new(),
        }
    }

    /// Writes one row.
    pub fn row<'f>(&mut self, fields: impl IntoIterator<Item = Field<'f>>) -> io::Result<()> {
        for f in fields {
            let text = f.render(&mut self.buf);
            self.inner.write_field(text).map_err(io::Error::other)?;
        }
        self.inner
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)
    }

    /// Flushes what is buffered to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// A whole CSV file built in memory.
pub struct Text(Writer<Vec<u8>>);

impl Text {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Text {
        // Writing to memory cannot fail.
        Text(Writer::new(Vec::new(), header).unwrap_or_else(|_| Writer::headless(Vec::new())))
    }

    pub fn row<'f>(&mut self, fields: impl IntoIterator<Item = Field<'f>>) {
        let _ = self.0.row(fields);
    }

    pub fn finish(self) -> String {
        let bytes = self.0.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_bit_identical() {
        for x in [
            0.1,
            1.0 / 3.0,
            2500.0,
            1e-7,
            123456789.123,
            1e300,
            5e-324,
            -0.25,
        ] {
            let s = number(x);
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), x.to_bits(), "{s}");
        }
        assert_eq!(value(3.0, true), "3");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1e300), "1e300");
    }

    #[test]
    fn zero_has_no_sign() {
        assert_eq!(number(-0.0), "0");
        assert_eq!(value(-0.0, true), "0");
        assert_eq!(value(-0.0, false), "0");
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut t = Text::new(&["name", "x"]);
        t.row([Field::Text("plain"), Field::Number(0.5)]);
        t.row([Field::Text("a, \"b\""), Field::Count(3.0)]);
        t.row([Field::Text("c"), Field::Empty]);
        assert_eq!(t.finish(), "name,x\nplain,0.5\n\"a, \"\"b\"\"\",3\nc,\n");
    }
}
