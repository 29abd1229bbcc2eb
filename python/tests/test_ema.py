"""The EMA Workbench adapter (netstates.ema): names, experiments equal to netstates' own
runs (the package's and the binary's), categorical levels, every replication, PRIM."""

import json
import subprocess

import numpy as np
import pytest
from conftest import cli_env
from ema_workbench import perform_experiments
from ema_workbench.analysis import prim

import netstates
import netstates.ema as nema

# Every form a settable path takes, with the name it must get.
NAMES = {
    "model.opinion.confidence": "model__opinion__confidence",
    "model.ambassador.stakes.equal": "model__ambassador__stakes__equal",
    "model.diffusion.stakes": "model__diffusion__stakes",
    "model.compliance.watchdog_half_saturation": "model__compliance__watchdog_half_saturation",
    "government.denmark.capacity": "government__denmark__capacity",
    "government.new-york.ambassador": "government__newHyork__ambassador",
    "government.*.capacity": "government__all__capacity",
    "government.*.ambassador": "government__all__ambassador",
    "firm.*.ideal.privacy": "firm__all__ideal__privacy",
    "firm.meta.ideal.ai_safety": "firm__meta__ideal__ai_safety",
    "firm.*.lobby_share": "firm__all__lobby_share",
    "ngo.access-now.budget": "ngo__accessHnow__budget",
    "government.*.susceptibility*": "government__all__susceptibility__times",
    "firm.alphabet.growth*": "firm__alphabet__growth__times",
    "ngo.*.ideal.content*": "ngo__all__ideal__content__times",
    # ids the scheme must keep apart from its own markers and separators
    "government.all.capacity": "government__ALL__capacity",
    "firm.*.ideal.times": "firm__all__ideal__TIMES",
    "firm.a__b_.ideal.x-_y": "firm__aUUbU__ideal__xH_y",
    "ngo.a_b.budget*": "ngo__a_b__budget__times",
}


@pytest.mark.parametrize("path", sorted(NAMES))
def test_names_are_identifiers_and_round_trip(path):
    name = nema.to_name(path)
    assert name == NAMES[path]
    assert name.isidentifier()
    assert nema.to_path(name) == path


def test_names_of_different_paths_differ():
    assert len(set(NAMES.values())) == len(NAMES)


def test_real_paths_of_every_form_are_settable():
    s = netstates.load("baseline")
    for path, value in {
        "model.opinion.confidence": 0.3,
        "model.ambassador.stakes.equal": 0.2,
        "government.denmark.capacity": 0.7,
        "government.new-york.ambassador": "equal",
        "government.*.capacity": 0.6,
        "firm.*.ideal.privacy": 0.4,
        "firm.meta.ideal.ai_safety": 0.4,
        "ngo.consumer-reports.budget": 2.0,
        "government.*.susceptibility*": 1.5,
    }.items():
        s.with_set({nema.to_path(nema.to_name(path)): value})


@pytest.mark.parametrize("bad", ["Government.x.y", "a.b*c", "a..b", "a b", "a.*b"])
def test_text_that_is_no_path_has_no_name(bad):
    with pytest.raises(netstates.UsageError):
        nema.to_name(bad)


@pytest.mark.parametrize(
    "bad", ["government__all", "a___b", "a__", "times", "a__b__Times", "aX", "a-b", "all_"]
)
def test_names_to_name_never_makes_are_refused(bad):
    if bad == "government__all":  # the one valid name of the list
        assert nema.to_path(bad) == "government.*"
        return
    with pytest.raises(netstates.UsageError):
        nema.to_path(bad)


SCENARIO = "ambassadors-equal"
R = 4
SEED = 7
UNCERTAINTIES = {
    "model.ambassador.stakes.equal": (0.0, 0.6),
    "government.*.capacity": (0.3, 0.9),
    "government.*.susceptibility*": (0.5, 1.5),
    "government.*.ambassador": ["none", "observer", "equal"],
}
OUTCOMES = ["capture", "trust", "violations"]


@pytest.fixture(scope="module")
def fifty():
    scenario = netstates.load(SCENARIO)
    m = nema.model(scenario, UNCERTAINTIES, OUTCOMES, replications=R, seed=SEED)
    # a seeded Latin hypercube: the same 50 experiments every time
    experiments, outcomes = perform_experiments(m, 50, uncertainty_sampling_kwargs={"rng": SEED})
    return scenario, m, experiments, outcomes


def _settings(row):
    return {path: row[nema.to_name(path)] for path in UNCERTAINTIES}


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def test_the_model_is_named_and_holds_the_parameters(fifty):
    _, m, experiments, outcomes = fifty
    assert m.name == "ambassadors_equal"
    assert sorted(m.uncertainties.keys()) == sorted(nema.to_name(p) for p in UNCERTAINTIES)
    assert sorted(outcomes) == sorted(OUTCOMES)
    assert len(experiments) == 50
    assert all(len(outcomes[o]) == 50 for o in OUTCOMES)


