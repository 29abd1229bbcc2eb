//! `netstates schema`: the JSON Schema of the scenario format on stdout, for editors that
//! check TOML against one (Taplo, Even Better TOML). The schema itself is built in
//! [`crate::scenario::schema`]; this only prints it.

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::scenario::schema::json_schema;

/// Prints the schema as indented JSON, its keys sorted, so the output is the same on every
/// run and diffs well when the format changes.
pub fn print() -> Result<(), Error> {
    let text = serde_json::to_string_pretty(&json_schema())
        .map_err(|e| Error::Io(format!("cannot write the schema: {e}")))?;
    sayln!("{text}");
    Ok(())
}
