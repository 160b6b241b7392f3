//! Building one event of reconcile: its identity (dates, place, type, content id) from its
//! incidents, and its row, its claims' links, its documents and its reconciled counts from
//! its incidents and their claims, as docs/CODEBOOK.md defines them.

use super::*;
use crate::reference::gazetteer::Place;

/// The figures one statement gives: lower bound, point value, largest number.
fn figures(c: &Claim) -> Option<(i64, i64, i64)> {
    match c.qualifier.as_str() {
        "none" => None,
        "at_most" => {
            let h = c.count_high?;
            Some((0, h, h))
        }
        "range" => {
            let (l, h) = (c.count_low?, c.count_high?);
            Some((l, (l + h) / 2, h))
        }
        _ => {
            let l = c.count_low?;
            Some((l, l, c.count_high.unwrap_or(l)))
        }
    }
}

fn median_floor(mut v: Vec<i64>) -> Option<i64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]).div_euclid(2)),
    }
}

/// The identity of whoever made a statement, for source independence.
fn source_identity(c: &Claim) -> String {
    match (&c.source_actor, &c.source_text) {
        (Some(a), _) => format!("actor:{a}"),
        (None, Some(t)) => format!("{}:{}", c.source_kind, crate::reference::text::place_key(t)),
        (None, None) => c.source_kind.clone(),
    }
}

pub(super) fn statement_id(event_id: &str, c: &Claim) -> String {
    statement_id_of(event_id, &source_identity(c), c)
}

/// [`statement_id`] for a claim whose source identity is known.
fn statement_id_of(event_id: &str, source: &str, c: &Claim) -> String {
    let low = c.count_low.map(|v| v.to_string()).unwrap_or_default();
    let high = c.count_high.map(|v| v.to_string()).unwrap_or_default();
    short_id(&[
        event_id,
        source,
        &c.victim_group,
        &c.outcome,
        &low,
        &high,
        &c.qualifier,
        &c.stance,
    ])
}

#[derive(Default, Clone, Copy)]
struct Fig {
    low: Option<i64>,
    best: Option<i64>,
    high: Option<i64>,
}

fn add(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x + y),
        (x, None) => x,
        (None, y) => y,
    }
}

fn max(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn combine(a: Fig, b: Fig, f: fn(Option<i64>, Option<i64>) -> Option<i64>) -> Fig {
    Fig {
        low: f(a.low, b.low),
        best: f(a.best, b.best),
        high: f(a.high, b.high),
    }
}

fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(v, _)| v.to_string())
}

/// What an event is identified by, from its incidents alone: its dates, place and type, and
/// the content id made of them.
pub(super) struct Identity<'a> {
    event_date: Option<Date>,
    event_date_end: Option<Date>,
    place: Option<&'a Place>,
    where_prec: Option<i64>,
    location: Option<String>,
    iso3: Option<String>,
    event_type: String,
    sub_event_type: String,
    pub(super) content_id: String,
}

