//! Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999,
//! "Bump hunting in high-dimensional data", Statistics and Computing 9:123-143): which
//! ranges of a study's inputs concentrate the cases of interest (e.g. runs where capture
//! exceeds a threshold). Starting from the box that holds every case, PRIM peels off small
//! slices of the data, one limit at a time, keeping the peel that raises the share of cases
//! of interest the most, then pastes slices back while that still helps; every box on the
//! way is a point of the coverage/density trade-off (the peeling trajectory).
//!
//! The rules are those of the EMA Workbench 3.0.0 (`ema_workbench.analysis.prim.Prim` with
//! its defaults), so that a trajectory here equals the Workbench's to the last bit of its
//! limits (checked against fixtures made with it, `tests/fixtures/prim/`):
//!
//! * Initial box: numeric inputs `[min, max]` of the data; categorical inputs the set of
//!   categories present. A categorical input with a single category present is left out.
//! * Peel candidates: per numeric input, the lower limit raised to the `peel_alpha` quantile
//!   (rows `x >= q` stay) and the upper lowered to the `1 - peel_alpha` quantile (rows
//!   `x <= q` stay) of the values in the box; per categorical input with more than one
//!   category left, one candidate per category, removing it.
//! * Quantiles (`prim_util.get_quantile`, modelled on sdtoolkit, not numpy's): sort, take
//!   positions `floor` and `ceil` of `(n - 1) q`; on ties, move the lower position down
//!   (for `q > 1/2`) or the upper position up (otherwise) until the two values differ or
//!   the end is reached; the quantile is the midpoint of the two values. So a limit falls
//!   between two distinct data values and ties are peeled whole or not at all.
//! * Objective `lenient1`: (mean of y in the candidate - mean in the box) divided by the
//!   number of rows removed (or added, when pasting).
//! * Choice: the highest objective; among equal objectives, the candidate restricting fewer
//!   inputs; then the first in the Workbench's order (numeric inputs first, upper before
//!   lower when peeling, lower before upper when pasting; categorical inputs after them,
//!   categories in level order where the Workbench iterates a Python set: only an exact tie
//!   between two categories could differ).
//! * Peeling stops when the best candidate has mass below `mass_min`, does not shrink the
//!   box, or does not raise the mean (objective <= 0).
//! * Pasting (after peeling), on restricted inputs only: a numeric limit moves back out to
//!   the `1 - paste_alpha` (lower) or `paste_alpha` (upper) quantile of the values between
//!   it and the initial limit (within the other limits), a categorical input gets one
//!   category back. A paste is kept while it grows the box, raises the mean and keeps mass
//!   `>= mass_min`. As in the Workbench, nothing is pasted unless a numeric input is
//!   restricted.
//! * Statistics per box: coverage = cases of interest in the box / all cases of interest,
//!   density = their share in the box, mass = rows in the box / all rows, res_dim = inputs
//!   whose limits differ from the initial box.
//! * Quasi-p-values (Bryant & Lempert 2010, `PrimBox._calculate_quasi_p`): per restricted
//!   limit, the one-sided binomial test (`scipy.stats.binomtest(k, n, p,
//!   alternative="greater")`, i.e. `P(X >= k)`) of the box's `k` cases of interest among its
//!   `n` rows, with `p` the density of the box with that one limit removed (a categorical
//!   input: all its categories restored).
//!
//! Integer columns are numeric here: the Workbench's separate rules for `int64` columns fail
//! under pandas 3 when pasting, so integer-valued data is given as floats, as the Workbench
//! peels `float64` columns. Pure computation: no I/O, no randomness.

/// The values of one input, one per case.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Numeric(Vec<f64>),
    /// `codes[i]` indexes `levels`.
    Categorical {
        levels: Vec<String>,
        codes: Vec<u32>,
    },
}

/// One input (an uncertainty or a lever of a study).
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: String,
    pub column: Column,
}

