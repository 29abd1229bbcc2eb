//! The reference model (MODEL.md sections 2 to 4): the state of one run and the phases of a
//! round, one file per phase. A [`World`] is built from a resolved scenario and a run's random
//! stream; every phase takes that stream as `&mut` and nothing else random. Nothing here
//! allocates after [`World::new`], reads a clock or does I/O.

mod campaigns;
mod compliance;
mod coregulation;
mod decision;
mod diffusion;
mod events;
mod lobbying;
mod market;
pub mod metrics;
mod opinion;
mod trust;

use rand::{Rng, RngCore};

use crate::scenario::paths::Value;
use crate::scenario::{
    FirmValues, GovernmentValues, Level, ModelValues, NgoValues, Param, Phase, Scenario,
};

/// A draw of an uncertain parameter, `lo + (hi - lo) * u`, recorded in `inputs` (fixed
/// values draw nothing and are not recorded).
fn draw(p: Param, rng: &mut impl Rng, inputs: &mut Vec<f64>) -> f64 {
    match p {
        Param::Fixed(x) => x,
        Param::Uniform(lo, hi) => {
            let x = lo + (hi - lo) * rng.random::<f64>();
            inputs.push(x);
            x
        }
    }
}

/// A uniform index in `0..n` (`n >= 1`) from one 32-bit draw in the common case: Lemire's
/// nearly divisionless method ("Fast Random Integer Generation in an Interval", ACM TOMACS
/// 2019), exact (no modulo bias) and cheaper than a 64-bit draw per index.
#[inline]
pub fn index(rng: &mut impl RngCore, n: u32) -> usize {
    let mut m = u64::from(rng.next_u32()) * u64::from(n);
    if (m as u32) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u32) < threshold {
            m = u64::from(rng.next_u32()) * u64::from(n);
        }
    }
    (m >> 32) as usize
}

/// Words drawn at once by the opinion phase, and citizens by a campaign.
pub const BATCH: usize = 256;

/// The sum of `xs` in a fixed order: eight interleaved partial sums, combined pairwise, then
/// the remainder. Deterministic like a plain loop, but without its chain of dependent adds,
/// so the compiler can use SIMD lanes (and the rounding error grows more slowly).
pub fn sum(xs: &[f64]) -> f64 {
    let mut lanes = [0.0; 8];
    let mut chunks = xs.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    let [a, b, c, d, e, f, g, h] = lanes;
    let mut total = ((a + b) + (c + d)) + ((e + f) + (g + h));
    for x in chunks.remainder() {
        total += x;
    }
    total
}

/// The sum of squared deviations from `mean` of `xs`, in the fixed lane order of [`sum`]:
/// deterministic, and fast enough to evaluate after every round of a trajectory.
pub fn sum_sq_dev(xs: &[f64], mean: f64) -> f64 {
    let mut lanes = [0.0; 8];
    let mut chunks = xs.chunks_exact(8);
    for chunk in &mut chunks {
        for (lane, x) in lanes.iter_mut().zip(chunk) {
            let d = x - mean;
            *lane += d * d;
        }
    }
    let [a, b, c, d, e, f, g, h] = lanes;
    let mut total = ((a + b) + (c + d)) + ((e + f) + (g + h));
    for x in chunks.remainder() {
        let d = x - mean;
        total += d * d;
    }
    total
}

/// One government in a run.
#[derive(Debug, Clone)]
pub struct Government {
    pub values: GovernmentValues<f64>,
    pub ambassador: Level,
    pub citizens: usize,
    /// How many firms operate here (markets never change during a run).
    pub firms: u32,
}

/// One firm in a run.
#[derive(Debug, Clone)]
pub struct Firm {
    pub values: FirmValues<f64>,
    /// Compliance costs and fines paid since the start of the round.
    pub costs: f64,
}

/// One NGO in a run.
#[derive(Debug, Clone)]
pub struct Ngo {
    pub values: NgoValues<f64>,
}

/// What a run counts and spends, for the metrics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    pub scandals: u64,
    pub violations: u64,
    pub checks: u64,
    pub compliances: u64,
    pub antitrust_cases: u64,
    pub lobby_spend: f64,
    pub ngo_spend: f64,
}

