//! Statistics over the runs of an experiment. Pure functions of their inputs: no I/O.
pub mod compare;
pub mod summary;
