//! netstates integration tests, one binary with a module per behaviour.
mod cli;
mod determinism;
mod model_limits;
mod scenario_errors;
mod sensitivity;
mod study;
