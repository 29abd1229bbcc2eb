"""Shared fixtures: the repository root and the `netstates` binary of the same checkout.

The tests compare the package with the binary, so they need it: `python/ci.sh` builds it
(`cargo build --release`) and passes its path in NETSTATES_BIN. Without the variable the
binary is looked for under the cargo target directory; a missing binary fails the tests that
need it rather than skipping them.
"""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INVALID = REPO / "tests" / "fixtures" / "invalid"
SCENARIOS = REPO / "scenarios"


def _binary() -> Path:
    if "NETSTATES_BIN" in os.environ:
        return Path(os.environ["NETSTATES_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "release" / "netstates"


@pytest.fixture(scope="session")
def netstates_bin() -> Path:
    path = _binary()
    if not path.is_file():
        pytest.fail(f"no netstates binary at {path}: build it with cargo build --release")
    return path


def cli_env() -> dict:
    """The binary's environment for comparing its messages: UTF-8, no colour forced."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "NO_GRAPHICS", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR")
    }
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm")
    return env


@pytest.fixture(scope="session")
def cli(netstates_bin):
    """Runs the binary; returns the completed process (text output, never raises)."""

    def call(*args, cwd=None):
        return subprocess.run(
            [str(netstates_bin), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=cli_env(),
            timeout=300,
        )

    return call
