//! One writer per directory: an OS advisory lock (`flock` through `fs4`) on a file in the
//! directory, held for as long as a command writes there. A second writer is refused at once,
//! told the holder's process id; a crashed holder's lock goes with its process.

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use fs4::fs_std::FileExt;

use super::error::StoreError;

/// The lock file of an experiment directory, or of one shard of a study.
pub const LOCK: &str = ".netstates.lock";

/// A held lock; dropping it releases the lock (the file stays, empty of meaning).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// The lock file of a study's shard `k` of `n`: shards of one study write one directory at
/// once, each its own points, so each holds a lock of its own.
pub fn shard_lock_name(k: u64, n: u64) -> String {
    format!(".netstates-shard-{k}-of-{n}.lock")
}

/// Takes the lock `name` in `dir` (created if need be), or refuses with the holder's pid.
pub fn lock(dir: &Path, name: &str) -> Result<DirLock, StoreError> {
    super::durable::create_dir(dir).map_err(|e| StoreError::io("create", dir, e))?;
    let path: PathBuf = dir.join(name);
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| StoreError::io("open", &path, e))?;
    match FileExt::try_lock_exclusive(&file) {
        Ok(true) => {}
        Ok(false) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(StoreError::Locked {
                dir: dir.to_path_buf(),
                pid: holder.trim().parse().ok(),
            });
        }
        Err(e) => return Err(StoreError::io("lock", &path, e)),
    }
    // The holder's pid, for the message a second writer gets.
    let pid = std::process::id().to_string();
    let written = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(pid.as_bytes()))
        .and_then(|()| file.flush());
    written.map_err(|e| StoreError::io("write", &path, e))?;
    Ok(DirLock { _file: file })
}
