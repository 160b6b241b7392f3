//! Rows out of an article's frames and incidents: the `incidents`, `claims` and `mentions`
//! rows of one document, claims attached to their incident, with their sources and spans.

use std::borrow::Cow;

use super::*;

pub(super) const PARTIES: [&str; 5] = [
    "state",
    "state_ally",
    "armed_group",
    "communal_militia",
    "government",
];

#[allow(clippy::too_many_arguments)]
pub(super) fn emit(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    frames_all: &[Frame],
    incidents: &[Building],
    doc_country: Option<&str>,
    out: &mut DocExtract,
) {
    let lex = &refs.lexicon;
    let gaz = &refs.gazetteer;
    // Which incident each claim belongs to.
    let frame_list = build_frame_index(frames_all, incidents);
    let published = doc.published;
    // An incident the article does not place ("sur la localité") is where the article's
    // previous placed incident was, else its first placed one.
    let placed: Vec<(usize, &FramePlace)> = incidents
        .iter()
        .filter_map(|b| b.place.as_ref().map(|p| (frame_list.first_sentence(b), p)))
        .collect();
    let last_place_before = |si: usize| -> Option<(String, Option<Resolved>)> {
        placed
            .iter()
            .filter(|(s, _)| *s <= si)
            .max_by_key(|(s, _)| *s)
            .or_else(|| placed.iter().min_by_key(|(s, _)| *s))
            .map(|(_, fp)| {
                (
                    work[fp.sentence].places[fp.mention].surface.clone(),
                    fp.resolved.clone(),
                )
            })
    };
    let is_old = |b: &Building| match (&b.date, published) {
        (Some(d), Some(p)) => p
            .checked_sub(10.days())
            .is_ok_and(|limit| d.last < limit && doc.published_prec == Some(1)),
        _ => false,
    };
    let any_recent = incidents
        .iter()
        .any(|b| !b.background && b.date.is_some() && !is_old(b));
    let mut incident_rows: Vec<Option<Incident>> = Vec::new();
    let mut id_twins: BTreeMap<String, u32> = BTreeMap::new();
    for b in incidents {
        let first = frame_list.first_sentence(b);
        let (location, place) = match &b.place {
            Some(fp) => (
                Some(work[fp.sentence].places[fp.mention].surface.clone()),
                fp.resolved.clone(),
            ),
            None => match last_place_before(first) {
                Some((name, r)) => (Some(name), r),
                None => (None, None),
            },
        };
        let has_claims = frame_list.claims(b).next().is_some();
        // An event without a figure is kept when the article places and dates it.
        if !has_claims && (location.is_none() || b.date.is_none()) {
            incident_rows.push(None);
            continue;
        }
        let p = place.as_ref().map(|r| &gaz.places[r.place]);
        let iso3 = p
            .map(|p| p.iso3.clone())
            .or_else(|| doc_country.map(str::to_string));
        let victims: BTreeSet<&str> = frame_list
            .claims(b)
            .map(|(s, c)| &work[s].claims[c])
            .filter(|c| c.outcome.is_some())
            .map(|c| c.victim_group)
            .collect();
        let outcomes: BTreeSet<&str> = frame_list
            .claims(b)
            .filter_map(|(s, c)| work[s].claims[c].outcome)
            .collect();
        let civilian_only = !victims.is_empty()
            && victims
                .iter()
                .all(|v| matches!(*v, "civilians" | "children" | "women"));
        let (event_type, sub_event_type) = match b.trigger.map(|t| &lex.triggers[t]) {
            Some(t) if t.event_type != "Attack" => (t.event_type.clone(), t.sub_event_type.clone()),
            Some(_) if civilian_only => ("Violence against civilians".into(), "Attack".into()),
            Some(_) => ("Battles".into(), "Armed clash".into()),
            None if outcomes.len() == 1 && outcomes.contains("captured") => (
                "Violence against civilians".into(),
                "Abduction/forced disappearance".into(),
            ),
            None if civilian_only => ("Violence against civilians".into(), "Attack".into()),
            None => ("Battles".into(), "Armed clash".into()),
        };
        // Told long before publication, beside a recent event: recalled as context. An
        // article whose events are all old (a report published weeks later) is about them.
        let old = is_old(b) && any_recent;
        let actors: Vec<usize> = b
            .frames
            .iter()
            .flat_map(|&f| frame_list.frames_actors(f))
            .filter(|&a| PARTIES.contains(&lex.actors[a].kind.as_str()))
            .collect();
        // A named group ("Jnim") before a generic one ("les jihadistes").
        let armed = actors
            .iter()
            .copied()
            .filter(|&a| {
                lex.actors[a].kind == "armed_group" || lex.actors[a].kind == "communal_militia"
            })
            .min_by_key(|&a| lex.actors[a].id.starts_with("generic-"));
        let state = actors
            .iter()
            .copied()
            .find(|&a| matches!(lex.actors[a].kind.as_str(), "state" | "state_ally"));
        let (actor1, actor2) =
            if event_type == "Explosions/Remote violence" && sub_event_type == "Air/drone strike" {
                (
                    state.or(armed),
                    if civilian_only {
                        None
                    } else {
                        armed.filter(|_| state.is_some())
                    },
                )
            } else if event_type == "Violence against civilians" {
                (armed.or(state), None)
            } else {
                (armed.or(state), if armed.is_some() { state } else { None })
            };
        let place_id = p.map(|p| p.place_id.clone());
        let date_start = b.date.as_ref().map(|d| d.first);
        let key = [
            doc.doc_id.as_str(),
            &first.to_string(),
            place_id.as_deref().unwrap_or(""),
            &sub_event_type,
            &date_start.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .join("\u{1f}");
        // Two incidents of a sentence with the same place, type and date (two frames that did
        // not merge) are told apart by their rank among such twins, in the document's order.
        let twin = id_twins.entry(key.clone()).or_insert(0);
        let incident_id = if *twin == 0 {
            short_id(&[&key])
        } else {
            short_id(&[&key, &twin.to_string()])
        };
        *twin += 1;
        incident_rows.push(Some(Incident {
            incident_id,
            doc_id: doc.doc_id.clone(),
            sentence: work[first].row.index,
            event_type,
            sub_event_type,
            date_start: b.date.as_ref().map(|d| d.first),
            date_end: b.date.as_ref().map(|d| d.last),
            date_prec: b.date.as_ref().map(|d| d.prec),
            location,
            place_id,
            where_prec: place.as_ref().map(|r| r.where_prec),
            iso3,
            actor1: actor1.map(|a| lex.actors[a].id.clone()),
            actor2: actor2.map(|a| lex.actors[a].id.clone()),
            background: b.background || old,
            rule_id: b.trigger.map_or_else(
                || "frame-default".to_string(),
                |t| lex.triggers[t].id.clone(),
            ),
        }));
    }
    emit_claims(refs, doc, work, incidents, &frame_list, &incident_rows, out);
    out.incidents.extend(incident_rows.into_iter().flatten());
    emit_mentions(refs, doc, work, resolved, out);
}

/// Maps frames back to sentences and claims.
pub(super) struct FrameIndex {
    /// (incident, frame) -> (sentence, claims, actors)
    pub(super) frames: BTreeMap<usize, (usize, Vec<usize>, Vec<usize>)>,
}

impl FrameIndex {
    pub(super) fn first_sentence(&self, b: &Building) -> usize {
        b.frames
            .iter()
            .filter_map(|f| self.frames.get(f))
            .map(|x| x.0)
            .min()
            .unwrap_or(0)
    }
    pub(super) fn claims<'a>(
        &'a self,
        b: &'a Building,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        b.frames
            .iter()
            .filter_map(|f| self.frames.get(f))
            .flat_map(|(s, cs, _)| cs.iter().map(move |c| (*s, *c)))
    }
    pub(super) fn frames_actors(&self, f: usize) -> Vec<usize> {
        self.frames.get(&f).map(|x| x.2.clone()).unwrap_or_default()
    }
}

