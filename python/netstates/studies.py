"""Studies from Python: ``sweep``, ``sensitivity`` and ``discover``, as the commands of the
same names, with their files (the same bytes) and DataFrames of them.

Each call plays into a temporary directory through the library calls the command makes
(``netstates._core``) and keeps the directory's files; nothing is computed here.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from typing import Any, Mapping, Optional

from . import (
    RUNS,
    TRAJECTORY_SUMMARY,
    Result,
    Scenario,
    _core,
    _Files,
    _path,
    _progress_bar,
    _set_value,
    _whole,
    _write_tree,
    load,
)
from ._errors import ArgumentTypeError, UsageError

(
    STUDY,
    POINTS,
    SWEEP_CSV,
    SENSITIVITY_CSV,
    SECOND_ORDER_CSV,
    POINTS_CSV,
    REPORT_HTML,
) = _core.study_file_names()

#: The files ``netstates discover`` writes.
PRIM_TRAJECTORY, PRIM_BOX, FEATURE_SCORES, DISCOVER_JSON = _core.discover_file_names()


def _is_lock(name: str) -> bool:
    """A directory's lock file (``.netstates.lock``, ``.netstates-shard-K-of-N.lock``): it
    holds the id of the process that wrote the directory, not a result."""
    return name.startswith(".netstates") and name.endswith(".lock")


def _read_tree(root: str) -> dict:
    """Every file under ``root`` but the lock files, as ``{relative path with /: bytes}``,
    sorted by path."""
    files = {}
    for here, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(n for n in names if not _is_lock(n)):
            path = os.path.join(here, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as f:
                files[rel] = f.read()
    return files


class _Reported(_Files):
    """Files with an HTML report."""

    def report(self, path: Any) -> str:
        """Writes the HTML report, the bytes the command writes. Returns the path."""
        path = _path(path, "report's path")
        with open(path, "wb") as f:
            f.write(self.files[REPORT_HTML])
        return path


class StudyResult(_Reported):
    """A finished sweep or sensitivity analysis: the files of its directory and DataFrames.

    ``points`` is ``sweep.csv`` (a sweep) or ``points.csv`` (a sensitivity analysis): one
    row per point, its settings and each metric's mean, sd, p5, p50, p95. ``runs`` is the
    study's ``runs.csv`` (every run of every point), ``indices`` ``sensitivity.csv`` (None
    for a sweep), ``second_order`` ``second-order.csv`` (with ``second_order=True``),
    ``trajectory_summary`` its ``trajectory-summary.csv`` (with ``trajectories=True``).
    """

    def __init__(self, kind: str, scenario: Scenario, files: Mapping[str, bytes],
                 seconds: float):
        super().__init__(files)
        self.kind = kind
        self.scenario = scenario
        self.seconds = seconds

    @property
    def points(self):
        """One row per point: ``sweep.csv``, or a sensitivity analysis's ``points.csv``."""
        return self._csv(SWEEP_CSV if self.kind == "sweep" else POINTS_CSV)

    @property
    def runs(self):
        """The study's ``runs.csv``: point, the factors, run, the inputs, the metrics."""
        return self._csv(RUNS)

    @property
    def indices(self):
        """``sensitivity.csv`` (Sobol S1, ST or Morris mu, mu*, sigma), or None."""
        return self._csv(SENSITIVITY_CSV)

    @property
    def second_order(self):
        """``second-order.csv``, or None."""
        return self._csv(SECOND_ORDER_CSV)

    @property
    def trajectory_summary(self):
        """``trajectory-summary.csv`` with a leading point column, or None."""
        return self._csv(TRAJECTORY_SUMMARY)

    @property
    def study(self) -> dict:
        """``study.json``: the design, the factors and every point's settings."""
        return json.loads(self.files[STUDY])

    def save(self, directory: Any, force: bool = False) -> str:
        """Writes the study's files into ``directory``: the same files as ``netstates
        sweep`` (or ``sensitivity``) ``--out DIRECTORY``, a directory per point included,
        without the lock files. Returns the directory."""
        return _write_tree(self.files, directory, force, "save")

    def __repr__(self) -> str:
        return (
            f"<netstates.StudyResult {self.kind} of {self.scenario.name!r}: "
            f"{len(self.points)} points, {self.seconds:.2f} s>"
        )


