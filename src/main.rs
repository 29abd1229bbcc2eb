//! The `netstates` binary: parses the command line, runs the library's command, and maps
//! errors to exit statuses (0 success, 1 a failure while running, 2 bad usage or an invalid
//! scenario).

use std::process::ExitCode;

use clap::Parser;
use netstates::cli::{self, Cli};

fn main() -> ExitCode {
    // One problem heading per line, however long, so tools can read `file:line:col: message`.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().width(1000).build())
    }));
    let argv: Vec<String> = std::env::args().collect();
    let parsed = match Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli::execute(parsed, &argv) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            cli::print_error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
