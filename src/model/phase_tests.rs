//! Each phase on small cases worked out by hand. The worlds are built from TOML, then their
//! state is set directly so every number in an assertion can be checked on paper.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::World;
use crate::scenario::{Level, Phase, Scenario, load_str};

fn scenario(toml: &str) -> Scenario {
    load_str("test.toml", toml).unwrap_or_else(|e| panic!("{e}"))
}

const TWO_GOVERNMENTS: &str = r#"
[scenario]
name = "t"
rounds = 1
[[issue]]
id = "a"
[[issue]]
id = "b"
salience = 3
antitrust = true
[[government]]
id = "g"
citizens = 2
ideal = { a = 0.2, b = 0.6 }
responsiveness = 0.5
susceptibility = 2
adjustment = 0.5
capacity = 0.4
ambassador = "equal"
coregulate = ["a"]
[[government]]
id = "h"
citizens = 4
[[firm]]
id = "big"
revenue = 300
ideal = { a = 0.0, b = 0.1 }
lobby_share = 0.01
integrity = 0
growth = 0.1
volatility = 0
[[firm]]
id = "small"
revenue = 100
ideal = { a = 0.4, b = 0.3 }
markets = ["g"]
lobby_share = 0
volatility = 0
[[ngo]]
id = "n"
budget = 2
ideal = { a = 1.0, b = 1.0 }
focus = ["a"]
targets = ["g"]
campaign_share = 0.5
advocacy_share = 0.25
watchdog_share = 0.25
[model.coregulation]
ngo_seat = 0.2
[model.scandals]
rate = 0
"#;

/// [`TWO_GOVERNMENTS`] with the model table `table` (its header and keys) added.
fn with_model(table: &str) -> String {
    TWO_GOVERNMENTS.replace("[model.scandals]", &format!("{table}\n[model.scandals]"))
}

fn world(s: &Scenario) -> (World<'_>, ChaCha8Rng) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut w = World::new(s, &mut rng);
    // g's citizens: a = [0.2, 0.4] (mean 0.3), b = [0.5, 0.9] (mean 0.7).
    w.opinions[0].copy_from_slice(&[0.2, 0.4, 0.5, 0.9]);
    // h's citizens: all 0.5 on both issues.
    w.opinions[1].fill(0.5);
    w.recompute_means();
    w.start_round();
    (w, rng)
}

#[test]
fn scandal_moves_every_citizen_towards_one() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    w.scandal(0, 0.5);
    // o += 0.5 (1 - o): 0.2 -> 0.6, 0.4 -> 0.7; issue b untouched.
    for (o, want) in w.opinions[0].iter().zip([0.6, 0.7, 0.5, 0.9]) {
        assert!((o - want).abs() < 1e-15, "{:?}", w.opinions[0]);
    }
    assert_eq!(w.opinions[1][0], 0.75);
    assert_eq!(w.counters.scandals, 1);
    assert!((w.mean_opinions()[0] - 0.65).abs() < 1e-15);
}

#[test]
fn events_apply_sets_in_their_round() {
    let text = TWO_GOVERNMENTS.replace("rounds = 1", "rounds = 3")
        + "[[event]]\nround = 2\nset = { \"government.h.ambassador\" = \"consultative\", \"firm.*.growth\" = 0.5, \"ngo.n.ideal.a\" = 0.3 }\nscandal = { issue = \"b\", size = 1.0 }\n";
    let s = scenario(&text);
    let (mut w, mut rng) = world(&s);
    w.events(&mut rng);
    assert_eq!(w.governments[1].ambassador, Level::None, "round 1: not yet");
    w.start_round();
    w.events(&mut rng);
    assert_eq!(w.governments[1].ambassador, Level::Consultative);
    assert_eq!(w.firms[0].values.growth, 0.5);
    assert_eq!(w.firms[1].values.growth, 0.5);
    assert_eq!(w.ngo_ideal[0], 0.3);
    // A scandal of size 1 takes every opinion on b to 1.
    assert_eq!(&w.opinions[0][2..], &[1.0, 1.0]);
    assert_eq!(w.counters.scandals, 1);
}

