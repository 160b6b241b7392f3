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

mod event;

use event::{build_event, identity, statement_id, Identity};

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

/// The grid cell a place (latitude, longitude) falls in.
fn home_cell((latitude, longitude): (f64, f64), cell: f64) -> (i64, i64) {
    (
        (latitude / cell).floor() as i64,
        (longitude / cell).floor() as i64,
    )
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
    // Each incident's gazetteer place, looked up once: it blocks the incident and measures
    // its distances.
    let places: Vec<Option<(f64, f64)>> = incidents
        .par_iter()
        .map(|i| {
            i.place_id
                .as_deref()
                .and_then(|p| refs.gazetteer.place(p))
                .map(|p| (p.latitude, p.longitude))
        })
        .collect();
    let homes: Vec<Option<(i64, i64)>> = places
        .iter()
        .map(|p| p.map(|p| home_cell(p, cell)))
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
    // An event's identity (its date, place and type, and the content id made of them) comes
    // from its incidents alone, and is made on every core; ids are then given in group order
    // (an event whose content id an earlier one took, as several undated events of one type
    // at one place do, gets the id that tells them apart), and each event is built once, on
    // every core, under its id.
    let build = |idx: &[usize], group: &[&Incident], identity: Identity<'_>, event_id: &str| {
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
        build_event(
            refs, group, identity, event_id, &claims, &docs, &reasons, &mut part,
        );
        part
    };
    // A slice of groups at a time, so that the events built and not yet taken stay few.
    let mut out = Output::default();
    let mut used_ids = BTreeSet::new();
    // Each incident's event, by its place in `out.events`.
    let mut event_of: HashMap<&str, usize> = HashMap::with_capacity(n);
    for slice in members.chunks(BUILD_SLICE) {
        let prepared: Vec<(Vec<&Incident>, Identity<'_>)> = slice
            .par_iter()
            .map(|idx| {
                let group: Vec<&Incident> = idx.iter().map(|&i| incidents[i]).collect();
                let identity = identity(refs, &group);
                (group, identity)
            })
            .collect();
        let ids: Vec<String> = slice
            .iter()
            .zip(&prepared)
            .map(|(idx, (_, identity))| {
                let content_id = &identity.content_id;
                if used_ids.insert(content_id.clone()) {
                    return content_id.clone();
                }
                // Two events with the same content key: disambiguate by their smallest
                // incident id.
                let smallest = idx
                    .iter()
                    .map(|&i| incidents[i].incident_id.as_str())
                    .min()
                    .unwrap_or("");
                let id = short_id(&[content_id, smallest]);
                used_ids.insert(id.clone());
                id
            })
            .collect();
        let built: Vec<Output> = slice
            .par_iter()
            .zip(prepared)
            .zip(&ids)
            .map(|((idx, (group, identity)), id)| build(idx, &group, identity, id))
            .collect();
        // Taken in group order, into tables sized for the slice once.
        let size = |rows: fn(&Output) -> usize| built.iter().map(rows).sum::<usize>();
        out.events.reserve(size(|p| p.events.len()));
        out.event_claims.reserve(size(|p| p.event_claims.len()));
        out.event_documents
            .reserve(size(|p| p.event_documents.len()));
        out.event_counts.reserve(size(|p| p.event_counts.len()));
        for (idx, mut part) in slice.iter().zip(built) {
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
    let event_index: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect();
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
