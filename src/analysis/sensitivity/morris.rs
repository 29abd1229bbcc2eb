//! Morris's elementary effects (Morris 1991; mu* from Campolongo, Cariboni and Saltelli 2007),
//! with the estimators and bootstrap interval of SALib (`SALib.analyze.morris.analyze`).
//!
//! Sample: T trajectories of D + 1 points on a grid of `levels` values per parameter in the
//! unit cube. A trajectory starts at a random grid point, then moves one parameter at a time,
//! in a random order, by delta = levels / (2 (levels - 1)), up or down at random.
//!
//! Analysis, from the points as evaluated (scaled to the parameters' ranges): for the step
//! that changes parameter j, the elementary effect is (f at the higher x_j - f at the lower
//! x_j) / delta, in unit-cube units as SALib computes it; then mu = mean, mu* = mean of
//! absolute values, sigma = standard deviation (n - 1) over the trajectories. The interval of
//! mu* is z times the standard deviation (n - 1) of mu* over bootstrap resamples of the
//! trajectories, a half-width.

use rand::Rng;

use super::sobol::sd;

/// The step of a Morris design on `levels` levels.
pub fn delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// `trajectories` trajectories of `d + 1` points in the unit cube, drawn from `rng`.
/// `levels` must be even and at least 2.
pub fn sample_unit(
    trajectories: usize,
    d: usize,
    levels: usize,
    rng: &mut impl Rng,
) -> Vec<Vec<f64>> {
    let step = delta(levels);
    let starts = (levels / 2) as u32;
    let mut rows = Vec::with_capacity(trajectories * (d + 1));
    let mut order: Vec<usize> = Vec::with_capacity(d);
    for _ in 0..trajectories {
        let low: Vec<f64> = (0..d)
            .map(|_| f64::from(rng.random_range(0..starts)) / (levels as f64 - 1.0))
            .collect();
        let up: Vec<bool> = (0..d).map(|_| rng.random::<bool>()).collect();
        order.clear();
        order.extend(0..d);
        for i in (1..d).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        let high = |j: usize| (low[j] + step).min(1.0);
        let mut x: Vec<f64> = (0..d)
            .map(|j| if up[j] { low[j] } else { high(j) })
            .collect();
        rows.push(x.clone());
        for &j in &order {
            x[j] = if up[j] { high(j) } else { low[j] };
            rows.push(x.clone());
        }
    }
    rows
}

/// mu, mu*, sigma and the half-width of mu*'s interval, per parameter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Effects {
    pub mu: Vec<f64>,
    pub mu_star: Vec<f64>,
    pub sigma: Vec<f64>,
    pub mu_star_conf: Vec<f64>,
}

/// The elementary effects `ee[j][t]` of the sample `x` (rows of `d` values, trajectories of
/// `d + 1` rows) with outputs `y`. A trajectory with a non-finite output has NaN effects.
pub fn elementary_effects(
    x: &[Vec<f64>],
    y: &[f64],
    levels: usize,
) -> Result<Vec<Vec<f64>>, String> {
    let d = x.first().map_or(0, Vec::len);
    let per = d + 1;
    if d == 0 || x.len() != y.len() || !x.len().is_multiple_of(per) {
        return Err(format!(
            "{} points and {} outputs are not trajectories of {per} points",
            x.len(),
            y.len()
        ));
    }
    let step = delta(levels);
    let t_count = x.len() / per;
    let mut ee = vec![vec![f64::NAN; t_count]; d];
    for (t, (xs, ys)) in x.chunks(per).zip(y.chunks(per)).enumerate() {
        let finite = ys.iter().all(|v| v.is_finite());
        for s in 0..d {
            for j in 0..d {
                let change = xs[s + 1][j] - xs[s][j];
                if change == 0.0 {
                    continue;
                }
                ee[j][t] = if !finite {
                    f64::NAN
                } else if change > 0.0 {
                    (ys[s + 1] - ys[s]) / step
                } else {
                    (ys[s] - ys[s + 1]) / step
                };
            }
        }
    }
    Ok(ee)
}

/// The statistics of the elementary effects; `resamples[j][k]` holds the trajectories of
/// bootstrap resample k of parameter j.
pub fn analyze(
    x: &[Vec<f64>],
    y: &[f64],
    levels: usize,
    resamples: &[Vec<Vec<usize>>],
    z: f64,
) -> Result<Effects, String> {
    let ee = elementary_effects(x, y, levels)?;
    let t_count = ee.first().map_or(0, Vec::len);
    if resamples.len() != ee.len() {
        return Err(format!(
            "{} resample sets for {} parameters",
            resamples.len(),
            ee.len()
        ));
    }
    if let Some(bad) = resamples
        .iter()
        .flatten()
        .flatten()
        .find(|&&i| i >= t_count)
    {
        return Err(format!("resample index {bad} is not below {t_count}"));
    }
    let mean = |v: &mut dyn Iterator<Item = f64>, n: usize| v.sum::<f64>() / n as f64;
    let mut out = Effects {
        mu: Vec::new(),
        mu_star: Vec::new(),
        sigma: Vec::new(),
        mu_star_conf: Vec::new(),
    };
    for (e, sets) in ee.iter().zip(resamples) {
        out.mu.push(mean(&mut e.iter().copied(), e.len()));
        out.mu_star
            .push(mean(&mut e.iter().map(|v| v.abs()), e.len()));
        out.sigma.push(sd(e));
        let boot: Vec<f64> = sets
            .iter()
            .map(|r| mean(&mut r.iter().map(|&t| e[t].abs()), r.len()))
            .collect();
        out.mu_star_conf.push(z * sd(&boot));
    }
    Ok(out)
}
