//! `netstates completions` and `netstates man`: the command line described for shells and
//! for man, generated from the same clap definitions that parse it.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::args::Cli;
use crate::cli::error::Error;
use crate::cli::output::{say, sayln};

/// Prints the completion script of `shell` to stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Error> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "netstates", &mut std::io::stdout());
    Ok(())
}

/// Prints the manual page (roff) to stdout, or writes one page per command to `dir`.
pub fn man(dir: Option<&Path>) -> Result<(), Error> {
    let failed = |e: std::io::Error| Error::Io(format!("cannot write the manual pages: {e}"));
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(failed)?;
        clap_mangen::generate_to(Cli::command(), dir).map_err(failed)?;
        sayln!("wrote the manual pages to {}", dir.display());
        return Ok(());
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(failed)?;
    say!("{}", String::from_utf8_lossy(&out));
    Ok(())
}
