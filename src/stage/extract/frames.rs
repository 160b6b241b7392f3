//! Event frames: each sentence's trigger, place and date, and the merging of frames that
//! agree into an article's incidents (the frames a claim attaches to).

use super::*;

/// One sentence's view of an event: its trigger, place and date.
#[derive(Debug, Clone)]
pub(super) struct Frame {
    pub(super) sentence: usize,
    pub(super) paragraph: i64,
    pub(super) trigger: Option<usize>,
    pub(super) place: Option<FramePlace>,
    pub(super) date: Option<DateSpan>,
    pub(super) background: bool,
    pub(super) claims: Vec<usize>,
    pub(super) actors: Vec<usize>,
}

pub(super) fn best_trigger(refs: &Reference, w: &Work<'_>) -> Option<usize> {
    w.matches
        .iter()
        .filter_map(|m| match m.tag {
            Tag::Trigger(t) => Some(t),
            _ => None,
        })
        .max_by_key(|&t| (refs.lexicon.triggers[t].priority, std::cmp::Reverse(t)))
}

pub(super) fn event_places(w: &Work<'_>, resolved: &[Option<Resolved>]) -> Vec<usize> {
    let plain: Vec<usize> = (0..w.places.len())
        .filter(|&i| !w.places[i].source_place && !w.places[i].anchor && !w.places[i].admin_cue)
        .collect();
    let _ = resolved;
    if !plain.is_empty() {
        return plain;
    }
    // A cue with no subject ("à 40 km de Tillabéri"): the anchor, near it. Else a region.
    (0..w.places.len())
        .filter(|&i| resolved[i].is_some() && !w.places[i].source_place)
        .take(1)
        .collect()
}

pub(super) fn build_frames(
    refs: &Reference,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    anchor: &Anchor,
) -> Vec<Frame> {
    let _ = anchor;
    let mut frames = Vec::new();
    for (si, w) in work.iter().enumerate() {
        let trigger = best_trigger(refs, w);
        let actors: Vec<usize> = w
            .matches
            .iter()
            .filter_map(|m| match m.tag {
                Tag::Actor(a) => Some(a),
                _ => None,
            })
            .collect();
        if trigger.is_none() && w.claims.is_empty() {
            continue;
        }
        let event_dates: Vec<&DateSpan> = w.dates.iter().filter(|d| !d.statement).collect();
        let places = event_places(w, &resolved[si]);
        let base = Frame {
            sentence: si,
            paragraph: w.row.paragraph,
            trigger,
            place: None,
            date: None,
            background: false,
            claims: Vec::new(),
            actors,
        };
        let nearest_date = |pos: usize| {
            event_dates
                .iter()
                .min_by_key(|d| (d.start.abs_diff(pos), d.start))
                .map(|d| (*d).clone())
        };
        if places.is_empty() {
            let mut f = base;
            f.date = nearest_date(0);
            f.claims = (0..w.claims.len()).collect();
            frames.push(f);
            continue;
        }
        let mut fs: Vec<Frame> = places
            .iter()
            .map(|&pi| {
                let mut f = base.clone();
                let mut r = resolved[si][pi].clone();
                // "à 70 km à l'est de Tillabéri" with no place of its own: near the anchor.
                if w.places[pi].anchor {
                    if let Some(r) = r.as_mut() {
                        r.where_prec = r.where_prec.max(2);
                    }
                }
                let identity = match &r {
                    Some(r) if r.where_prec != 2 => refs.gazetteer.places[r.place].place_id.clone(),
                    _ => format!("name:{}", w.places[pi].key),
                };
                f.place = Some(FramePlace {
                    sentence: si,
                    mention: pi,
                    resolved: r,
                    identity,
                });
                f.date = nearest_date(w.places[pi].start);
                f
            })
            .collect();
        for (ci, c) in w.claims.iter().enumerate() {
            let nearest = places
                .iter()
                .enumerate()
                .min_by_key(|(_, &pi)| (w.places[pi].start.abs_diff(c.start), w.places[pi].start))
                .map_or(0, |(k, _)| k);
            fs[nearest].claims.push(ci);
        }
        frames.extend(fs);
    }
    // Undated frames take the event date of the previous, else next, sentence in the same
    // paragraph; a frame still undated whose sentence recalls the past ("avaient déjà tué")
    // is background.
    let dated: Vec<(usize, i64, DateSpan)> = work
        .iter()
        .enumerate()
        .filter_map(|(si, w)| {
            w.dates
                .iter()
                .find(|d| !d.statement)
                .map(|d| (si, w.row.paragraph, d.clone()))
        })
        .collect();
    for f in &mut frames {
        if f.date.is_some() {
            continue;
        }
        let prev = dated
            .iter()
            .filter(|(s, p, _)| *p == f.paragraph && *s < f.sentence && f.sentence - s <= 2)
            .max_by_key(|(s, _, _)| *s);
        let next = dated
            .iter()
            .filter(|(s, p, _)| *p == f.paragraph && *s > f.sentence && s - f.sentence <= 1)
            .min_by_key(|(s, _, _)| *s);
        // "Le même jour", "quelques heures plus tard": the date of the event reported just
        // before, in whatever paragraph.
        let same_day = || {
            work[f.sentence]
                .matches
                .iter()
                .any(|m| matches!(m.tag, Tag::SameDay))
                .then(|| {
                    dated
                        .iter()
                        .filter(|(s, _, _)| *s < f.sentence)
                        .max_by_key(|(s, _, _)| *s)
                })
                .flatten()
        };
        f.date = prev.or(next).or_else(same_day).map(|(_, _, d)| d.clone());
        if f.date.is_none() && work[f.sentence].recall {
            f.background = true;
        }
    }
    frames
}