/// PRIM's parameters; the default is the Workbench's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Share of the box peeled off a limit at each step (0.05).
    pub peel_alpha: f64,
    /// Share of the data outside a limit pasted back at each step (0.05).
    pub paste_alpha: f64,
    /// Smallest share of all rows a box may hold (0.05).
    pub mass_min: f64,
    /// Quasi-p-value at or below which a restriction counts as significant (0.1, as
    /// `prim_util.determine_dimres`); it does not change the trajectory, see
    /// [`PrimBox::significant_inputs`].
    pub threshold: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 0.1,
        }
    }
}

/// The limits of a box on one input.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// Rows with `lo <= x <= hi`.
    Interval { lo: f64, hi: f64 },
    /// The categories kept, sorted.
    Set(Vec<String>),
}

/// One box of the peeling trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    /// Inputs restricted (limits differing from the initial box).
    pub res_dim: usize,
    /// Rows in the box.
    pub n: usize,
    /// Cases of interest in the box.
    pub k: usize,
    /// The restricted inputs only, by input index, in input order.
    pub limits: Vec<(usize, Limit)>,
    /// Per restricted input, one quasi-p-value: the one limit's, or for an interval
    /// restricted on both sides the larger of the two (the restriction is significant only
    /// if both limits are).
    pub quasi_p: Vec<(usize, f64)>,
    /// Per restricted input, the quasi-p-values as `inspect` shows them: `[lower, upper]`
    /// for an interval (`None` where that side is not restricted), `[value, None]` for a
    /// set.
    pub quasi_p_sides: Vec<(usize, [Option<f64>; 2])>,
}

