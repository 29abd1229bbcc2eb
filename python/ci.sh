#!/usr/bin/env bash
# The Python package's checks, run by CI after `cargo test`: clippy on the bindings, the
# release binary (the tests compare the package's files with its), a virtual environment
# under the cargo target directory with the pinned packages of requirements-ci.txt,
# `pip install ./python` as a user would, and pytest. Prints the time of each step.
# Needs CPython 3.12 or later with venv (ema-workbench 3.0.0 requires it; the package itself
# takes 3.9): $PYTHON if set, else python3.13, python3.12 or python3 on PATH, else a pyenv
# version (`pyenv versions --bare`); none found is a failure, not a skip. Also the Rust
# toolchain, crates.io and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
step() { printf '== python/ci.sh: %s (%d s)\n' "$1" $((SECONDS - start)); }

# One target directory for cargo and for the wheel that maturin builds through pip.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$CARGO_TARGET_DIR/pyenv"
pip=(-q --disable-pip-version-check)

step "clippy on the python crate"
cargo clippy -p netstates-python --all-targets --locked -- -D warnings

step "the release binary"
cargo build --release --locked --bin netstates

# The interpreter: the oldest of at least 3.12 found (the pins are tested with 3.12), as a
# command line in the array `python`.
new_enough() { "$@" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
find_python() {
    local cmd v
    if [ -n "${PYTHON:-}" ]; then
        python=("$PYTHON")
        new_enough "${python[@]}" && return
        echo "python/ci.sh: PYTHON=$PYTHON is not CPython 3.12 or later" >&2
        return 1
    fi
    for cmd in python3.12 python3.13 python3; do
        python=("$cmd")
        command -v "$cmd" >/dev/null && new_enough "${python[@]}" && return
    done
    if command -v pyenv >/dev/null; then
        for v in $(pyenv versions --bare 2>/dev/null | sort -V); do
            python=(env "PYENV_VERSION=$v" python3)
            new_enough "${python[@]}" && return
        done
    fi
    echo "python/ci.sh: no CPython 3.12 or later found (tried \$PYTHON, python3.12," \
        "python3.13, python3 and pyenv's versions); ema-workbench 3.0.0 needs one:" \
        "install it, or set PYTHON to its path" >&2
    return 1
}

step "the virtual environment ($venv)"
if ! new_enough "$venv/bin/python"; then
    find_python || exit 1
    echo "python/ci.sh: making the virtual environment with ${python[*]}"
    rm -rf "$venv"
    "${python[@]}" -m venv "$venv"
fi
"$venv/bin/python" --version
"$venv/bin/pip" install "${pip[@]}" -r python/requirements-ci.txt

step "pip install ./python"
"$venv/bin/pip" install "${pip[@]}" --force-reinstall --no-deps ./python

step "pytest"
# pytest puts python/tests, not python/, on sys.path: the installed package is tested.
NETSTATES_BIN="$CARGO_TARGET_DIR/release/netstates" PYTHONDONTWRITEBYTECODE=1 \
    "$venv/bin/pytest" -p no:cacheprovider python/tests

step "examples/python/first_steps.py"
MPLBACKEND=Agg PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" examples/python/first_steps.py \
    "$CARGO_TARGET_DIR/first-steps"

step "done"
