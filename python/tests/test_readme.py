"""The README's "From Python" example runs and prints what the README shows."""

import contextlib
import io
import os
import re

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
