"""netstates from Python: load a scenario, run its experiment, get pandas DataFrames.

The engine is the Rust library behind the ``netstates`` command (compiled into
``netstates._core``); nothing is computed twice. The same scenario and seed give the same
numbers, and ``Result.save`` the same files, as ``netstates run``, bit for bit and whatever
``jobs`` is.

>>> import netstates
>>> s = netstates.load("baseline").with_set({"government.*.capacity": 0.8})
>>> r = netstates.run(s, runs=200, seed=1)
>>> r.summary.loc["capture", ["mean", "p5", "p95"]]          # doctest: +SKIP
>>> r.save("results/capacity")                               # runs.csv, summary.json, ...
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from typing import Any, Callable, Mapping, Optional, Union

from . import _core
from ._errors import (
    ArgumentTypeError,
    InternalError,
    NetstatesError,
    RunError,
    ScenarioError,
    ScenarioNotFoundError,
    UsageError,
)

__all__ = [
    "ArgumentTypeError",
    "InternalError",
    "NetstatesError",
    "Result",
    "RunError",
    "Scenario",
    "ScenarioError",
    "ScenarioNotFoundError",
    "UsageError",
    "Comparison",
    "bundled",
    "compare",
    "ema",
    "load",
    "run",
    "DiscoverResult",
    "StudyResult",
    "discover",
    "sensitivity",
    "sweep",
]

__version__ = _core.VERSION

RUNS, SUMMARY, MANIFEST, TRAJECTORIES, TRAJECTORY_SUMMARY = _core.file_names()

#: The columns of ``Result.summary``, as in ``summary.json`` (its histograms left out).
SUMMARY_COLUMNS = ["n", "mean", "sd", "min", "p5", "p25", "p50", "p75", "p95", "max"]

PathLike = Union[str, "os.PathLike[str]"]


def _path(value: Any, what: str) -> str:
    """A str or os.PathLike argument as text; anything else is an ArgumentTypeError."""
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        if isinstance(path, str):
            return path
    raise ArgumentTypeError(
        f"{what} must be a path (str or os.PathLike), got {type(value).__name__}"
    )


def _whole(value: Any, name: str) -> Optional[str]:
    """An optional whole-number argument, as the text the command line's parser reads."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ArgumentTypeError(
            f"{name} must be a whole number, got {type(value).__name__} {value!r}"
        )
    return str(value)


def _set_value(path: str, value: Any) -> str:
    """A ``with_set`` value as ``--set`` would be typed: a number, ``lo..hi`` for an
    uncertain parameter (a ``(lo, hi)`` pair), or a word."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        # repr() of a float is its shortest round-trip text, read back as the same f64.
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        lo, hi = (_set_value(path, v) for v in value)
        return f"{lo}..{hi}"
    raise ArgumentTypeError(
        f"with_set: the value of {path} must be a number, a (lo, hi) pair or a word, "
        f"got {type(value).__name__} {value!r}"
    )


class Scenario:
    """A validated scenario, as ``netstates check`` accepts it; immutable.

    ``with_set`` returns a changed copy. ``name``, ``description``, ``runs``, ``seed`` and
    ``rounds`` are the resolved values; ``inputs`` the uncertain parameters (columns of
    ``runs.csv``), ``metrics`` the outcome metrics.
    """

    __slots__ = ("_inner", "_sets")

    def __init__(self, inner: Any, sets: tuple = ()):
        if not isinstance(inner, _core.Scenario):
            raise ArgumentTypeError("use netstates.load(path) to make a Scenario")
        self._inner = inner
        self._sets = sets

    name = property(lambda self: self._inner.name, doc="The scenario's name.")
    description = property(lambda self: self._inner.description, doc="Its description.")
    runs = property(lambda self: self._inner.runs, doc="The runs of its experiment.")
    seed = property(lambda self: self._inner.seed, doc="Its experiment's seed.")
    rounds = property(lambda self: self._inner.rounds, doc="Rounds per run.")
    source = property(lambda self: self._inner.source, doc="What it was loaded from.")
    inputs = property(lambda self: list(self._inner.inputs), doc="Uncertain inputs.")
    metrics = property(lambda self: list(self._inner.metrics), doc="Outcome metrics.")

    def with_set(self, settings: Mapping[str, Any]) -> "Scenario":
        """A copy with ``--set`` overrides applied in order: ``{"government.*.capacity":
        0.8, "firm.*.growth": (0.01, 0.03), "government.*.susceptibility*": 1.5}`` (a key
        ending in ``*`` is the relative form ``PATH*=X``). Raises UsageError with the
        command line's message for an unknown path or a value out of range."""
        if not isinstance(settings, Mapping):
            raise ArgumentTypeError(
                f"with_set takes a mapping of path to value, got {type(settings).__name__}"
            )
        pairs = []
        for path, value in settings.items():
            if not isinstance(path, str):
                raise ArgumentTypeError(
                    f"with_set: a path must be a str, got {type(path).__name__} {path!r}"
                )
            pairs.append((path, _set_value(path, value)))
        return Scenario(self._inner.with_set(pairs), self._sets + tuple(pairs))

    def summary(self) -> str:
        """What ``netstates check`` prints for it: a one-screen summary."""
        return self._inner.summary()

    def _call(self) -> str:
        """The Python expression that makes this scenario (recorded in manifests)."""
        text = f"netstates.load({self.source!r})"
        if self._sets:
            text += f".with_set({dict(self._sets)!r})"
        return text

    def __repr__(self) -> str:
        return f"<netstates.Scenario {self.name!r} from {self.source!r}, {len(self._sets)} set>"

    def __str__(self) -> str:
        return self.summary()


