//! `netstates scenarios`: the scenario library, one line each: the bundled one (built into
//! the binary, so it lists from any directory), or the files of a folder.

use std::path::{Path, PathBuf};

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::report::first_sentence;
use crate::scenario::{self, bundled};

/// Lists the bundled scenarios with the first sentence of each description.
pub fn list_bundled() -> Result<(), Error> {
    for b in bundled::LIBRARY {
        let s = scenario::load(&b.path())?;
        sayln!("{:<24} {}", b.name, first_sentence(&s.description));
    }
    sayln!(
        "\nRun one by name (netstates run baseline), or copy one to change it \
         (netstates init my.toml --from baseline)."
    );
    Ok(())
}

/// Lists the scenario files of `dir` with the first sentence of each description.
pub fn list_dir(dir: &Path) -> Result<(), Error> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::Io(format!("cannot read {}: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        match scenario::load(&path) {
            Ok(s) => sayln!("{:<38} {}", path.display(), first_sentence(&s.description)),
            Err(_) => sayln!("{:<38} (invalid: see netstates check)", path.display()),
        }
    }
    Ok(())
}