pub(super) fn build_frame_index(frames: &[Frame], incidents: &[Building]) -> FrameIndex {
    let mut index = BTreeMap::new();
    for b in incidents {
        for &f in &b.frames {
            let x = &frames[f];
            index.insert(f, (x.sentence, x.claims.clone(), x.actors.clone()));
        }
    }
    FrameIndex { frames: index }
}

/// A claim's source after pronouns are resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Source {
    pub(super) text: Option<String>,
    pub(super) kind: &'static str,
    pub(super) actor: Option<String>,
    pub(super) denies: bool,
    pub(super) rule: String,
}

impl Source {
    pub(super) fn unattributed() -> Source {
        Source {
            text: None,
            kind: "unattributed",
            actor: None,
            denies: false,
            rule: "att-none".into(),
        }
    }
    pub(super) fn from(a: &Attribution) -> Source {
        Source {
            text: a.text.clone(),
            kind: a.kind,
            actor: a.actor.clone(),
            denies: a.denies,
            rule: a.rule.clone(),
        }
    }
}

/// One claim ready to be written, before ids are assigned.
pub(super) struct Pending {
    pub(super) sentence: usize,
    pub(super) index: usize,
    pub(super) claim: SentenceClaim,
    pub(super) source: Source,
    pub(super) incident: Option<usize>,
}

