//! The HTML reports as the commands write them: every figure downloadable as its own SVG,
//! a heatmap per metric for a two-parameter grid, points coloured by another parameter in a
//! Latin hypercube, Morris's mu*-sigma plane, and the metrics in the `--metric` order. (The
//! drawing itself is tested beside the code in `src/report/`.)

use std::fs;
use std::path::Path;

use crate::support::netstates_into;

/// The bytes of standard, padded base64.
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let n = chunk.iter().fold(0u32, |n, &c| {
            let v = ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
            n << 6 | v
        });
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    out
}

/// Checks that every `<svg>` of the page is followed by a link downloading an SVG file that
/// holds that figure's drawing; returns the file names.
fn downloads(html: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg ") {
        let end = start + rest[start..].find("</svg>\n").expect("closed") + 7;
        let svg = &rest[start..end];
        let link = rest[end..]
            .strip_prefix("<p class=\"download\"><a download=\"")
            .expect("a download link after every figure");
        let (file, link) = link.split_once('"').expect("a file name");
        let data = link
            .strip_prefix(" href=\"data:image/svg+xml;base64,")
            .expect("a data URI");
        let file_svg = String::from_utf8(decode_base64(&data[..data.find('"').expect("quote")]))
            .expect("UTF-8");
        // The file is the figure with a style sheet and a background after its opening tag.
        let open = &svg[..svg.find('>').expect("tag") + 1];
        assert!(file_svg.starts_with(open), "{file}");
        assert!(file_svg.contains("<style>"), "{file}");
        assert!(file_svg.ends_with(&svg[open.len()..]), "{file}");
        files.push(file.to_string());
        rest = &rest[end..];
    }
    files
}

/// The metric of every figure, in page order.
fn figure_order(html: &str) -> Vec<&str> {
    html.split("<figure class=\"metric\" id=\"metric-")
        .skip(1)
        .map(|f| &f[..f.find('"').expect("quote")])
        .collect()
}

fn study(args: &[&str], out: &Path) -> String {
    let mut all = args.to_vec();
    all.extend(["--set", "scenario.rounds=12", "--runs", "4", "-q"]);
    netstates_into(&all, out).assert().success();
    fs::read_to_string(out.join("report.html")).expect("report")
}

#[test]
fn a_two_parameter_grid_draws_heatmaps_in_the_metric_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = study(
        &[
            "sweep",
            "scenarios/baseline.toml",
            "--set",
            "government.*.ambassador=none,observer,equal",
            "--set",
            "government.*.capacity=0.3..0.9:4",
            "--metric",
            "trust",
            "--metric",
            "capture",
        ],
        &dir.path().join("grid"),
    );
    let order = figure_order(&html);
    assert_eq!(order.len(), 19);
    assert_eq!(order[..3], ["trust", "capture", "policy_privacy"]);
    assert_eq!(html.matches("<g class=\"heatmap\">").count(), 19);
    assert_eq!(html.matches("<rect class=\"cell\"").count(), 19 * 3 * 4);
    let files = downloads(&html);
    assert_eq!(files.len(), 19);
    assert_eq!(files[0], "trust.svg");
}

#[test]
fn a_latin_hypercube_colours_points_by_another_parameter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = study(
        &[
            "sweep",
            "scenarios/ambassadors-equal.toml",
            "--design",
            "lhs",
            "--samples",
            "6",
            "--set",
            "model.ambassador.stakes.equal=0..0.5",
            "--set",
            "government.*.capacity*=0.5..1.5",
        ],
        &dir.path().join("lhs"),
    );
    // Two panels per metric, each with a colour bar naming the other parameter.
    assert_eq!(html.matches("<g class=\"colour-bar\"").count(), 19 * 2);
    assert!(html.contains(">colour: government.*.capacity*</text>"));
    assert!(html.contains(">colour: model.ambassador.stakes.equal</text>"));
    assert_eq!(html.matches("<rect class=\"cell\"").count(), 0);
    assert_eq!(downloads(&html).len(), 19);
}

#[test]
fn a_morris_report_draws_the_mu_star_sigma_plane_in_the_metric_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = study(
        &[
            "sensitivity",
            "scenarios/baseline.toml",
            "--method",
            "morris",
            "--samples",
            "3",
            "--param",
            "government.*.capacity=0.3..0.9",
            "--param",
            "ngo.*.budget=0.5..3",
            "--metric",
            "welfare",
        ],
        &dir.path().join("m"),
    );
    assert_eq!(figure_order(&html)[..2], ["welfare", "policy_privacy"]);
    assert_eq!(html.matches("<g class=\"mu-sigma\">").count(), 19);
    let plane = &html[html.find("<g class=\"mu-sigma\">").expect("a plane")..];
    let plane = &plane[..plane.find("</g>").expect("closed")];
    assert!(plane.contains(">government.*.capacity</text>"), "labelled");
    assert!(plane.contains(">ngo.*.budget</text>"), "labelled");
    let files = downloads(&html);
    assert_eq!(files.len(), 2 * 19, "bars and plane");
    assert_eq!(files[..2], ["welfare.svg", "welfare-mu-star-sigma.svg"]);
}

#[test]
fn compare_and_discover_figures_download_as_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("compare.html");
    crate::support::netstates()
        .args([
            "compare",
            "scenarios/ambassadors-observer.toml",
            "scenarios/ambassadors-equal.toml",
            "--runs",
            "12",
            "--set",
            "scenario.rounds=12",
            "--resamples",
            "50",
            "-q",
            "--report",
        ])
        .arg(&report)
        .assert()
        .success();
    let html = fs::read_to_string(&report).expect("report");
    let files = downloads(&html);
    assert_eq!(files.len(), 19 * 2, "distributions and paired differences");
    assert!(files.contains(&"capture-paired-differences.svg".to_string()));
    assert_eq!(html.matches("<g class=\"paired\"").count(), 19);
    let study = dir.path().join("s");
    let _ = self::study(
        &[
            "sweep",
            "scenarios/ambassadors-equal.toml",
            "--design",
            "lhs",
            "--samples",
            "12",
            "--set",
            "model.ambassador.stakes.equal=0..0.5",
            "--set",
            "government.*.capacity*=0.5..1.5",
        ],
        &study,
    );
    crate::support::netstates()
        .arg("discover")
        .arg(&study)
        .args(["--where", "capture > 0.4"])
        .assert()
        .success();
    let html = fs::read_to_string(study.join("discover/report.html")).expect("report");
    assert_eq!(
        downloads(&html),
        ["trade-off.svg", "box-limits.svg", "runs-and-box.svg"]
    );
}
