//! reconcile: the incidents and claims of every article -> `events`, `event_claims`,
//! `event_documents`, `event_counts`.
//!
//! Incidents (one per reported event per article) are grouped into events when their places
//! agree (same gazetteer id, or within `max_distance_km`), their date spans overlap within
//! `date_tolerance_days`, and their types are compatible (same sub-event type, or an air or
//! shelling strike inside a battle's span). Candidate pairs come from blocks of (country,
//! place cell), so the cost grows with the number of incidents per block, not with the corpus
//! squared. Claims that repeat one statement (same source, same figures) count once. Event ids
//! are digests of the event's content; nothing depends on input order.

use std::collections::{BTreeMap, BTreeSet};

// Maps looked up by id or block key, never iterated in an order that reaches an output (the
// blocks' pairs are sorted): aHash rather than SipHash, which is keyed against flooding.
use ahash::AHashMap as HashMap;

use jiff::civil::Date;
use jiff::ToSpan;
use rayon::prelude::*;

use crate::config::ReconcileConfig;
use crate::digest::short_id;
use crate::reference::gazetteer::distance_km;
use crate::reference::Reference;
use crate::table::{Claim, Document, Event, EventClaim, EventCount, EventDocument, Incident};

pub const LOGIC_VERSION: u32 = 2;

/// Events built at once on every core before they are taken in order.
const BUILD_SLICE: usize = 8192;

pub struct Input {
    pub documents: Vec<Document>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
}

#[derive(Default)]
pub struct Output {
    pub events: Vec<Event>,
    pub event_claims: Vec<EventClaim>,
    pub event_documents: Vec<EventDocument>,
    pub event_counts: Vec<EventCount>,
}

/// Union-find over incident indices; the representative is the smallest index, so the result
/// does not depend on the order in which pairs are merged.
struct Groups {
    parent: Vec<usize>,
    reason: Vec<Option<String>>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n).collect(),
            reason: vec![None; n],
        }
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.parent[r] != r {
            r = self.parent[r];
        }
        let mut y = x;
        while self.parent[y] != r {
            let next = self.parent[y];
            self.parent[y] = r;
            y = next;
        }
        r
    }
    /// Joins the groups of `a` and `b`; `why` is formatted only when it is recorded.
    fn union(&mut self, a: usize, b: usize, why: std::fmt::Arguments<'_>) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (keep, drop) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[drop] = keep;
        let j = a.max(b);
        if self.reason[j].is_none() {
            self.reason[j] = Some(std::fmt::format(why));
        }
    }
}

fn span(i: &Incident) -> Option<(Date, Date)> {
    Some((i.date_start?, i.date_end.or(i.date_start)?))
}

fn overlap(a: (Date, Date), b: (Date, Date), tolerance: i64) -> bool {
    let ok = |x: Date, y: Date| x.checked_add(tolerance.days()).is_ok_and(|x| x >= y);
    ok(a.1, b.0) && ok(b.1, a.0)
}

fn is_strike(sub: &str) -> bool {
    matches!(
        sub,
        "Air/drone strike" | "Shelling/artillery/missile attack"
    )
}

/// Whether two incidents' types can be one event, and why.
fn types_compatible(a: &Incident, b: &Incident) -> Option<&'static str> {
    if a.sub_event_type == b.sub_event_type {
        return Some("same sub-event type");
    }
    let battle_strike = (a.event_type == "Battles" && is_strike(&b.sub_event_type))
        || (b.event_type == "Battles" && is_strike(&a.sub_event_type));
    battle_strike.then_some("strike inside a battle")
}

/// A blocking key: a country and a grid cell about twice `max_distance_km` wide, or a country
/// and a written place name.
#[derive(PartialEq, Eq, Hash)]
enum Block<'a> {
    Cell(&'a str, i64, i64),
    Name(&'a str, &'a str),
}

/// The grid cell an incident's gazetteer place falls in, if it has one.
fn home_cell(i: &Incident, refs: &Reference, cell: f64) -> Option<(i64, i64)> {
    let p = refs.gazetteer.place(i.place_id.as_deref()?)?;
    Some((
        (p.latitude / cell).floor() as i64,
        (p.longitude / cell).floor() as i64,
    ))
}

