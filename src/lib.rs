//! netstates: a policy-scenario simulation engine for "techplomacy", Big Tech firms acting as
//! quasi-states ("net states") that lobby governments, sit at co-regulation tables and meet
//! tech ambassadors.
//!
//! A scenario is a TOML file (the schema is `docs/MODEL.md` section 1), validated into a
//! [`scenario::Scenario`]; [`engine::run`] plays one run of it; [`experiment::execute`] plays
//! many on a rayon pool and hands their metrics over in run order. [`study`] runs one
//! experiment per point of a design, which [`sweep`] (grids, Latin hypercubes) and
//! [`sensitivity`] (Sobol indices, Morris effects, as SALib computes them) build and analyse.
//!
//! ```
//! use netstates::{engine, model::metrics, scenario};
//!
//! let s = scenario::load_str("example.toml", r#"
//!     [scenario]
//!     name = "example"
//!     rounds = 8
//!     [[issue]]
//!     id = "privacy"
//!     [[government]]
//!     id = "denmark"
//!     citizens = 100
//!     ambassador = "observer"
//!     [[firm]]
//!     id = "meta"
//!     revenue = 117.0
//! "#).expect("a valid scenario");
//! let metrics = engine::run(&s, 20221109, 0).expect("finite metrics");
//! assert_eq!(metrics.len(), metrics::names(&s).len());
//! // A run is a function of (scenario, seed, run index) alone.
//! assert_eq!(metrics, engine::run(&s, 20221109, 0).unwrap());
//! ```
//!
//! # Reproducibility contract
//! Run `i` of an experiment with seed `S` draws only from `ChaCha8Rng::seed_from_u64(S)` with
//! `set_stream(i)`: no global or thread-local RNG, no hash-map iteration order, no clock. Its
//! uncertain parameters are drawn first, in a fixed order, then the citizens' opinions (see
//! [`model::World::new`]). Results are collected by run index and reduced in order, so no
//! number depends on the thread count.
pub mod cli;
pub mod compare;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod report;
pub mod results;
pub mod scenario;
pub mod sensitivity;
pub mod stats;
pub mod study;
pub mod sweep;
