//! Ground truth: the rows of `truth.jsonl` (`TDoc`, `TEvent`, `TClaim`) and how they are built from
//! what an article states; every claim is tied to the sentence that states it.

use jiff::civil::Date;
use serde::Serialize;

use crate::counts::{Count, Out};
use crate::event::{Fig, Kind};
use crate::french::days_between;
use crate::geo::Gaz;
use crate::sources::Src;
use crate::writer::{Loc, When};

#[derive(Serialize, Clone)]
pub(crate) struct TClaim {
    pub(crate) victim_group: &'static str,
    pub(crate) outcome: &'static str,
    pub(crate) low: Option<i64>,
    high: Option<i64>,
    qualifier: &'static str,
    source_kind: &'static str,
    source: String,
    pub(crate) quote: String,
}

#[derive(Serialize)]
pub(crate) struct TEvent {
    event_type: &'static str,
    sub_event_type: &'static str,
    date: Option<String>,
    date_end: Option<String>,
    place: String,
    place_name: String,
    place_id: String,
    where_prec: u8,
    iso3: &'static str,
    admin1: String,
    background: bool,
    pub(crate) claims: Vec<TClaim>,
}

#[derive(Serialize)]
pub(crate) struct TDoc {
    pub(crate) file: String,
    pub(crate) publisher: &'static str,
    pub(crate) published: String,
    pub(crate) story: u64,
    pub(crate) events: Vec<TEvent>,
}

pub(crate) fn tc(group: &'static str, out: Out, c: &Count, src: &Src) -> TClaim {
    TClaim {
        victim_group: group,
        outcome: out.code(),
        low: c.low,
        high: c.high,
        qualifier: c.qual,
        source_kind: src.kind,
        source: src.text.clone(),
        quote: String::new(),
    }
}

/// The claims a figure yields: itself and its subset.
pub(crate) fn fig_claims(f: &Fig, src: &Src) -> Vec<TClaim> {
    let mut v = vec![tc(f.noun.group, f.out, &f.c, src)];
    if let Some((n, c)) = &f.subset {
        v.push(tc(n.group, f.out, c, src));
    }
    v
}

/// Codebook rule: an incident whose date ends more than 10 days before the (day-precise)
/// publication date is background.
pub(crate) fn old_news(w: &When, pubd: Date) -> bool {
    days_between(w.end, pubd) > 10
}

pub(crate) fn tev(
    gaz: &Gaz,
    ev_kind: Kind,
    loc: &Loc,
    w: Option<&When>,
    background: bool,
    civ: bool,
) -> TEvent {
    let p = &gaz.places[loc.place];
    let (et, st) = ev_kind.types(civ);
    TEvent {
        event_type: et,
        sub_event_type: st,
        date: w.map(|w| w.start.to_string()),
        date_end: w.map(|w| w.end.to_string()),
        place: loc.name.clone(),
        place_name: p.name.clone(),
        place_id: p.id.clone(),
        where_prec: loc.wprec,
        iso3: p.cty.info().iso3,
        admin1: p.admin1.clone(),
        background,
        claims: Vec::new(),
    }
}