#[test]
fn opinion_pairs_meet_halfway_within_confidence() {
    let s = scenario(&with_model(
        "[model.opinion]\nconfidence = 0.5\nconvergence = 0.5\ninteractions = 1",
    ));
    let (mut w, mut rng) = world(&s);
    w.opinion(&mut rng);
    // Two citizens, convergence 0.5: any interaction on a (gap 0.2) or b (gap 0.4) makes
    // the pair equal at its mean; h's citizens are all equal and stay so.
    let o = &w.opinions[0];
    assert!((o[0] - 0.3).abs() < 1e-15 && (o[1] - 0.3).abs() < 1e-15 || o[0..2] == [0.2, 0.4]);
    assert!((o[2] - 0.7).abs() < 1e-15 && (o[3] - 0.7).abs() < 1e-15 || o[2..4] == [0.5, 0.9]);
    assert_ne!(
        o,
        &[0.2, 0.4, 0.5, 0.9],
        "two interactions, at least one moved a pair"
    );
    assert!(w.opinions[1].iter().all(|&x| x == 0.5));
    let m = w.mean_opinions();
    assert!((m[0] - 0.3).abs() < 1e-15 && (m[1] - 0.7).abs() < 1e-15);
}

#[test]
fn campaigns_spend_in_full_and_persuade_reached_citizens() {
    let s = scenario(&with_model(
        "[model.campaigns]\ncost_per_citizen = 0.5\npersuasion = 0.5",
    ));
    let (mut w, mut rng) = world(&s);
    w.campaigns(&mut rng);
    // The NGO spends 2 x 0.5 = 1 on its one pair (g, a): floor(1 / 0.5) = 2 draws, each
    // moving a citizen half way to 1. Firms have pr_share 0.
    assert_eq!(w.counters.ngo_spend, 1.0);
    let a = &w.opinions[0][0..2];
    let moved: Vec<f64> = [0.2, 0.4].iter().map(|o| o + 0.5 * (1.0 - o)).collect();
    let twice: Vec<f64> = moved.iter().map(|o| o + 0.5 * (1.0 - o)).collect();
    for (i, &o) in a.iter().enumerate() {
        assert!(
            o == moved[i] || o == twice[i] || o == [0.2, 0.4][i],
            "{a:?}"
        );
    }
    assert!(a != [0.2, 0.4]);
    assert_eq!(
        &w.opinions[0][2..],
        &[0.5, 0.9],
        "issue b is not in the NGO's focus"
    );
}

#[test]
fn lobbying_intensity_and_target_by_hand() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    w.lobbying();
    // Positions G = 0.5 ideal + 0.5 ō: g: a = 0.25, b = 0.65; h: a = b = 0.5.
    // Firm big (ideal a 0, b 0.1) spends 300 x 0.01 = 3 over (g, a), (g, b), (h, a), (h, b)
    // with w = (1 + access) salience |y - G|: access equal 1 at g, 0 at h:
    //   (g,a) 2 x 1 x 0.25 = 0.5; (g,b) 2 x 3 x 0.55 = 3.3; (h,a) 1 x 0.5 = 0.5;
    //   (h,b) 1 x 3 x 0.4 = 1.2; total 5.5.
    // NGO n spends 2 x 0.25 = 0.5 on (g, a) alone (its one target and focus).
    let big = |w: f64| 3.0 * w / 5.5;
    let spend_ga = big(0.5) + 0.5;
    let target_ga = (big(0.5) * 0.0 + 0.5 * 1.0) / spend_ga;
    let intensity = |spend: f64| 2.0 * spend / (2.0 * spend + 1.0);
    assert!((w.intensity[0] - intensity(spend_ga)).abs() < 1e-15);
    assert!((w.lobby_target[0] - target_ga).abs() < 1e-15);
    assert!((w.intensity[1] - intensity(big(3.3))).abs() < 1e-15);
    assert!((w.lobby_target[1] - 0.1).abs() < 1e-15);
    // h has the default susceptibility 1.
    assert!((w.intensity[3] - big(1.2) / (big(1.2) + 1.0)).abs() < 1e-15);
    assert_eq!(w.counters.lobby_spend, 3.0);
    assert_eq!(w.counters.ngo_spend, 0.5);
}

#[test]
fn coregulation_standard_by_hand() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    w.coregulation();
    // g co-regulates a: β = stakes[equal] = 0.5, ν = ngo_seat 0.2 (n targets g on a),
    // G = 0.25, ȳ = (300 x 0 + 100 x 0.4) / 400 = 0.1, z̄ = 1:
    // q = 0.3 x 0.25 + 0.5 x 0.1 + 0.2 x 1 = 0.325.
    assert!((w.standard[0] - 0.325).abs() < 1e-15, "{}", w.standard[0]);
    assert_eq!(w.coregulated, [true, false, false, false]);
}

