"""The README's "From Python" examples run and print what the README shows: the inline
example, and examples/python/first_steps.py (its cells quoted as they are in the file)."""

import contextlib
import io
import os
import re
import subprocess
import sys

from conftest import REPO


def test_the_readme_example_prints_what_the_readme_shows(tmp_path):
    readme = (REPO / "README.md").read_text()
    section = readme.split("### From Python\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    shown = re.search(r"prints\n\n```text\n(.*?)```", section, re.S).group(1)
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)

    def lines(text):
        return [line.rstrip() for line in text.strip("\n").split("\n")]

    assert lines(out.getvalue()) == lines(shown)
    assert (tmp_path / "results" / "weak" / "runs.csv").is_file()


def _first_steps_section():
    readme = (REPO / "README.md").read_text()
    section = readme.split("### From Python\n", 1)[1].split("\n## ", 1)[0]
    return section.split("#### A notebook session, and the EMA Workbench\n", 1)[1]


def test_the_readme_shows_the_first_steps_script_as_it_is():
    script = (REPO / "examples" / "python" / "first_steps.py").read_text()
    cells = re.search(r"```python\n(.*?)```", _first_steps_section(), re.S).group(1)
    assert cells.strip("\n") == script[script.index("# %% Load") :].strip("\n")


def test_the_first_steps_script_prints_what_the_readme_shows(tmp_path):
    shown = re.search(
        r"first_steps\.py figures/` prints[^\n]*\n\n```text\n(.*?)```",
        _first_steps_section(),
        re.S,
    ).group(1)
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "python" / "first_steps.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    def lines(text):
        return [line.rstrip() for line in text.strip("\n").split("\n")]

    assert lines(done.stdout) == lines(shown)
    assert (tmp_path / "capture.png").stat().st_size > 1000
