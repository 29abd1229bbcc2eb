//! `netstates check`: validates scenario files and prints a one-screen summary of each.

use std::path::PathBuf;

use crate::cli::error::{Error, print_error};
use crate::cli::output::say;
use crate::report::describe;
use crate::scenario;

/// Validates every file, printing a summary of each valid one and every problem of each
/// invalid one; fails if any file is invalid (the last failure is returned, the others
/// printed).
pub fn check(files: &[PathBuf]) -> Result<(), Error> {
    let mut failed: Option<Error> = None;
    for path in files {
        match scenario::load(path) {
            Ok(s) => say!("{}", describe(&s, path)),
            Err(e) => {
                if let Some(previous) = failed.take() {
                    print_error(&previous);
                }
                failed = Some(e.into());
            }
        }
    }
    failed.map_or(Ok(()), Err)
}
