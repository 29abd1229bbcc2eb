//! netstates: a policy-scenario simulation engine for "techplomacy", Big Tech firms acting as
//! quasi-states ("net states") that lobby governments, sit at co-regulation tables and meet
//! tech ambassadors.
pub mod scenario;
pub mod stats {
    //! Statistics over the runs of an experiment.
    pub mod summary;
}
pub mod report {
    //! Rendering results for people and programs.
    pub mod table;
}