/// An incident being assembled from frames.
#[derive(Debug, Clone)]
pub(super) struct Building {
    pub(super) frames: Vec<usize>,
    pub(super) trigger: Option<usize>,
    pub(super) place: Option<FramePlace>,
    pub(super) date: Option<DateSpan>,
    pub(super) background: bool,
}

/// Where a frame happened: a mention, its gazetteer entry if any, and an identity that two
/// frames must share to be one incident.
#[derive(Debug, Clone)]
pub(super) struct FramePlace {
    pub(super) sentence: usize,
    pub(super) mention: usize,
    pub(super) resolved: Option<Resolved>,
    pub(super) identity: String,
}

pub(super) fn dates_overlap(a: &DateSpan, b: &DateSpan, tolerance: i64) -> bool {
    let ok = |x: Date, y: Date| x.checked_add(tolerance.days()).is_ok_and(|x| x >= y);
    ok(a.last, b.first) && ok(b.last, a.first)
}

pub(super) fn merge_frames(refs: &Reference, frames: &[Frame], anchor: &Anchor) -> Vec<Building> {
    let _ = anchor;
    let priority = |t: usize| refs.lexicon.triggers[t].priority;
    let mut incidents: Vec<Building> = Vec::new();
    // When each incident was last reported: a frame without a place joins the incident the
    // text was last talking about, not the last one opened.
    let mut touched: Vec<usize> = Vec::new();
    let generic =
        |t: Option<usize>| t.is_none_or(|t| refs.lexicon.triggers[t].event_type == "Attack");
    let gaz = &refs.gazetteer;
    let contains = |outer: &FramePlace, inner: &FramePlace| -> bool {
        let (Some(o), Some(i)) = (&outer.resolved, &inner.resolved) else {
            return false;
        };
        let (po, pi) = (&gaz.places[o.place], &gaz.places[i.place]);
        // The outer mention names the unit itself and the inner one a place of its own, not
        // a place known only as near an anchor.
        if o.where_prec < 3 || o.where_prec != po.where_prec() || i.where_prec != 1 {
            return false;
        }
        let within = match po.feature_code.as_str() {
            "ADM1" => !po.admin1.is_empty() && po.admin1 == pi.admin1,
            "ADM2" | "ADM3" => {
                !po.admin2.is_empty() && po.admin1 == pi.admin1 && po.admin2 == pi.admin2
            }
            _ => false,
        };
        within && po.iso3 == pi.iso3 && i.where_prec < o.where_prec
    };
    for (fi, f) in frames.iter().enumerate() {
        let compatible = |b: &Building| -> bool {
            if b.background != f.background {
                return false;
            }
            // A region or district ("dans la région de Mopti") is the same place as a town
            // inside it, for an incident of the same type.
            let (same_place, contained) = match (&b.place, &f.place) {
                (Some(x), Some(y)) if x.identity == y.identity => (true, false),
                (Some(x), Some(y)) => {
                    let inside = contains(x, y) || contains(y, x);
                    (inside, inside)
                }
                _ => (true, false),
            };
            if !same_place {
                return false;
            }
            let both_placed = b.place.is_some() && f.place.is_some();
            let same_type = match (b.trigger, f.trigger) {
                (Some(x), Some(y)) => {
                    x == y
                        || refs.lexicon.triggers[x].sub_event_type
                            == refs.lexicon.triggers[y].sub_event_type
                        || generic(Some(x))
                        || generic(Some(y))
                }
                _ => true,
            };
            let dates_ok = match (&b.date, &f.date) {
                (Some(x), Some(y)) => {
                    dates_overlap(x, y, if both_placed && same_type { 3 } else { 1 })
                }
                _ => true,
            };
            dates_ok && (same_type || (both_placed && !contained))
        };
        // A frame with neither place nor date ("Ces sources dénoncent un massacre") goes on
        // about the incident just reported, whatever word it uses for it.
        let direct = (0..incidents.len())
            .filter(|&i| compatible(&incidents[i]))
            .max_by_key(|&i| touched[i]);
        let target = direct.or_else(|| {
            // Weapon-specific triggers (drone strike, shelling, mine) name an event of their
            // own; words like "massacre" or "attaque" characterise the one being reported.
            let specific = f.trigger.is_some_and(|t| priority(t) >= 85);
            (f.place.is_none() && f.date.is_none() && !specific)
                .then(|| {
                    (0..incidents.len())
                        .filter(|&i| incidents[i].background == f.background)
                        .max_by_key(|&i| touched[i])
                })
                .flatten()
        });
        match target {
            Some(i) => {
                touched[i] = fi + 1;
                let b = &mut incidents[i];
                b.frames.push(fi);
                let finer = match (&b.place, &f.place) {
                    (None, _) => true,
                    (Some(x), Some(y)) => contains(x, y),
                    _ => false,
                };
                if finer {
                    b.place = f.place.clone();
                }
                if b.date.is_none() {
                    b.date = f.date.clone();
                }
                b.trigger = match (b.trigger, f.trigger.filter(|_| direct.is_some())) {
                    (Some(x), Some(y)) => Some(if priority(y) > priority(x) { y } else { x }),
                    (x, None) => x,
                    (None, y) => y,
                };
            }
            None => {
                touched.push(fi + 1);
                incidents.push(Building {
                    frames: vec![fi],
                    trigger: f.trigger,
                    place: f.place.clone(),
                    date: f.date.clone(),
                    background: f.background,
                })
            }
        }
    }
    let _ = frames;
    incidents
}
