//! A toll given for several attacks at once ("ces deux attaques ont fait 49 civils et 15
//! militaires tués") is linked to every event it covers and counted once. Runs the articles of
//! tests/reconcile/combined_tolls.toml through normalise, extract and reconcile in memory.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::fold;

use concord::config::{ExtractConfig, NormaliseConfig, ReconcileConfig};
use concord::reference::Reference;
use concord::stage::normalise::{normalise_document, Abbreviations};
use concord::stage::{extract, reconcile};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    published: String,
    text: String,
    events: Vec<String>,
    toll: String,
    counted_in: String,
    also: Vec<String>,
    fatalities: i64,
}

#[derive(Debug, Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

fn run_case(refs: &Reference, abbreviations: &Abbreviations, case: &Case) -> Vec<String> {
    let (_, sentences) = normalise_document(
        &NormaliseConfig::default(),
        abbreviations,
        &case.id,
        &case.text,
    );
    let published = Some(case.published.parse().expect("case published is a date"));
    let doc = common::document(&case.id, &case.id, &case.text, published, sentences.len());
    let rows: Vec<_> = sentences.iter().collect();
    let x = extract::extract_document(&ExtractConfig::default(), refs, &doc, &rows);
    if std::env::var_os("CONCORD_DEBUG_CASES").is_some() {
        for i in &x.incidents {
            eprintln!(
                "{} incident s{} {} {:?} {:?} {:?} {:?}",
                case.id,
                i.sentence,
                i.sub_event_type,
                i.location,
                i.place_id,
                i.where_prec,
                i.date_start
            );
        }
    }
    let out = reconcile::run(
        &ReconcileConfig::default(),
        refs,
        &reconcile::Input {
            documents: vec![doc],
            incidents: x.incidents,
            claims: x.claims.clone(),
        },
    );
    let mut problems = Vec::new();
    let main: Vec<_> = out.events.iter().filter(|e| !e.background).collect();
    let places: BTreeSet<String> = main
        .iter()
        .map(|e| fold(e.location.as_deref().unwrap_or("")))
        .collect();
    let want: BTreeSet<String> = case.events.iter().map(|p| fold(p)).collect();
    if places != want || main.len() != want.len() {
        problems.push(format!("events at {places:?}, want {want:?}"));
    }
    let place_of = |event_id: &str| {
        out.events
            .iter()
            .find(|e| e.event_id == event_id)
            .map(|e| fold(e.location.as_deref().unwrap_or("")))
            .unwrap_or_default()
    };
    let toll: Vec<_> = x
        .claims
        .iter()
        .filter(|c| fold(&c.quote).contains(&fold(&case.toll)))
        .collect();
    if toll.is_empty() {
        problems.push(format!("no claim in the sentence of {:?}", case.toll));
    }
    for c in toll {
        let links: Vec<_> = out
            .event_claims
            .iter()
            .filter(|l| l.claim_id == c.claim_id)
            .collect();
        let counted: Vec<String> = links
            .iter()
            .filter(|l| l.counted)
            .map(|l| place_of(&l.event_id))
            .collect();
        let linked: BTreeSet<String> = links
            .iter()
            .filter(|l| !l.counted)
            .map(|l| place_of(&l.event_id))
            .collect();
        let also: BTreeSet<String> = case.also.iter().map(|p| fold(p)).collect();
        if counted != vec![fold(&case.counted_in)] || linked != also {
            problems.push(format!(
                "{} {} {:?}: counted in {counted:?}, linked to {linked:?}",
                c.victim_group, c.outcome, c.count_low
            ));
        }
        if links
            .iter()
            .any(|l| !l.counted && !l.merge_reason.contains("counted in event"))
        {
            problems.push("an uncounted link does not say where the toll counts".into());
        }
        let note_of = |event_id: &str| {
            out.events
                .iter()
                .find(|e| e.event_id == event_id)
                .map(|e| e.notes.clone())
                .unwrap_or_default()
        };
        if links.iter().any(|l| {
            !l.counted && !note_of(&l.event_id).contains("combined toll covering this event")
        }) {
            problems.push("an event the toll covers does not say so in its notes".into());
        }
    }
    let total: i64 = main.iter().filter_map(|e| e.fatalities_best).sum();
    if total != case.fatalities {
        problems.push(format!("fatalities {total}, want {}", case.fatalities));
    }
    for e in &out.events {
        let n = out
            .event_claims
            .iter()
            .filter(|l| l.event_id == e.event_id)
            .count() as i64;
        if e.n_claims != n {
            problems.push(format!("event n_claims {} but {n} links", e.n_claims));
        }
    }
    problems
}

#[test]
fn combined_tolls_are_linked_to_every_event_and_counted_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (refs, abbreviations) = common::reference();
    let text =
        std::fs::read_to_string(root.join("tests/reconcile/combined_tolls.toml")).expect("cases");
    let file: CaseFile = toml::from_str(&text).expect("cases parse");
    assert!(file.case.len() >= 6);
    let mut failures = Vec::new();
    for case in &file.case {
        let problems = run_case(&refs, &abbreviations, case);
        if !problems.is_empty() {
            failures.push(format!("{}: {}", case.id, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
