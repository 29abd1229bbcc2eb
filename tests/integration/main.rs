//! netstates integration tests, one binary with a module per behaviour.
mod architecture;
mod cli;
mod csv_files;
mod determinism;
mod model_limits;
mod model_v2;
mod scenario_errors;
mod sensitivity;
mod study;

use std::path::Path;

use assert_cmd::Command;

/// The `netstates` binary this test build made.
pub(crate) fn netstates() -> Command {
    #[allow(deprecated)]
    Command::cargo_bin("netstates").expect("the binary is built")
}

/// `netstates ARGS --out OUT`.
pub(crate) fn netstates_into(args: &[&str], out: &Path) -> Command {
    let mut cmd = netstates();
    cmd.args(args).arg("--out").arg(out);
    cmd
}
