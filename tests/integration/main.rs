//! netstates integration tests, one binary with a module per behaviour; the helpers several
//! modules share are in `support`.
mod allocation;
mod architecture;
mod cli;
mod csv_files;
mod determinism;
mod discover;
mod features;
mod first_steps;
mod fuzz;
mod model_limits;
mod model_v2;
mod prim;
mod reliability;
mod reports;
mod scenario_errors;
mod schema;
mod sensitivity;
mod study;
mod support;
mod trajectories;