pub(super) fn identity<'a>(refs: &'a Reference, group: &[&Incident]) -> Identity<'a> {
    let dated: Vec<&&Incident> = group.iter().filter(|i| i.date_start.is_some()).collect();
    // Dates: the union of the spans given to the day or to a few days; else the most precise.
    let best_prec = dated.iter().filter_map(|i| i.date_prec).min();
    let cutoff = best_prec.map_or(0, |b| b.max(2));
    let precise: Vec<&&&Incident> = dated
        .iter()
        .filter(|i| i.date_prec.is_some_and(|p| p <= cutoff))
        .collect();
    let event_date = precise.iter().filter_map(|i| i.date_start).min();
    let event_date_end = precise
        .iter()
        .filter_map(|i| i.date_end.or(i.date_start))
        .max();
    // Place: the most precise resolved place; the name as the articles write it.
    let placed = group
        .iter()
        .filter(|i| i.place_id.is_some())
        .min_by_key(|i| (i.where_prec.unwrap_or(9), i.place_id.clone()));
    let place = placed
        .and_then(|i| i.place_id.as_deref())
        .and_then(|p| refs.gazetteer.place(p));
    let location = most_common(group.iter().filter_map(|i| i.location.as_deref()));
    let iso3 = place
        .map(|p| p.iso3.clone())
        .or_else(|| most_common(group.iter().filter_map(|i| i.iso3.as_deref())));
    // Type: a battle absorbs strikes inside it; otherwise the most frequent.
    let (event_type, sub_event_type) = if group.iter().any(|i| i.event_type == "Battles")
        && group.iter().any(|i| is_strike(&i.sub_event_type))
    {
        ("Battles".to_string(), "Armed clash".to_string())
    } else {
        let t = most_common(group.iter().map(|i| i.sub_event_type.as_str())).unwrap_or_default();
        let et = group
            .iter()
            .find(|i| i.sub_event_type == t)
            .map(|i| i.event_type.clone())
            .unwrap_or_default();
        (et, t)
    };
    let first_day = event_date.map(|d| d.to_string()).unwrap_or_default();
    let place_key = place
        .map(|p| p.place_id.clone())
        .or_else(|| location.clone())
        .unwrap_or_default();
    let content_id = short_id(&[
        iso3.as_deref().unwrap_or(""),
        &first_day,
        &place_key,
        &sub_event_type,
    ]);
    Identity {
        event_date,
        event_date_end,
        place,
        where_prec: placed.and_then(|i| i.where_prec),
        location,
        iso3,
        event_type,
        sub_event_type,
        content_id,
    }
}

