//! netstates: a policy-scenario simulation engine for "techplomacy", Big Tech firms acting as
//! quasi-states ("net states") that lobby governments, sit at co-regulation tables and meet
//! tech ambassadors.
pub mod cli;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod report;
pub mod scenario;
pub mod stats;