def load(path: PathLike) -> Scenario:
    """Loads and validates a scenario file, or a bundled scenario by name (``"baseline"``),
    as ``netstates check`` does. Raises ScenarioError with every problem (file, line,
    column and excerpt), ScenarioNotFoundError (also a FileNotFoundError) when the path is
    neither a file nor a bundled name."""
    return Scenario(_core.load(_path(path, "load's path")))


def bundled() -> list:
    """The names of the bundled scenarios (``netstates scenarios``)."""
    return list(_core.bundled_names())


def _write_tree(files: Mapping[str, bytes], directory: Any, force: bool, what: str) -> str:
    """Writes ``files`` (relative paths) under ``directory``; refuses to replace a file
    without ``force``."""
    directory = _path(directory, f"{what}'s directory")
    existing = [n for n in files if os.path.exists(os.path.join(directory, n))]
    if existing and not force:
        shown = ", ".join(sorted(existing)[:3]) + (", ..." if len(existing) > 3 else "")
        raise UsageError(
            f"{directory} already holds {shown}; choose another directory, or pass "
            f"force=True to replace it"
        )
    for name, data in files.items():
        path = os.path.join(directory, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return directory


class _Files:
    """Files kept from a directory, with DataFrames of its CSVs (round-trip floats)."""

    def __init__(self, files: Mapping[str, bytes]):
        self.files = dict(files)
        self._frames: dict = {}

    def _csv(self, name: str):
        if name not in self.files:
            return None
        if name not in self._frames:
            import pandas as pd

            self._frames[name] = pd.read_csv(
                io.BytesIO(self.files[name]), float_precision="round_trip"
            )
        return self._frames[name]


class Result(_Files):
    """A finished experiment: the files ``netstates run`` writes, and DataFrames of them.

    ``runs`` is ``runs.csv`` (run, seed, the uncertain inputs, the metrics), ``summary``
    one row per metric (``summary.json``), ``trajectories`` and ``trajectory_summary`` the
    trajectory files (None without ``trajectories=True``). Numbers are parsed with
    round-trip precision: every value is the f64 the engine computed.
    """

    def __init__(self, scenario: Scenario, files: Mapping[str, bytes], seconds: float):
        super().__init__(files)
        self.scenario = scenario
        self.seconds = seconds

    @property
    def runs(self):
        """``runs.csv`` as a DataFrame: one row per run."""
        return self._csv(RUNS)

    @property
    def summary(self):
        """``summary.json`` as a DataFrame indexed by metric: n, mean, sd, min, p5, p25,
        p50, p75, p95, max."""
        if SUMMARY not in self._frames:
            import pandas as pd

            data = json.loads(self.files[SUMMARY])
            rows = [{k: m[k] for k in SUMMARY_COLUMNS} for m in data["metrics"]]
            frame = pd.DataFrame(
                rows,
                index=pd.Index([m["metric"] for m in data["metrics"]], name="metric"),
                columns=SUMMARY_COLUMNS,
            )
            self._frames[SUMMARY] = frame
        return self._frames[SUMMARY]

    @property
    def trajectories(self):
        """``trajectories.csv`` (run, round, metrics), or None."""
        return self._csv(TRAJECTORIES)

    @property
    def trajectory_summary(self):
        """``trajectory-summary.csv`` (round, metric, n, mean, sd, p5 ... p95), or None."""
        return self._csv(TRAJECTORY_SUMMARY)

    @property
    def manifest(self) -> dict:
        """``manifest.json``: the resolved scenario, seed, runs, times, command."""
        return json.loads(self.files[MANIFEST])

    def save(self, directory: PathLike, force: bool = False) -> str:
        """Writes the experiment's files into ``directory`` (made if missing), the same
        bytes as ``netstates run --out DIRECTORY``. A file already there is replaced only
        with ``force=True``. Returns the directory."""
        return _write_tree(self.files, directory, force, "save")

    def __repr__(self) -> str:
        return (
            f"<netstates.Result {self.scenario.name!r}: {len(self.runs)} runs, "
            f"seed {self.manifest['seed']}, {self.seconds:.2f} s>"
        )


def _progress_bar(progress: Any) -> Optional[Callable[[int, int], None]]:
    """The progress callback: tqdm's bar when ``progress`` is True, or None (the default)
    and tqdm is importable; nothing when it is False."""
    if progress is False:
        return None
    if progress is not None and progress is not True:
        raise ArgumentTypeError(f"progress must be True, False or None, got {progress!r}")
    try:
        from tqdm.auto import tqdm
    except ImportError:
        if progress is True:
            raise UsageError("progress=True needs tqdm: pip install tqdm") from None
        return None
    state: dict = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, unit="run", leave=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    update.close = lambda: state["bar"].close() if "bar" in state else None  # type: ignore[attr-defined]
    return update


def run(
    scenario: Scenario,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    trajectories: bool = False,
    every: int = 1,
    progress: Optional[bool] = None,
) -> Result:
    """Runs the scenario's experiment as ``netstates run`` does and returns its Result.

    ``runs`` and ``seed`` default to the scenario's ``[experiment]`` values, ``jobs`` (worker
    threads; results do not depend on it) to every core. ``trajectories=True`` also records
    every run's metrics at round 0, every ``every``-th round and the last. Runs play with the
    GIL released; Ctrl-C stops them after the runs under way and raises KeyboardInterrupt.
    Progress shows through tqdm when it is installed (``progress=False`` silences it).
    """
    if not isinstance(scenario, Scenario):
        raise ArgumentTypeError(
            f"run takes a Scenario (netstates.load), got {type(scenario).__name__}"
        )
    if not isinstance(trajectories, bool):
        raise ArgumentTypeError(f"trajectories must be True or False, got {trajectories!r}")
    if isinstance(every, bool) or not isinstance(every, int):
        raise ArgumentTypeError(f"every must be a whole number, got {every!r}")
    call = [f"netstates.run({scenario._call()}"]
    for name, value in (("runs", runs), ("seed", seed), ("jobs", jobs)):
        if value is not None:
            call.append(f"{name}={value!r}")
    if trajectories:
        call.append(f"trajectories=True, every={every!r}")
    command_line = ["python", ", ".join(call) + ")"]
    bar = _progress_bar(progress)
    every_arg = max(min(every, 2**63 - 1), -(2**63)) if trajectories else None
    try:
        with tempfile.TemporaryDirectory(prefix="netstates-") as tmp:
            out = os.path.join(tmp, "result")
            seconds = _core.run(
                scenario._inner,
                out,
                runs=_whole(runs, "runs"),
                seed=_whole(seed, "seed"),
                jobs=_whole(jobs, "jobs"),
                trajectories=trajectories,
                every=every_arg,
                command_line=command_line,
                progress=bar,
            )
            files = {}
            for name in (RUNS, SUMMARY, MANIFEST, TRAJECTORIES, TRAJECTORY_SUMMARY):
                path = os.path.join(out, name)
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        files[name] = f.read()
    finally:
        if bar is not None:
            bar.close()  # type: ignore[attr-defined]
    return Result(scenario, files, seconds)


def _comparison_frame_class():
    """The DataFrame subclass of ``compare``'s result, made when pandas is first needed."""
    import pandas as pd

    class Comparison(pd.DataFrame):
        """``compare``'s statistics as a DataFrame (``compare --format csv``: one row per
        scenario and metric), with ``report(path)`` for the HTML and ``table()`` for the
        terminal table. Slices and copies are plain DataFrames."""

        _metadata = ["_core"]

        @property
        def _constructor(self):
            return pd.DataFrame

        def report(self, path: PathLike) -> str:
            """Writes the self-contained HTML report of ``compare --report``."""
            path = _path(path, "report's path")
            self._core.write_report(path)
            return path

        def table(self) -> str:
            """The table ``netstates compare`` prints, with its verdicts."""
            return self._core.table()

        def csv(self) -> str:
            """The text of ``compare --format csv``."""
            return self._core.csv()

    return Comparison


_COMPARISON = None


def compare(
    *inputs: Any,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    labels: Optional[list] = None,
    metrics: Optional[list] = None,
    jobs: Optional[int] = None,
    resamples: int = 2000,
    progress: Optional[bool] = None,
):
    """Compares outcome distributions, each input against the first, as ``netstates
    compare`` does, and returns its statistics as a DataFrame (``compare --format csv``)
    with ``.report(path)`` (the HTML) and ``.table()``.

    An input is a Scenario, a path (a result directory that ``netstates run`` wrote, else a
    scenario file or bundled name) or a Result. Scenarios run now with the same ``runs`` and
    ``seed`` (default: the first scenario's), so they share their random numbers; ``labels``
    names the inputs (default: the scenario names), ``metrics`` keeps those metrics only.
    """
    global _COMPARISON
    if len(inputs) < 2:
        raise UsageError(f"compare takes at least two inputs, got {len(inputs)}")
    for name, value in (("labels", labels), ("metrics", metrics)):
        if value is not None and (
            isinstance(value, str)
            or not isinstance(value, (list, tuple))
            or not all(isinstance(v, str) for v in value)
        ):
            raise ArgumentTypeError(f"{name} must be a list of str, got {value!r}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 0:
        raise ArgumentTypeError(f"resamples must be a whole number >= 0, got {resamples!r}")
    resolved = []
    for item in inputs:
        if isinstance(item, (Scenario, Result)):
            resolved.append(item)
        elif isinstance(item, (str, os.PathLike)) and os.path.isdir(_path(item, "an input")):
            resolved.append(_path(item, "an input"))
        else:
            resolved.append(load(_path(item, "compare's input")))
    first = next((x for x in resolved if isinstance(x, Scenario)), None)
    runs = runs if runs is not None else (first.runs if first is not None else 1000)
    seed = seed if seed is not None else (first.seed if first is not None else 0)
    _whole(runs, "runs"), _whole(seed, "seed")

    names, known = [], None
    for x in resolved:
        if isinstance(x, (Scenario, Result)):
            sc = x if isinstance(x, Scenario) else x.scenario
            name, its_metrics = sc.name, sc.metrics
        else:
            name, its_metrics = _core.result_info(x)
        names.append(name)
        if known is None:
            known = list(its_metrics)
    chosen = list(metrics or [])
    labels = _core.compare_labels(
        names, list(labels) if labels is not None else None, chosen, known
    )
    with tempfile.TemporaryDirectory(prefix="netstates-compare-") as tmp:
        dirs, sources = [], []
        for i, x in enumerate(resolved):
            if isinstance(x, Scenario):
                r = run(x, runs=runs, seed=seed, jobs=jobs, progress=progress)
                dirs.append(r.save(os.path.join(tmp, str(i))))
                sources.append(x.source)
            elif isinstance(x, Result):
                dirs.append(x.save(os.path.join(tmp, str(i))))
                sources.append(x.scenario.source)
            else:
                dirs.append(x)
                sources.append(x)
        core = _core.compare(dirs, sources, labels, seed, resamples, chosen)
    if _COMPARISON is None:
        _COMPARISON = _comparison_frame_class()
    import pandas as pd

    frame = _COMPARISON(pd.read_csv(io.StringIO(core.csv()), float_precision="round_trip"))
    frame._core = core
    return frame


# The studies (sweep, sensitivity, discover) build on the names above.
from .studies import DiscoverResult, StudyResult, discover, sensitivity, sweep  # noqa: E402
# The EMA Workbench adapter (netstates.ema); the Workbench itself is imported only when used.
from . import ema  # noqa: E402
