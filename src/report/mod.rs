//! Rendering results and scenarios for people (tables, summaries) and programs (CSV, JSON).
//! Rendering never happens inside the run loop.
pub mod compare_table;
mod describe;
pub mod files;
pub mod html;
pub mod sensitivity_html;
pub mod svg;
pub mod sweep_html;
pub mod table;

pub use describe::{describe, first_sentence};