/// Builds the event of `group` under `event_id` (its content id, or the id that tells it
/// apart from an earlier event with the same content) into `out`.
#[allow(clippy::too_many_arguments)]
pub(super) fn build_event(
    refs: &Reference,
    group: &[&Incident],
    identity: Identity<'_>,
    event_id: &str,
    claims: &[&Claim],
    docs: &HashMap<&str, &Document>,
    reasons: &BTreeMap<&str, String>,
    out: &mut Output,
) {
    let gaz = &refs.gazetteer;
    let Identity {
        event_date,
        event_date_end,
        place,
        where_prec,
        location,
        iso3,
        event_type,
        sub_event_type,
        content_id: _,
    } = identity;
    let date_prec = match (event_date, event_date_end) {
        (Some(a), Some(b)) => Some(match b.since(a).map(|s| s.get_days()).unwrap_or(0) {
            0 => 1,
            1..=5 => 2,
            6..=7 => 3,
            8..=31 => 4,
            _ => 5,
        }),
        _ => None,
    };
    let country = iso3
        .as_deref()
        .and_then(|c| gaz.country_by_iso3(c))
        .map(|c| c.name_en.clone());
    let actor_name = |id: &str| {
        refs.lexicon
            .actors
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
    };
    let actor1 =
        most_common(group.iter().filter_map(|i| i.actor1.as_deref())).and_then(|a| actor_name(&a));
    let mut actor2 =
        most_common(group.iter().filter_map(|i| i.actor2.as_deref())).and_then(|a| actor_name(&a));
    let event_id = event_id.to_string();
    // Statements and figures. Each claim's source identity and statement id are made once.
    let sources: Vec<String> = claims.iter().map(|c| source_identity(c)).collect();
    let statement_ids: Vec<String> = claims
        .iter()
        .zip(&sources)
        .map(|(c, source)| statement_id_of(&event_id, source, c))
        .collect();
    // Each statement by its first claim.
    let mut statements: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, id) in statement_ids.iter().enumerate() {
        statements.entry(id).or_insert(k);
    }
    let asserted_at: Vec<usize> = statements
        .into_values()
        .filter(|&k| claims[k].stance == "asserts")
        .collect();
    let asserted: Vec<&Claim> = asserted_at.iter().map(|&k| claims[k]).collect();
    let mut by_group: BTreeMap<(&str, &str), Vec<&Claim>> = BTreeMap::new();
    for c in &asserted {
        by_group
            .entry((c.victim_group.as_str(), c.outcome.as_str()))
            .or_default()
            .push(c);
    }
    let mut fig_of: BTreeMap<(&str, &str), Fig> = BTreeMap::new();
    for ((g, o), cs) in &by_group {
        let figs: Vec<(i64, i64, i64)> = cs.iter().filter_map(|c| figures(c)).collect();
        let fig = Fig {
            low: figs.iter().map(|f| f.0).min(),
            best: median_floor(figs.iter().map(|f| f.1).collect()),
            high: figs.iter().map(|f| f.2).max(),
        };
        fig_of.insert((g, o), fig);
        out.event_counts.push(EventCount {
            event_id: event_id.clone(),
            victim_group: g.to_string(),
            outcome: o.to_string(),
            low: fig.low,
            best: fig.best,
            high: fig.high,
            n_sources: cs.len() as i64,
        });
    }
    let killed = |g: &str| fig_of.get(&(g, "killed")).copied().unwrap_or_default();
    let kind_of = |g: &str| -> BTreeSet<&str> {
        by_group
            .get(&(g, "killed"))
            .map(|cs| cs.iter().map(|c| c.source_kind.as_str()).collect())
            .unwrap_or_default()
    };
    let civ_kinds = kind_of("civilians");
    let mil_kinds = kind_of("militants");
    let contested = !civ_kinds.is_empty() && !mil_kinds.is_empty() && civ_kinds != mil_kinds;
    // Subsets are never added to their parent; contested victims are not added to each other.
    let civ = {
        let parent = killed("civilians");
        let subsets = combine(killed("children"), killed("women"), add);
        if parent.low.is_some() || parent.best.is_some() || parent.high.is_some() {
            combine(parent, subsets, max)
        } else {
            subsets
        }
    };
    let mil = killed("militants");
    let cm = if contested {
        combine(civ, mil, max)
    } else {
        combine(civ, mil, add)
    };
    let total = combine(
        combine(cm, killed("security_forces"), add),
        killed("unknown"),
        max,
    );
    let civilian_harm = by_group
        .keys()
        .any(|(g, _)| matches!(*g, "civilians" | "children" | "women"));
    let combatants_only = !asserted.is_empty()
        && asserted
            .iter()
            .all(|c| matches!(c.victim_group.as_str(), "militants" | "security_forces"));
    let acting: BTreeSet<&str> = group.iter().filter_map(|i| i.actor1.as_deref()).collect();
    let admits = asserted.iter().any(|c| {
        c.source_actor
            .as_deref()
            .is_some_and(|a| acting.contains(a))
    });
    let n_sources = asserted_at
        .iter()
        .map(|&k| sources[k].as_str())
        .collect::<BTreeSet<_>>()
        .len() as i64;
    let grade = if contested {
        "contested"
    } else if combatants_only && !civilian_harm {
        "discounted"
    } else if admits {
        "confirmed"
    } else if n_sources >= 2 {
        "fair"
    } else {
        "weak"
    };
    let civilian_targeting =
        event_type == "Violence against civilians" || (civilian_harm && sub_event_type == "Attack");
    if civilian_harm && actor2.is_none() {
        actor2 = Some("Civilians".into());
    }
    let doc_ids: BTreeSet<&str> = group.iter().map(|i| i.doc_id.as_str()).collect();
    let first_reported = doc_ids
        .iter()
        .filter_map(|d| docs.get(d).and_then(|d| d.published))
        .min();
    let admin = place.map(|p| (p.admin1.clone(), p.admin2.clone()));
    let notes = note(
        &sub_event_type,
        location.as_deref(),
        admin.as_ref().map(|a| a.0.as_str()),
        country.as_deref(),
        event_date,
        event_date_end,
        &by_group,
        contested,
    );
    out.events.push(Event {
        event_id: event_id.clone(),
        event_date,
        event_date_end,
        date_prec,
        country,
        iso3,
        admin1: admin
            .as_ref()
            .map(|a| a.0.clone())
            .filter(|s| !s.is_empty()),
        admin2: admin
            .as_ref()
            .map(|a| a.1.clone())
            .filter(|s| !s.is_empty()),
        location,
        latitude: place.map(|p| p.latitude),
        longitude: place.map(|p| p.longitude),
        where_prec,
        event_type,
        sub_event_type,
        actor1,
        actor2,
        civilian_targeting,
        fatalities_low: total.low,
        fatalities_best: total.best,
        fatalities_high: total.high,
        civilian_fatalities_low: civ.low,
        civilian_fatalities_best: civ.best,
        civilian_fatalities_high: civ.high,
        n_claims: claims.len() as i64,
        n_documents: doc_ids.len() as i64,
        n_sources,
        grade: grade.into(),
        contested,
        background: group.iter().all(|i| i.background),
        notes,
        first_reported,
    });
    for (c, statement_id) in claims.iter().zip(statement_ids) {
        let reason = c
            .incident_id
            .as_deref()
            .and_then(|i| reasons.get(i))
            .cloned()
            .unwrap_or_default();
        out.event_claims.push(EventClaim {
            event_id: event_id.clone(),
            claim_id: c.claim_id.clone(),
            statement_id,
            merge_reason: format!(
                "claim of incident {}: {reason}",
                c.incident_id.as_deref().unwrap_or("")
            ),
            counted: c.stance == "asserts",
        });
    }
    // Per document, counted in one pass each: an event reported by hundreds of articles has
    // thousands of claims, and a scan of them per article was a tenth of the stage.
    let mut n_of: BTreeMap<&str, i64> = BTreeMap::new();
    for c in claims {
        *n_of.entry(c.doc_id.as_str()).or_default() += 1;
    }
    let mut reason_of: BTreeMap<&str, &String> = BTreeMap::new();
    for i in group {
        if let Some(r) = reasons.get(i.incident_id.as_str()) {
            reason_of
                .entry(i.doc_id.as_str())
                .and_modify(|m| *m = (*m).min(r))
                .or_insert(r);
        }
    }
    for d in doc_ids {
        out.event_documents.push(EventDocument {
            event_id: event_id.clone(),
            doc_id: d.to_string(),
            n_claims: n_of.get(d).copied().unwrap_or(0),
            merge_reason: reason_of.get(d).map(|r| r.to_string()).unwrap_or_default(),
        });
    }
}

