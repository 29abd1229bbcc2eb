"""compare: the CLI's statistics (compare --format csv) and report, bit for bit."""

import pandas as pd
import pytest

import netstates


def test_compare_equals_the_binarys_csv_and_report(cli, tmp_path):
    c = netstates.compare(
        netstates.load("ambassadors-observer"),
        "ambassadors-equal",
        runs=60,
        seed=4,
        labels=["observer", "equal"],
        metrics=["capture", "trust", "violations"],
        resamples=500,
        progress=False,
    )
    out = cli(
        "compare", "ambassadors-observer", "ambassadors-equal", "--runs", 60, "--seed", 4,
        "--label", "observer", "--label", "equal", "--metric", "capture", "--metric", "trust",
        "--metric", "violations", "--resamples", 500, "--format", "csv",
        "--report", tmp_path / "cli.html",
    )
    assert out.returncode == 0, out.stderr
    assert c.csv() == out.stdout
    c.report(tmp_path / "py.html")
    assert (tmp_path / "py.html").read_bytes() == (tmp_path / "cli.html").read_bytes()
    assert isinstance(c, pd.DataFrame)
    assert list(c["metric"]) == ["capture", "trust", "violations"]
    assert set(c["baseline"]) == {"observer"} and set(c["scenario"]) == {"equal"}
    assert c["paired"].all()
    rows = out.stdout.strip().split("\n")
    for i, row in enumerate(rows[1:]):
        for col, text in zip(rows[0].split(","), row.split(",")):
            value = c.iloc[i][col]
            if text in ("true", "false"):
                assert value == (text == "true")
            elif col in ("baseline", "scenario", "metric"):
                assert value == text
            else:
                assert float(value) == float(text), (col, text, value)
    # Slices are plain DataFrames; the table is the terminal's.
    assert type(c[["metric"]]) is pd.DataFrame
    assert "paired by run" in c.table()


def test_compare_takes_results_and_result_directories(cli, tmp_path):
    base = netstates.load("baseline")
    r = netstates.run(base, runs=30, seed=2, progress=False)
    r.save(tmp_path / "base")
    equal = netstates.load("ambassadors-equal")
    a = netstates.compare(r, equal, runs=30, seed=2, progress=False)
    b = netstates.compare(tmp_path / "base", equal, runs=30, seed=2, progress=False)
    out = cli("compare", tmp_path / "base", "ambassadors-equal", "--runs", 30, "--seed", 2,
              "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert a.csv() == b.csv() == out.stdout


def test_three_inputs_default_labels_number_repeated_names():
    s = netstates.load("baseline")
    c = netstates.compare(s, s.with_set({"government.*.capacity": 0.8}), s, runs=10, seed=1,
                          progress=False)
    assert list(dict.fromkeys(c["scenario"])) == ["baseline-2", "baseline-3"]


@pytest.mark.parametrize(
    "kwargs, args",
    [
        (dict(labels=["a", "a"]), ["--label", "a", "--label", "a"]),
        (dict(labels=["a"]), ["--label", "a"]),
        (dict(metrics=["captur"]), ["--metric", "captur"]),
    ],
)
def test_compare_errors_are_the_clis(cli, kwargs, args):
    with pytest.raises(netstates.UsageError) as e:
        netstates.compare("baseline", "ambassadors-equal", runs=5, progress=False, **kwargs)
    out = cli("compare", "baseline", "ambassadors-equal", "--runs", 5, *args)
    assert out.returncode == 2
    assert f"error: {e.value}\n" == out.stderr


def test_compare_needs_two_inputs_of_the_right_types():
    with pytest.raises(netstates.UsageError, match="at least two"):
        netstates.compare("baseline")
    with pytest.raises(netstates.ArgumentTypeError):
        netstates.compare("baseline", 3)
    with pytest.raises(netstates.ArgumentTypeError):
        netstates.compare("baseline", "baseline", labels="a")
