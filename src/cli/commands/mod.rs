//! One file per command: each turns its arguments into library calls and prints the result.
pub mod check;
pub mod compare;
pub mod discover;
pub mod init;
pub mod merge;
pub mod replay;
pub mod run;
pub mod scenarios;
pub mod schema;
pub mod sensitivity;
pub mod shell;
pub mod study;
pub mod sweep;