class DiscoverResult(_Reported):
    """What ``netstates discover`` writes: ``trajectory`` (PRIM's peeling trajectory,
    ``prim-trajectory.csv``), ``box`` (the chosen box's limits, ``prim-box.csv``),
    ``features`` (every input's score for the condition and each metric,
    ``feature-scores.csv``), ``json`` (``discover.json``), ``description`` (the chosen box
    in words, as the command prints it) and ``report(path)``."""

    description: str = ""

    @property
    def trajectory(self):
        """``prim-trajectory.csv``: one row per box of the peeling trajectory."""
        return self._csv(PRIM_TRAJECTORY)

    @property
    def box(self):
        """``prim-box.csv``: the chosen box, one row per restricted input."""
        return self._csv(PRIM_BOX)

    @property
    def features(self):
        """``feature-scores.csv``: feature scores of every input."""
        return self._csv(FEATURE_SCORES)

    @property
    def json(self) -> dict:
        """``discover.json``: the condition, PRIM's parameters, the boxes and scores."""
        return json.loads(self.files[DISCOVER_JSON])

    def save(self, directory: Any, force: bool = False) -> str:
        """Writes the files of ``netstates discover --out DIRECTORY``. Returns it."""
        return _write_tree(self.files, directory, force, "save")

    def __repr__(self) -> str:
        return f"<netstates.DiscoverResult: {len(self.trajectory)} boxes; {self.description}>"


def _scenario(value: Any, what: str) -> Scenario:
    """A Scenario, or a path or bundled name loaded as one."""
    if isinstance(value, Scenario):
        return value
    return load(_path(value, f"{what}'s scenario"))


def _mapping(value: Any, name: str) -> list:
    """A mapping of path to value as ``(path, value)`` pairs, in order."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise ArgumentTypeError(
            f"{name} takes a mapping of path to value, got {type(value).__name__}"
        )
    for path in value:
        if not isinstance(path, str):
            raise ArgumentTypeError(
                f"{name}: a path must be a str, got {type(path).__name__} {path!r}"
            )
    return list(value.items())


def _sweep_value(path: str, value: Any) -> str:
    """A sweep's ``--set`` value: ``"LO..HI:STEPS"`` as typed, a list of values
    (``A,B,C``), a ``(lo, hi)`` range (``LO..HI``, for lhs) or one value."""
    if isinstance(value, list):
        if not value:
            raise ArgumentTypeError(f"sweep: the values of {path} are an empty list")
        return ",".join(_set_value(path, v) for v in value)
    return _set_value(path, value)


def _count(value: Any, name: str) -> Optional[int]:
    """An optional whole number >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ArgumentTypeError(f"{name} must be a whole number >= 0, got {value!r}")
    return value


def _names(value: Any, name: str) -> list:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(
        isinstance(v, str) for v in value
    ):
        raise ArgumentTypeError(f"{name} must be a list of str, got {value!r}")
    return list(value)


