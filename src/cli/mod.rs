//! The `netstates` command line, split the way ripgrep splits its flags: the arguments as
//! typed ([`args`]), what `run` and the studies share about playing runs (`execution`), one
//! file per command ([`commands`]), progress on stderr, Ctrl-C, and the errors with their exit
//! statuses ([`error`]). `main.rs` parses the arguments and calls [`execute`].

pub mod args;
pub mod commands;
pub mod error;
mod execution;
mod output;
mod progress;
mod signals;

pub use args::{Cli, Command};
pub use error::{Error, print_error};

/// Runs a parsed command line; `argv` is recorded in manifests.
pub fn execute(cli: Cli, argv: &[String]) -> Result<(), Error> {
    use commands as c;
    match cli.command {
        Command::Check { files } => c::check::check(&files),
        Command::Run(args) => c::run::run(&args, argv),
        Command::Compare(args) => c::compare::compare(&args, argv),
        Command::Sweep(args) => c::sweep::sweep(&args, argv),
        Command::Sensitivity(args) => c::sensitivity::sensitivity(&args, argv),
        Command::Replay { dir, run, trace } => c::replay::replay(&dir, run, trace.as_deref()),
        Command::Merge {
            dirs,
            out,
            trajectories,
        } => c::merge::merge(&dirs, &out, trajectories, argv),
        Command::Discover(args) => c::discover::discover(&args),
        Command::Scenarios { dir } => match dir {
            Some(dir) => c::scenarios::list_dir(&dir),
            None => c::scenarios::list_bundled(),
        },
        Command::Init { file, from, force } => c::init::init(&file, from.as_deref(), force),
        Command::Completions { shell } => c::shell::completions(shell),
        Command::Man { dir } => c::shell::man(dir.as_deref()),
        Command::Schema => c::schema::print(),
    }
}