fn group_words(g: &str) -> &'static str {
    match g {
        "civilians" => "civilians",
        "children" => "children",
        "women" => "women",
        "security_forces" => "members of the security forces",
        "militants" => "militants",
        _ => "people",
    }
}

#[allow(clippy::too_many_arguments)]
fn note(
    sub: &str,
    location: Option<&str>,
    admin1: Option<&str>,
    country: Option<&str>,
    start: Option<Date>,
    end: Option<Date>,
    by_group: &BTreeMap<(&str, &str), Vec<&Claim>>,
    contested: bool,
) -> String {
    let place = match (location, admin1.filter(|a| !a.is_empty()), country) {
        (Some(l), Some(a), Some(c)) => format!("{l} ({a}, {c})"),
        (Some(l), None, Some(c)) => format!("{l} ({c})"),
        (Some(l), _, None) => l.to_string(),
        (None, _, Some(c)) => c.to_string(),
        (None, _, None) => "an unresolved place".into(),
    };
    let when = match (start, end) {
        (Some(a), Some(b)) if a != b => format!("between {a} and {b}"),
        (Some(a), _) => format!("on {a}"),
        _ => "on an unknown date".into(),
    };
    let mut parts = Vec::new();
    for ((g, o), cs) in by_group {
        let figs: Vec<(i64, i64, i64)> = cs.iter().filter_map(|c| figures(c)).collect();
        let range = match (
            figs.iter().map(|f| f.0).min(),
            figs.iter().map(|f| f.2).max(),
        ) {
            (Some(l), Some(h)) if l == h => format!("{l}"),
            (Some(l), Some(h)) => format!("{l}-{h}"),
            _ => "an unknown number of".into(),
        };
        let n = cs.len();
        parts.push(format!(
            "{range} {} {o} per {n} independent source{}",
            group_words(g),
            if n == 1 { "" } else { "s" }
        ));
    }
    let body = if parts.is_empty() {
        "no casualty figure reported".to_string()
    } else {
        parts.join("; ")
    };
    format!(
        "{sub} at {place} {when}: {body}{}.",
        if contested { " (contested)" } else { "" }
    )
}