impl PrimBox {
    /// The restricted inputs whose quasi-p-value is at most `threshold`.
    pub fn significant_inputs(&self, threshold: f64) -> Vec<usize> {
        self.quasi_p
            .iter()
            .filter(|(_, p)| *p <= threshold)
            .map(|(i, _)| *i)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrimError {
    #[error("PRIM needs at least one case: y is empty")]
    NoRows,
    #[error("input {name} has {len} values, y has {expected}")]
    LengthMismatch {
        name: String,
        len: usize,
        expected: usize,
    },
    #[error("no case is of interest (y is all false): there is nothing to find")]
    NoCasesOfInterest,
    #[error("every case is of interest (y is all true): there is nothing to find")]
    AllCasesOfInterest,
    #[error("input {name}, case {row}: {value} is not a finite number")]
    NotFinite {
        name: String,
        row: usize,
        value: f64,
    },
    #[error("input {name}, case {row}: category code {code} but only {levels} levels")]
    UnknownCode {
        name: String,
        row: usize,
        code: u32,
        levels: usize,
    },
    #[error("{name} must be in {range}, got {value}")]
    InvalidParam {
        name: &'static str,
        value: f64,
        range: &'static str,
    },
}

/// The peeling (and pasting) trajectory of the first box PRIM finds, in order: box 0 holds
/// every case, the last is where pasting stopped.
pub fn trajectory(
    inputs: &[Input],
    y: &[bool],
    params: &Params,
) -> Result<Vec<PrimBox>, PrimError> {
    validate(inputs, y, params)?;
    let data = Data::new(inputs, y);
    let init = data.initial_box();
    let all: Vec<usize> = (0..data.rows).collect();
    let mut boxes = vec![data.record(&init, &all, &init)];
    let (mut lims, mut rows) = (init.clone(), all);
    let n = data.rows as f64;
    while let Some((obj, best)) = data.best(&rows, data.peels(&lims, &rows, params), &init) {
        let (mass_new, mass_old) = (best.rows.len() as f64 / n, rows.len() as f64 / n);
        if !(mass_new >= params.mass_min && mass_new < mass_old && obj > 0.0) {
            break;
        }
        boxes.push(data.record(&best.lims, &best.rows, &init));
        (lims, rows) = (best.lims, best.rows);
    }
    while let Some((obj, best)) = data.best(&rows, data.pastes(&lims, &init, params), &init) {
        let (mass_new, mass_old) = (best.rows.len() as f64 / n, rows.len() as f64 / n);
        let mean_new = data.mean(&best.rows);
        let mean_old = data.mean(&rows);
        if !(mass_new >= params.mass_min && mass_new > mass_old && obj > 0.0)
            || mean_new <= mean_old
        {
            break;
        }
        boxes.push(data.record(&best.lims, &best.rows, &init));
        (lims, rows) = (best.lims, best.rows);
    }
    Ok(boxes)
}

fn validate(inputs: &[Input], y: &[bool], params: &Params) -> Result<(), PrimError> {
    let unit = |name: &'static str, value: f64, open: bool| {
        let ok = if open {
            value > 0.0 && value < 1.0
        } else {
            (0.0..=1.0).contains(&value)
        };
        if ok {
            Ok(())
        } else {
            let range = if open { "(0, 1)" } else { "[0, 1]" };
            Err(PrimError::InvalidParam { name, value, range })
        }
    };
    unit("peel_alpha", params.peel_alpha, true)?;
    unit("paste_alpha", params.paste_alpha, true)?;
    unit("mass_min", params.mass_min, false)?;
    if y.is_empty() {
        return Err(PrimError::NoRows);
    }
    if !y.iter().any(|&v| v) {
        return Err(PrimError::NoCasesOfInterest);
    }
    if y.iter().all(|&v| v) {
        return Err(PrimError::AllCasesOfInterest);
    }
    for input in inputs {
        let name = || input.name.clone();
        let len = match &input.column {
            Column::Numeric(x) => {
                if let Some((row, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                    return Err(PrimError::NotFinite {
                        name: name(),
                        row,
                        value,
                    });
                }
                x.len()
            }
            Column::Categorical { levels, codes } => {
                let bad = codes
                    .iter()
                    .enumerate()
                    .find(|(_, c)| **c as usize >= levels.len());
                if let Some((row, &code)) = bad {
                    let levels = levels.len();
                    return Err(PrimError::UnknownCode {
                        name: name(),
                        row,
                        code,
                        levels,
                    });
                }
                codes.len()
            }
        };
        if len != y.len() {
            return Err(PrimError::LengthMismatch {
                name: name(),
                len,
                expected: y.len(),
            });
        }
    }
    Ok(())
}

/// One column as PRIM sees it.
enum Col<'a> {
    Num {
        x: &'a [f64],
    },
    Cat {
        codes: &'a [u32],
        levels: &'a [String],
    },
}

/// The limits of a box on one column.
#[derive(Debug, Clone, PartialEq)]
enum Lim {
    Num(f64, f64),
    /// Per level: kept.
    Cat(Vec<bool>),
}

/// A candidate box: its limits and the rows inside.
struct Candidate {
    lims: Vec<Lim>,
    rows: Vec<usize>,
}

struct Data<'a> {
    /// The columns in the Workbench's order (numeric inputs, then categorical ones), with
    /// the index of their input.
    cols: Vec<(usize, Col<'a>)>,
    y: &'a [bool],
    rows: usize,
    /// Cases of interest among all rows.
    total: usize,
}

impl<'a> Data<'a> {
    fn new(inputs: &'a [Input], y: &'a [bool]) -> Self {
        let mut cols = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            if let Column::Numeric(x) = &input.column {
                cols.push((i, Col::Num { x }));
            }
        }
        for (i, input) in inputs.iter().enumerate() {
            if let Column::Categorical { levels, codes } = &input.column {
                let first = codes.first();
                if codes.iter().any(|c| Some(c) != first) {
                    cols.push((i, Col::Cat { codes, levels }));
                }
            }
        }
        Data {
            cols,
            y,
            rows: y.len(),
            total: y.iter().filter(|&&v| v).count(),
        }
    }

    fn initial_box(&self) -> Vec<Lim> {
        self.cols
            .iter()
            .map(|(_, col)| match col {
                Col::Num { x } => Lim::Num(
                    x.iter().copied().fold(f64::INFINITY, f64::min),
                    x.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                ),
                Col::Cat { codes, levels } => {
                    let mut kept = vec![false; levels.len()];
                    for &c in codes.iter() {
                        kept[c as usize] = true;
                    }
                    Lim::Cat(kept)
                }
            })
            .collect()
    }

