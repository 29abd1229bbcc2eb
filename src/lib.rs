//! netstates: a policy-scenario simulation engine for "techplomacy", Big Tech firms acting as
//! quasi-states ("net states") that lobby governments, sit at co-regulation tables and meet
//! tech ambassadors.
//!
//! The library is built in layers, each importing only the layers below it
//! (`ARCHITECTURE.md` draws the map):
//!
//! | layer | what it does |
//! |---|---|
//! | [`scenario`] | reads TOML files into a validated, resolved [`scenario::Scenario`] |
//! | [`model`] | the state of one run and the phases of a round |
//! | [`run`] | one run ([`run::run`]), many runs on a pool ([`run::execute`]), the random streams ([`run::streams`]) |
//! | [`store`] | result and study directories: file formats, atomic writes, resume, merge |
//! | [`analysis`] | statistics, comparisons, designs, sensitivity indices |
//! | [`report`] | terminal tables, CSV exports, HTML and SVG |
//! | [`cli`] | the command line: arguments, one file per command, progress, signals |
//!
//! ```
//! use netstates::{model::metrics, run, scenario};
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
//! let metrics = run::run(&s, 20221109, 0).expect("finite metrics");
//! assert_eq!(metrics.len(), metrics::names(&s).len());
//! // A run is a function of (scenario, seed, run index) alone.
//! assert_eq!(metrics, run::run(&s, 20221109, 0).unwrap());
//! ```
//!
//! # Reproducibility contract
//! Run `i` of an experiment with seed `S` draws only from `ChaCha8Rng::seed_from_u64(S)` with
//! `set_stream(i)`: no global or thread-local RNG, no hash-map iteration order, no clock. Its
//! uncertain parameters are drawn first, in a fixed order, then the citizens' opinions (see
//! [`model::World::new`]). Results are collected by run index and reduced in order, so no
//! number depends on the thread count. The analyses that draw random numbers of their own
//! use streams of the same seed reserved for them ([`run::streams::Reserved`]): stream
//! `2^64 - 1` samples designs (Latin hypercubes, Saltelli's and Morris's samples),
//! `2^64 - 2` the sensitivity bootstrap, `2^64 - 3` the compare bootstrap, `2^64 - 4` the
//! trees of feature scoring.
pub mod analysis;
pub mod cli;
pub mod model;
pub mod report;
pub mod run;
pub mod scenario;
pub mod store;
