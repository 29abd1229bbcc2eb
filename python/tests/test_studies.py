"""sweep, sensitivity and discover: the binary's files, bit for bit, DataFrames that hold the
files' values exactly, and the command line's messages for bad arguments."""

import csv
import io
import json
import math
from pathlib import Path

import pytest

import netstates

OBSERVER = "model.ambassador.stakes.observer"
CAPACITY = "government.*.capacity"
LEVEL = "government.*.ambassador"

# Files whose times and command line differ between the binary and Python.
STAMPED = {"study.json": ("started", "command_line"),
           "manifest.json": ("started", "finished", "command_line")}


def tree(root: Path) -> dict:
    """Every file under root but the binary's lock files (which hold its process id)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not (p.name.startswith(".netstates") and p.name.endswith(".lock"))
    }


def assert_same_files(py: Path, cli: Path):
    a, b = tree(py), tree(cli)
    assert sorted(a) == sorted(b)
    for name in a:
        stamped = STAMPED.get(name.rsplit("/", 1)[-1])
        if stamped is None:
            assert a[name] == b[name], name
        else:
            x, y = json.loads(a[name]), json.loads(b[name])
            for key in stamped:
                x.pop(key), y.pop(key)
            assert x == y, name


def assert_frame_is_csv(frame, text: str):
    """Every cell of the DataFrame is the CSV's field: the same f64, word, or NaN if empty."""
    rows = list(csv.reader(io.StringIO(text)))
    assert list(frame.columns) == rows[0]
    assert len(frame) == len(rows) - 1
    for i, row in enumerate(rows[1:]):
        for column, field, value in zip(rows[0], row, frame.iloc[i]):
            if field == "":
                assert isinstance(value, float) and math.isnan(value), (i, column)
                continue
            try:
                number = float(field)
            except ValueError:
                assert value == field, (i, column)
                continue
            if math.isnan(number):
                assert math.isnan(float(value)), (i, column)
            else:
                assert float(value) == number, (i, column, field, value)


def ok(out):
    assert out.returncode == 0, out.stderr
    return out


SWEEPS = [
    (
        {OBSERVER: "0..0.4:3", LEVEL: ["none", "observer"]},
        dict(runs=6, seed=5, jobs=2, metrics=["trust", "capture"]),
        [f"{OBSERVER}=0..0.4:3", f"{LEVEL}=none,observer",
         "--metric", "trust", "--metric", "capture"],
    ),
    (
        {OBSERVER: (0.0, 0.4), CAPACITY: (0.3, 0.9), "firm.*.growth": 0.02},
        dict(design="lhs", samples=5, runs=4, seed=11, jobs=1, trajectories=True, every=5),
        [f"{OBSERVER}=0.0..0.4", f"{CAPACITY}=0.3..0.9", "firm.*.growth=0.02",
         "--design", "lhs", "--samples", 5, "--trajectories", "--every", 5],
    ),
]


def cli_args(kwargs, extra, sets):
    args = []
    for s in sets:
        args += ["--set", s]
    for flag in ("runs", "seed", "jobs"):
        if flag in kwargs:
            args += [f"--{flag}", kwargs[flag]]
    return args + extra


@pytest.mark.parametrize("sets, kwargs, args", SWEEPS)
def test_sweep_writes_the_binarys_files(cli, tmp_path, sets, kwargs, args):
    setflags = [a for a in args if isinstance(a, str) and "=" in a]
    extra = [a for a in args if a not in setflags]
    ok(cli("sweep", "baseline", *cli_args(kwargs, extra, setflags), "--out",
           tmp_path / "cli", "-q"))
    r = netstates.sweep("baseline", set=sets, progress=False, **kwargs)
    r.save(tmp_path / "py")
    assert_same_files(tmp_path / "py", tmp_path / "cli")
    r.report(tmp_path / "report.html")
    assert (tmp_path / "report.html").read_bytes() == (tmp_path / "cli" / "report.html").read_bytes()
    assert_frame_is_csv(r.points, (tmp_path / "cli" / "sweep.csv").read_text())
    assert_frame_is_csv(r.runs, (tmp_path / "cli" / "runs.csv").read_text())
    assert r.indices is None
    assert r.study["plan"]["factors"] == list(r.points.columns[1:1 + len(r.study["plan"]["factors"])])
    if kwargs.get("trajectories"):
        assert_frame_is_csv(r.trajectory_summary,
                            (tmp_path / "cli" / "trajectory-summary.csv").read_text())


SENSITIVITIES = [
    (dict(samples=4, runs=3, seed=2), ["--samples", 4]),
    (dict(samples=4, runs=2, seed=9, second_order=True, resamples=20, metrics=["welfare"]),
     ["--samples", 4, "--second-order", "--resamples", 20, "--metric", "welfare"]),
    (dict(method="morris", samples=3, levels=6, runs=3, seed=1, jobs=1),
     ["--method", "morris", "--samples", 3, "--levels", 6]),
]


