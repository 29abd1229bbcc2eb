//! `netstates merge`: joins the shard directories of one experiment.

use std::path::{Path, PathBuf};

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::store;

pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    trajectories: bool,
    argv: &[String],
) -> Result<(), Error> {
    let summary = store::merge(dirs, out, trajectories, argv.to_vec())?;
    sayln!(
        "merged {} directories: {} runs of \"{}\", seed {}, in {}",
        dirs.len(),
        summary.runs,
        summary.scenario,
        summary.seed,
        out.display()
    );
    Ok(())
}
