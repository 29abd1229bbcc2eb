"""First steps with netstates from Python, notebook style: each block is a cell.

Load a bundled scenario, run it, compare observer and equal-stakes tech ambassadors, plot
capture's trajectory with pandas and matplotlib, then explore an uncertainty space with the
EMA Workbench and let its PRIM say where capture runs high. Small sizes: well under a minute.

    python examples/python/first_steps.py [OUT_DIR]

The figure goes to OUT_DIR (default: a new temporary directory); nothing is written into
the checkout. Needs the netstates package (pip install ./python), matplotlib and
ema-workbench 3.0.0 (python/requirements-ci.txt pins them). The README's "From Python"
section shows this script's output; CI runs it (python/ci.sh).
"""

import os
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")  # no display: the figure is saved as a PNG
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from ema_workbench import perform_experiments  # noqa: E402
from ema_workbench.analysis import prim  # noqa: E402

import netstates  # noqa: E402
import netstates.ema  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="netstates-first-steps-")
os.makedirs(out, exist_ok=True)
pd.set_option("display.width", 100)
SEED = 20221109

# %% Load two bundled scenarios: every government has a tech ambassador, as an observer or
# with equal stakes for the firms at the co-regulation table.
observer = netstates.load("ambassadors-observer")
equal = netstates.load("ambassadors-equal")
print(observer.name, "and", equal.name, f"({equal.rounds} rounds a run)")

# %% Run each 200 times on the same seeded streams and look at three outcome metrics.
runs = {
    "observer": netstates.run(observer, runs=200, seed=SEED, trajectories=True, every=5),
    "equal": netstates.run(equal, runs=200, seed=SEED, trajectories=True, every=5),
}
print(runs["equal"].summary.loc[["capture", "public_gap", "trust"], ["mean", "p5", "p95"]])

# %% Compare them as `netstates compare` does: paired differences, A12, Holm-adjusted p.
table = netstates.compare(
    runs["observer"], runs["equal"], labels=["observer", "equal"],
    metrics=["capture", "public_gap", "trust"], seed=SEED,
)
print(table.table().split("\n\n")[0])

# %% Capture's trajectory: the median run and the 5-95 % band, round by round.
fig, ax = plt.subplots(figsize=(7, 4))
for label, result in runs.items():
    capture = result.trajectory_summary.query("metric == 'capture'")
    ax.plot(capture["round"], capture["p50"], label=label)
    ax.fill_between(capture["round"], capture["p5"], capture["p95"], alpha=0.25)
ax.set(xlabel="round", ylabel="capture", title="Capture under observer and equal stakes")
ax.legend()
png = os.path.join(out, "capture.png")
fig.savefig(png, dpi=100)
print("figure:", os.path.basename(png))

# %% An EMA Workbench model: three uncertainties, the mean of 10 runs per experiment.
model = netstates.ema.model(
    equal,
    uncertainties={
        "model.ambassador.stakes.equal": (0.0, 0.6),
        "government.*.capacity": (0.3, 0.9),
        "government.*.ambassador": ["none", "observer", "consultative", "equal"],
    },
    outcomes=["capture", "trust"],
    replications=10,
    seed=SEED,
)
print(model.name, "parameters:", ", ".join(model.uncertainties.keys()))
experiments, outcomes = perform_experiments(
    model, 200, uncertainty_sampling_kwargs={"rng": SEED}  # a seeded Latin hypercube
)

# %% PRIM on top: where is capture in its top quarter?
x = experiments[list(model.uncertainties.keys())]
y = outcomes["capture"] > pd.Series(outcomes["capture"]).quantile(0.75)
box = prim.Prim(x, y).find_box()
# Along the peeling trajectory, the box of most coverage with a density of at least 0.8.
trajectory = box.peeling_trajectory
box.select(int(trajectory[trajectory["density"] >= 0.8]["coverage"].idxmax()))
stats, limits = box.inspect(style="data")[0]  # the restricted dimensions, as inspect() shows
print(f"box: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}")
print(limits.rename(index=netstates.ema.to_path).iloc[:, :3])
