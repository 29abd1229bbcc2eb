//! Writing files so that a reader never sees half of one: whole files go to a temporary name
//! and are renamed when complete; a file that grows (`runs.csv`) grows under a `.part` name.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same directory, then renames it,
/// so a reader never sees a half-written file. The temporary name carries the process id:
/// the shards of a study write the same `study.json` at the same time, and one must not
/// rename another's half-written file away.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    let tmp = path.with_file_name(name);
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// The name a file grows under until it is complete, such as `runs.csv.part`.
pub fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}
