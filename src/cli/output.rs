//! Printing results to stdout. A closed pipe (`netstates run ... | head`) is not an error worth
//! a panic: the output is simply no longer wanted.

/// Prints to stdout like `print!`, ignoring a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Like `println!`, through [`say!`].
macro_rules! sayln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

pub(crate) use {say, sayln};