/// Buffers reused by the phases, sized once so rounds allocate nothing.
#[derive(Debug, Clone)]
struct Scratch {
    /// Per (g, k): position G, the government's target without lobbying or a table.
    position: Vec<f64>,
    /// Per (g, k): lobbying spend S and spend-weighted ideal sum.
    spend: Vec<f64>,
    spend_ideal: Vec<f64>,
    /// Per (g, k): revenue-weighted firm ideal ȳ; per g (+1): the revenue behind it.
    firm_ideal: Vec<f64>,
    firm_revenue: Vec<f64>,
    /// Per (g, k): NGOs at a table: count, budget, budget x ideal, ideal sums.
    ngo_count: Vec<f64>,
    ngo_budget: Vec<f64>,
    ngo_budget_ideal: Vec<f64>,
    ngo_ideal: Vec<f64>,
    /// Per g (+1): watchdog money.
    watchdog: Vec<f64>,
    /// Per g: a copy of the state at the start of diffusion.
    policy: Vec<f64>,
    prefix: Vec<f64>,
    ambassadors: Vec<u32>,
    /// The words of a batch of indices (the opinion phase).
    words: Box<[u32; BATCH]>,
}

/// The state of one run.
#[derive(Debug, Clone)]
pub struct World<'s> {
    pub scenario: &'s Scenario,
    /// Number of issues.
    pub k: usize,
    pub model: ModelValues<f64>,
    pub diffusion_stakes: Level,
    pub governments: Vec<Government>,
    pub firms: Vec<Firm>,
    pub ngos: Vec<Ngo>,
    /// Per (g, k), flat `g * k + issue`: ideals and policies of governments.
    pub government_ideal: Vec<f64>,
    pub policy: Vec<f64>,
    /// Per (f, k) and (n, k): ideals of firms and NGOs.
    pub firm_ideal: Vec<f64>,
    pub ngo_ideal: Vec<f64>,
    /// Per government, citizens' opinions issue by issue: `o[k * citizens + i]`.
    pub opinions: Vec<Vec<f64>>,
    /// Per (g, k): mean opinion ō, kept up to date by every phase that moves opinions: the
    /// opinion phase conserves it (each pair's sum), campaigns, scandals and backlash add
    /// what they move. Nothing sums every citizen after a phase.
    mean: Vec<f64>,
    /// Per (g, k): lobbying intensity I and target ℓ, held until the next lobbying phase.
    pub intensity: Vec<f64>,
    pub lobby_target: Vec<f64>,
    /// Per (g, k): the co-regulation standard q, and whether it was computed this round.
    pub standard: Vec<f64>,
    pub coregulated: Vec<bool>,
    pub counters: Counters,
    /// The round being played (1-based; 0 before the first).
    pub round: u32,
    /// Values of the events' `set` operations, drawn at the start of the run.
    event_values: Vec<Vec<f64>>,
    next_event: usize,
    scratch: Scratch,
    /// The values drawn for the uncertain parameters, in draw order (the order of
    /// [`Scenario::uncertain`]): what this run drew, for `runs.csv`.
    pub inputs: Vec<f64>,
}

