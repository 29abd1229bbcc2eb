//! The layers of `src/` (ARCHITECTURE.md): each top-level module imports only the layers
//! below it. A file's `crate::<module>` paths outside its unit tests are its imports.

use std::path::Path;

/// The layers, bottom first.
const LAYERS: [&str; 7] = [
    "scenario", "model", "run", "store", "analysis", "report", "cli",
];

/// Every `crate::<name>` a source text names, its unit tests left out; `crate::{a, b}`
/// groups count each name.
fn imports(text: &str) -> Vec<String> {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            out.extend(
                group[..end]
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or("").to_string()),
            );
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_import_runs_down_the_layers() {
    let mut upward = Vec::new();
    let mut seen = 0;
    for (rank, layer) in LAYERS.iter().enumerate() {
        let mut files = Vec::new();
        let dir = Path::new("src").join(layer);
        rust_files(&dir, &mut files);
        assert!(!files.is_empty(), "src/{layer}/ holds the {layer} layer");
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            for name in imports(&text) {
                seen += 1;
                if let Some(to) = LAYERS.iter().position(|l| *l == name)
                    && to > rank
                {
                    upward.push(format!("{} imports crate::{name}", file.display()));
                }
            }
        }
    }
    assert!(seen > 50, "the scan found the imports ({seen})");
    assert!(
        upward.is_empty(),
        "imports that run upward:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_top_level_module_is_a_layer() {
    for entry in std::fs::read_dir("src").expect("readable") {
        let path = entry.expect("an entry").path();
        let name = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
        if name == "lib" || name == "main" {
            continue;
        }
        assert!(
            LAYERS.contains(&name),
            "src/{name} is not in a layer of ARCHITECTURE.md"
        );
    }
}

#[test]
fn the_scan_sees_an_upward_import() {
    let text = "use crate::report::table;\nuse crate::{scenario, run::Pool};\n\
                #[cfg(test)]\nmod tests { use crate::cli; }";
    assert_eq!(imports(text), ["report", "scenario", "run"]);
}
