//! The data-directory lock: one concord process at a time writes below `<data>/`. It is an OS
//! file lock on `<data>/.concord.pid`, released by the kernel when the holder dies, so a killed
//! run never blocks the next one. The file itself says who holds or last held the directory:
//! `pid N` while process N runs, `finished: pid N` once it let go (successfully or with a
//! reported error). A refused process names the holder from it; `verify` reads it to tell a
//! run that was cut short from one that ended.

use std::fs;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::PipelineError;

/// The lock file, inside the data directory; hidden, so no listing of outputs sees it.
const LOCK_FILE: &str = ".concord.pid";

/// How long a refused process waits for the holder's pid to appear. The holder writes it
/// right after taking the lock, so only a process arriving in that instant waits at all.
const HOLDER_WAIT: Duration = Duration::from_secs(2);

/// Holds the data directory for one process; released on drop, or by the kernel when the
/// process dies.
pub struct DataLock {
    file: fs::File,
}

/// What the lock file says about the last process that held the data directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastRun {
    /// No concord process ever took the lock.
    Never,
    /// The last holder let go: it finished, or stopped on an error it reported.
    Finished,
    /// The last holder died holding the lock (killed, crashed, power lost): whatever it was
    /// writing may be cut short. `pid` is `None` if it died before writing its pid.
    Interrupted { pid: Option<u32> },
}

fn lock_path(cfg: &Config) -> PathBuf {
    cfg.data_dir.join(LOCK_FILE)
}

impl DataLock {
    /// Takes the data directory, or fails with `Busy` naming the process that holds it.
    pub fn acquire(cfg: &Config) -> Result<DataLock, PipelineError> {
        let dir = &cfg.data_dir;
        fs::create_dir_all(dir).map_err(|e| PipelineError::io(dir, e))?;
        let path = lock_path(cfg);
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| PipelineError::io(&path, e))?;
        wait_or_name_holder(cfg, &path, || file.try_lock())?;
        let lock = DataLock { file };
        lock.write_state(&format!("pid {}\n", std::process::id()))
            .and_then(|()| lock.file.sync_all())
            .map_err(|e| PipelineError::io(&path, e))?;
        Ok(lock)
    }

    /// Replaces the file's content with one line, written at once so that a reader sees the
    /// whole line or an empty file, never a part of it.
    fn write_state(&self, line: &str) -> std::io::Result<()> {
        let mut f = &self.file;
        f.set_len(0)?;
        f.seek(SeekFrom::Start(0))?;
        f.write_all(line.as_bytes())
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        // Still holding the lock: the kernel drops it when the file closes, right after.
        // Failing to say "finished" only makes `verify` stricter, so it is not an error.
        let _ = self.write_state(&format!("finished: pid {}\n", std::process::id()));
    }
}

/// How the last holder left the data directory. Fails with `Busy` if a process holds it now:
/// its outputs are in flux and cannot be checked yet.
pub fn last_run(cfg: &Config) -> Result<LastRun, PipelineError> {
    let path = lock_path(cfg);
    let mut file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(LastRun::Never),
        Err(e) => return Err(PipelineError::io(&path, e)),
    };
    // A shared lock held for an instant: it only asks whether anyone holds the directory.
    wait_or_name_holder(cfg, &path, || file.try_lock_shared())?;
    let mut text = String::new();
    let read = file.read_to_string(&mut text);
    drop(file);
    read.map_err(|e| PipelineError::io(&path, e))?;
    Ok(if text.starts_with("finished") {
        LastRun::Finished
    } else {
        LastRun::Interrupted {
            pid: holder_pid(&text),
        }
    })
}

/// Tries `try_lock` until it succeeds, or fails with `Busy` once the lock file names a live
/// holder. A process arriving just after another took the lock still reads the previous
/// content (empty, `finished`, or a dead process's pid), so it waits, briefly, for a live one.
fn wait_or_name_holder(
    cfg: &Config,
    path: &Path,
    mut try_lock: impl FnMut() -> Result<(), fs::TryLockError>,
) -> Result<(), PipelineError> {
    let deadline = Instant::now() + HOLDER_WAIT;
    loop {
        match try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::Error(e)) => return Err(PipelineError::io(path, e)),
            Err(fs::TryLockError::WouldBlock) => {
                let holder = fs::read_to_string(path)
                    .ok()
                    .and_then(|text| holder_pid(&text))
                    .filter(|&pid| pid != std::process::id() && is_alive(pid));
                if holder.is_some() || Instant::now() >= deadline {
                    return Err(PipelineError::Busy {
                        dir: cfg.data_dir.clone(),
                        holder: holder.map_or("unknown process".into(), |pid| format!("pid {pid}")),
                    });
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
}

/// The pid of a complete `pid N` line, the whole content of the file.
fn holder_pid(text: &str) -> Option<u32> {
    text.strip_prefix("pid ")?.strip_suffix('\n')?.parse().ok()
}

/// Whether a process exists. Where `/proc` cannot tell, assume it does.
fn is_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_pid_line_names_a_holder() {
        #[track_caller]
        fn case(text: &str, want: Option<u32>) {
            assert_eq!(holder_pid(text), want, "{text:?}");
        }
        case("pid 4242\n", Some(4242));
        case("pid 4242", None);
        case("pid 42", None);
        case("", None);
        case("finished: pid 4242\n", None);
        case("pid 4242\npid 7\n", None);
    }

    #[test]
    fn the_lock_file_tells_a_finished_holder_from_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = Config::from_toml(&dir.path().join("pipeline.toml"), "").expect("config");
        assert_eq!(last_run(&cfg).expect("readable"), LastRun::Never);
        let lock = DataLock::acquire(&cfg).expect("free");
        let text = fs::read_to_string(lock_path(&cfg)).expect("lock file");
        assert_eq!(text, format!("pid {}\n", std::process::id()));
        drop(lock);
        assert_eq!(last_run(&cfg).expect("readable"), LastRun::Finished);
        fs::write(lock_path(&cfg), "pid 4194301\n").expect("write");
        assert_eq!(
            last_run(&cfg).expect("readable"),
            LastRun::Interrupted { pid: Some(4194301) }
        );
    }
}
