//! Rendering results and scenarios for people (terminal tables, summaries, HTML pages with
//! SVG figures) and for programs (CSV exports). Rendering never happens inside the run loop,
//! and nothing here reads or writes a file: the command line decides where text goes.
pub mod compare_table;
mod describe;
pub mod discover_html;
pub mod export;
pub mod html;
pub mod run_html;
pub mod sensitivity_html;
pub mod study_table;
pub mod svg;
pub mod sweep_html;
pub mod table;

pub use describe::{describe, first_sentence};
