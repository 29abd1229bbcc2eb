//! Errors in scenario files: each problem names the file, the line and column of the offending
//! key or value, and what was expected. Rendering with a source snippet is done by miette.

use std::fmt;
use std::path::PathBuf;

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::raw::{FileId, Loc};

/// One scenario file's name (as the user gave it, or relative to the file that extends it)
/// and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// Every file read for one scenario, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        let text = &self.files[file as usize].text;
        let offset = offset.min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }
}

/// One thing wrong with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where it is; `None` for a problem with no place in a file (a missing file, `--set`).
    pub at: Option<Loc>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Problem {
    pub fn at(at: Loc, message: impl Into<String>) -> Problem {
        Problem {
            at: Some(at),
            message: message.into(),
        }
    }

    pub fn nowhere(message: impl Into<String>) -> Problem {
        Problem {
            at: None,
            message: message.into(),
        }
    }
}

/// A scenario that cannot be used, with every problem found.
#[derive(Debug, thiserror::Error)]
pub struct ScenarioError {
    pub sources: Sources,
    pub problems: Vec<Problem>,
}

/// Where a problem is, resolved to a file name, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl ScenarioError {
    pub fn new(sources: Sources, problems: Vec<Problem>) -> Self {
        ScenarioError { sources, problems }
    }

    /// The file, line and column of a problem.
    pub fn position(&self, problem: &Problem) -> Option<Position> {
        let at = problem.at?;
        let (line, column) = self.sources.line_col(at.file, at.start as usize);
        Some(Position {
            path: self.sources.files[at.file as usize].path.clone(),
            line,
            column,
        })
    }

    /// `file:line:column: message`, or the message alone for a problem with no place.
    pub fn heading(&self, problem: &Problem) -> String {
        match self.position(problem) {
            Some(pos) => format!(
                "{}:{}:{}: {}",
                pos.path.display(),
                pos.line,
                pos.column,
                problem.message
            ),
            None => problem.message.clone(),
        }
    }

    /// One miette diagnostic per problem, with the source snippet and a marker.
    pub fn diagnostics(&self) -> Vec<miette::Report> {
        self.problems
            .iter()
            .map(|p| {
                let heading = self.heading(p);
                let (src, span) = match p.at {
                    Some(at) => {
                        let f = &self.sources.files[at.file as usize];
                        let (text, start, len) =
                            excerpt(&f.text, at.start as usize, at.end as usize);
                        (
                            Some(NamedSource::new(f.path.display().to_string(), text)),
                            Some(SourceSpan::new(start.into(), len)),
                        )
                    }
                    None => (None, None),
                };
                miette::Report::new(Rendered { heading, src, span })
            })
            .collect()
    }
}

/// Longest line shown whole under a problem; a longer one (a file that is not TOML) is cut to
/// a window around the problem.
const MAX_SHOWN_LINE: usize = 160;

/// The text shown under a problem at bytes `start..end` of `text`: the lines around it, each
/// at most [`MAX_SHOWN_LINE`] characters (a window around the problem on its own line),
/// behind as many empty lines as precede them, so line numbers stay the file's. Returns the
/// text and the problem's start and length in it.
fn excerpt(text: &str, start: usize, end: usize) -> (String, usize, usize) {
    let start = floor_char(text, start.min(text.len()));
    let end = floor_char(text, end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let before = text[..line_start].matches('\n').count();
    // Up to two lines of context on each side, as miette shows them.
    let prev: Vec<&str> = text[..line_start].lines().rev().take(2).collect();
    let next: Vec<&str> = text[line_end..].lines().skip(1).take(2).collect();
    let cut = |line: &str| -> String {
        if line.chars().count() <= MAX_SHOWN_LINE {
            line.to_string()
        } else {
            line.chars()
                .take(MAX_SHOWN_LINE)
                .chain("…".chars())
                .collect()
        }
    };
    let mut out = "\n".repeat(before.saturating_sub(prev.len()));
    for line in prev.iter().rev() {
        out.push_str(&cut(line));
        out.push('\n');
    }
    let line = &text[line_start..line_end];
    let at_in_line = start - line_start;
    let (shown, at) = if line.chars().count() <= MAX_SHOWN_LINE {
        (line.to_string(), at_in_line)
    } else {
        let from = floor_char(line, at_in_line.saturating_sub(MAX_SHOWN_LINE / 2));
        let to = floor_char(line, (at_in_line + MAX_SHOWN_LINE / 2).min(line.len()));
        let lead = if from > 0 { "…" } else { "" };
        let trail = if to < line.len() { "…" } else { "" };
        (
            format!("{lead}{}{trail}", &line[from..to]),
            lead.len() + at_in_line - from,
        )
    };
    let problem_at = out.len() + at;
    let len = (end - start).min(shown.len() - at).max(1);
    out.push_str(&shown);
    for line in next {
        out.push('\n');
        out.push_str(&cut(line));
    }
    (out, problem_at, len)
}

/// The largest char boundary of `s` at or below `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.heading(p))?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{heading}")]
struct Rendered {
    heading: String,
    #[source_code]
    src: Option<NamedSource<String>>,
    #[label]
    span: Option<SourceSpan>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_problem() {
        let long = format!("a = 1\nb = \"{}\"\nc = 2\n", "x".repeat(10_000));
        let at = long.find("xxx").unwrap() + 5_000;
        let (shown, start, len) = excerpt(&long, at, at + 3);
        assert!(shown.len() < 400, "{} bytes", shown.len());
        assert_eq!(
            shown.lines().count(),
            3,
            "the lines keep their numbers: {shown}"
        );
        assert_eq!(&shown[start..start + len], "xxx");
        let short = "a = 1\nb = 2\n";
        let (shown, start, len) = excerpt(short, 10, 11);
        assert_eq!((shown.as_str(), start, len), ("a = 1\nb = 2", 10, 1));
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let sources = Sources {
            files: vec![SourceFile {
                path: "a.toml".into(),
                text: "ab\né = 1\nx".into(),
            }],
        };
        assert_eq!(sources.line_col(0, 0), (1, 1));
        assert_eq!(sources.line_col(0, 3), (2, 1));
        assert_eq!(sources.line_col(0, 6), (2, 3)); // after the two-byte é and a space
        assert_eq!(sources.line_col(0, 10), (3, 1));
    }
}