impl<'s> World<'s> {
    /// Draws a run's uncertain parameters and citizens' opinions (MODEL.md section 2).
    ///
    /// Draw order: `[model]` keys in schema order; then each government (its keys in schema
    /// order, its ideal per issue, its policy per issue), each firm (keys, ideal), each NGO
    /// (keys, ideal); then the `set` values of the events in round order; then the
    /// opinions (government, citizen, issue). Fixed values draw nothing.
    pub fn new(s: &'s Scenario, rng: &mut impl Rng) -> World<'s> {
        let k = s.issues.len();
        let mut inputs = Vec::new();
        let inputs = &mut inputs;
        let model = ModelValues::from_fn(|key| draw(*s.model.values.get(key), rng, inputs));
        let mut government_ideal = Vec::with_capacity(s.governments.len() * k);
        let mut policy = Vec::with_capacity(s.governments.len() * k);
        let mut governments = Vec::with_capacity(s.governments.len());
        for g in &s.governments {
            let values = GovernmentValues::from_fn(|key| draw(*g.values.get(key), rng, inputs));
            let start = government_ideal.len();
            government_ideal.extend(g.ideal.iter().map(|p| draw(*p, rng, inputs)));
            for (issue, p) in g.policy.iter().enumerate() {
                policy.push(match p {
                    Some(p) => draw(*p, rng, inputs),
                    None => government_ideal[start + issue],
                });
            }
            governments.push(Government {
                values,
                ambassador: g.ambassador,
                citizens: g.citizens as usize,
                firms: 0,
            });
        }
        let mut firm_ideal = Vec::with_capacity(s.firms.len() * k);
        let mut firms = Vec::with_capacity(s.firms.len());
        for f in &s.firms {
            let values = FirmValues::from_fn(|key| draw(*f.values.get(key), rng, inputs));
            firm_ideal.extend(f.ideal.iter().map(|p| draw(*p, rng, inputs)));
            firms.push(Firm { values, costs: 0.0 });
            for g in f.markets.iter() {
                governments[g].firms += 1;
            }
        }
        let mut ngo_ideal = Vec::with_capacity(s.ngos.len() * k);
        let mut ngos = Vec::with_capacity(s.ngos.len());
        for n in &s.ngos {
            let values = NgoValues::from_fn(|key| draw(*n.values.get(key), rng, inputs));
            ngo_ideal.extend(n.ideal.iter().map(|p| draw(*p, rng, inputs)));
            ngos.push(Ngo { values });
        }
        let event_values = s
            .events
            .iter()
            .map(|e| {
                e.sets
                    .iter()
                    .map(|op| match op.value {
                        Value::Number(p) => draw(p, rng, inputs),
                        Value::Level(_) => 0.0,
                    })
                    .collect()
            })
            .collect();
        let mut opinions = Vec::with_capacity(s.governments.len());
        for g in &s.governments {
            let c = g.citizens as usize;
            let mut o = vec![0.0; c * k];
            for i in 0..c {
                for (issue, &(lo, hi)) in g.opinion.iter().enumerate() {
                    o[issue * c + i] = lo + (hi - lo) * rng.random::<f64>();
                }
            }
            opinions.push(o);
        }
        let gk = s.governments.len() * k;
        let g1 = s.governments.len() + 1;
        let inputs = std::mem::take(inputs);
        let mut world = World {
            inputs,
            scenario: s,
            k,
            model,
            diffusion_stakes: s.model.diffusion_stakes,
            governments,
            firms,
            ngos,
            government_ideal,
            policy,
            firm_ideal,
            ngo_ideal,
            opinions,
            mean: vec![0.0; gk],
            intensity: vec![0.0; gk],
            lobby_target: vec![0.0; gk],
            standard: vec![0.0; gk],
            coregulated: vec![false; gk],
            counters: Counters::default(),
            round: 0,
            event_values,
            next_event: 0,
            scratch: Scratch {
                position: vec![0.0; gk],
                spend: vec![0.0; gk],
                spend_ideal: vec![0.0; gk],
                firm_ideal: vec![0.0; g1 * k],
                firm_revenue: vec![0.0; g1],
                ngo_count: vec![0.0; g1 * k],
                ngo_budget: vec![0.0; g1 * k],
                ngo_budget_ideal: vec![0.0; g1 * k],
                ngo_ideal: vec![0.0; g1 * k],
                watchdog: vec![0.0; g1],
                policy: vec![0.0; gk],
                prefix: vec![0.0; g1 * k],
                ambassadors: vec![0; g1],
                words: Box::new([0; BATCH]),
            },
        };
        world.recompute_means();
        world
    }

    /// Starts the next round: clears co-regulation standards and this round's costs.
    pub fn start_round(&mut self) {
        self.round += 1;
        self.coregulated.fill(false);
        for f in &mut self.firms {
            f.costs = 0.0;
        }
    }

    /// Runs one phase.
    pub fn run_phase(&mut self, phase: Phase, rng: &mut impl Rng) {
        match phase {
            Phase::Events => self.events(rng),
            Phase::Opinion => self.opinion(rng),
            Phase::Campaigns => self.campaigns(rng),
            Phase::Lobbying => self.lobbying(),
            Phase::Coregulation => self.coregulation(),
            Phase::Decision => self.decision(),
            Phase::Compliance => self.compliance(rng),
            Phase::Market => self.market(rng),
            Phase::Diffusion => self.diffusion(rng),
            Phase::Trust => self.trust(),
        }
    }

    /// Plays one whole round of the schedule.
    pub fn play_round(&mut self, rng: &mut impl Rng) {
        self.start_round();
        for &phase in &self.scenario.model.schedule {
            self.run_phase(phase, rng);
        }
    }

    /// Recomputes every mean opinion from the opinions (at the start of a run, and after a
    /// test sets opinions by hand).
    pub fn recompute_means(&mut self) {
        let k = self.k;
        for (g, o) in self.opinions.iter().enumerate() {
            let c = self.governments[g].citizens;
            for issue in 0..k {
                self.mean[g * k + issue] = sum(&o[issue * c..(issue + 1) * c]) / c as f64;
            }
        }
    }

    /// Mean opinions ō per (g, k).
    pub fn mean_opinions(&self) -> &[f64] {
        &self.mean
    }

    /// Fills `scratch.position` with G[g][k] = (1 - responsiveness) ideal + responsiveness ō.
    fn compute_positions(&mut self) {
        let k = self.k;
        for (g, gov) in self.governments.iter().enumerate() {
            let r = gov.values.responsiveness;
            for issue in 0..k {
                let i = g * k + issue;
                self.scratch.position[i] = (1.0 - r) * self.government_ideal[i] + r * self.mean[i];
            }
        }
    }

    /// Fills `scratch.firm_ideal` with ȳ[g][k], the revenue-weighted mean ideal of the firms
    /// operating in g (0 where none does), and `scratch.firm_revenue` with their revenue.
    /// Sums run in firm order, so the result does not depend on anything but the state.
    fn compute_firm_ideals(&mut self) {
        let k = self.k;
        let sc = &mut self.scratch;
        sc.firm_ideal.fill(0.0);
        sc.firm_revenue.fill(0.0);
        for (f, firm) in self.firms.iter().enumerate() {
            let r = firm.values.revenue;
            let ideal = &self.firm_ideal[f * k..(f + 1) * k];
            for g in self.scenario.firms[f].markets.iter() {
                sc.firm_revenue[g] += r;
                for (sum, y) in sc.firm_ideal[g * k..(g + 1) * k].iter_mut().zip(ideal) {
                    *sum += r * y;
                }
            }
        }
        for (g, &revenue) in sc.firm_revenue.iter().enumerate() {
            if revenue > 0.0 {
                for sum in &mut sc.firm_ideal[g * k..(g + 1) * k] {
                    *sum /= revenue;
                }
            }
        }
    }

    /// The sum of the market sizes of firm `f`'s markets, in government order: what a firm's
    /// revenue, PR money and lobbying are split by.
    fn market_total(&self, f: usize) -> f64 {
        self.scenario.firms[f]
            .markets
            .iter()
            .map(|g| self.governments[g].values.market_size)
            .sum()
    }

    /// Whether every number of the state is finite (used to find the phase that produced a
    /// NaN or infinite metric).
    pub fn is_finite(&self) -> bool {
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        finite(&self.policy)
            && self.opinions.iter().all(|o| finite(o))
            && self
                .firms
                .iter()
                .all(|f| f.values.revenue.is_finite() && f.costs.is_finite())
            && self.governments.iter().all(|g| g.values.trust.is_finite())
            && finite(&self.intensity)
            && finite(&self.lobby_target)
            && self.counters.lobby_spend.is_finite()
            && self.counters.ngo_spend.is_finite()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn sum_adds_every_element_once() {
        let xs: Vec<f64> = (1..=21).map(f64::from).collect();
        assert_eq!(sum(&xs), 231.0);
        assert_eq!(sum(&xs[..3]), 6.0);
        assert_eq!(sum(&[]), 0.0);
        // Interleaved lanes keep the error of a long sum of 0.1 below a plain loop's
        // (numpy-emulated: 2.24e-7 with eight lanes, 1.33e-6 left to right).
        let tenths = vec![0.1; 1_000_000];
        let plain: f64 = tenths.iter().sum();
        assert!((sum(&tenths) - 100_000.0).abs() < 3e-7);
        assert!((plain - 100_000.0).abs() > 1e-6);
    }

    #[test]
    fn index_is_uniform_and_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = [0u32; 7];
        for _ in 0..70_000 {
            counts[index(&mut rng, 7)] += 1;
        }
        // Each count is Binomial(70000, 1/7): mean 10000, sd 92.6; 5 sd is 463.
        for c in counts {
            assert!((c as i64 - 10_000).abs() < 463, "{counts:?}");
        }
        assert_eq!(index(&mut rng, 1), 0);
    }
}

#[cfg(test)]
mod phase_tests;