#[test]
fn decision_moves_policy_towards_the_target() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    w.coregulation();
    w.intensity[1] = 0.5;
    w.lobby_target[1] = 0.1;
    w.decision();
    // (g, a): T = q = 0.325 from p = 0.2 (policy starts at the ideal), adjustment 0.5.
    assert!((w.policy[0] - (0.2 + 0.5 * (0.325 - 0.2))).abs() < 1e-15);
    // (g, b): T = 0.5 x 0.65 + 0.5 x 0.1 = 0.375 from 0.6.
    assert!((w.policy[1] - (0.6 + 0.5 * (0.375 - 0.6))).abs() < 1e-15);
    // h: no lobbying, T = G = 0.5 = p.
    assert_eq!(&w.policy[2..], &[0.5, 0.5]);
}

#[test]
fn compliance_without_integrity_or_detection_never_complies() {
    let text = TWO_GOVERNMENTS
        .replace("capacity = 0.4", "capacity = 0")
        .replace("citizens = 4", "citizens = 4\ncapacity = 0")
        .replace("ambassador = \"equal\"", "ambassador = \"none\"")
        .replace("watchdog_share = 0.25", "watchdog_share = 0")
        + "[[government]]\nid = \"blind\"\ncitizens = 2\ncapacity = 0\n";
    let s = scenario(&text);
    let (mut w, mut rng) = world(&s);
    w.policy.fill(0.9);
    w.compliance(&mut rng);
    // Firm big has integrity 0 and nothing detects: π = 0 + 1 x min(1, 0 / C) = 0 for every
    // (market, issue) with a gap; big operates in 3 governments x 2 issues.
    // Firm small (integrity 0.5) operates in g only: 2 checks.
    assert_eq!(w.counters.checks, 8);
    assert!(w.counters.compliances <= 2);
    assert_eq!(w.counters.violations, 0, "detection 0 catches nobody");
}

#[test]
fn compliance_cost_and_fine_by_hand() {
    let text = TWO_GOVERNMENTS.replace("integrity = 0\n", "integrity = 1\n");
    let s = scenario(&text);
    let (mut w, mut rng) = world(&s);
    w.policy = vec![0.5, 0.1, 0.5, 0.5];
    w.compliance(&mut rng);
    // big (integrity 1) complies everywhere it has a gap, revenue per market 300 / 2 = 150:
    // (g, a) gap 0.5, (h, a) 0.5, (h, b) 0.4; (g, b) has no gap. C = 0.01 x gap x 150.
    let big_costs = 0.01 * 150.0 * (0.5 + 0.5 + 0.4);
    assert!((w.firms[0].costs - big_costs).abs() < 1e-12);
    assert_eq!(w.counters.checks, 3 + 1, "small has a gap on (g, a) only");
    // Watchdog money: 2 x 0.25, spent whether or not anything is checked.
    assert_eq!(w.counters.ngo_spend, 0.5);
}

#[test]
fn market_growth_costs_floor_and_hhi() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, mut rng) = world(&s);
    w.firms[0].costs = 10.0;
    w.market(&mut rng);
    // big: 300 x 1.1 - 10 = 320; small: 100 x 1.02 = 102 (volatility 0).
    assert!((w.firms[0].values.revenue - 320.0).abs() < 1e-12);
    assert!((w.firms[1].values.revenue - 102.0).abs() < 1e-12);
    let total = 422.0;
    let hhi = 10000.0 * ((320.0 / total) * (320.0f64 / total) + (102.0 / total) * (102.0 / total));
    assert!((w.hhi() - hhi).abs() < 1e-9);
    // Policy on b (the antitrust issue) is 0.6 in g >= threshold 0.5 and HHI 6334 >= 2500,
    // but whether a case comes is random: either no case, or one that cut big by 20%.
    assert!(w.counters.antitrust_cases <= 2);
    w.firms[1].costs = 1e9;
    w.market(&mut rng);
    assert_eq!(
        w.firms[1].values.revenue, 0.01,
        "revenue never falls below min_revenue"
    );
}