def _call(function: str, scenario: Scenario, kwargs: Mapping[str, Any]) -> list:
    """The command line recorded in the study's files: the Python call."""
    parts = [scenario._call()]
    parts += [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return ["python", f"netstates.{function}({', '.join(parts)})"]


def _play(kind: str, scenario: Scenario, progress: Any, call) -> StudyResult:
    bar = _progress_bar(progress)
    try:
        with tempfile.TemporaryDirectory(prefix=f"netstates-{kind}-") as tmp:
            out = os.path.join(tmp, "study")
            seconds = call(out, bar)
            files = _read_tree(out)
    finally:
        if bar is not None:
            bar.close()  # type: ignore[attr-defined]
    return StudyResult(kind, scenario, files, seconds)


def sweep(
    scenario: Any,
    set: Optional[Mapping[str, Any]] = None,
    design: str = "grid",
    samples: Optional[int] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    metrics: Optional[list] = None,
    trajectories: bool = False,
    every: int = 1,
    progress: Optional[bool] = None,
) -> StudyResult:
    """Plays the experiment at every point of a grid or a Latin hypercube, as ``netstates
    sweep`` does, and returns a StudyResult (``.points``, ``.runs``, ``.report(path)``,
    ``.save(dir)``).

    ``set`` maps each path to ``"LO..HI:STEPS"``, a list of values (numbers or ambassador
    levels), a ``(lo, hi)`` range (``design="lhs"``, with ``samples`` points) or one value
    fixed at every point. ``metrics`` puts those first in the report. Every point plays the
    same ``runs`` with the same ``seed``.
    """
    s = _scenario(scenario, "sweep")
    pairs = [(p, _sweep_value(p, v)) for p, v in _mapping(set, "sweep's set")]
    if not isinstance(design, str):
        raise ArgumentTypeError(f"design must be \"grid\" or \"lhs\", got {design!r}")
    samples = _count(samples, "samples")
    chosen = _names(metrics, "metrics")
    record = _record(trajectories, every)
    command_line = _call("sweep", s, dict(set=dict(pairs), design=design, samples=samples,
                                          runs=runs, seed=seed, jobs=jobs))

    def call(out, bar):
        return _core.sweep(
            s._inner, out, pairs, design=design, samples=samples, runs=_whole(runs, "runs"),
            seed=_whole(seed, "seed"), jobs=_whole(jobs, "jobs"), metrics=chosen,
            trajectories=trajectories, every=record, command_line=command_line,
            progress=bar,
        )

    return _play("sweep", s, progress, call)


def _record(trajectories: Any, every: Any) -> Optional[int]:
    if not isinstance(trajectories, bool):
        raise ArgumentTypeError(f"trajectories must be True or False, got {trajectories!r}")
    if isinstance(every, bool) or not isinstance(every, int):
        raise ArgumentTypeError(f"every must be a whole number, got {every!r}")
    return max(min(every, 2**63 - 1), -(2**63)) if trajectories else None


def sensitivity(
    scenario: Any,
    params: Optional[Mapping[str, Any]] = None,
    method: str = "sobol",
    samples: Optional[int] = None,
    levels: int = 4,
    second_order: bool = False,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    resamples: int = 100,
    set: Optional[Mapping[str, Any]] = None,
    metrics: Optional[list] = None,
    trajectories: bool = False,
    every: int = 1,
    progress: Optional[bool] = None,
) -> StudyResult:
    """Global sensitivity of every metric, as ``netstates sensitivity`` computes it: Sobol
    indices (Saltelli's design, ``samples`` base points) or Morris effects (``samples``
    trajectories on a grid of ``levels``), with 95% bootstrap intervals from ``resamples``.

    ``params`` maps each path to its ``(lo, hi)`` range, ``set`` fixes others. Returns a
    StudyResult: ``.indices`` (``sensitivity.csv``), ``.points`` (``points.csv``),
    ``.runs``, ``.report(path)``, ``.save(dir)``. The command's warnings (few or unbalanced
    samples, first-order indices outside [0, 1]) are issued as UserWarnings.
    """
    s = _scenario(scenario, "sensitivity")
    ranges = []
    for path, value in _mapping(params, "sensitivity's params"):
        if isinstance(value, str):
            ranges.append((path, value))
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            ranges.append((path, _set_value(path, tuple(value))))
        else:
            raise ArgumentTypeError(
                f"sensitivity: the range of {path} must be a (lo, hi) pair, got {value!r}"
            )
    if not ranges:
        raise UsageError("sensitivity needs params: {path: (lo, hi)}")
    fixed = [(p, _set_value(p, v)) for p, v in _mapping(set, "sensitivity's set")]
    if not isinstance(method, str):
        raise ArgumentTypeError(f"method must be \"sobol\" or \"morris\", got {method!r}")
    samples = _count(samples, "samples")
    levels = _count(levels, "levels")
    resamples = _count(resamples, "resamples")
    if not isinstance(second_order, bool):
        raise ArgumentTypeError(f"second_order must be True or False, got {second_order!r}")
    chosen = _names(metrics, "metrics")
    record = _record(trajectories, every)
    command_line = _call("sensitivity", s, dict(
        params=dict(ranges), set=dict(fixed) or None, method=method, samples=samples,
        levels=levels, second_order=second_order, runs=runs, seed=seed, jobs=jobs,
        resamples=resamples))
    said: list = []

    def call(out, bar):
        seconds, warned = _core.sensitivity(
            s._inner, out, ranges, set=fixed, method=method, samples=samples, levels=levels,
            second_order=second_order, resamples=resamples, runs=_whole(runs, "runs"),
            seed=_whole(seed, "seed"), jobs=_whole(jobs, "jobs"), metrics=chosen,
            trajectories=trajectories, every=record, command_line=command_line,
            progress=bar,
        )
        said.extend(warned)
        return seconds

    result = _play("sensitivity", s, progress, call)
    for text in said:
        warnings.warn(text, UserWarning, stacklevel=2)
    return result


def _number(value: Any, name: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def discover(
    result_or_dir: Any,
    where: str,
    threshold: Optional[float] = None,
    peel_alpha: Optional[float] = None,
    paste_alpha: Optional[float] = None,
    mass_min: Optional[float] = None,
    box: Optional[int] = None,
) -> DiscoverResult:
    """Scenario discovery, as ``netstates discover`` does it: PRIM boxes of the inputs where
    ``where`` (``"METRIC OP NUMBER"``, e.g. ``"capture > 0.6"``) holds, and every input's
    feature scores. ``result_or_dir`` is a StudyResult, a Result (with uncertain inputs), or
    a directory that ``netstates run``, ``sweep`` or ``sensitivity`` wrote. ``box`` picks a
    box of the trajectory (default: the densest with coverage at least 0.5).

    Returns a DiscoverResult: ``.trajectory``, ``.box``, ``.features``, ``.description``
    (the chosen box in words), ``.report(path)``. The report names the directory as the
    command's does, or the result it was given.
    """
    if not isinstance(where, str):
        raise ArgumentTypeError(f"where must be a str such as 'capture > 0.6', got {where!r}")
    options = dict(
        threshold=_number(threshold, "threshold"),
        peel_alpha=_number(peel_alpha, "peel_alpha"),
        paste_alpha=_number(paste_alpha, "paste_alpha"),
        mass_min=_number(mass_min, "mass_min"),
        box=_count(box, "box"),
    )
    with tempfile.TemporaryDirectory(prefix="netstates-discover-") as tmp:
        if isinstance(result_or_dir, StudyResult):
            source = result_or_dir.save(os.path.join(tmp, "study"))
            label = f"a {result_or_dir.kind} of {result_or_dir.scenario.name} (Python)"
        elif isinstance(result_or_dir, Result):
            source = result_or_dir.save(os.path.join(tmp, "result"))
            label = f"an experiment of {result_or_dir.scenario.name} (Python)"
        elif isinstance(result_or_dir, (str, os.PathLike)):
            source = label = _path(result_or_dir, "discover's directory")
        else:
            raise ArgumentTypeError(
                "discover takes a StudyResult, a Result or a result directory, got "
                f"{type(result_or_dir).__name__}"
            )
        out = os.path.join(tmp, "discover")
        description = _core.discover(source, out, where, label, **options)
        result = DiscoverResult(_read_tree(out))
    result.description = description
    return result


__all__ = ["DiscoverResult", "StudyResult", "discover", "sensitivity", "sweep"]