pub(super) fn emit_claims(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    incidents: &[Building],
    frame_list: &FrameIndex,
    incident_rows: &[Option<Incident>],
    out: &mut DocExtract,
) {
    let mut incident_of: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (ii, b) in incidents.iter().enumerate() {
        for (s, c) in frame_list.claims(b) {
            incident_of.entry((s, c)).or_insert(ii);
        }
    }
    // Sources, with pronouns resolved from the previous sentence.
    let mut last_source: Option<Source> = None;
    let mut pending: Vec<Pending> = Vec::new();
    for (si, w) in work.iter().enumerate() {
        let mut sentence_last: Option<Source> = None;
        let resolve = |a: &Attribution, last: &Option<Source>| -> Source {
            if a.pronoun {
                let mut s = last.clone().unwrap_or_else(Source::unattributed);
                s.denies = a.denies;
                s
            } else {
                Source::from(a)
            }
        };
        for a in &w.attributions {
            sentence_last = Some(resolve(a, &last_source));
        }
        let prev_paragraph_claims: Vec<&Pending> = pending
            .iter()
            .filter(|p| {
                si > 0 && p.sentence == si - 1 && work[si - 1].row.paragraph == w.row.paragraph
            })
            .collect();
        let own_side = w.matches.iter().any(|m| matches!(m.tag, Tag::OwnSide));
        let mut new = Vec::new();
        for (ci, c) in w.claims.iter().enumerate() {
            let mut c = c.clone();
            let mut source = sources::nearest(&w.attributions, c.start)
                .map(|a| resolve(a, &last_source))
                .unwrap_or_else(Source::unattributed);
            let prev = prev_paragraph_claims
                .iter()
                .rev()
                .find(|p| p.claim.parent.is_none());
            if c.outcome.is_none() {
                // "Neuf personnes au total." (no outcome of its own) continues the previous sentence's claim.
                let Some(prev) = prev.filter(|_| c.qualifier != "none" && c.parent.is_none())
                else {
                    continue;
                };
                if w.matches
                    .iter()
                    .any(|m| matches!(m.tag, Tag::Outcome { .. }))
                {
                    continue;
                }
                c.outcome = prev.claim.outcome;
                if c.group_from_noun {
                    c.victim_group = prev.claim.victim_group;
                }
                if w.attributions.is_empty() {
                    source = prev.source.clone();
                }
            } else if c.group_from_noun && c.parent.is_none() && own_side {
                // "Côté ami, le bilan fait état de deux morts": the force's own losses.
                c.victim_group = "security_forces";
            } else if c.group_from_noun && c.parent.is_none() {
                if let Some(prev) =
                    prev.filter(|p| p.claim.outcome == c.outcome && !p.claim.group_from_noun)
                {
                    c.victim_group = prev.claim.victim_group;
                }
            }
            new.push(Pending {
                sentence: si,
                index: ci,
                claim: c,
                source,
                incident: incident_of.get(&(si, ci)).copied(),
            });
        }
        pending.extend(new);
        if let Some(s) = sentence_last {
            last_source = Some(s);
        }
    }
    // A group said to be hit without a count adds nothing when the same source gives a count
    // for the same group next to it ("au moins 15 civils tués" / "Rien que des civils tués").
    let keep: Vec<bool> = pending
        .iter()
        .map(|p| {
            if p.claim.qualifier != "none" {
                return true;
            }
            !pending.iter().any(|q| {
                q.claim.qualifier != "none"
                    && q.sentence.abs_diff(p.sentence) <= 1
                    && work[q.sentence].row.paragraph == work[p.sentence].row.paragraph
                    && q.claim.outcome == p.claim.outcome
                    && (q.claim.victim_group == p.claim.victim_group)
                    && q.source.kind == p.source.kind
                    && p.source.text.is_some()
                    && q.source.text == p.source.text
            })
        })
        .collect();
    let mut ids: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut rows = Vec::new();
    for (p, keep) in pending.iter().zip(keep) {
        if !keep {
            continue;
        }
        let w = &work[p.sentence];
        let c = &p.claim;
        let Some(outcome) = c.outcome else { continue };
        let incident = p.incident.or_else(|| {
            // A claim whose frame was dropped joins the nearest incident before it.
            incidents
                .iter()
                .rposition(|b| frame_list.first_sentence(b) <= p.sentence)
        });
        let inc = incident
            .and_then(|i| incident_rows.get(i))
            .and_then(|r| r.as_ref());
        let count_text = if c.end > c.start {
            Some(span_text(&w.row.text, &w.tokens, c.start, c.end.min(w.tokens.len())).to_string())
        } else {
            None
        };
        let parent_claim_id = c.parent.and_then(|pi| ids.get(&(p.sentence, pi)).cloned());
        let low = c.low.map(|v| v.to_string()).unwrap_or_default();
        let high = c.high.map(|v| v.to_string()).unwrap_or_default();
        let claim_id = short_id(&[
            &doc.doc_id,
            &w.row.index.to_string(),
            &c.start.to_string(),
            c.victim_group,
            outcome,
            &low,
            &high,
            c.qualifier,
        ]);
        ids.insert((p.sentence, p.index), claim_id.clone());
        let mut rule = c.rules.clone();
        rule.push(p.source.rule.clone());
        rows.push(Claim {
            claim_id,
            doc_id: doc.doc_id.clone(),
            sentence: w.row.index,
            char_start: w.row.char_start,
            char_end: w.row.char_end,
            quote: w.row.text.clone(),
            event_type: inc.map(|i| i.event_type.clone()),
            sub_event_type: inc.map(|i| i.sub_event_type.clone()),
            event_date_start: inc.and_then(|i| i.date_start),
            event_date_end: inc.and_then(|i| i.date_end),
            date_prec: inc.and_then(|i| i.date_prec),
            location: inc.and_then(|i| i.location.clone()),
            place_id: inc.and_then(|i| i.place_id.clone()),
            where_prec: inc.and_then(|i| i.where_prec),
            iso3: inc.and_then(|i| i.iso3.clone()),
            source_text: p.source.text.clone(),
            source_kind: p.source.kind.to_string(),
            source_actor: p.source.actor.clone(),
            victim_group: c.victim_group.to_string(),
            outcome: outcome.to_string(),
            count_low: c.low,
            count_high: c.high,
            qualifier: c.qualifier.to_string(),
            count_text,
            stance: if p.source.denies { "denies" } else { "asserts" }.to_string(),
            parent_claim_id,
            incident_id: inc.map(|i| i.incident_id.clone()),
            also_incident_ids: incident.filter(|_| inc.is_some()).and_then(|own| {
                let covered =
                    covered_incidents(work, p.sentence, own, incidents, frame_list, incident_rows);
                (!covered.is_empty()).then(|| covered.join("|"))
            }),
            background: inc.is_some_and(|i| i.background),
            rule_id: rule
                .into_iter()
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
                .join("+"),
        });
    }
    let _ = refs;
    out.claims.extend(rows);
}

