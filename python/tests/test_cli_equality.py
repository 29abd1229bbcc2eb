"""The package writes the binary's files, bit for bit, and its DataFrames hold the files'
numbers exactly."""

import csv
import io
import json

import pytest

import netstates
from conftest import SCENARIOS

CASES = [
    ("baseline", dict(runs=50, seed=7), [], False, 1),
    (
        str(SCENARIOS / "ambassadors-equal.toml"),
        dict(runs=40, seed=20221109, jobs=1),
        [("government.*.capacity", "0.5..0.9"), ("government.*.susceptibility*", "1.5")],
        True,
        5,
    ),
    ("baseline", dict(runs=25, seed=3, jobs=2), [("firm.*.growth", "0.01..0.03")], True, 1),
]


@pytest.mark.parametrize("source, kwargs, sets, trajectories, every", CASES)
def test_saved_files_equal_the_binarys(cli, tmp_path, source, kwargs, sets, trajectories, every):
    args = ["run", source, "--out", tmp_path / "cli", "-q"]
    for flag in ("runs", "seed", "jobs"):
        if flag in kwargs:
            args += [f"--{flag}", kwargs[flag]]
    for path, value in sets:
        args += ["--set", f"{path}={value}"]
    if trajectories:
        args += ["--trajectories", "--every", every]
    out = cli(*args)
    assert out.returncode == 0, out.stderr

    s = netstates.load(source).with_set(dict(sets))
    r = netstates.run(s, trajectories=trajectories, every=every, progress=False, **kwargs)
    r.save(tmp_path / "py")
    names = [netstates.RUNS, netstates.SUMMARY]
    if trajectories:
        names += [netstates.TRAJECTORIES, netstates.TRAJECTORY_SUMMARY]
    for name in names:
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name
    # The manifests differ only in times and the command line.
    a = json.loads((tmp_path / "py" / netstates.MANIFEST).read_text())
    b = json.loads((tmp_path / "cli" / netstates.MANIFEST).read_text())
    for key in ("started", "finished", "command_line"):
        a.pop(key), b.pop(key)
    assert a == b

    # Every DataFrame value is the CSV's number read back with a float round trip.
    frames = [(netstates.RUNS, r.runs)]
    if trajectories:
        frames += [(netstates.TRAJECTORIES, r.trajectories)]
    for name, frame in frames:
        rows = list(csv.reader(io.StringIO((tmp_path / "cli" / name).read_text())))
        assert list(frame.columns) == rows[0]
        assert len(frame) == len(rows) - 1
        for i, row in enumerate(rows[1:]):
            assert [float(x) for x in row] == [float(v) for v in frame.iloc[i]], (name, i)
    summary = json.loads((tmp_path / "cli" / netstates.SUMMARY).read_text())
    for m in summary["metrics"]:
        for col in netstates.SUMMARY_COLUMNS:
            assert r.summary.loc[m["metric"], col] == m[col]
