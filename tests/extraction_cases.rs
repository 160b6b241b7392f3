//! Runs every extraction case in tests/cases/*.toml through normalise and extract and checks
//! that exactly the expected claims come out (victim, outcome, counts, qualifier, source kind,
//! stance, subset parent) and, where a case says so, the place, dates and sub-event type.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use concord::config::{ExtractConfig, NormaliseConfig};
use concord::reference::Reference;
use concord::stage::extract;
use concord::stage::normalise::{normalise_document, Abbreviations};
use concord::table::Claim;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    victim: String,
    outcome: String,
    low: Option<i64>,
    high: Option<i64>,
    qualifier: String,
    source_kind: String,
    #[serde(default)]
    stance: Option<String>,
    #[serde(default)]
    parent: Option<usize>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    date_start: Option<String>,
    #[serde(default)]
    date_end: Option<String>,
    #[serde(default)]
    sub_event_type: Option<String>,
    #[serde(default)]
    background: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    #[allow(dead_code)]
    style: String,
    #[serde(default)]
    published: Option<String>,
    text: String,
    #[serde(default)]
    claims: Vec<Expected>,
    #[serde(default)]
    expect_none: bool,
}

#[derive(Debug, Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

use common::fold;

fn core_matches(e: &Expected, c: &Claim) -> bool {
    c.victim_group == e.victim
        && c.outcome == e.outcome
        && c.count_low == e.low
        && c.count_high == e.high
        && c.qualifier == e.qualifier
        && c.source_kind == e.source_kind
        && c.stance == e.stance.clone().unwrap_or_else(|| "asserts".into())
}

fn detail_problems(e: &Expected, c: &Claim, refs: &Reference) -> Vec<String> {
    let mut p = Vec::new();
    if let Some(place) = &e.place {
        let name = c
            .place_id
            .as_deref()
            .and_then(|id| refs.gazetteer.place(id))
            .map(|p| p.name.clone());
        let ok = [c.location.as_deref(), name.as_deref()]
            .iter()
            .flatten()
            .any(|n| fold(n) == fold(place) || fold(n).contains(&fold(place)));
        if !ok {
            p.push(format!(
                "place {:?} (id {:?}) != {place}",
                c.location, c.place_id
            ));
        }
    }
    if let Some(d) = &e.date_start {
        if c.event_date_start.map(|x| x.to_string()).as_deref() != Some(d.as_str()) {
            p.push(format!("date_start {:?} != {d}", c.event_date_start));
        }
    }
    if let Some(d) = &e.date_end {
        if c.event_date_end.map(|x| x.to_string()).as_deref() != Some(d.as_str()) {
            p.push(format!("date_end {:?} != {d}", c.event_date_end));
        }
    }
    if let Some(b) = e.background {
        if c.background != b {
            p.push(format!("background {} != {b}", c.background));
        }
    }
    if let Some(t) = &e.sub_event_type {
        if c.sub_event_type.as_deref() != Some(t.as_str()) {
            p.push(format!("sub_event_type {:?} != {t}", c.sub_event_type));
        }
    }
    p
}

fn run_case(refs: &Reference, abbreviations: &Abbreviations, case: &Case) -> Result<(), String> {
    let (text, sentences) = normalise_document(
        &NormaliseConfig::default(),
        abbreviations,
        "case",
        &case.text,
    );
    let _ = text;
    let published = case
        .published
        .as_deref()
        .map(|p| p.parse().expect("case published is a date"));
    let doc = common::document("case", &case.id, &case.text, published, sentences.len());
    let refs_s: Vec<_> = sentences.iter().collect();
    let out = extract::extract_document(&ExtractConfig::default(), refs, &doc, &refs_s);
    let got = out.claims;
    let describe = |c: &Claim| {
        format!(
            "{} {} {:?}-{:?} {} {} {}",
            c.victim_group,
            c.outcome,
            c.count_low,
            c.count_high,
            c.qualifier,
            c.source_kind,
            c.stance
        )
    };
    if case.expect_none && !case.claims.is_empty() {
        return Err("expect_none with claims".into());
    }
    let mut used = vec![false; got.len()];
    let mut index_of: BTreeMap<usize, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (ei, e) in case.claims.iter().enumerate() {
        match (0..got.len()).find(|&i| !used[i] && core_matches(e, &got[i])) {
            Some(i) => {
                used[i] = true;
                index_of.insert(ei, i);
                problems.extend(detail_problems(e, &got[i], refs));
            }
            None => problems.push(format!(
                "missing {} {} {:?}-{:?} {} {}",
                e.victim, e.outcome, e.low, e.high, e.qualifier, e.source_kind
            )),
        }
    }
    for (ei, e) in case.claims.iter().enumerate() {
        if let (Some(p), Some(&i)) = (e.parent, index_of.get(&ei)) {
            let want = index_of.get(&p).map(|&pi| got[pi].claim_id.clone());
            if got[i].parent_claim_id != want {
                problems.push(format!(
                    "claim {ei}: parent {:?} != {want:?}",
                    got[i].parent_claim_id
                ));
            }
        }
    }
    for (i, c) in got.iter().enumerate() {
        if !used[i] {
            problems.push(format!("extra {}", describe(c)));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn extraction_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (refs, abbreviations) = common::reference();
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/cases"))
        .expect("tests/cases exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for f in files {
        let cases: CaseFile = toml::from_str(&std::fs::read_to_string(&f).expect("readable"))
            .expect("valid case file");
        for case in &cases.case {
            total += 1;
            if let Err(e) = run_case(&refs, &abbreviations, case) {
                failures.push(format!("{}: {}\n    {}", case.id, e, case.text.trim()));
            }
        }
    }
    assert!(total >= 60, "only {total} cases");
    println!(
        "{} of {total} extraction cases pass",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
