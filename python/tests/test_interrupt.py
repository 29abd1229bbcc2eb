"""Ctrl-C stops an experiment between blocks and raises KeyboardInterrupt, promptly."""

import signal
import subprocess
import sys
import tempfile
import time

import pytest

import netstates
from netstates import _core

CHILD = """
import signal, sys, time
import netstates
# Python leaves SIGINT ignored when it starts ignored, as in a job started with `&` by a
# non-interactive shell; a notebook's kernel has the handler, so install it.
signal.signal(signal.SIGINT, signal.default_int_handler)
s = netstates.load("baseline")
print("ready", flush=True)
t = time.monotonic()
try:
    {call}
except KeyboardInterrupt:
    print(f"interrupted after {{time.monotonic() - t:.2f}} s", flush=True)
    sys.exit(42)
print("finished", flush=True)
"""


def interrupt(call: str, after: float, timeout: float):
    """Runs ``call`` (on the baseline scenario ``s``) in a child Python, sends it a real
    SIGINT ``after`` seconds into it, and returns (exit status, stdout, stderr, seconds
    from the signal to the child's exit)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(call=call)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(after)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=timeout)
        stopped = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, out, err, stopped


def test_sigint_raises_keyboard_interrupt_promptly():
    # 1 s is well into the runs (500000 take minutes).
    code, out, err, stopped = interrupt(
        "netstates.run(s, runs=500_000, seed=1, jobs=2, progress=False)", 1.0, 20
    )
    assert code == 42, (out, err)
    assert out.startswith("interrupted after"), out
    # A block of runs lasts well under a second; the bound leaves room for a loaded machine.
    assert stopped < 10.0, f"took {stopped:.1f} s to stop"


def test_sigint_stops_a_sweep_with_keyboard_interrupt():
    code, out, err, _ = interrupt(
        'netstates.sweep(s, set={"government.*.capacity": "0.3..0.9:50"}, runs=100_000, '
        "seed=1, jobs=2, progress=False)",
        1.5,
        30,
    )
    assert code == 42, (out, err)
    assert out.startswith("interrupted"), out


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