def test_fifty_experiments_equal_netstates_own_runs(fifty):
    scenario, _, experiments, outcomes = fifty
    for i, row in experiments.iterrows():
        settings = {p: _plain(v) for p, v in _settings(row).items()}
        own = netstates.run(scenario.with_set(settings), runs=R, seed=SEED, progress=False)
        for metric in OUTCOMES:
            # bit for bit: the same f64, not a close one
            assert outcomes[metric][i] == own.summary.loc[metric, "mean"], (i, metric)


def test_experiments_equal_the_binarys_runs_with_the_same_set(fifty, cli, tmp_path):
    scenario, _, experiments, outcomes = fifty
    for i in (0, 17, 49):
        row = experiments.iloc[i]
        args = ["run", SCENARIO, "--runs", R, "--seed", SEED, "--out", tmp_path / str(i), "-q"]
        for path, value in _settings(row).items():
            value = _plain(value)
            args += ["--set", f"{path}={repr(value) if isinstance(value, float) else value}"]
        done = cli(*args)
        assert done.returncode == 0, done.stderr
        summary = json.loads((tmp_path / str(i) / "summary.json").read_text())
        means = {m["metric"]: m["mean"] for m in summary["metrics"]}
        for metric in OUTCOMES:
            assert outcomes[metric][i] == means[metric], (i, metric)


def test_categorical_levels_are_played_as_levels(fifty):
    _, _, experiments, outcomes = fifty
    column = experiments[nema.to_name("government.*.ambassador")]
    assert set(column.astype(str)) == {"none", "observer", "equal"}
    # the levels reach the engine: equal stakes give the firms a say in policy, so capture
    # is higher on average than with no ambassador (as the bundled comparison shows)
    capture = outcomes["capture"]
    equal, none = (column == "equal").to_numpy(), (column == "none").to_numpy()
    assert capture[equal].mean() > capture[none].mean()


def test_every_replication_gives_each_runs_values():
    scenario = netstates.load(SCENARIO)
    m = nema.model(
        scenario,
        {"government.*.ambassador": ["observer", "equal"]},
        ["public_gap"],  # the Workbench keeps one outcome class per name and process
        replications=3,
        every_replication=True,
        name="every",
    )
    experiments, outcomes = perform_experiments(m, 4)
    assert outcomes["public_gap"].shape == (4, 3)
    for i, row in experiments.iterrows():
        level = str(row["government__all__ambassador"])
        own = netstates.run(
            scenario.with_set({"government.*.ambassador": level}), runs=3, progress=False
        )
        assert list(outcomes["public_gap"][i]) == list(own.runs["public_gap"])


def test_prim_finds_the_box_where_capture_is_high(fifty):
    _, m, experiments, outcomes = fifty
    x = experiments[list(m.uncertainties.keys())]
    capture = outcomes["capture"]
    # Capture is high where the firms have stakes: an equal-stakes ambassador with a
    # sizeable stakes.equal. The cut-off is the upper quartile of the 50 experiments.
    y = capture > np.quantile(capture, 0.75)
    box = prim.Prim(x, y).find_box()
    # Workbench 3.0 has no threshold argument: pick the box of the peeling trajectory
    # with the most coverage among those of density >= 0.8, as a threshold would.
    trajectory = box.peeling_trajectory
    dense = trajectory[trajectory["density"] >= 0.8]
    assert len(dense) > 0
    box.select(int(dense["coverage"].idxmax()))
    assert box.density >= 0.8 and box.coverage > 0.5
    # the box restricts the ambassador level to equal stakes
    ambassador = nema.to_name("government.*.ambassador")
    assert set(box.box_lim[ambassador].iloc[0]) == {"equal"}
    # and paths() maps the columns back to --set paths
    assert "government.*.ambassador" in nema.paths(x).columns


def test_bad_uncertainties_are_refused_before_anything_runs():
    s = netstates.load("baseline")
    with pytest.raises(netstates.UsageError, match="no settable key"):
        nema.model(s, {"government.*.capacityy": (0.1, 0.2)}, ["capture"], replications=2)
    with pytest.raises(netstates.UsageError):
        nema.model(s, {"government.*.capacity": (0.1, 1.5)}, ["capture"], replications=2)
    with pytest.raises(netstates.UsageError):
        nema.model(s, {"government.*.ambassador": ["none", "eqal"]}, ["capture"], replications=2)
    with pytest.raises(netstates.UsageError, match="is not a metric"):
        nema.model(s, {"government.*.capacity": (0.1, 0.2)}, ["captur"], replications=2)
    with pytest.raises(netstates.ArgumentTypeError):
        nema.model(s, {"government.*.capacity": 0.5}, ["capture"], replications=2)
    with pytest.raises(netstates.ArgumentTypeError):
        nema.model(s, {"government.*.capacity": (0.1, 0.2)}, ["capture"], replications=0)
