//! Stopping cleanly: SIGINT (Ctrl-C), SIGTERM (what Slurm sends at a job's time limit) and
//! SIGHUP (a closed terminal) set a flag that the runs check, so an experiment stops after the
//! runs under way and keeps every completed run; the command then exits 128 + the signal's
//! number (130, 143, 129) with the command that resumes. A second such signal ends the
//! process at once, with the same status (completed blocks are already on disk).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

#[cfg(unix)]
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
#[cfg(not(unix))]
use signal_hook::consts::{SIGINT, SIGTERM};

/// The signals that stop a command cleanly.
#[cfg(unix)]
const STOPPING: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];
#[cfg(not(unix))]
const STOPPING: [i32; 2] = [SIGINT, SIGTERM];

/// The flag the runs check, and the signal that set it.
pub(crate) struct Stop {
    flag: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    /// The flag, set by the first stopping signal.
    pub(crate) fn flag(&self) -> &AtomicBool {
        &self.flag
    }

    /// The signal that stopped the command, if any.
    fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s => Some(s as i32),
        }
    }

    /// The exit status of a command stopped by a signal: 128 + its number (130 without one).
    pub(crate) fn exit_code(&self) -> u8 {
        128 + self.signal().unwrap_or(SIGINT) as u8
    }

    /// The signal's name, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self.signal() {
            Some(SIGTERM) => "SIGTERM",
            #[cfg(unix)]
            Some(SIGHUP) => "SIGHUP",
            _ => "Ctrl-C",
        }
    }
}

/// The stop flag, with its handlers installed on first use.
pub(crate) fn stop() -> &'static Stop {
    static STOP: OnceLock<Stop> = OnceLock::new();
    STOP.get_or_init(|| {
        let stop = Stop {
            flag: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicUsize::new(0)),
        };
        for signal in STOPPING {
            // The shutdown is registered first, so it only fires on the second signal.
            let _ = signal_hook::flag::register_conditional_shutdown(
                signal,
                128 + signal,
                Arc::clone(&stop.flag),
            );
            let _ = signal_hook::flag::register_usize(
                signal,
                Arc::clone(&stop.signal),
                signal as usize,
            );
            let _ = signal_hook::flag::register(signal, Arc::clone(&stop.flag));
        }
        stop
    })
}

/// The flag the runs check (see [`stop`]).
pub(crate) fn interrupt_flag() -> &'static AtomicBool {
    stop().flag()
}