    fn cases(&self, rows: &[usize]) -> usize {
        rows.iter().filter(|&&r| self.y[r]).count()
    }

    fn mean(&self, rows: &[usize]) -> f64 {
        if rows.is_empty() {
            0.0
        } else {
            self.cases(rows) as f64 / rows.len() as f64
        }
    }

    fn inside(&self, lims: &[Lim], row: usize) -> bool {
        self.cols
            .iter()
            .zip(lims)
            .all(|((_, col), lim)| match (col, lim) {
                (Col::Num { x }, Lim::Num(lo, hi)) => *lo <= x[row] && x[row] <= *hi,
                (Col::Cat { codes, .. }, Lim::Cat(kept)) => kept[codes[row] as usize],
                _ => false,
            })
    }

    /// The rows of all the data inside `lims`.
    fn select(&self, lims: &[Lim]) -> Vec<usize> {
        (0..self.rows).filter(|&r| self.inside(lims, r)).collect()
    }

    /// The peel candidates of the box `lims` holding `rows`, in the Workbench's order.
    fn peels(&self, lims: &[Lim], rows: &[usize], params: &Params) -> Vec<Candidate> {
        let mut out = Vec::new();
        for (j, (_, col)) in self.cols.iter().enumerate() {
            match (col, &lims[j]) {
                (Col::Num { x }, &Lim::Num(lo, hi)) => {
                    let sorted = sorted_values(x, rows);
                    let upper = quantile(&sorted, 1.0 - params.peel_alpha);
                    let lower = quantile(&sorted, params.peel_alpha);
                    if let Some(q) = upper {
                        let keep = rows.iter().copied().filter(|&r| x[r] <= q).collect();
                        out.push(Candidate {
                            lims: with(lims, j, Lim::Num(lo, q)),
                            rows: keep,
                        });
                    }
                    if let Some(q) = lower {
                        let keep = rows.iter().copied().filter(|&r| x[r] >= q).collect();
                        out.push(Candidate {
                            lims: with(lims, j, Lim::Num(q, hi)),
                            rows: keep,
                        });
                    }
                }
                (Col::Cat { codes, .. }, Lim::Cat(kept)) => {
                    if kept.iter().filter(|&&k| k).count() <= 1 {
                        continue;
                    }
                    for level in (0..kept.len()).filter(|&l| kept[l]) {
                        let mut fewer = kept.clone();
                        fewer[level] = false;
                        let keep = rows
                            .iter()
                            .copied()
                            .filter(|&r| codes[r] as usize != level)
                            .collect();
                        out.push(Candidate {
                            lims: with(lims, j, Lim::Cat(fewer)),
                            rows: keep,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The paste candidates of the box `lims`, in the Workbench's order: none unless a
    /// numeric column is restricted.
    fn pastes(&self, lims: &[Lim], init: &[Lim], params: &Params) -> Vec<Candidate> {
        let restricted: Vec<usize> = (0..lims.len()).filter(|&j| lims[j] != init[j]).collect();
        let mut out = Vec::new();
        for &j in &restricted {
            let (Col::Num { x }, &Lim::Num(lo, hi), &Lim::Num(min, max)) =
                (&self.cols[j].1, &lims[j], &init[j])
            else {
                continue;
            };
            // Lower: the values between the initial lower limit and the current one.
            let region = self.select(&with(lims, j, Lim::Num(min, lo)));
            let q = quantile(&sorted_values(x, &region), 1.0 - params.paste_alpha);
            let new = with(lims, j, Lim::Num(q.unwrap_or(min), hi));
            out.push(Candidate {
                rows: self.select(&new),
                lims: new,
            });
            // Upper: the values between the current upper limit and the initial one.
            let region = self.select(&with(lims, j, Lim::Num(hi, max)));
            let q = quantile(&sorted_values(x, &region), params.paste_alpha);
            let new = with(lims, j, Lim::Num(lo, q.unwrap_or(max)));
            out.push(Candidate {
                rows: self.select(&new),
                lims: new,
            });
        }
        if out.is_empty() {
            return out;
        }
        for &j in &restricted {
            let (Lim::Cat(kept), Lim::Cat(all)) = (&lims[j], &init[j]) else {
                continue;
            };
            for level in (0..all.len()).filter(|&l| all[l] && !kept[l]) {
                let mut more = kept.clone();
                more[level] = true;
                let new = with(lims, j, Lim::Cat(more));
                out.push(Candidate {
                    rows: self.select(&new),
                    lims: new,
                });
            }
        }
        out
    }

    /// The candidate the Workbench keeps, with its objective: the highest `lenient1`
    /// objective, then the fewest restricted inputs, then the first.
    fn best(
        &self,
        rows: &[usize],
        candidates: Vec<Candidate>,
        init: &[Lim],
    ) -> Option<(f64, Candidate)> {
        let old = (self.cases(rows), rows.len());
        let mut best: Option<(f64, usize, Candidate)> = None;
        for c in candidates {
            let obj = lenient1(old, (self.cases(&c.rows), c.rows.len()));
            let free = self.cols.len() - restricted_count(&c.lims, init);
            let better = match &best {
                None => true,
                Some((o, f, _)) => obj > *o || (obj == *o && free > *f),
            };
            if better {
                best = Some((obj, free, c));
            }
        }
        best.map(|(obj, _, c)| (obj, c))
    }

    /// The box's statistics, limits and quasi-p-values.
    fn record(&self, lims: &[Lim], rows: &[usize], init: &[Lim]) -> PrimBox {
        let k = self.cases(rows);
        let n = rows.len();
        let restricted: Vec<usize> = (0..lims.len()).filter(|&j| lims[j] != init[j]).collect();
        let mut limits = Vec::new();
        let mut sides = Vec::new();
        for &j in &restricted {
            let (input, col) = &self.cols[j];
            let qp = |relaxed: Lim| {
                let around = self.select(&with(lims, j, relaxed));
                let p = self.cases(&around) as f64 / around.len() as f64;
                binomial_sf(k, n, p)
            };
            match (col, &lims[j], &init[j]) {
                (Col::Num { .. }, &Lim::Num(lo, hi), &Lim::Num(min, max)) => {
                    limits.push((*input, Limit::Interval { lo, hi }));
                    let lower = (lo != min).then(|| qp(Lim::Num(min, hi)));
                    let upper = (hi != max).then(|| qp(Lim::Num(lo, max)));
                    sides.push((*input, [lower, upper]));
                }
                (Col::Cat { levels, .. }, Lim::Cat(kept), Lim::Cat(all)) => {
                    let mut set: Vec<String> = (0..kept.len())
                        .filter(|&l| kept[l])
                        .map(|l| levels[l].clone())
                        .collect();
                    set.sort();
                    limits.push((*input, Limit::Set(set)));
                    sides.push((*input, [Some(qp(Lim::Cat(all.clone()))), None]));
                }
                _ => {}
            }
        }
        limits.sort_by_key(|(i, _)| *i);
        sides.sort_by_key(|(i, _)| *i);
        let quasi_p = sides
            .iter()
            .map(|(i, s)| (*i, s.iter().flatten().copied().fold(f64::NAN, f64::max)))
            .collect();
        PrimBox {
            coverage: k as f64 / self.total.max(1) as f64,
            density: k as f64 / n as f64,
            mass: n as f64 / self.rows as f64,
            res_dim: restricted.len(),
            n,
            k,
            limits,
            quasi_p,
            quasi_p_sides: sides,
        }
    }
}

/// `lims` with column `j`'s limits replaced.
fn with(lims: &[Lim], j: usize, lim: Lim) -> Vec<Lim> {
    let mut out = lims.to_vec();
    out[j] = lim;
    out
}

fn restricted_count(lims: &[Lim], init: &[Lim]) -> usize {
    lims.iter().zip(init).filter(|(a, b)| a != b).count()
}

fn sorted_values(x: &[f64], rows: &[usize]) -> Vec<f64> {
    let mut v: Vec<f64> = rows.iter().map(|&r| x[r]).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The Workbench's quantile (`prim_util.get_quantile`) of sorted values; `None` if empty.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let at = last as f64 * q;
    let (mut lo, mut hi) = (at.floor() as usize, at.ceil() as usize);
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < last {
            hi += 1;
        }
    }
    Some((sorted[lo] + sorted[hi]) / 2.0)
}

/// The Workbench's `lenient1` objective from `(cases, rows)` of the old and the new box:
/// the change of the mean divided by the number of rows removed or added.
fn lenient1(old: (usize, usize), new: (usize, usize)) -> f64 {
    let mean_old = old.0 as f64 / old.1 as f64;
    let mean_new = if new.1 > 0 {
        new.0 as f64 / new.1 as f64
    } else {
        0.0
    };
    if mean_old == mean_new || old.1 == new.1 {
        return 0.0;
    }
    (mean_new - mean_old) / old.1.abs_diff(new.1) as f64
}

/// `P(X >= k)` for `X ~ Binomial(n, p)`: the p-value of `scipy.stats.binomtest(k, n, p,
/// alternative="greater")`, summing the probabilities of Loader's saddle-point algorithm
/// ([`binomial_pmf`]) from `k` up until the terms no longer count.
fn binomial_sf(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 || p >= 1.0 {
        return 1.0;
    }
    if k > n || p.is_nan() || p <= 0.0 {
        return 0.0;
    }
    let mode = ((n + 1) as f64 * p).floor() as usize;
    let mut sum = 0.0;
    for j in k..=n {
        let term = binomial_pmf(j, n, p);
        sum += term;
        if j > mode && term <= sum * 1e-18 {
            break;
        }
    }
    sum.min(1.0)
}

/// `P(X = x)` for `X ~ Binomial(n, p)`, `0 < p < 1`, by Loader's algorithm ("Fast and
/// accurate computation of binomial probabilities", 2000; R's `dbinom_raw`), accurate to
/// a few ulps where summing logarithms of factorials would lose digits.
fn binomial_pmf(x: usize, n: usize, p: f64) -> f64 {
    let q = 1.0 - p;
    let (xf, nf) = (x as f64, n as f64);
    if x == 0 {
        let lc = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return lc.exp();
    }
    if x == n {
        let lc = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return lc.exp();
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
    let lf = LN_2PI + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `ln n! - ((n + 1/2) ln n - n + ln sqrt(2 pi))`, the error of Stirling's formula.
fn stirlerr(n: usize) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    let x = n as f64;
    if n <= 15 {
        // n! is exact in f64 up to 22!.
        let fact: f64 = (1..=n).map(|i| i as f64).product();
        return fact.ln() - (x + 0.5) * x.ln() + x - 0.5 * LN_2PI;
    }
    let xx = x * x;
    if n > 500 {
        (S0 - S1 / xx) / x
    } else if n > 80 {
        (S0 - (S1 - S2 / xx) / xx) / x
    } else if n > 35 {
        (S0 - (S1 - (S2 - S3 / xx) / xx) / xx) / x
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / xx) / xx) / xx) / xx) / x
    }
}

/// `x ln(x / np) + np - x`, without cancellation when `x` is near `np` (Loader's `bd0`).
fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
    }
    x * (x / np).ln() + np - x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(name: &str, x: Vec<f64>) -> Input {
        Input {
            name: name.into(),
            column: Column::Numeric(x),
        }
    }

    #[test]
    fn quantile_moves_off_ties() {
        let v = [1.0, 2.0, 2.0, 2.0, 3.0];
        // (5 - 1) * 0.05 = 0.2: positions 0 and 1, distinct: midpoint 1.5.
        assert_eq!(quantile(&v, 0.05), Some(1.5));
        // (5 - 1) * 0.95 = 3.8: positions 3 and 4, distinct: midpoint 2.5.
        assert_eq!(quantile(&v, 0.95), Some(2.5));
        // Position 2 exactly (q = 0.5, the lower rule): moves up past the ties.
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&[4.0, 4.0], 0.95), Some(4.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn binomial_tail_matches_known_values() {
        // scipy.stats.binomtest(3, 15, 0.1, alternative="greater").pvalue
        let p = binomial_sf(3, 15, 0.1);
        assert!((p - 0.184_061_069_106_391_06).abs() < 1e-15, "{p}");
        assert_eq!(binomial_sf(0, 10, 0.3), 1.0);
        assert_eq!(binomial_sf(10, 10, 1.0), 1.0);
        // P(X >= 10) = p^10.
        let p = binomial_sf(10, 10, 0.5);
        assert!((p - 0.5f64.powi(10)).abs() < 1e-18, "{p}");
    }

    #[test]
    fn edge_cases_are_errors() {
        let x = numeric("x", vec![0.1, 0.2, 0.3]);
        let p = Params::default();
        assert_eq!(
            trajectory(std::slice::from_ref(&x), &[false; 3], &p),
            Err(PrimError::NoCasesOfInterest)
        );
        assert_eq!(
            trajectory(std::slice::from_ref(&x), &[true; 3], &p),
            Err(PrimError::AllCasesOfInterest)
        );
        assert_eq!(trajectory(&[], &[], &p), Err(PrimError::NoRows));
        assert!(matches!(
            trajectory(std::slice::from_ref(&x), &[true, false], &p),
            Err(PrimError::LengthMismatch {
                len: 3,
                expected: 2,
                ..
            })
        ));
        let nan = numeric("x", vec![0.1, f64::NAN]);
        assert!(matches!(
            trajectory(&[nan], &[true, false], &p),
            Err(PrimError::NotFinite { row: 1, .. })
        ));
        let cat = Input {
            name: "c".into(),
            column: Column::Categorical {
                levels: vec!["a".into()],
                codes: vec![0, 1],
            },
        };
        assert!(matches!(
            trajectory(&[cat], &[true, false], &p),
            Err(PrimError::UnknownCode { code: 1, .. })
        ));
        let bad = Params {
            peel_alpha: 0.0,
            ..p
        };
        assert!(matches!(
            trajectory(&[x], &[true, false, false], &bad),
            Err(PrimError::InvalidParam {
                name: "peel_alpha",
                ..
            })
        ));
    }

    #[test]
    fn a_box_is_found_on_a_clear_signal() {
        let x: Vec<f64> = (0..200).map(|i| f64::from(i) / 200.0).collect();
        let y: Vec<bool> = x.iter().map(|&v| v > 0.7).collect();
        let t = trajectory(&[numeric("x", x)], &y, &Params::default()).unwrap();
        assert_eq!(t[0].res_dim, 0);
        assert_eq!(t[0].mass, 1.0);
        // As the Workbench 3.0.0: 23 boxes, the last one peeled a step past x = 0.7
        // (lenient1 prefers the pure box): density 1, coverage 58/59, limits [0.7075, 0.995].
        assert_eq!(t.len(), 23);
        let last = t.last().unwrap();
        assert_eq!((last.n, last.k, last.res_dim), (58, 58, 1));
        assert_eq!(last.coverage, 58.0 / 59.0);
        assert_eq!(
            last.limits,
            vec![(
                0,
                Limit::Interval {
                    lo: 0.7075,
                    hi: 0.995
                }
            )]
        );
        // Constant or single-category inputs never restrict.
        let t2 = trajectory(
            &[
                numeric("c", vec![1.0; 4]),
                Input {
                    name: "k".into(),
                    column: Column::Categorical {
                        levels: vec!["a".into(), "b".into()],
                        codes: vec![1; 4],
                    },
                },
            ],
            &[true, false, false, true],
            &Params::default(),
        )
        .unwrap();
        assert_eq!(t2.len(), 1);
    }
}