@pytest.mark.parametrize("kwargs, args", SENSITIVITIES)
def test_sensitivity_writes_the_binarys_files(cli, tmp_path, kwargs, args):
    params = {OBSERVER: (0.0, 0.4), CAPACITY: (0.3, 0.9)}
    flags = ["--param", f"{OBSERVER}=0.0..0.4", "--param", f"{CAPACITY}=0.3..0.9"]
    for flag in ("runs", "seed", "jobs"):
        if flag in kwargs:
            flags += [f"--{flag}", kwargs[flag]]
    out = ok(cli("sensitivity", "baseline", *flags, *args, "--out", tmp_path / "cli"))
    with pytest.warns(UserWarning) if "morris" not in kwargs.values() else _no_warning() as w:
        r = netstates.sensitivity("baseline", params=params, progress=False, **kwargs)
    # The command's warnings, in its order.
    said = [line[len("warning: "):] for line in out.stderr.splitlines()
            if line.startswith("warning: ")]
    assert [str(x.message) for x in (w or [])] == said
    r.save(tmp_path / "py")
    assert_same_files(tmp_path / "py", tmp_path / "cli")
    assert_frame_is_csv(r.indices, (tmp_path / "cli" / "sensitivity.csv").read_text())
    assert_frame_is_csv(r.points, (tmp_path / "cli" / "points.csv").read_text())
    assert_frame_is_csv(r.runs, (tmp_path / "cli" / "runs.csv").read_text())
    if kwargs.get("second_order"):
        assert_frame_is_csv(r.second_order, (tmp_path / "cli" / "second-order.csv").read_text())
    else:
        assert r.second_order is None


class _no_warning:
    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        caught = self._catch.__enter__()
        warnings.simplefilter("always")
        return caught

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)


def test_discover_writes_the_binarys_files(cli, tmp_path):
    study = tmp_path / "study"
    ok(cli("sweep", "baseline", "--set", f"{OBSERVER}=0..0.4:3", "--set", f"{CAPACITY}=0.3..0.9:3",
           "--runs", 8, "--seed", 3, "--out", study, "-q"))
    r = netstates.sweep("baseline", set={OBSERVER: "0..0.4:3", CAPACITY: "0.3..0.9:3"},
                        runs=8, seed=3, progress=False)
    median = float(r.runs["capture"].median())
    where = f"capture > {median!r}"
    args = ["--where", where, "--peel-alpha", 0.1, "--mass-min", 0.1]
    said = ok(cli("discover", study, *args, "--out", tmp_path / "cli")).stdout
    # From the directory: every file, the report (which names the directory) included.
    d = netstates.discover(str(study), where=where, peel_alpha=0.1, mass_min=0.1)
    d.save(tmp_path / "py")
    assert_same_files(tmp_path / "py", tmp_path / "cli")
    chosen = int(d.box["box"][0]) if len(d.box) else int(d.json["chosen"])
    assert f"\nbox {chosen}: {d.description}\n" in said
    for frame, name in ((d.trajectory, "prim-trajectory.csv"), (d.box, "prim-box.csv"),
                        (d.features, "feature-scores.csv")):
        assert_frame_is_csv(frame, (tmp_path / "cli" / name).read_text())
    d.report(tmp_path / "report.html")
    assert (tmp_path / "report.html").read_bytes() == (tmp_path / "cli" / "report.html").read_bytes()
    # From the StudyResult: the same analysis.
    e = netstates.discover(r, where=where, peel_alpha=0.1, mass_min=0.1)
    for name in ("prim-trajectory.csv", "prim-box.csv", "feature-scores.csv", "discover.json"):
        assert e.files[name] == d.files[name], name


def test_discover_takes_a_result_with_uncertain_inputs(cli, tmp_path, capfd):
    s = netstates.load("baseline").with_set({CAPACITY: (0.3, 0.9)})
    r = netstates.run(s, runs=40, seed=6, progress=False)
    r.save(tmp_path / "run")
    where = f"trust < {float(r.runs['trust'].median())!r}"
    ok(cli("discover", tmp_path / "run", "--where", where, "--box", 0, "--out", tmp_path / "cli"))
    capfd.readouterr()
    d = netstates.discover(r, where=where, box=0)
    assert capfd.readouterr() == ("", "")  # nothing printed, unlike the command
    assert len(d.box) == 0  # box 0 is the whole input space: nothing restricted
    for name in ("prim-trajectory.csv", "prim-box.csv", "feature-scores.csv", "discover.json"):
        assert d.files[name] == (tmp_path / "cli" / name).read_bytes(), name


def cli_message(out) -> str:
    assert out.returncode == 2, out.stderr
    assert out.stderr.startswith("error: "), out.stderr
    return out.stderr[len("error: "):].rstrip("\n")


