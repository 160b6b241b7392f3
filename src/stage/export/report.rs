//! The Markdown report: what a reader needs before opening the tables. Built only from the
//! release tables and the stage locks, sorted by explicit keys, so it is byte-identical across
//! runs like every other output.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;

use super::Input;
use crate::config::Config;
use crate::table::{Claim, Event};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn fig(low: Option<i64>, best: Option<i64>, high: Option<i64>) -> String {
    let f = |v: Option<i64>| v.map_or("?".to_string(), |v| v.to_string());
    if low.is_none() && best.is_none() && high.is_none() {
        return "-".into();
    }
    format!("{}-{}-{}", f(low), f(best), f(high))
}

fn place(e: &Event) -> String {
    let mut parts = vec![e.location.clone().unwrap_or_else(|| "?".into())];
    if let Some(a) = &e.admin1 {
        parts.push(a.clone());
    }
    if let Some(c) = &e.country {
        parts.push(c.clone());
    }
    parts.join(", ")
}

fn date_text(e: &Event) -> String {
    match (e.event_date, e.event_date_end) {
        (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
        (Some(a), _) => a.to_string(),
        _ => "undated".into(),
    }
}

pub fn render(cfg: &Config, input: &Input, content_id: &str) -> String {
    let e = &cfg.raw.export;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", e.title);
    let _ = writeln!(s, "- Dataset version: **{}**", e.version);
    let _ = writeln!(s, "- Content id: `{content_id}`");
    if let Some(d) = &e.release_date {
        let _ = writeln!(s, "- Release date: {d}");
    }
    let _ = writeln!(
        s,
        "- Tables: documents {}, claims {}, events {}, event_claims {}, event_documents {}, event_counts {}\n",
        input.documents.len(),
        input.claims.len(),
        input.events.len(),
        input.event_claims.len(),
        input.event_documents.len(),
        input.event_counts.len()
    );
    // Corpus.
    let mut by_status: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &input.documents {
        *by_status.entry(d.status.as_str()).or_default() += 1;
    }
    let _ = writeln!(s, "## Corpus\n");
    for (st, n) in &by_status {
        let _ = writeln!(
            s,
            "- `{st}`: {n} document{}",
            if *n == 1 { "" } else { "s" }
        );
    }
    let mut rejected: Vec<_> = input
        .documents
        .iter()
        .filter(|d| d.status != "ok")
        .collect();
    rejected.sort_by(|a, b| a.path.cmp(&b.path));
    if !rejected.is_empty() {
        let _ = writeln!(s, "\nRejected documents:\n");
        for d in rejected {
            let _ = writeln!(s, "- `{}`: {}", cell(&d.path), d.status);
        }
    }
    // Stages.
    let _ = writeln!(
        s,
        "\n## Pipeline\n\n| stage | code version | file | rows | blake3 |\n|---|---|---|---|---|"
    );
    for l in &input.locks {
        // A table stored in parts is one row: its directory, the sum of its parts' rows and
        // the BLAKE3 of their digests in path order.
        let mut shown_dirs = std::collections::BTreeSet::new();
        let parquet = || l.outputs.iter().filter(|o| o.path.ends_with(".parquet"));
        let dir_of = |path: &str| {
            let stem = path.strip_suffix(".parquet")?;
            l.parts
                .contains_key(stem)
                .then(|| stem.rsplit_once('/').map_or("", |(d, _)| d).to_string())
        };
        for o in parquet() {
            let (path, rows, digest) = match dir_of(&o.path) {
                None => (
                    format!("`{}`", o.path),
                    o.rows,
                    crate::digest::hex(&o.digest).to_string(),
                ),
                Some(dir) if shown_dirs.insert(dir.clone()) => {
                    let parts: Vec<_> = parquet()
                        .filter(|p| dir_of(&p.path).as_ref() == Some(&dir))
                        .collect();
                    let mut h = blake3::Hasher::new();
                    for p in &parts {
                        h.update(p.digest.as_bytes());
                        h.update(b"\n");
                    }
                    (
                        format!("`{dir}/*.parquet` ({} parts)", parts.len()),
                        parts.iter().map(|p| p.rows).sum(),
                        h.finalize().to_hex().to_string(),
                    )
                }
                Some(_) => continue,
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | `{}` |",
                l.stage,
                l.code_version,
                path,
                rows.map_or("-".into(), |r| r.to_string()),
                &digest[..16]
            );
        }
    }
    // Events.
    let mut events: Vec<&Event> = input.events.iter().collect();
    events.sort_by(|a, b| (a.event_date, &a.event_id).cmp(&(b.event_date, &b.event_id)));
    let _ = writeln!(s, "\n## Events\n\nFatalities are low-best-high over all victim groups; background events are recalled only as context in the articles.\n");
    let _ = writeln!(s, "| date | place | type | actors | fatalities | civilians | grade | sources | background |\n|---|---|---|---|---|---|---|---|---|");
    // A row per event, rendered on every core and written in order.
    let rows: Vec<String> = events
        .par_iter()
        .map(|ev| {
            let actors = [ev.actor1.as_deref(), ev.actor2.as_deref()]
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" vs ");
            format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                date_text(ev),
                cell(&place(ev)),
                cell(&ev.sub_event_type),
                cell(&actors),
                fig(ev.fatalities_low, ev.fatalities_best, ev.fatalities_high),
                fig(
                    ev.civilian_fatalities_low,
                    ev.civilian_fatalities_best,
                    ev.civilian_fatalities_high
                ),
                ev.grade,
                ev.n_sources,
                if ev.background { "yes" } else { "" }
            )
        })
        .collect();
    s.extend(rows);
    let _ = writeln!(
        s,
        "\n![Timeline of events](figures/timeline.svg)\n\n![Map of events](figures/map.svg)\n"
    );
    // Contested events.
    let claims: HashMap<&str, &Claim> = input
        .claims
        .iter()
        .map(|c| (c.claim_id.as_str(), c))
        .collect();
    let mut by_event: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for l in &input.event_claims {
        if let Some(c) = claims.get(l.claim_id.as_str()) {
            by_event.entry(l.event_id.as_str()).or_default().push(c);
        }
    }
    let _ = writeln!(s, "## Contested events\n");
    let contested: Vec<&&Event> = events.iter().filter(|e| e.contested).collect();
    if contested.is_empty() {
        let _ = writeln!(s, "None.\n");
    }
    // A section per contested event, rendered on every core and written in order.
    let sections: Vec<String> = contested
        .par_iter()
        .map(|ev| {
            let mut s = String::new();
            let _ = writeln!(
                s,
                "### {} at {} ({})\n\n{}\n",
                ev.sub_event_type,
                place(ev),
                date_text(ev),
                ev.notes
            );
            let mut cs = by_event
                .get(ev.event_id.as_str())
                .cloned()
                .unwrap_or_default();
            cs.sort_by(|a, b| {
                (&a.source_kind, &a.victim_group, &a.claim_id).cmp(&(
                    &b.source_kind,
                    &b.victim_group,
                    &b.claim_id,
                ))
            });
            let mut seen = BTreeSet::new();
            for c in cs.iter().filter(|c| c.parent_claim_id.is_none()) {
                if !seen.insert((
                    c.source_kind.clone(),
                    c.victim_group.clone(),
                    c.quote.clone(),
                )) {
                    continue;
                }
                let count = match (c.count_low, c.count_high) {
                    (Some(l), Some(h)) if l == h => l.to_string(),
                    (Some(l), None) => format!("{l}+"),
                    (None, Some(h)) => format!("up to {h}"),
                    (Some(l), Some(h)) => format!("{l}-{h}"),
                    _ => "no count".into(),
                };
                let _ = writeln!(
                    s,
                    "- **{}** ({}): {} {} {} ({}): \"{}\"",
                    cell(c.source_text.as_deref().unwrap_or("the article")),
                    c.source_kind,
                    count,
                    c.victim_group,
                    c.outcome,
                    c.stance,
                    cell(&c.quote)
                );
            }
            s.push('\n');
            s
        })
        .collect();
    s.extend(sections);
    // Data quality.
    let _ = writeln!(s, "## Data-quality warnings\n");
    let unresolved: BTreeSet<String> = input
        .claims
        .iter()
        .filter(|c| c.place_id.is_none())
        .map(|c| {
            c.location
                .clone()
                .unwrap_or_else(|| "(no place found)".into())
        })
        .collect();
    let undated = input
        .claims
        .iter()
        .filter(|c| c.event_date_start.is_none())
        .count();
    let linked: BTreeSet<&str> = input
        .event_documents
        .iter()
        .map(|l| l.doc_id.as_str())
        .collect();
    let mut silent: Vec<&str> = input
        .documents
        .iter()
        .filter(|d| d.status == "ok" && !linked.contains(d.doc_id.as_str()))
        .map(|d| d.path.as_str())
        .collect();
    silent.sort();
    let _ = writeln!(
        s,
        "- Claims whose place is not in the gazetteer: {} ({})",
        input.claims.iter().filter(|c| c.place_id.is_none()).count(),
        if unresolved.is_empty() {
            "none".to_string()
        } else {
            unresolved
                .iter()
                .map(|u| cell(u))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let _ = writeln!(s, "- Undated claims: {undated}");
    let _ = writeln!(
        s,
        "- Documents that yielded no event: {}{}",
        silent.len(),
        if silent.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                silent
                    .iter()
                    .map(|p| format!("`{}`", cell(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let inferred = input
        .documents
        .iter()
        .filter(|d| d.published_source.as_deref() == Some("inferred"))
        .count();
    let _ = writeln!(s, "- Publication dates inferred from the text: {inferred}");
    let _ = writeln!(
        s,
        "\n## Sources and licences\n\nPlaces from GeoNames (https://www.geonames.org, CC BY 4.0). Country outlines: Made with Natural Earth (public domain). Event typology after ACLED; fatality estimates after UCDP GED; evidence grades after Airwars."
    );
    s
}
