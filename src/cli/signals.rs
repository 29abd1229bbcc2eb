//! Stopping cleanly: Ctrl-C sets a flag that the runs check, so an experiment stops after the
//! runs under way and keeps every completed run. A second Ctrl-C ends the process at once
//! (completed blocks are already on disk).

use std::sync::atomic::{AtomicBool, Ordering};

/// The flag that Ctrl-C sets, with its handler installed on first use.
pub(crate) fn interrupt_flag() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    });
    &STOP
}
