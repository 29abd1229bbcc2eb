//! Rendering results and scenarios for people (terminal tables, summaries, HTML pages with
//! SVG figures) and for programs (CSV exports). Rendering never happens inside the run loop,
//! and nothing here reads or writes a file: the command line decides where text goes.
pub mod compare_table;
mod describe;
pub mod discover_html;
pub mod export;
pub mod html;
pub mod run_html;
pub mod sensitivity_html;
pub mod study_table;
pub mod svg;
pub mod sweep_html;
pub mod table;

pub use describe::{describe, first_sentence};

/// Long names never run out of their figures: every report drawn with the longest parameter
/// path and metric name of the bundled scenarios.
#[cfg(test)]
mod fit_tests {
    use crate::analysis::comparison::{Comparison, Sample};
    use crate::analysis::sensitivity::{Analysis, Method, morris};
    use crate::model::metrics;
    use crate::report::svg::{FIG_W, TITLE_PX, text_width};
    use crate::scenario::{self, FirmKey, GovernmentKey, ModelKey, NgoKey, Scenario};
    use crate::store::Summary;
    use crate::store::study::{Plan, Setting};

    /// Every parameter path the bundled scenarios accept (absolute and relative), longest
    /// first, with its scenario.
    fn longest_path() -> (String, Scenario) {
        let mut files: Vec<_> = std::fs::read_dir("scenarios")
            .expect("scenarios/")
            .map(|e| e.expect("an entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 5, "{files:?}");
        let mut best: Option<(String, Scenario)> = None;
        for file in files {
            let s = scenario::load(&file).expect("a bundled scenario loads");
            let mut paths: Vec<String> = ModelKey::ALL
                .iter()
                .map(|k| format!("model.{}", k.name()))
                .collect();
            let kinds: [(&str, Vec<&str>, Vec<&str>); 3] = [
                (
                    "government",
                    s.governments.iter().map(|a| a.id.as_str()).collect(),
                    GovernmentKey::ALL.iter().map(|k| k.name()).collect(),
                ),
                (
                    "firm",
                    s.firms.iter().map(|a| a.id.as_str()).collect(),
                    FirmKey::ALL.iter().map(|k| k.name()).collect(),
                ),
                (
                    "ngo",
                    s.ngos.iter().map(|a| a.id.as_str()).collect(),
                    NgoKey::ALL.iter().map(|k| k.name()).collect(),
                ),
            ];
            for (kind, ids, keys) in kinds {
                for id in ids.into_iter().chain(["*"]) {
                    for key in keys.iter().chain(&["ambassador"]) {
                        paths.push(format!("{kind}.{id}.{key}"));
                    }
                    for issue in &s.issues {
                        paths.push(format!("{kind}.{id}.ideal.{}", issue.id));
                    }
                }
            }
            for p in paths {
                if scenario::paths::resolve(&p, &s).is_ok()
                    && best.as_ref().is_none_or(|(b, _)| p.len() + 1 > b.len())
                {
                    // The relative form, PATH*, is one character longer.
                    best = Some((format!("{p}*"), s.clone()));
                }
            }
        }
        best.expect("some path")
    }

    /// Every panel title of `html` (`<text class="title" x=...>`): its x, y and text.
    fn titles(html: &str) -> Vec<(f64, f64, String)> {
        let attr = |t: &str, name: &str| -> f64 {
            let v = &t[t.find(name).expect(name) + name.len()..];
            v[..v.find('"').expect("quote")].parse().expect("a number")
        };
        html.split("<text class=\"title\" ")
            .skip(1)
            .map(|t| {
                let body = &t[t.find('>').expect("tag") + 1..];
                let body = match body.strip_prefix("<title>") {
                    Some(b) => &b[b.find("</title>").expect("closed") + 8..],
                    None => body,
                };
                let text = body[..body.find("</text>").expect("closed")]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'");
                (attr(t, "x=\""), attr(t, "y=\""), text)
            })
            .collect()
    }

    /// No title's estimated width runs past the figure's right edge or into the next title
    /// on its line.
    fn assert_titles_fit(html: &str) -> usize {
        let mut count = 0;
        for figure in html.split("<svg ").skip(1) {
            count += assert_figure_titles_fit(&figure[..figure.find("</svg>").expect("closed")]);
        }
        count
    }

    fn assert_figure_titles_fit(svg: &str) -> usize {
        let titles = titles(svg);
        for (k, (x, y, text)) in titles.iter().enumerate() {
            let end = x + text_width(text, TITLE_PX, true);
            assert!(end <= FIG_W, "{text:?} ends at {end}, past {FIG_W}");
            if let Some((next_x, next_y, next)) = titles.get(k + 1)
                && next_y == y
                && next_x > x
            {
                assert!(end <= *next_x, "{text:?} runs into {next:?}");
            }
        }
        titles.len()
    }

    #[test]
    fn titles_fit_their_figures_with_the_longest_parameter_path() {
        let (path, s) = longest_path();
        assert!(path.len() >= 30, "{path}");
        let names = metrics::names(&s);
        let longest = names.iter().map(String::len).max().unwrap_or(0);
        let summaries: Vec<Summary> = (0..4)
            .map(|p| {
                let values: Vec<f64> = (0..3 * names.len())
                    .map(|i| (p * 5 + i % 7) as f64 / 10.0)
                    .collect();
                Summary::of(&s.name, 1, &names, &values).expect("finite")
            })
            .collect();
        let order: Vec<usize> = (0..names.len()).collect();
        let factors = vec![path.clone(), "government.*.capacity".to_string()];
        let number = |x: f64| Setting::Number(x);
        for (design, points) in [
            (
                "sweep grid",
                vec![
                    vec![number(0.5), number(0.2)],
                    vec![number(1.5), number(0.2)],
                    vec![number(0.5), number(0.8)],
                    vec![number(1.5), number(0.8)],
                ],
            ),
            (
                "sweep lhs",
                (0..4)
                    .map(|i| vec![number(0.5 + i as f64 / 4.0), number(0.2 + i as f64 / 8.0)])
                    .collect(),
            ),
        ] {
            let mut f = factors.clone();
            // A grid of three parameters draws line panels, three to a row.
            let points = if design == "sweep grid" {
                f.push("ngo.*.budget*".into());
                points
                    .into_iter()
                    .map(|mut p| {
                        p.push(number(1.0));
                        p
                    })
                    .collect()
            } else {
                points
            };
            let plan = Plan::new(design, &s, f, points);
            let html = crate::report::sweep_html::render(&plan, &s, &summaries, &order);
            assert!(assert_titles_fit(&html) >= names.len() * 2, "{design}");
        }
        let plan = Plan::new(
            "sweep grid",
            &s,
            factors.clone(),
            vec![
                vec![number(0.5), number(0.2)],
                vec![number(1.5), number(0.2)],
                vec![number(0.5), number(0.8)],
                vec![number(1.5), number(0.8)],
            ],
        );
        let heatmaps = crate::report::sweep_html::render(&plan, &s, &summaries, &order);
        assert_eq!(assert_titles_fit(&heatmaps), names.len());
        let effects = |_| morris::Effects {
            mu: vec![0.1, 0.2],
            mu_star: vec![0.1, 0.2],
            sigma: vec![0.05, 0.1],
            mu_star_conf: vec![0.01, 0.01],
        };
        let analyses: Vec<(String, Analysis)> = names
            .iter()
            .enumerate()
            .map(|(m, n)| (n.clone(), Analysis::Morris(effects(m))))
            .collect();
        let html = crate::report::sensitivity_html::render(
            &plan,
            &s,
            Method::Morris,
            10,
            &analyses,
            &order,
        );
        assert_eq!(assert_titles_fit(&html), 2 * names.len());
        // A comparison of two scenarios with long names, paired.
        let sample = |label: &str| Sample {
            label: label.to_string(),
            description: String::new(),
            source: String::new(),
            seed: 1,
            names: names.clone(),
            values: (0..5 * names.len()).map(|i| (i % 9) as f64).collect(),
            trajectory: None,
        };
        let long = format!("{path}-{}", "x".repeat(longest));
        let c = Comparison {
            samples: vec![sample(&long), sample(&format!("{long}-too"))],
            pairs: vec![crate::analysis::comparison::PairComparison {
                other: 1,
                paired: true,
                metrics: Vec::new(),
            }],
            bootstrap_seed: 1,
            bootstrap_resamples: 10,
            trajectories: None,
        };
        assert!(assert_titles_fit(&crate::report::html::render(&c)) >= 3 * names.len());
    }
}
