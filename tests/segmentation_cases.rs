//! Runs every sentence-segmentation case in tests/segmentation/*.toml: the passage, normalised
//! and split, must give exactly the expected sentences (normalised the same way).

use std::path::Path;

use concord::config::NormaliseConfig;
use concord::stage::normalise::{normalise_document, text::normalise, Abbreviations};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    #[allow(dead_code)]
    style: String,
    text: String,
    sentences: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[test]
fn segmentation_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let abbreviations = Abbreviations::from_toml(
        &std::fs::read_to_string(root.join("data/reference/lexicon/abbreviations.toml"))
            .expect("abbreviations"),
    )
    .expect("abbreviations parse");
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/segmentation"))
        .expect("tests/segmentation exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for f in files {
        let cases: CaseFile = toml::from_str(&std::fs::read_to_string(&f).expect("readable"))
            .expect("valid case file");
        for case in cases.case {
            total += 1;
            let (_, sentences) = normalise_document(
                &NormaliseConfig::default(),
                &abbreviations,
                "case",
                &case.text,
            );
            let got: Vec<String> = sentences.into_iter().map(|s| s.text).collect();
            let want: Vec<String> = case.sentences.iter().map(|s| normalise(s)).collect();
            if got != want {
                failures.push(format!("{}:\n    got  {got:?}\n    want {want:?}", case.id));
            }
        }
    }
    assert!(total >= 30, "only {total} cases");
    println!(
        "{} of {total} segmentation cases pass",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
