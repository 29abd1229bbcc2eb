//! Two-sample statistics over the runs of experiments, each checked against scipy. Pure
//! functions of their inputs: no I/O.
mod kolmogorov;
mod special;
pub mod two_sample;
