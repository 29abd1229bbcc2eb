//! netstates integration tests, one binary with a module per behaviour; the helpers several
//! modules share are in `support`.
mod cli;
mod determinism;
mod model_limits;
mod scenario_errors;
mod sensitivity;
mod study;
mod support;
