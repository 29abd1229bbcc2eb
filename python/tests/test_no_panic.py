"""Nothing panics across the boundary: every invalid fixture, every bundled scenario file and
pieces of them load as a Scenario or raise ScenarioError, and nothing else."""

import pytest

import netstates
from conftest import INVALID, SCENARIOS

FILES = sorted(INVALID.glob("*.toml")) + sorted(SCENARIOS.glob("*.toml"))


def test_the_corpus_is_there():
    assert len(list(INVALID.glob("*.toml"))) > 50
    assert len(list(SCENARIOS.glob("*.toml"))) > 3


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_load_gives_a_scenario_or_a_scenario_error(path):
    try:
        s = netstates.load(path)
    except netstates.ScenarioError as e:
        assert str(e) and e.problems
        if path.parent == INVALID:
            return
        raise
    assert path.parent == SCENARIOS, f"{path} is invalid but loaded"
    assert s.summary()


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.name)
def test_cut_and_mangled_files_give_scenario_errors(tmp_path, path):
    text = path.read_bytes()
    for i, cut in enumerate(range(0, len(text), max(1, len(text) // 25))):
        for j, data in enumerate((text[:cut], text[:cut] + b"\xff\x00= [[", text[cut:])):
            bad = tmp_path / f"{i}-{j}.toml"
            bad.write_bytes(data)
            try:
                netstates.load(bad)
            except netstates.ScenarioError as e:
                assert str(e)
