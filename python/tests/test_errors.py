"""Bad input raises the package's exceptions with the command line's messages."""

import pytest

import netstates
from conftest import INVALID


def cli_reports(stderr: str) -> str:
    """The reports `netstates check` prints, without its closing "error: N problems" line."""
    lines = stderr.rstrip("\n").split("\n")
    assert lines[-1].startswith("error: "), stderr
    return "\n".join(lines[:-1]).rstrip()


def cli_error(stderr: str) -> str:
    """The message of a one-line `error: ...` from the binary."""
    assert stderr.startswith("error: "), stderr
    return stderr[len("error: "):].rstrip("\n")


@pytest.mark.parametrize(
    "name", ["ambassador-unknown-level.toml", "antitrust-twice.toml", "diffusion-stakes-none.toml"]
)
def test_a_bad_file_raises_what_check_prints(cli, name):
    path = INVALID / name
    with pytest.raises(netstates.ScenarioError) as e:
        netstates.load(path)
    out = cli("check", path)
    assert out.returncode == 2
    assert str(e.value) == cli_reports(out.stderr)
    file, line, column, message = e.value.problems[0]
    assert file == str(path) and line >= 1 and column >= 1 and message
    # The heading names file, line and column; the excerpt marks the place.
    assert f"{path}:{line}:{column}: {message}" in str(e.value)
    assert "─[" in str(e.value) and "│" in str(e.value)


def test_every_problem_of_a_file_is_reported(tmp_path, cli):
    bad = tmp_path / "typo.toml"
    bad.write_text(
        '[scenario]\nname = "typo"\nroundz = 3\n\n[[issue]]\nid = "privacy"\nweigth = 1\n'
    )
    with pytest.raises(netstates.ScenarioError) as e:
        netstates.load(bad)
    assert str(e.value) == cli_reports(cli("check", bad).stderr)
    assert len(e.value.problems) >= 2


def test_a_missing_file_is_a_file_not_found_error_with_the_cli_message(cli, tmp_path):
    missing = tmp_path / "nothing-here.toml"
    with pytest.raises(FileNotFoundError) as e:
        netstates.load(missing)
    assert isinstance(e.value, netstates.ScenarioNotFoundError)
    assert isinstance(e.value, netstates.ScenarioError)
    assert str(e.value) == cli_reports(cli("check", missing).stderr)
    assert "cannot read" in str(e.value) and str(missing) in str(e.value)


def test_an_unknown_bundled_name_is_not_found(cli):
    with pytest.raises(netstates.ScenarioNotFoundError) as e:
        netstates.load("baselin")
    assert str(e.value) == cli_reports(cli("check", "baselin").stderr)


@pytest.mark.parametrize(
    "path, value",
    [
        ("government.*.capacityy", "0.8"),
        ("government.nowhere.capacity", "0.8"),
        ("government.*.capacity", "7"),
        ("government.*.capacity", "lots"),
        ("government.*.capacity*", "5"),
        ("scenario.rounds", "9"),
        ("experiment.runs", "0"),
        ("firm.*.growth*", "x"),
    ],
)
def test_a_bad_set_raises_the_cli_message(cli, tmp_path, path, value):
    s = netstates.load("baseline")
    with pytest.raises(netstates.UsageError) as e:
        s.with_set({path: value})
    out = cli("run", "baseline", "--runs", "1", "--set", f"{path}={value}", "--out",
              tmp_path / "never")
    assert out.returncode == 2
    assert str(e.value) == cli_error(out.stderr)


@pytest.mark.parametrize(
    "kwargs, flag, value",
    [
        (dict(runs=0), "--runs", "0"),
        (dict(runs=10**10), "--runs", str(10**10)),
        (dict(seed=-1), "--seed", "-1"),
        (dict(seed=2**64), "--seed", str(2**64)),
        (dict(jobs=0), "--jobs", "0"),
        (dict(jobs=5000), "--jobs", "5000"),
    ],
)
def test_out_of_range_arguments_raise_the_flags_message(cli, kwargs, flag, value):
    with pytest.raises(netstates.UsageError) as e:
        netstates.run(netstates.load("baseline"), progress=False, **kwargs)
    out = cli("run", "baseline", flag, value)
    assert out.returncode == 2
    # clap wraps the parser's message: "invalid value '0' for '--runs <RUNS>': must be ...".
    cli_message = out.stderr.split(": ", 2)[2].split("\n")[0]
    assert str(e.value) == f"{flag[2:]} {cli_message}"


def test_every_out_of_range_raises_the_cli_message(cli):
    s = netstates.load("baseline")
    with pytest.raises(netstates.UsageError) as e:
        netstates.run(s, runs=2, trajectories=True, every=0, progress=False)
    out = cli("run", "baseline", "--runs", "2", "--trajectories", "--every", "0")
    assert str(e.value) == cli_error(out.stderr)
    with pytest.raises(netstates.UsageError, match="--every must be between 1 and"):
        netstates.run(s, runs=2, trajectories=True, every=s.rounds + 1, progress=False)


@pytest.mark.parametrize(
    "call",
    [
        lambda: netstates.load(3),
        lambda: netstates.load(b"baseline"),
        lambda: netstates.load("baseline").with_set([("a", 1)]),
        lambda: netstates.load("baseline").with_set({1: 1}),
        lambda: netstates.load("baseline").with_set({"government.*.capacity": object()}),
        lambda: netstates.load("baseline").with_set({"government.*.capacity": (1, 2, 3)}),
        lambda: netstates.run("baseline"),
        lambda: netstates.run(netstates.load("baseline"), runs="10"),
        lambda: netstates.run(netstates.load("baseline"), runs=1.5),
        lambda: netstates.run(netstates.load("baseline"), seed=True),
        lambda: netstates.run(netstates.load("baseline"), jobs=2.0),
        lambda: netstates.run(netstates.load("baseline"), trajectories="yes"),
        lambda: netstates.run(netstates.load("baseline"), trajectories=True, every="2"),
        lambda: netstates.run(netstates.load("baseline"), progress="bar"),
        lambda: netstates.Scenario(object()),
    ],
)
def test_wrong_types_raise_argument_type_errors(call):
    with pytest.raises(netstates.ArgumentTypeError) as e:
        call()
    assert isinstance(e.value, TypeError) and isinstance(e.value, netstates.UsageError)


def test_a_panic_becomes_an_internal_error_not_a_crash():
    from netstates import _core

    with pytest.raises(netstates.InternalError, match="panicked, which is a bug.*index out of"):
        _core._panic_for_tests()
