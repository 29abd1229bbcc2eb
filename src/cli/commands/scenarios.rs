//! `netstates scenarios`: the bundled scenario library, one line each.

use std::path::{Path, PathBuf};

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::report::first_sentence;
use crate::scenario;

/// Lists the scenario files of `dir` with the first sentence of each description.
pub fn list(dir: &Path) -> Result<(), Error> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        match scenario::load(&path) {
            Ok(s) => sayln!("{:<38} {}", path.display(), first_sentence(&s.description)),
            Err(_) => sayln!("{:<28} (invalid: see netstates check)", path.display()),
        }
    }
    Ok(())
}