/// An incident's blocks (it is in `country`, at the place written `name`): the 3 x 3 cells
/// around its home cell, or the written name when it has no cell.
fn block_keys<'a>(country: &'a str, name: &'a str, home: Option<(i64, i64)>) -> Vec<Block<'a>> {
    match home {
        Some((cx, cy)) => {
            let mut keys = Vec::new();
            for dx in -1..=1 {
                for dy in -1..=1 {
                    keys.push(Block::Cell(country, cx + dx, cy + dy));
                }
            }
            keys
        }
        None => vec![Block::Name(country, name)],
    }
}

/// Whether `block` is the one block in which the pair of incidents with home cells `a` and
/// `b` is swept. Two incidents whose cells are at most two apart on each axis share the
/// cells from the larger coordinate minus one to the smaller plus one (up to nine blocks);
/// the pair is taken in the first of them alone, so that no pair is made twice.
fn sweeps_pair(block: &Block<'_>, a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> bool {
    match (block, a, b) {
        (Block::Cell(_, x, y), Some(a), Some(b)) => {
            (*x, *y) == (a.0.max(b.0) - 1, a.1.max(b.1) - 1)
        }
        // An incident without a cell is in its name's block alone.
        _ => true,
    }
}

/// Runs the stage.
pub fn run(cfg: &ReconcileConfig, refs: &Reference, input: &Input) -> Output {
    let mut incidents: Vec<&Incident> = input.incidents.iter().collect();
    incidents.par_sort_by(|a, b| a.incident_id.cmp(&b.incident_id));
    let n = incidents.len();
    let mut groups = Groups::new(n);
    // Blocking: only incidents sharing a block are compared.
    let cell = (cfg.max_distance_km / 111.0).max(0.05) * 2.0;
    let homes: Vec<Option<(i64, i64)>> = incidents
        .par_iter()
        .map(|i| home_cell(i, refs, cell))
        .collect();
    // Looked up by hash: only the set of pairs the blocks give matters, not their order.
    let mut blocks: HashMap<Block<'_>, Vec<usize>> = HashMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        let country = inc.iso3.as_deref().unwrap_or_default();
        let name = inc.location.as_deref().unwrap_or_default();
        for k in block_keys(country, name, homes[i]) {
            blocks.entry(k).or_default().push(i);
        }
    }
    let name_keys: Vec<String> = incidents
        .par_iter()
        .map(|i| crate::reference::text::place_key(i.location.as_deref().unwrap_or("")))
        .collect();
    // Within a block, a sweep over incidents sorted by first day pairs only those whose date
    // spans can overlap, so a town reported every week for years costs its overlaps, not the
    // square of its incidents. Blocks are swept on every core; neighbouring blocks share
    // incidents, and each pair is taken in one of the blocks it shares (a pair in one cell
    // was made nine times and sorted away: 13.6 million pairs for 2.3 million at 100k
    // articles).
    let tolerance = cfg.date_tolerance_days;
    let mut pairs: Vec<(usize, usize)> = blocks
        .par_iter()
        .flat_map_iter(|(block, members)| {
            let mut dated: Vec<(Date, Date, usize)> = members
                .iter()
                .filter_map(|&i| span(incidents[i]).map(|(s, e)| (s, e, i)))
                .collect();
            dated.sort();
            let mut found = Vec::new();
            for (x, &(_, end_a, a)) in dated.iter().enumerate() {
                let reach = end_a.checked_add(tolerance.days()).unwrap_or(end_a);
                for &(start_b, _, b) in &dated[x + 1..] {
                    if start_b > reach {
                        break;
                    }
                    if sweeps_pair(block, homes[a], homes[b]) {
                        found.push((a.min(b), a.max(b)));
                    }
                }
            }
            found
        })
        .collect();
    // In pair order, each pair once.
    pairs.par_sort_unstable();
    pairs.dedup();
    // Dated pairs first; undated incidents join only a single compatible event afterwards.
    // Whether a pair is one event depends on the pair alone, so it is decided on every core;
    // the unions are then made in pair order, which decides the reasons recorded. Decided a
    // slice of pairs at a time, so that the verdicts never take more memory than the pairs.
    let places: Vec<Option<(f64, f64)>> = incidents
        .par_iter()
        .map(|i| {
            i.place_id
                .as_deref()
                .and_then(|p| refs.gazetteer.place(p))
                .map(|p| (p.latitude, p.longitude))
        })
        .collect();
    let verdict = |a: usize, b: usize| -> Option<(&'static str, &'static str)> {
        let (ia, ib) = (incidents[a], incidents[b]);
        // A place known only as "near an anchor" is identified by its written name too.
        let loose = ia.where_prec == Some(2) || ib.where_prec == Some(2);
        let same_name = name_keys[a] == name_keys[b];
        let place_why = match (&ia.place_id, &ib.place_id) {
            (Some(_), Some(_)) if loose && !same_name => None,
            (Some(x), Some(y)) if x == y => Some("same place"),
            (Some(_), Some(_)) => match (places[a], places[b]) {
                (Some(p), Some(q)) if distance_km(p, q) <= cfg.max_distance_km => {
                    Some("nearby place")
                }
                _ => None,
            },
            (None, None) if ia.location.is_some() && ia.location == ib.location => {
                Some("same location name")
            }
            _ => None,
        }?;
        let type_why = types_compatible(ia, ib)?;
        let (sa, sb) = (span(ia)?, span(ib)?);
        overlap(sa, sb, tolerance).then_some((place_why, type_why))
    };
    for slice in pairs.chunks(1 << 20) {
        let verdicts: Vec<Option<(&str, &str)>> =
            slice.par_iter().map(|&(a, b)| verdict(a, b)).collect();
        for (&(a, b), v) in slice.iter().zip(verdicts) {
            if let Some((place_why, type_why)) = v {
                groups.union(
                    a,
                    b,
                    format_args!("{place_why}, overlapping dates, {type_why}"),
                );
            }
        }
    }
    // Looked up, never iterated; each list in incident order.
    let mut by_place: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        if let Some(p) = inc.place_id.as_deref() {
            by_place.entry(p).or_default().push(i);
        }
    }
    for a in 0..n {
        let ia = incidents[a];
        if span(ia).is_some() {
            continue;
        }
        let Some(at) = ia.place_id.as_deref().and_then(|p| by_place.get(p)) else {
            continue;
        };
        // Stop at the second distinct event: then the incident is ambiguous and stays apart.
        let mut target = None;
        let mut ambiguous = false;
        for &other in at {
            if other == a || types_compatible(ia, incidents[other]).is_none() {
                continue;
            }
            let root = groups.find(other);
            match target {
                None => target = Some(root),
                Some(t) if t != root => {
                    ambiguous = true;
                    break;
                }
                Some(_) => {}
            }
        }
        if let (Some(t), false) = (target, ambiguous) {
            groups.union(
                a,
                t,
                format_args!("undated, only compatible event at the same place"),
            );
        }
    }
    // Each group's incidents under its representative (its smallest index), groups in the
    // order of their representatives.
    let mut at_root: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = groups.find(i);
        at_root[r].push(i);
    }
    let members: Vec<Vec<usize>> = at_root.into_iter().filter(|m| !m.is_empty()).collect();
    let docs: HashMap<&str, &Document> = input
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), d))
        .collect();
    let mut claims_by_incident: HashMap<&str, Vec<&Claim>> = HashMap::new();
    for c in &input.claims {
        if let Some(i) = &c.incident_id {
            claims_by_incident.entry(i.as_str()).or_default().push(c);
        }
    }
    // Each event is built on its own, on every core. Ids are then given in group order: an
    // event whose content id an earlier event already took (several undated events of one
    // type at one place) is built again, on every core too, under the id that tells them
    // apart.
    let build = |idx: &[usize], id: Option<&str>| -> (Output, String) {
        let group: Vec<&Incident> = idx.iter().map(|&i| incidents[i]).collect();
        let reasons: BTreeMap<&str, String> = idx
            .iter()
            .map(|&i| {
                (
                    incidents[i].incident_id.as_str(),
                    groups.reason[i]
                        .clone()
                        .unwrap_or_else(|| "first incident of the event".into()),
                )
            })
            .collect();
        let claims: Vec<&Claim> = group
            .iter()
            .flat_map(|i| {
                claims_by_incident
                    .get(i.incident_id.as_str())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let mut part = Output::default();
        let content_id = build_event(refs, &group, &claims, &docs, &reasons, id, &mut part);
        (part, content_id)
    };
    // A slice of groups at a time, so that the events built and not yet taken stay few.
    let mut out = Output::default();
    let mut used_ids = BTreeSet::new();
    // Each incident's event, by its place in `out.events`.
    let mut event_of: HashMap<&str, usize> = HashMap::with_capacity(n);
    for (first, slice) in (0..).step_by(BUILD_SLICE).zip(members.chunks(BUILD_SLICE)) {
        let mut built: Vec<(Output, String)> =
            slice.par_iter().map(|idx| build(idx, None)).collect();
        let mut renamed: Vec<(usize, String)> = Vec::new();
        for (g, (idx, (_, content_id))) in slice.iter().zip(&built).enumerate() {
            if !used_ids.insert(content_id.clone()) {
                // Two events with the same content key: disambiguate by their smallest
                // incident id.
                let smallest = idx
                    .iter()
                    .map(|&i| incidents[i].incident_id.as_str())
                    .min()
                    .unwrap_or("");
                let id = short_id(&[content_id, smallest]);
                used_ids.insert(id.clone());
                renamed.push((g, id));
            }
        }
        let rebuilt: Vec<(usize, Output)> = renamed
            .par_iter()
            .map(|(g, id)| (*g, build(&members[first + g], Some(id)).0))
            .collect();
        for (g, part) in rebuilt {
            built[g].0 = part;
        }
        // Taken in group order, into tables sized for the slice once.
        let size = |rows: fn(&Output) -> usize| built.iter().map(|(p, _)| rows(p)).sum::<usize>();
        out.events.reserve(size(|p| p.events.len()));
        out.event_claims.reserve(size(|p| p.event_claims.len()));
        out.event_documents
            .reserve(size(|p| p.event_documents.len()));
        out.event_counts.reserve(size(|p| p.event_counts.len()));
        for (idx, (mut part, _)) in slice.iter().zip(built) {
            // build_event makes exactly one event.
            for &i in idx {
                event_of.insert(incidents[i].incident_id.as_str(), out.events.len());
            }
            out.events.append(&mut part.events);
            out.event_claims.append(&mut part.event_claims);
            out.event_documents.append(&mut part.event_documents);
            out.event_counts.append(&mut part.event_counts);
        }
    }
    link_combined_tolls(&input.claims, &event_of, &mut out);
    out
}

/// Where each row is, by a key of it.
fn position_by<T, K: Ord>(rows: &[T], key: impl Fn(&T) -> K) -> BTreeMap<K, usize> {
    rows.iter().enumerate().map(|(i, r)| (key(r), i)).collect()
}

/// A toll given for several attacks at once ("ces deux attaques ont fait 49 morts") is
/// counted in the event of its own incident and linked, not counted, to the events of the
/// other incidents it covers; both links and both events' notes say so.
fn link_combined_tolls(claims: &[Claim], event_of: &HashMap<&str, usize>, out: &mut Output) {
    if claims.iter().all(|c| c.also_incident_ids.is_none()) {
        return;
    }
    // The events' ids, apart from the tables amended below.
    let ids: Vec<String> = out.events.iter().map(|e| e.event_id.clone()).collect();
    let event_of = |incident: &str| event_of.get(incident).map(|&k| ids[k].as_str());
    // (claim, event it is counted in) -> the other events it covers.
    let mut covers: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    let mut claim_by_id: BTreeMap<&str, &Claim> = BTreeMap::new();
    for c in claims {
        let (Some(own), Some(also)) = (c.incident_id.as_deref(), c.also_incident_ids.as_deref())
        else {
            continue;
        };
        let Some(home) = event_of(own) else {
            continue;
        };
        for other in also.split('|').filter_map(event_of) {
            if other != home {
                covers
                    .entry((c.claim_id.as_str(), home))
                    .or_default()
                    .insert(other);
                claim_by_id.insert(c.claim_id.as_str(), c);
            }
        }
    }
    if covers.is_empty() {
        return;
    }
    let event_index = position_by(&out.events, |e| e.event_id.clone());
    let link_index = position_by(&out.event_claims, |l| {
        (l.event_id.clone(), l.claim_id.clone())
    });
    let document_index = position_by(&out.event_documents, |d| {
        (d.event_id.clone(), d.doc_id.clone())
    });
    let mut home_notes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut other_notes: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for ((claim_id, home), others) in &covers {
        let c = claim_by_id[claim_id];
        let list = others.iter().copied().collect::<Vec<_>>().join(", ");
        if let Some(&li) = link_index.get(&(home.to_string(), claim_id.to_string())) {
            out.event_claims[li]
                .merge_reason
                .push_str(&format!("; a combined toll that also covers event {list}"));
        }
        for other in others {
            out.event_claims.push(EventClaim {
                event_id: other.to_string(),
                claim_id: claim_id.to_string(),
                statement_id: statement_id(other, c),
                merge_reason: format!(
                    "combined toll of incident {} covering this event: counted in event {home}",
                    c.incident_id.as_deref().unwrap_or("")
                ),
                counted: false,
            });
            if let Some(&ei) = event_index.get(*other) {
                out.events[ei].n_claims += 1;
            }
            if let Some(&di) = document_index.get(&(other.to_string(), c.doc_id.clone())) {
                out.event_documents[di].n_claims += 1;
            }
            home_notes.entry(home).or_default().insert(other);
            other_notes.entry(other).or_default().insert(home);
        }
    }
    let mut amend = |event: &str, related: BTreeSet<&str>, clause: &str| {
        if let Some(&ei) = event_index.get(event) {
            let list = related.into_iter().collect::<Vec<_>>().join(", ");
            let note = &mut out.events[ei].notes;
            let base = note.strip_suffix('.').unwrap_or(note).to_string();
            *note = format!("{base}; {clause} {list}.");
        }
    };
    for (home, others) in home_notes {
        amend(
            home,
            others,
            "the figures include a combined toll that also covers event",
        );
    }
    for (other, homes) in other_notes {
        amend(
            other,
            homes,
            "a combined toll covering this event is counted in event",
        );
    }
}

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

fn statement_id(event_id: &str, c: &Claim) -> String {
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

fn build_event(
    refs: &Reference,
    group: &[&Incident],
    claims: &[&Claim],
    docs: &HashMap<&str, &Document>,
    reasons: &BTreeMap<&str, String>,
    id: Option<&str>,
    out: &mut Output,
) -> String {
    let gaz = &refs.gazetteer;
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
    // Place: the most precise resolved place; the name as the articles write it.
    let placed = group
        .iter()
        .filter(|i| i.place_id.is_some())
        .min_by_key(|i| (i.where_prec.unwrap_or(9), i.place_id.clone()));
    let place = placed
        .and_then(|i| i.place_id.as_deref())
        .and_then(|p| gaz.place(p));
    let location = most_common(group.iter().filter_map(|i| i.location.as_deref()));
    let iso3 = place
        .map(|p| p.iso3.clone())
        .or_else(|| most_common(group.iter().filter_map(|i| i.iso3.as_deref())));
    let country = iso3
        .as_deref()
        .and_then(|c| gaz.country_by_iso3(c))
        .map(|c| c.name_en.clone());
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
    let first_day = event_date.map(|d| d.to_string()).unwrap_or_default();
    let place_key = place
        .map(|p| p.place_id.clone())
        .or_else(|| location.clone())
        .unwrap_or_default();
    // The id from the event's content, returned; the event takes `id` instead when given (the
    // content id was taken by another event).
    let content_id = short_id(&[
        iso3.as_deref().unwrap_or(""),
        &first_day,
        &place_key,
        &sub_event_type,
    ]);
    let event_id = id.map_or_else(|| content_id.clone(), str::to_string);
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
        where_prec: placed.and_then(|i| i.where_prec),
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
    content_id
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_of_cells_is_swept_in_exactly_one_block_it_shares() {
        // Home cells up to three apart: those two or fewer apart on both axes share blocks
        // and must be swept once, in one of them; the others share none.
        for (ax, ay, bx, by) in (0..4).flat_map(|bx| (-3..4).map(move |by| (0, 0, bx, by))) {
            let (a, b) = (Some((ax, ay)), Some((bx, by)));
            let blocks_a = block_keys("MLI", "", a);
            let shared: Vec<Block<'_>> = block_keys("MLI", "", b)
                .into_iter()
                .filter(|k| blocks_a.contains(k))
                .collect();
            let swept = shared.iter().filter(|k| sweeps_pair(k, a, b)).count();
            let near = (ax - bx) * (ax - bx) <= 4 && (ay - by) * (ay - by) <= 4;
            assert_eq!(shared.is_empty(), !near, "{a:?} {b:?}");
            assert_eq!(
                swept,
                usize::from(near),
                "{a:?} {b:?}: swept in {swept} blocks"
            );
            // The same block for the pair either way round.
            let back = shared.iter().filter(|k| sweeps_pair(k, b, a)).count();
            assert_eq!(back, swept);
        }
    }
}
