//! Every kind of CSV file netstates writes (`runs.csv`, a replay's trace, `sweep.csv`, a
//! sensitivity analysis's `sensitivity.csv`, `points.csv` and `second-order.csv`, and
//! `compare --format csv`) read back with a real CSV reader: rectangular, numbers that parse,
//! no signed zero, and the same values as the run, the summary or the JSON they come from.

use std::path::Path;

use netstates::{model::metrics, run, scenario};
use serde_json::Value;

use crate::support::netstates;

const SCENARIO: &str = "scenarios/baseline.toml";

/// A CSV file's header and rows, read by the `csv` crate; every row as long as the header,
/// and no field a signed zero.
fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(String::from)
        .collect();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| {
            rec.expect("a well-formed row")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{}: {row:?}", path.display());
        assert!(
            !row.iter().any(|f| f == "-0"),
            "{}: {row:?}",
            path.display()
        );
    }
    (header, rows)
}

fn number(field: &str) -> f64 {
    field
        .parse()
        .unwrap_or_else(|_| panic!("\"{field}\" is not a number"))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

#[test]
fn runs_csv_and_a_trace_hold_the_runs_bits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("exp");
    netstates()
        .args(["run", SCENARIO, "--runs", "5", "--seed", "3", "-q"])
        .args(["--set", "scenario.rounds=12", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut s = scenario::load(Path::new(SCENARIO)).expect("loads");
    s.rounds = 12;
    let (header, rows) = read(&out.join("runs.csv"));
    let names = metrics::names(&s);
    let inputs = s.input_names();
    let m0 = 2 + inputs.len();
    assert!(!inputs.is_empty(), "the baseline has uncertain parameters");
    assert_eq!(header[..2], ["run", "seed"]);
    assert_eq!(header[2..m0], inputs[..]);
    assert_eq!(header[m0..], names[..]);
    assert_eq!(rows.len(), 5);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row[0], i.to_string());
        assert_eq!(row[1], "3");
        let mut record = run::Record::default();
        run::run_record(&s, 3, i as u64, None, &mut record).expect("finite");
        let expected: Vec<f64> = record
            .inputs
            .iter()
            .chain(&record.metrics)
            .copied()
            .collect();
        assert_eq!(row.len() - 2, expected.len());
        for (field, x) in row[2..].iter().zip(&expected) {
            assert_eq!(
                number(field).to_bits(),
                (x + 0.0).to_bits(),
                "run {i}: {field}"
            );
        }
    }
    let trace = dir.path().join("trace.csv");
    netstates()
        .args(["replay"])
        .arg(&out)
        .args(["--run", "2", "--trace"])
        .arg(&trace)
        .assert()
        .success();
    let (theader, trows) = read(&trace);
    assert_eq!(theader[0], "round");
    assert_eq!(theader[1..], names[..]);
    assert_eq!(trows.len(), 12);
    assert_eq!(
        trows[11][1..],
        rows[2][m0..],
        "the last round is the run's row"
    );
}

#[test]
fn sweep_and_sensitivity_tables_hold_the_points_summaries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sweep = dir.path().join("sweep");
    netstates()
        .args(["sweep", SCENARIO, "--runs", "3", "-q"])
        .args(["--set", "scenario.rounds=12"])
        .args(["--set", "government.*.ambassador=none,equal"])
        .args(["--set", "model.opinion.confidence=0.1..0.3:2", "--out"])
        .arg(&sweep)
        .assert()
        .success();
    let (header, rows) = read(&sweep.join("sweep.csv"));
    assert_eq!(
        header[..3],
        [
            "point",
            "government.*.ambassador",
            "model.opinion.confidence"
        ]
    );
    assert_eq!(rows.len(), 4);
    for (i, row) in rows.iter().enumerate() {
        let summary = json(&sweep.join(format!("points/{i:04}/summary.json")));
        for (m, metric) in summary["metrics"]
            .as_array()
            .expect("metrics")
            .iter()
            .enumerate()
        {
            for (k, stat) in ["mean", "sd", "p5", "p50", "p95"].iter().enumerate() {
                let field = &row[3 + 5 * m + k];
                let want = metric[stat].as_f64().expect("a number");
                assert_eq!(number(field), want, "point {i} {} {stat}", metric["metric"]);
            }
        }
    }

    let sens = dir.path().join("sobol");
    netstates()
        .args([
            "sensitivity",
            SCENARIO,
            "--runs",
            "2",
            "--samples",
            "4",
            "-q",
        ])
        .args(["--set", "scenario.rounds=12", "--second-order"])
        .args(["--param", "government.*.capacity=0.3..0.9"])
        .args(["--param", "model.opinion.confidence=0.1..0.3", "--out"])
        .arg(&sens)
        .assert()
        .success();
    let names = metrics::names(&scenario::load(Path::new(SCENARIO)).expect("loads"));
    let (header, rows) = read(&sens.join("sensitivity.csv"));
    assert_eq!(
        header,
        ["metric", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    );
    assert_eq!(rows.len(), names.len() * 2);
    for row in &rows {
        assert!(names.contains(&row[0]), "{row:?}");
        for field in &row[2..] {
            let x = number(field);
            assert!(x.is_finite() || x.is_nan(), "{row:?}");
        }
    }
    let (header, rows) = read(&sens.join("points.csv"));
    assert_eq!(
        header[1..3],
        ["government.*.capacity", "model.opinion.confidence"]
    );
    assert_eq!(rows.len(), 4 * (2 * 2 + 2));
    let (header, rows) = read(&sens.join("second-order.csv"));
    assert_eq!(header, ["metric", "parameter", "other", "S2", "S2_conf"]);
    assert_eq!(rows.len(), names.len());
}

#[test]
fn compare_csv_holds_the_numbers_of_compare_json() {
    let args = [
        "compare",
        "scenarios/ambassadors-observer.toml",
        "scenarios/ambassadors-equal.toml",
        "--runs",
        "8",
        "--resamples",
        "50",
        "-q",
    ];
    let csv_out = netstates()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .expect("runs");
    assert!(csv_out.status.success());
    let json_out = netstates()
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(json_out.status.success());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("compare.csv");
    std::fs::write(&path, &csv_out.stdout).expect("writable");
    let (header, rows) = read(&path);
    let j: Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let metrics = j["pairs"][0]["metrics"].as_array().expect("metrics");
    assert_eq!(rows.len(), metrics.len());
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    for (row, m) in rows.iter().zip(metrics) {
        assert_eq!(row[col("metric")], m["metric"].as_str().expect("a name"));
        assert_eq!(row[col("baseline")], "ambassadors-observer");
        assert_eq!(row[col("paired")], "true");
        for (column, value) in [
            ("baseline_mean", &m["baseline"]["value"]),
            ("difference_lo", &m["difference"]["lo"]),
            ("difference_hi", &m["difference"]["hi"]),
            ("ks_p", &m["ks_p"]),
            ("a12", &m["a12"]),
            ("wasserstein", &m["wasserstein"]),
            ("p_adjusted", &m["p_adjusted"]),
        ] {
            let field = &row[col(column)];
            match value.as_f64() {
                Some(want) => assert_eq!(number(field), want, "{column}: {row:?}"),
                None => assert!(number(field).is_nan(), "{column}: {row:?}"),
            }
        }
        match m["welch_p"].as_f64() {
            Some(want) => assert_eq!(number(&row[col("welch_p")]), want),
            None => assert_eq!(row[col("welch_p")], ""),
        }
    }
}
