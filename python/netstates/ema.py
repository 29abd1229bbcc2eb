"""netstates as an EMA Workbench model: ``perform_experiments``, PRIM and the Workbench's
plots over the engine's runs, with nothing computed twice.

>>> import netstates, netstates.ema
>>> from ema_workbench import perform_experiments
>>> from ema_workbench.analysis import prim
>>> m = netstates.ema.model(
...     netstates.load("ambassadors-equal"),
...     uncertainties={"model.ambassador.stakes.equal": (0.0, 0.5),
...                    "government.*.ambassador": ["observer", "equal"]},
...     outcomes=["capture", "trust"],
...     replications=20,
... )
>>> experiments, outcomes = perform_experiments(m, 100)              # doctest: +SKIP
>>> x = netstates.ema.paths(experiments[m.parameter_names])           # doctest: +SKIP
>>> box = prim.Prim(x, outcomes["capture"] > 0.6).find_box()           # doctest: +SKIP

An experiment applies its values with ``Scenario.with_set`` (the paths of ``--set``) and
plays ``replications`` runs with the scenario's seed (or ``seed``): the runs of
``netstates run --set PATH=VALUE ... --runs R --seed S``, on the same seeded streams, so
every experiment shares its random numbers with the others (common random numbers). An
outcome is the mean over the runs (``summary.json``'s mean, bit for bit), or with
``every_replication=True`` the array of every run's value, in run order. (The Workbench
keeps one outcome class per name in a process: a metric used as a ScalarOutcome cannot be
an ArrayOutcome in the same session.)

Parameter names. The Workbench wants Python identifiers; ``to_name`` and ``to_path`` map a
``--set`` path to one and back, for every path (a scheme without collisions):

* the parts of the path are joined by ``__`` (two underscores);
* the wildcard ``*`` is the part ``all``; a trailing ``*`` (the relative form ``PATH*=X``,
  a factor) is a last part ``times``;
* inside a part, ``-`` is written ``H``; an underscore stays when it sits between two
  characters that are not underscores and is written ``U`` otherwise; an id or key that is
  itself ``all`` or ``times`` is written in capitals (paths are lower case, so capitals
  are always escapes).

``government.*.capacity`` is ``government__all__capacity``,
``government.new-york.ambassador`` is ``government__newHyork__ambassador``,
``firm.*.ideal.privacy`` is ``firm__all__ideal__privacy``, and
``government.*.susceptibility*`` is ``government__all__susceptibility__times``.

The Workbench is imported when ``model`` is called, so ``import netstates`` does not need
it. Use its default SequentialEvaluator: each experiment already plays its runs on every
core (``jobs``), and a netstates scenario does not cross process boundaries.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Sequence

from ._errors import ArgumentTypeError, UsageError

__all__ = ["model", "paths", "to_name", "to_path"]

_SEP = "__"
_ALL = "all"
_TIMES = "times"
_PATH = re.compile(r"[a-z0-9_*-]+(\.[a-z0-9_*-]+)*\*?")
_NAME_PART = re.compile(r"[a-z0-9_HU]+|ALL|TIMES")


def _part_to_name(part: str) -> str:
    if part == "*":
        return _ALL
    if part in (_ALL, _TIMES):
        return part.upper()
    out = []
    for i, c in enumerate(part):
        if c == "-":
            out.append("H")
        elif c == "_":
            inside = 0 < i < len(part) - 1 and part[i - 1] != "_" and part[i + 1] != "_"
            out.append("_" if inside else "U")
        else:
            out.append(c)
    return "".join(out)


def _part_to_path(part: str) -> str:
    if part == _ALL:
        return "*"
    if part in (_ALL.upper(), _TIMES.upper()):
        return part.lower()
    return part.replace("H", "-").replace("U", "_")


def to_name(path: str) -> str:
    """The Python identifier of a ``--set`` path (``government.*.capacity`` ->
    ``government__all__capacity``); ``to_path`` reverses it. Raises UsageError for text
    that cannot be a path (paths are lower-case ids and keys, ``.``, ``*`` and ``-``)."""
    if not isinstance(path, str):
        raise ArgumentTypeError(f"a parameter path must be a str, got {type(path).__name__}")
    if not _PATH.fullmatch(path) or any(
        "*" in p and p != "*" for p in path.removesuffix("*").split(".")
    ):
        raise UsageError(
            f'"{path}" is not a parameter path; expected parts of a-z, 0-9, _ and - joined '
            f"by dots, a part * for every agent, and an optional * at the end"
        )
    relative = path.endswith("*") and not path.endswith(".*")
    parts = (path[:-1] if relative else path).split(".")
    name = _SEP.join(_part_to_name(p) for p in parts)
    return name + _SEP + _TIMES if relative else name


def to_path(name: str) -> str:
    """The ``--set`` path of a name made by ``to_name`` (``government__all__capacity`` ->
    ``government.*.capacity``). Raises UsageError for a name ``to_name`` never makes."""
    if not isinstance(name, str):
        raise ArgumentTypeError(f"a parameter name must be a str, got {type(name).__name__}")
    parts = name.split(_SEP)
    relative = len(parts) > 1 and parts[-1] == _TIMES
    if relative:
        parts = parts[:-1]
    path = ".".join(_part_to_path(p) for p in parts) + ("*" if relative else "")
    if (
        not all(_NAME_PART.fullmatch(p) for p in parts)
        or not _PATH.fullmatch(path)
        or to_name(path) != name
    ):
        raise UsageError(f'"{name}" is not the name of a parameter path (see netstates.ema)')
    return path


def paths(frame: Any) -> Any:
    """A DataFrame (such as the Workbench's ``experiments``) with every column named by
    ``to_name`` renamed to its path; other columns keep their names."""

    def rename(column: Any) -> Any:
        try:
            return to_path(column)
        except (UsageError, ArgumentTypeError):
            return column

    return frame.rename(columns=rename)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python number ``with_set`` takes."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, (str, bytes)) else value


class _Experiment:
    """The Workbench's model function: one experiment's values in, its outcomes out."""

    def __init__(self, scenario, names, outcomes, replications, seed, every, jobs):
        self.scenario = scenario
        self.names = names
        self.outcomes = outcomes
        self.replications = replications
        self.seed = seed
        self.every = every
        self.jobs = jobs

    def scenario_for(self, values: Mapping[str, Any]):
        """The scenario with an experiment's values applied, in the order of ``names``."""
        return self.scenario.with_set(
            {self.names[n]: _plain(values[n]) for n in self.names if n in values}
        )

    def __call__(self, **values: Any) -> dict:
        from . import run

        result = run(
            self.scenario_for(values),
            runs=self.replications,
            seed=self.seed,
            jobs=self.jobs,
            progress=False,
        )
        if self.every:
            return {m: result.runs[m].to_numpy() for m in self.outcomes}
        means = result.summary["mean"]
        return {m: float(means[m]) for m in self.outcomes}


def model(
    scenario: Any,
    uncertainties: Mapping[str, Any],
    outcomes: Sequence[str],
    replications: int,
    seed: Optional[int] = None,
    every_replication: bool = False,
    name: Optional[str] = None,
    jobs: Optional[int] = None,
):
    """An ``ema_workbench.Model`` whose experiments run ``scenario`` with netstates.

    ``uncertainties`` maps a ``--set`` path to a ``(lo, hi)`` pair (a RealParameter) or a
    list of levels (a CategoricalParameter: words such as ambassador levels, or numbers);
    a path ending in ``*`` is the relative form, its values factors. The parameters are
    named by ``to_name``. ``outcomes`` are metrics of the scenario: ScalarOutcomes, the mean
    over ``replications`` runs, or with ``every_replication=True`` ArrayOutcomes of every
    run's value. Runs use ``seed``, by default the scenario's. Every bound and level is
    checked against the scenario before anything runs (UsageError, the ``--set`` message).
    """
    import ema_workbench as ema

    from . import Scenario, _whole

    if not isinstance(scenario, Scenario):
        raise ArgumentTypeError(
            f"ema.model takes a Scenario (netstates.load), got {type(scenario).__name__}"
        )
    if not isinstance(uncertainties, Mapping) or not uncertainties:
        raise ArgumentTypeError("uncertainties must be a non-empty mapping of path to range")
    if isinstance(outcomes, str) or not isinstance(outcomes, Sequence) or not outcomes:
        raise ArgumentTypeError("outcomes must be a non-empty list of metric names")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ArgumentTypeError(f"replications must be a whole number >= 1, got {replications!r}")
    if not isinstance(every_replication, bool):
        raise ArgumentTypeError(
            f"every_replication must be True or False, got {every_replication!r}"
        )
    _whole(seed, "seed"), _whole(jobs, "jobs")
    for metric in outcomes:
        if metric not in scenario.metrics:
            raise UsageError(
                f'"{metric}" is not a metric of {scenario.name}; expected one of '
                f"{', '.join(scenario.metrics)}"
            )

    parameters, names = [], {}
    for path, spec in uncertainties.items():
        pname = to_name(path)
        names[pname] = path
        if isinstance(spec, tuple) and len(spec) == 2:
            lo, hi = (_plain(v) for v in spec)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)):
                raise ArgumentTypeError(f"the range of {path} must be two numbers, got {spec!r}")
            if not lo < hi:
                raise UsageError(f"the range of {path} must have lo < hi, got {spec!r}")
            checks = [float(lo), float(hi)]
            parameters.append(ema.RealParameter(pname, float(lo), float(hi)))
        elif isinstance(spec, list) and len(spec) >= 2:
            checks = [_plain(v) for v in spec]
            parameters.append(ema.CategoricalParameter(pname, checks))
        else:
            raise ArgumentTypeError(
                f"the uncertainty of {path} must be a (lo, hi) tuple or a list of two or more "
                f"levels, got {spec!r}"
            )
        for value in checks:
            scenario.with_set({path: value})  # the --set message for a bad path or value

    if name is None:
        name = re.sub(r"\W", "_", scenario.name)
        if not name.isidentifier():
            name = "netstates"
    function = _Experiment(
        scenario, names, list(outcomes), replications, seed, every_replication, jobs
    )
    m = ema.Model(name, function=function)
    m.uncertainties = parameters
    kind = ema.ArrayOutcome if every_replication else ema.ScalarOutcome
    m.outcomes = [kind(metric) for metric in outcomes]
    return m
