//! `netstates init`: a scenario file to start from, either the commented starter or a copy
//! of a bundled scenario together with the files it extends.

use std::path::Path;

use crate::cli::error::Error;
use crate::cli::output::sayln;
use crate::scenario::bundled::{self, Bundled};
use crate::scenario::suggest::did_you_mean;

/// Writes `file`: the starter, or the bundled scenario `from` (and the parents it extends,
/// beside it, unless a file of that name is already there).
pub fn init(file: &Path, from: Option<&str>, force: bool) -> Result<(), Error> {
    if file.exists() && !force {
        return Err(Error::Usage(format!(
            "{} exists; pass --force to overwrite it, or choose another name",
            file.display()
        )));
    }
    let Some(from) = from else {
        write(file, &starter_named(file))?;
        sayln!(
            "wrote {}: a commented starter scenario; check it with `netstates check {0}`",
            file.display()
        );
        return Ok(());
    };
    let Some(bundled) = bundled::find(from) else {
        let names: Vec<&str> = bundled::LIBRARY.iter().map(|b| b.name).collect();
        return Err(Error::Usage(format!(
            "no bundled scenario is named \"{from}\"{} (bundled: {})",
            did_you_mean(from, names.iter().copied()),
            names.join(", ")
        )));
    };
    write(file, bundled.text)?;
    sayln!("wrote {} (the bundled {})", file.display(), bundled.name);
    let dir = file.parent().unwrap_or(Path::new(""));
    let mut parent: Option<&Bundled> = bundled.extends();
    while let Some(p) = parent {
        let path = dir.join(p.file_name());
        if path.exists() {
            sayln!(
                "kept {}: it extends that file, which is already there",
                path.display()
            );
        } else {
            write(&path, p.text)?;
            sayln!("wrote {}: {} extends it", path.display(), file.display());
        }
        parent = p.extends();
    }
    Ok(())
}

/// The starter, named after the file it is written to when that name is a plain word.
fn starter_named(file: &Path) -> String {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let plain = !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        bundled::STARTER.replacen("name = \"my-scenario\"", &format!("name = \"{stem}\""), 1)
    } else {
        bundled::STARTER.to_string()
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text)
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}
