"""Ctrl-C stops an experiment between blocks and raises KeyboardInterrupt, promptly."""

import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import pytest

import netstates
from netstates import _core

CHILD = textwrap.dedent(
    """
    import signal, sys, time
    import netstates
    # Python leaves SIGINT ignored when it starts ignored, as in a job started with `&` by a
    # non-interactive shell; a notebook's kernel has the handler, so install it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    s = netstates.load("baseline")
    print("ready", flush=True)
    t = time.monotonic()
    try:
        netstates.run(s, runs=500_000, seed=1, jobs=2, progress=False)
    except KeyboardInterrupt:
        print(f"interrupted after {time.monotonic() - t:.2f} s", flush=True)
        sys.exit(42)
    print("finished", flush=True)
    """
)


def test_sigint_raises_keyboard_interrupt_promptly():
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(1.0)  # well into the runs (500000 take minutes)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=20)
        stopped = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 42, (out, err)
    assert out.startswith("interrupted after"), out
    # A block of runs lasts well under a second; the bound leaves room for a loaded machine.
    assert stopped < 10.0, f"took {stopped:.1f} s to stop"


def test_an_exception_in_the_polling_loop_stops_the_runs():
    """The polling path with a simulated interrupt: the progress callback raises
    KeyboardInterrupt as a signal handler would; the runs stop and it is re-raised."""
    s = netstates.load("baseline")
    calls = []

    def progress(done, total):
        calls.append(done)
        raise KeyboardInterrupt

    with tempfile.TemporaryDirectory() as tmp:
        t = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            _core.run(s._inner, f"{tmp}/r", runs="500000", seed="1", progress=progress)
        assert time.monotonic() - t < 10
    assert len(calls) == 1
    assert calls[0] < 500_000


def test_python_threads_run_while_the_runs_play():
    """The GIL is released: a Python thread makes progress during a run."""
    import threading

    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.005)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        before = len(ticks)
        netstates.run(netstates.load("baseline"), runs=600, seed=1, jobs=1, progress=False)
        during = len(ticks) - before
    finally:
        stop.set()
        thread.join()
    assert during > 10