/// Words before a combined-toll phrase that make it one of the attacks, not all of them:
/// "l'une des deux attaques", "la plus meurtrière des trois embuscades", "chacune des deux".
pub(super) const PARTITIVE_HEADS: [&str; 10] = [
    "une",
    "un",
    "premiere",
    "seconde",
    "deuxieme",
    "derniere",
    "meurtriere",
    "grave",
    "chacune",
    "chacun",
];

/// How many incidents a toll in sentence `si` covers, if the sentence gives it for several
/// attacks at once ("ces deux attaques": 2; "au total": 0, every one on the same dates).
pub(super) fn combined_cue(w: &Work<'_>) -> Option<i64> {
    let mut best: Option<i64> = None;
    for m in &w.matches {
        let Tag::Combined { incidents } = m.tag else {
            continue;
        };
        let partitive = m.start >= 2
            && matches!(w.tokens[m.start - 1].fold.as_ref(), "des" | "de")
            && PARTITIVE_HEADS.contains(&w.tokens[m.start - 2].fold.as_ref());
        if partitive {
            continue;
        }
        // A number of attacks is more precise than "au total".
        best = Some(match best {
            Some(b) if b > 0 => b,
            _ => incidents,
        });
    }
    best
}

/// The other incidents a toll in sentence `si` of incident `own` covers: the nearest ones in
/// the text (as many as the cue says, else all) that are reported on the same dates and are
/// not background when `own` is not.
pub(super) fn covered_incidents(
    work: &[Work<'_>],
    si: usize,
    own: usize,
    incidents: &[Building],
    frame_list: &FrameIndex,
    incident_rows: &[Option<Incident>],
) -> Vec<String> {
    let Some(n) = combined_cue(&work[si]) else {
        return Vec::new();
    };
    let mine = &incidents[own];
    let mut candidates: Vec<(usize, usize, &str)> = incidents
        .iter()
        .enumerate()
        .filter(|&(j, b)| j != own && b.background == mine.background)
        .filter(|(_, b)| match (&b.date, &mine.date) {
            (Some(x), Some(y)) => dates_overlap(x, y, 1),
            _ => true,
        })
        .filter_map(|(j, b)| {
            let row = incident_rows.get(j)?.as_ref()?;
            Some((
                frame_list.first_sentence(b).abs_diff(si),
                j,
                row.incident_id.as_str(),
            ))
        })
        .collect();
    candidates.sort();
    if n > 0 {
        candidates.truncate(n as usize - 1);
    }
    let mut ids: Vec<String> = candidates.iter().map(|c| c.2.to_string()).collect();
    ids.sort();
    ids
}

/// A mention's kind, value and rule id, borrowed where they are fixed or reference ids.
type Labelled = (&'static str, Option<Cow<'static, str>>, Cow<'static, str>);

pub(super) fn tag_kind(refs: &Reference, tag: &Tag) -> Option<Labelled> {
    let lex = &refs.lexicon;
    let labels = &lex.labels;
    let borrowed = |s: &'static str| Some(Cow::Borrowed(s));
    Some(match tag {
        Tag::Outcome { outcome, rule, .. } => {
            ("outcome", borrowed(outcome), lex.rule_id(*rule).into())
        }
        Tag::Victim { group, rule, .. } => ("victim", borrowed(group), lex.rule_id(*rule).into()),
        Tag::Actor(a) => (
            "actor",
            borrowed(labels.actor_ids[*a]),
            labels.actor_ids[*a].into(),
        ),
        Tag::Source(s) => (
            "source",
            borrowed(labels.source_kinds[*s]),
            labels.source_ids[*s].into(),
        ),
        Tag::Trigger(t) => (
            "trigger",
            borrowed(labels.trigger_types[*t]),
            labels.trigger_ids[*t].into(),
        ),
        Tag::AttrPrep | Tag::AttrVerb => ("attribution", None, "att-cue".into()),
        Tag::Combined { incidents } => (
            "combined_toll",
            Some(match incidents {
                0 => "all".into(),
                n => n.to_string().into(),
            }),
            "q-combined".into(),
        ),
        Tag::AttrDenial => ("denial", None, "att-denial".into()),
        Tag::Zero { outcome, rule } => (
            "quantity",
            Some(format!("0 {outcome}").into()),
            lex.rule_id(*rule).into(),
        ),
        _ => return None,
    })
}

pub(super) fn emit_mentions(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    out: &mut DocExtract,
) {
    // One sentence's mentions at a time: they share the document and the sentence, the first
    // two key columns, so each sentence is put in key order on its own.
    let mut sentence: Vec<Mention> = Vec::new();
    for (si, w) in work.iter().enumerate() {
        let base = w.row.char_start;
        let span = |a: usize, b: usize| -> (i64, i64, String) {
            let s = w.tokens[a].start;
            let e = w.tokens[b - 1].end;
            let text = span_text(&w.row.text, &w.tokens, a, b);
            (base + s as i64, base + e as i64, text.to_string())
        };
        let mut push = |a: usize,
                        b: usize,
                        kind: &'static str,
                        value: Option<Cow<'static, str>>,
                        rule: Cow<'static, str>| {
            if b <= a || b > w.tokens.len() {
                return;
            }
            let (cs, ce, surface) = span(a, b);
            sentence.push(Mention {
                doc_id: doc.doc_id.clone(),
                sentence: w.row.index,
                char_start: cs,
                char_end: ce,
                kind: kind.into(),
                surface,
                value,
                rule_id: rule,
            });
        };
        for m in &w.matches {
            if let Some((kind, value, rule)) = tag_kind(refs, &m.tag) {
                push(m.start, m.end, kind, value, rule);
            }
        }
        for q in &w.quantities {
            // "un", "une" read as 1 are mentions only inside a claim ("un soldat tué"); else
            // every article of the corpus ("une attaque") would be one.
            let in_claim = w
                .claims
                .iter()
                .any(|c| c.start <= q.start && q.start < c.end);
            if q.rule == "q-article" && !in_claim {
                continue;
            }
            let value = match (q.low, q.high) {
                (Some(l), Some(h)) if l == h => format!("{} {l}", q.qualifier),
                (l, h) => format!(
                    "{} {}-{}",
                    q.qualifier,
                    l.map(|v| v.to_string()).unwrap_or_default(),
                    h.map(|v| v.to_string()).unwrap_or_default()
                ),
            };
            push(
                q.start,
                q.end,
                "quantity",
                Some(value.into()),
                q.rule.clone(),
            );
        }
        for d in &w.dates {
            let value = if d.first == d.last {
                d.first.to_string()
            } else {
                format!("{}/{}", d.first, d.last)
            };
            let rule = if d.statement {
                "date-statement"
            } else {
                "date-event"
            };
            push(d.start, d.end, "date", Some(value.into()), rule.into());
        }
        for (p, r) in w.places.iter().zip(&resolved[si]) {
            let value = r
                .as_ref()
                .map(|r| refs.gazetteer.places[r.place].place_id.clone().into());
            let rule = if p.source_place {
                "place-source"
            } else if p.anchor {
                "place-anchor"
            } else if p.admin_cue {
                "place-admin"
            } else {
                "place"
            };
            push(p.start, p.end, "place", value, rule.into());
        }
        // In key order, each span recorded once per kind and rule: the first pushed is kept
        // (the sort is stable). Within the sentence the key is its last four columns.
        fn key(m: &Mention) -> (i64, &str, i64, &str) {
            (m.char_start, &m.kind, m.char_end, &m.rule_id)
        }
        sentence.sort_by(|a, b| key(a).cmp(&key(b)));
        sentence.dedup_by(|later, earlier| key(later) == key(earlier));
        out.mentions.append(&mut sentence);
    }
}