#[test]
fn diffusion_learns_from_peers_and_adopts_ambassadors() {
    let s = scenario(&with_model(
        "[model.diffusion]\nadoption = 1\nlearning = 0.5\nstakes = \"consultative\"",
    ));
    let (mut w, mut rng) = world(&s);
    w.policy = vec![0.2, 0.6, 0.8, 0.4];
    w.diffusion(&mut rng);
    // Each is the other's only peer: p += 0.5 (peer - p), from the state at the start.
    assert_eq!(w.policy, vec![0.5, 0.5, 0.5, 0.5]);
    // h had no ambassador; its one peer has one: adopts with probability 1 x 1.
    assert_eq!(w.governments[1].ambassador, Level::Consultative);
    assert_eq!(w.governments[0].ambassador, Level::Equal);
}

#[test]
fn trust_follows_the_gap_between_policy_and_opinion() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    w.trust();
    // g: p = (0.2, 0.6), ō = (0.3, 0.7): mean gap 0.1; trust 0.5 + 0.1 (0.9 - 0.5) = 0.54.
    assert!((w.governments[0].values.trust - 0.54).abs() < 1e-15);
    // h: p = ō = 0.5: trust 0.5 + 0.1 (1 - 0.5) = 0.55.
    assert!((w.governments[1].values.trust - 0.55).abs() < 1e-15);
}

#[test]
fn metrics_by_hand_at_the_start() {
    let s = scenario(TWO_GOVERNMENTS);
    let (mut w, _) = world(&s);
    let mut m = Vec::new();
    w.metrics_into(&mut m);
    // policy_a = (0.2 + 0.5) / 2, policy_b = (0.6 + 0.5) / 2
    assert!((m[0] - 0.35).abs() < 1e-15 && (m[1] - 0.55).abs() < 1e-15);
    // |p - ō|: g (0.1, 0.1), h (0, 0): public_gap 0.05.
    assert!((m[2] - 0.05).abs() < 1e-15);
    // capture at g: ȳ_a = 0.1, ȳ_b = (300 x 0.1 + 100 x 0.3) / 400 = 0.15;
    // a: 0.1 / (0.1 + 0.1) = 0.5; b: 0.1 / (0.1 + 0.45); h: 0.
    let capture = (0.5 + 0.1 / 0.55) / 4.0;
    assert!((m[3] - capture).abs() < 1e-15);
    // welfare = 1 - (1 x 0.01 + 3 x 0.01) / (2 x 4)
    assert!((m[4] - (1.0 - 0.04 / 8.0)).abs() < 1e-15);
    assert_eq!(m[6], 1.0, "compliance rate is 1 without checks");
    // polarization: g a: sd of (0.2, 0.4) = 0.1, b: sd of (0.5, 0.9) = 0.2; h: 0.
    assert!((m[13] - 0.3 / 4.0).abs() < 1e-15);
    assert_eq!(m[14], 0.5, "one of two governments has an ambassador");
    assert_eq!(Phase::ALL.len(), 10);
}

#[test]
fn a_campaign_past_one_batch_moves_what_one_draw_after_another_would() {
    // One NGO, one pair, 700 citizens reached of 1000: the draws come in batches of 256
    // (three of them) and must be those, and the sums those, of the plain loop below.
    let s = scenario(
        r#"
[scenario]
name = "t"
rounds = 1
[[issue]]
id = "a"
[[government]]
id = "g"
citizens = 1000
[[ngo]]
id = "n"
budget = 1400
ideal = { a = 0.9 }
targets = ["g"]
campaign_share = 0.5
[model.campaigns]
cost_per_citizen = 1
persuasion = 0.3
"#,
    );
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut w = World::new(&s, &mut rng);
    w.start_round();
    let (mut opinions, mut mean, mut plain_rng) = (w.opinions[0].clone(), w.mean[0], rng.clone());
    w.campaigns(&mut rng);

    let mut moved = 0.0;
    for _ in 0..700 {
        let i = super::index(&mut plain_rng, 1000);
        let step = 0.3 * (0.9 - opinions[i]);
        opinions[i] += step;
        moved += step;
    }
    mean += moved / 1000.0;
    assert_eq!(w.opinions[0], opinions);
    assert_eq!(w.mean[0].to_bits(), mean.to_bits());
    assert_eq!(
        rng, plain_rng,
        "the stream is left where the plain loop leaves it"
    );
}
