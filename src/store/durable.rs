//! Writing files so that neither a reader nor a power cut sees half of one: whole files go to
//! a temporary name, are fsynced, renamed, and their directory fsynced; a file that grows
//! (`runs.csv`) grows under a `.part` name and is fsynced before it is renamed. A temporary
//! file is removed when its write fails, and stale ones are swept when a directory is taken
//! up again.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same directory: written, fsynced,
/// renamed over `path`, then the directory fsynced, so that after a crash or a power cut the
/// file is either the old one or the new one, whole. The temporary name carries the process
/// id: the shards of a study write the same `study.json` at the same time, and one must not
/// rename another's half-written file away.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temporary_of(path, std::process::id());
    let written = File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(parent(path))
}

/// The temporary name of `path` written by process `pid`: `summary.json.1234.tmp`.
fn temporary_of(path: &Path, pid: u32) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{pid}.tmp"));
    path.with_file_name(name)
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Fsyncs a directory, so that the names created, renamed or removed in it survive a power
/// cut. (On systems where a directory cannot be opened for this, nothing is done.)
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir) {
        Ok(d) => match d.sync_all() {
            // Some file systems refuse to fsync a directory; the names are then as durable as
            // they can be made.
            Err(e) if e.kind() == io::ErrorKind::InvalidInput => Ok(()),
            other => other,
        },
        Err(_) if cfg!(not(unix)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates a directory and its parents, fsyncing the parent of each one created.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(up) = dir.parent()
        && !up.as_os_str().is_empty()
    {
        create_dir(up)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => sync_dir(parent(dir)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// The name a file grows under until it is complete, such as `runs.csv.part`.
pub fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Removes the temporary files (`*.<pid>.tmp`) of `dir` that no live process is writing: all
/// of them when `all` (the caller holds the directory's lock), else those whose process is
/// gone (a study's root, where the shards write at once).
pub fn sweep_temporaries(dir: &Path, all: bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_suffix(".tmp")
            .and_then(|rest| rest.rsplit_once('.'))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if all || !alive(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process is running (Linux: it has a `/proc` entry). Elsewhere every process is
/// taken to be alive, so nothing another process may be writing is removed.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_file_replaces_the_old_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.json");
        write_atomic(&path, b"old").expect("written");
        write_atomic(&path, b"new").expect("written");
        assert_eq!(fs::read(&path).expect("read"), b"new");
        let names: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1, "no temporary is left");
    }

    #[test]
    fn a_failed_write_removes_its_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory in the way: the rename fails, the temporary must not stay.
        let path = dir.path().join("taken");
        fs::create_dir(path.join("x").parent().expect("parent")).expect("dir");
        fs::write(path.join("x"), b"").expect("file");
        assert!(write_atomic(&path, b"data").is_err());
        assert!(!temporary_of(&path, std::process::id()).exists());
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mine = temporary_of(&dir.path().join("study.json"), std::process::id());
        // No process has pid 4194305 (above Linux's pid_max of 2^22).
        let dead = temporary_of(&dir.path().join("study.json"), 4_194_305);
        fs::write(&mine, b"").expect("file");
        fs::write(&dead, b"").expect("file");
        fs::write(dir.path().join("keep.csv"), b"").expect("file");
        sweep_temporaries(dir.path(), false);
        assert!(mine.exists() || !cfg!(target_os = "linux"));
        assert!(!dead.exists() || !cfg!(target_os = "linux"));
        assert!(dir.path().join("keep.csv").exists());
        sweep_temporaries(dir.path(), true);
        assert!(!mine.exists());
    }
}