@pytest.mark.parametrize(
    "kwargs, args",
    [
        (dict(set={CAPACITY: 0.8}), ["--set", f"{CAPACITY}=0.8"]),
        (dict(set={CAPACITY: (0.3, 0.9)}), ["--set", f"{CAPACITY}=0.3..0.9"]),
        (dict(set={CAPACITY: "0.3..0.9:3"}, samples=4),
         ["--set", f"{CAPACITY}=0.3..0.9:3", "--samples", 4]),
        (dict(set={CAPACITY: (0.3, 0.9)}, design="lhs"),
         ["--set", f"{CAPACITY}=0.3..0.9", "--design", "lhs"]),
        (dict(set={"government.*.capacty": "0..1:3"}), ["--set", "government.*.capacty=0..1:3"]),
        (dict(set={CAPACITY: "0..1.5:3"}), ["--set", f"{CAPACITY}=0..1.5:3"]),
        (dict(set={CAPACITY: "0..1:3"}, metrics=["captur"]),
         ["--set", f"{CAPACITY}=0..1:3", "--metric", "captur"]),
    ],
)
def test_sweep_errors_are_the_clis(cli, tmp_path, kwargs, args):
    with pytest.raises(netstates.UsageError) as e:
        netstates.sweep("baseline", runs=2, progress=False, **kwargs)
    assert str(e.value) == cli_message(cli("sweep", "baseline", "--runs", 2, *args,
                                           "--out", tmp_path / "out"))


@pytest.mark.parametrize(
    "kwargs, args",
    [
        (dict(set={OBSERVER: (0.0, 0.4)}), ["--set", f"{OBSERVER}=0.0..0.4"]),
        (dict(params={OBSERVER: "0,0.4"}), ["--param", f"{OBSERVER}=0,0.4"]),
        (dict(set={OBSERVER: 0.1}), ["--set", f"{OBSERVER}=0.1"]),
        (dict(resamples=1), ["--resamples", 1]),
        (dict(method="morris", second_order=True), ["--method", "morris", "--second-order"]),
        (dict(method="morris", levels=3), ["--method", "morris", "--levels", 3]),
        (dict(samples=1), ["--samples", 1]),
    ],
)
def test_sensitivity_errors_are_the_clis(cli, tmp_path, kwargs, args):
    params = kwargs.pop("params", {OBSERVER: (0.0, 0.4)})
    flags = [] if any(a == "--param" for a in args) else ["--param", f"{OBSERVER}=0.0..0.4"]
    with pytest.raises(netstates.UsageError) as e:
        netstates.sensitivity("baseline", params=params, runs=2, progress=False, **kwargs)
    assert str(e.value) == cli_message(cli("sensitivity", "baseline", "--runs", 2, *flags, *args,
                                           "--out", tmp_path / "out", "-q"))


@pytest.mark.parametrize(
    "kwargs, args",
    [
        (dict(where="capture >> 0.3"), ["--where", "capture >> 0.3"]),
        (dict(where="captur > 0.3"), ["--where", "captur > 0.3"]),
        (dict(where="capture > 0.3", box=999), ["--where", "capture > 0.3", "--box", 999]),
        (dict(where="capture > 0.3", peel_alpha=0.7),
         ["--where", "capture > 0.3", "--peel-alpha", 0.7]),
    ],
)
def test_discover_errors_are_the_clis(cli, tmp_path, kwargs, args):
    s = netstates.load("baseline").with_set({CAPACITY: (0.3, 0.9)})
    netstates.run(s, runs=20, seed=1, progress=False).save(tmp_path / "run")
    with pytest.raises(netstates.UsageError) as e:
        netstates.discover(tmp_path / "run", **kwargs)
    assert str(e.value) == cli_message(cli("discover", tmp_path / "run", *args,
                                           "--out", tmp_path / "out"))


def test_bad_argument_types_raise_argument_type_errors():
    for call in (
        lambda: netstates.sweep("baseline", set="government.*.capacity=0..1:3"),
        lambda: netstates.sweep("baseline", set={CAPACITY: "0..1:3"}, design=3),
        lambda: netstates.sweep("baseline", set={CAPACITY: "0..1:3"}, samples=-1),
        lambda: netstates.sweep("baseline", set={CAPACITY: []}),
        lambda: netstates.sensitivity("baseline", params={CAPACITY: 0.5}),
        lambda: netstates.sensitivity("baseline", params={CAPACITY: (0, 1)}, levels=2.0),
        lambda: netstates.discover(3, where="capture > 0.5"),
        lambda: netstates.discover(".", where=0.5),
    ):
        with pytest.raises(netstates.ArgumentTypeError):
            call()
    with pytest.raises(netstates.UsageError, match="grid"):
        netstates.sweep("baseline", set={CAPACITY: "0..1:3"}, design="sobol")
