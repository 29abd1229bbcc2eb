"""The API round-trips: load, with_set, summary, run, the DataFrames, save."""


import pandas as pd
import pytest

import netstates
from conftest import SCENARIOS


def test_load_bundled_name_and_file_give_the_same_scenario():
    by_name = netstates.load("baseline")
    by_file = netstates.load(SCENARIOS / "baseline.toml")
    assert by_name.name == by_file.name == "baseline"
    assert by_name.description == by_file.description != ""
    assert by_name.metrics == by_file.metrics
    assert "capture" in by_name.metrics
    assert by_name.runs >= 1 and by_name.rounds >= 1
    assert "baseline" in netstates.bundled()


def test_summary_is_what_check_prints(cli):
    path = SCENARIOS / "ambassadors-equal.toml"
    s = netstates.load(path)
    out = cli("check", path)
    assert out.returncode == 0, out.stderr
    assert s.summary() == out.stdout
    assert str(s) == s.summary()


def test_with_set_returns_a_new_scenario_and_leaves_the_old_one():
    s = netstates.load("baseline")
    t = s.with_set({"experiment.runs": 17, "experiment.seed": 5, "scenario.rounds": 40})
    assert (t.runs, t.seed, t.rounds) == (17, 5, 40)
    assert (s.runs, s.seed) != (17, 5)
    assert t.name == s.name


def test_with_set_takes_uncertain_pairs_words_and_the_relative_form():
    s = netstates.load("baseline")
    t = s.with_set(
        {
            "government.*.capacity": (0.5, 0.9),
            "government.*.ambassador": "equal",
            "government.*.susceptibility*": 1.5,
        }
    )
    assert "government.eu.capacity" in t.inputs
    assert "government.eu.capacity" not in s.inputs
    m = netstates.run(t, runs=3, seed=1, progress=False).manifest["scenario"]
    b = netstates.run(s, runs=3, seed=1, progress=False).manifest["scenario"]
    eu = next(g for g in m["governments"] if g["id"] == "eu")
    base = next(g for g in b["governments"] if g["id"] == "eu")
    assert eu["ambassador"] == "equal"
    assert eu["values"]["capacity"] == {"uniform": [0.5, 0.9]}
    lo, hi = base["values"]["susceptibility"]["uniform"]
    assert eu["values"]["susceptibility"] == {"uniform": [lo * 1.5, hi * 1.5]}


def test_run_gives_dataframes_with_the_runs_csv_columns():
    s = netstates.load("baseline")
    r = netstates.run(s, runs=12, seed=3, jobs=2, progress=False)
    assert isinstance(r.runs, pd.DataFrame)
    assert list(r.runs.columns) == ["run", "seed", *s.inputs, *s.metrics]
    assert list(r.runs["run"]) == list(range(12))
    assert set(r.runs["seed"]) == {3}
    assert list(r.summary.index) == s.metrics
    assert list(r.summary.columns) == netstates.SUMMARY_COLUMNS
    assert (r.summary["n"] == 12).all()
    # The summary's mean is the mean of the runs' column (same values, summed in run order).
    for metric in s.metrics:
        assert r.summary.loc[metric, "mean"] == pytest.approx(r.runs[metric].mean(), rel=1e-12)
        assert r.summary.loc[metric, "min"] == r.runs[metric].min()
        assert r.summary.loc[metric, "max"] == r.runs[metric].max()
    assert r.trajectories is None and r.trajectory_summary is None
    assert r.manifest["runs"] == 12 and r.manifest["seed"] == 3
    assert r.manifest["command_line"][0] == "python"


def test_defaults_are_the_scenarios_experiment():
    s = netstates.load("baseline").with_set({"experiment.runs": 4, "experiment.seed": 11})
    r = netstates.run(s, progress=False)
    assert len(r.runs) == 4 and set(r.runs["seed"]) == {11}


def test_the_same_bytes_whatever_jobs():
    s = netstates.load("baseline")
    one = netstates.run(s, runs=30, seed=9, jobs=1, trajectories=True, progress=False)
    two = netstates.run(s, runs=30, seed=9, jobs=2, trajectories=True, progress=False)
    for name in (netstates.RUNS, netstates.SUMMARY, netstates.TRAJECTORIES,
                 netstates.TRAJECTORY_SUMMARY):
        assert one.files[name] == two.files[name], name


def test_trajectories_end_at_the_runs_rows():
    s = netstates.load("baseline")
    r = netstates.run(s, runs=5, seed=2, trajectories=True, every=7, progress=False)
    t = r.trajectories
    assert list(t.columns) == ["run", "round", *s.metrics]
    rounds = sorted(set(t["round"]))
    assert rounds[0] == 0 and rounds[-1] == s.rounds
    assert all(x % 7 == 0 for x in rounds[:-1])
    last = t[t["round"] == s.rounds].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        last[s.metrics], r.runs[s.metrics], check_exact=True, check_dtype=False
    )
    ts = r.trajectory_summary
    assert set(ts["metric"]) == set(s.metrics)
    assert sorted(set(ts["round"])) == rounds


def test_save_writes_the_files_and_refuses_to_overwrite(tmp_path):
    r = netstates.run(netstates.load("baseline"), runs=4, seed=1, progress=False)
    out = tmp_path / "a" / "b"
    assert r.save(out) == str(out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([netstates.MANIFEST, netstates.RUNS, netstates.SUMMARY])
    for name in names:
        assert (out / name).read_bytes() == r.files[name]
    with pytest.raises(netstates.UsageError, match="already holds .*force=True"):
        r.save(out)
    (out / netstates.RUNS).write_bytes(b"changed")
    r.save(out, force=True)
    assert (out / netstates.RUNS).read_bytes() == r.files[netstates.RUNS]


def test_progress_reaches_the_total_from_the_calling_thread():
    import threading

    from netstates import _core

    calls = []
    s = netstates.load("baseline")
    me = threading.get_ident()

    def progress(done, total):
        calls.append((done, total, threading.get_ident()))

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _core.run(s._inner, f"{tmp}/r", runs="40", seed="1", jobs="2", progress=progress)
    assert calls, "progress was never called"
    assert calls[-1][:2] == (40, 40)
    assert all(t == me for _, _, t in calls)
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)


def test_tqdm_progress_when_asked(capsys):
    pytest.importorskip("tqdm")
    r = netstates.run(netstates.load("baseline"), runs=20, seed=1, progress=True)
    assert len(r.runs) == 20


def test_repr_names_the_scenario():
    s = netstates.load("baseline").with_set({"government.*.capacity": 0.8})
    assert "baseline" in repr(s)
    assert s._call() == "netstates.load('baseline').with_set({'government.*.capacity': '0.8'})"
