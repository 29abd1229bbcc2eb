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
                        let len = (at.end - at.start).max(1) as usize;
                        (
                            Some(NamedSource::new(
                                f.path.display().to_string(),
                                f.text.clone(),
                            )),
                            Some(SourceSpan::new((at.start as usize).into(), len)),
                        )
                    }
                    None => (None, None),
                };
                miette::Report::new(Rendered { heading, src, span })
            })
            .collect()
    }
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
