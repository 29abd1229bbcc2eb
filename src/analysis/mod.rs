//! What is computed from the runs of experiments: two-sample statistics and the comparison of
//! scenarios ([`comparison`]), how outcomes unfold over rounds ([`bands`]), the designs of
//! studies ([`design`]), global sensitivity indices ([`sensitivity`]), scenario discovery
//! with PRIM ([`prim`], [`discovery`]) and feature scores ([`features`]). Pure computation on
//! numbers already played: no file is read or written here, and nothing is rendered for
//! people.

pub mod bands;
pub mod comparison;
pub mod design;
pub mod discovery;
pub mod features;
pub mod prim;
pub mod sensitivity;
pub mod stats;
