//! Places: capitalised names looked up in the gazetteer (accent-, case- and hyphen-
//! insensitive), kept when a locative cue precedes them or the place is prominent, and
//! disambiguated across the whole article: a region named in the text ("région de Gao"), a
//! distance cue ("à 125 km au nord-est de Gao"), the article's country, other places nearby,
//! population. When a distance cue fits no candidate, the named anchor is kept with a coarser
//! precision rather than a wrong village.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A distance cue: anchor mention, km, bearing, upper bound ("à moins de").
type Cue = (usize, f64, Option<f64>, bool);

use crate::reference::gazetteer::{bearing_deg, distance_km};
use crate::reference::text::{place_key, span_text, Token, TokenKind};
use crate::reference::{Gazetteer, Lexicon, Match, Tag};

/// A place name found in a sentence, before disambiguation.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    pub start: usize,
    pub end: usize,
    pub surface: String,
    pub key: String,
    pub candidates: Vec<usize>,
    /// Preceded by "région de", "province du", ...: names a unit, used as context.
    pub admin_cue: bool,
    /// The feature code the cue names: ADM1 for "région de", ADM2 for "cercle de".
    pub admin_level: Option<&'static str>,
    /// Where a source is ("un habitant de Gao"), not where the event happened.
    pub source_place: bool,
    /// A distance cue: the mention is this far (km, bearing) from an anchor mention.
    pub cue: Option<Cue>,
    /// Anchor of a distance cue ("de Sikasso" in "à 30 km de Sikasso").
    pub anchor: bool,
    pub near: bool,
}

/// A country named in the text.
#[derive(Debug, Clone)]
pub struct CountryMention {
    pub iso3: String,
}

fn ends_at(matches: &[Match], i: usize, f: impl Fn(&Tag) -> bool) -> Option<&Match> {
    matches
        .iter()
        .filter(|m| m.end == i && f(&m.tag))
        .max_by_key(|m| m.end - m.start)
}

fn not_place(matches: &[Match], s: usize, e: usize) -> bool {
    matches.iter().any(|m| {
        m.start == s
            && (m.end == e || m.end == s + 1)
            && matches!(m.tag, Tag::NotPlace | Tag::Month(_) | Tag::Weekday(_))
            || (m.start <= s
                && m.end >= e
                && matches!(
                    m.tag,
                    Tag::Actor(_) | Tag::Source(_) | Tag::Victim { .. } | Tag::Trigger(_)
                ))
    })
}

/// Place and country names in one sentence.
pub fn find(
    gaz: &Gazetteer,
    lex: &Lexicon,
    sentence: &str,
    tokens: &[Token],
    matches: &[Match],
) -> (Vec<PlaceMention>, Vec<CountryMention>) {
    let _ = lex;
    let mut places = Vec::new();
    let mut countries = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if !(t.kind == TokenKind::Word && t.upper) {
            i += 1;
            continue;
        }
        // The capitalised run: "Fada N'Gourma", "Tin-Essako", "In Delimane".
        let mut run_end = i + 1;
        while run_end < tokens.len()
            && run_end - i < 5
            && tokens[run_end].kind == TokenKind::Word
            && (tokens[run_end].upper || tokens[run_end].joined)
        {
            run_end += 1;
        }
        let mut matched = None;
        for e in (i + 1..=run_end).rev() {
            if not_place(matches, i, e) {
                continue;
            }
            let key = place_key(span_text(sentence, tokens, i, e));
            if let Some(c) = gaz.country(&key) {
                matched = Some(e);
                countries.push(CountryMention {
                    iso3: c.iso3.clone(),
                });
                break;
            }
            let locative = ends_at(matches, i, |t| {
                matches!(
                    t,
                    Tag::Locative | Tag::Near | Tag::Admin1Cue | Tag::Admin2Cue | Tag::Direction(_)
                )
            });
            let Some(locative) = locative else {
                continue;
            };
            let mut candidates = gaz.lookup(&key);
            if candidates.is_empty() {
                candidates = gaz.lookup_loose(&key);
            }
            // A name after a strong cue ("à", "près de", "village de") that the gazetteer does
            // not know is kept as written, unresolved.
            let strong = locative.end - locative.start > 1
                || matches!(tokens[locative.start].fold.as_ref(), "a" | "au");
            if candidates.is_empty() && !(strong && e == run_end && run_end - i <= 3) {
                continue;
            }
            let admin_level = if ends_at(matches, i, |t| matches!(t, Tag::Admin1Cue)).is_some() {
                Some("ADM1")
            } else if ends_at(matches, i, |t| matches!(t, Tag::Admin2Cue)).is_some() {
                Some("ADM2")
            } else {
                None
            };
            let admin_cue = admin_level.is_some();
            let near = ends_at(matches, i, |t| matches!(t, Tag::Near)).is_some();
            let source_place = matches.iter().any(|m| {
                matches!(m.tag, Tag::SourcePlace) && m.end >= i && m.end <= e && m.start < i
            }) || ends_at(matches, i, |t| matches!(t, Tag::SourcePlace))
                .is_some();
            places.push(PlaceMention {
                start: i,
                end: e,
                surface: span_text(sentence, tokens, i, e).to_string(),
                key,
                candidates: candidates.to_vec(),
                admin_cue,
                admin_level,
                source_place,
                cue: None,
                anchor: false,
                near,
            });
            matched = Some(e);
            break;
        }
        i = matched.unwrap_or(i + 1);
    }
    attach_distance_cues(tokens, matches, &mut places);
    (places, countries)
}

/// "X, à 125 kilomètres au nord-est de Gao": the mention of X gets (anchor, 125, 45°).
fn attach_distance_cues(tokens: &[Token], matches: &[Match], places: &mut [PlaceMention]) {
    for unit in matches
        .iter()
        .filter(|m| matches!(m.tag, Tag::DistanceUnit))
    {
        // The number before the unit, possibly "une trentaine de", "moins de 30".
        let mut km = None;
        let mut upper_bound = false;
        for j in (unit.start.saturating_sub(4)..unit.start).rev() {
            let t = &tokens[j];
            if t.kind == TokenKind::Number {
                km = t.text.parse::<f64>().ok();
                upper_bound = tokens[j.saturating_sub(2)..j]
                    .iter()
                    .any(|t| t.fold == "moins");
                break;
            }
            if let Some(v) = matches.iter().find_map(|m| match m.tag {
                Tag::Approx { value, .. } if m.start == j => Some(value as f64),
                _ => None,
            }) {
                km = Some(v);
                break;
            }
        }
        let Some(km) = km else { continue };
        let mut j = unit.end;
        let mut bearing = None;
        if let Some(d) = matches
            .iter()
            .filter(|m| m.start == j)
            .find_map(|m| match m.tag {
                Tag::Direction(b) => Some((b, m.end)),
                _ => None,
            })
        {
            bearing = Some(d.0 as f64);
            j = d.1;
        }
        while tokens
            .get(j)
            .is_some_and(|t| matches!(t.fold.as_ref(), "de" | "d" | "du" | "la" | "ville"))
        {
            j += 1;
        }
        let Some(anchor) = places.iter().position(|p| p.start == j) else {
            continue;
        };
        places[anchor].anchor = true;
        // The subject place: the last mention before the cue, close to it.
        if let Some(subject) = places
            .iter()
            .rposition(|p| p.end <= unit.start && unit.start - p.end <= 6 && !p.anchor)
        {
            places[subject].cue = Some((anchor, km, bearing, upper_bound));
        }
    }
}

/// The chosen gazetteer entry for a mention, with its where_prec.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub place: usize,
    pub where_prec: i64,
}

/// Context for disambiguating every mention of a document.
pub struct DocContext<'a> {
    pub mentions: Vec<&'a PlaceMention>,
    pub countries: BTreeMap<String, usize>,
}

fn in_focus_country(iso2: &str) -> bool {
    matches!(iso2, "ML" | "BF" | "NE")
}

/// Resolves every mention of a document (in mention order); anchors of distance cues are
/// resolved first so that the cues can be checked against them.
pub fn resolve(gaz: &Gazetteer, ctx: &DocContext<'_>) -> Vec<Option<Resolved>> {
    let doc_country = ctx
        .countries
        .iter()
        .max_by_key(|(iso, n)| (**n, std::cmp::Reverse((*iso).clone())))
        .map(|(iso, _)| iso.clone());
    // Distinct cues only: a long article names the same places again and again, and the
    // scores below must not grow with the square of its length.
    let admin_keys: BTreeSet<&str> = ctx
        .mentions
        .iter()
        .filter(|m| m.admin_cue)
        .map(|m| m.key.as_str())
        .collect();
    let unambiguous: Vec<(f64, f64)> = ctx
        .mentions
        .iter()
        .filter(|m| m.candidates.len() == 1)
        .map(|m| m.candidates[0])
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .map(|c| {
            let p = &gaz.places[c];
            (p.latitude, p.longitude)
        })
        .collect();
    let score_of = |c: usize| -> f64 {
        let p = &gaz.places[c];
        let mut s = 0.0;
        if in_focus_country(&p.country) {
            s += 10.0;
        }
        if doc_country.as_deref() == Some(p.iso3.as_str()) {
            s += 20.0;
        }
        if admin_keys.iter().any(|k| gaz.in_unit(p, k)) {
            s += 50.0;
        }
        let near = unambiguous
            .iter()
            .filter(|q| distance_km((p.latitude, p.longitude), **q) < 150.0)
            .count();
        s += 5.0 * near.min(4) as f64;
        s += match p.feature_class.as_str() {
            "P" => 6.0,
            "A" => 4.0,
            "L" | "S" => 3.0,
            _ => 0.0,
        };
        s + ((p.population.max(0) + 1) as f64).log10()
    };
    let scores: RefCell<HashMap<usize, f64>> = RefCell::new(HashMap::new());
    let score = |c: usize| -> f64 {
        if let Some(s) = scores.borrow().get(&c) {
            return *s;
        }
        let s = score_of(c);
        scores.borrow_mut().insert(c, s);
        s
    };
    let best = |cands: &[usize], filter: &dyn Fn(usize) -> bool| -> Option<usize> {
        cands
            .iter()
            .copied()
            .filter(|&c| filter(c))
            .max_by(|&a, &b| {
                score(a)
                    .partial_cmp(&score(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then_with(|| gaz.places[b].place_id.cmp(&gaz.places[a].place_id))
            })
    };
    let mut out: Vec<Option<Resolved>> = vec![None; ctx.mentions.len()];
    // Anchors and cue-less mentions first.
    let mut first_cue: HashMap<&str, Cue> = HashMap::new();
    for o in &ctx.mentions {
        if let Some(c) = o.cue {
            first_cue.entry(o.key.as_str()).or_insert(c);
        }
    }
    let cue_of = |m: &PlaceMention| m.cue.or_else(|| first_cue.get(m.key.as_str()).copied());
    for (i, m) in ctx.mentions.iter().enumerate() {
        if cue_of(m).is_none() {
            // "la région de Mopti" is the region, not the town, when the gazetteer has both.
            let unit = |c: usize| Some(gaz.places[c].feature_code.as_str()) == m.admin_level;
            let of_unit = m.candidates.iter().any(|&c| unit(c));
            out[i] = best(&m.candidates, &|c| !of_unit || unit(c)).map(|p| Resolved {
                place: p,
                where_prec: if m.near {
                    2
                } else {
                    gaz.places[p].where_prec()
                },
            });
        }
    }
    for (i, m) in ctx.mentions.iter().enumerate() {
        // A distance cue on any mention of a name governs every mention of it in the article.
        let Some((anchor, km, bearing, upper)) = cue_of(m) else {
            continue;
        };
        let anchor_place = out.get(anchor).cloned().flatten();
        let Some(a) = anchor_place else {
            out[i] = best(&m.candidates, &|_| true).map(|p| Resolved {
                place: p,
                where_prec: gaz.places[p].where_prec(),
            });
            continue;
        };
        let ap = &gaz.places[a.place];
        let fits = |c: usize| {
            let p = &gaz.places[c];
            let d = distance_km((ap.latitude, ap.longitude), (p.latitude, p.longitude));
            let dist_ok = if upper {
                d <= km * 1.25 + 5.0
            } else {
                (d - km).abs() <= (km * 0.35).max(15.0)
            };
            let bearing_ok = bearing.is_none_or(|b| {
                let got = bearing_deg((ap.latitude, ap.longitude), (p.latitude, p.longitude));
                let diff = (got - b).abs() % 360.0;
                diff.min(360.0 - diff) <= 60.0
            });
            dist_ok && bearing_ok
        };
        out[i] = match best(&m.candidates, &fits) {
            Some(p) => Some(Resolved {
                place: p,
                where_prec: gaz.places[p].where_prec(),
            }),
            // No point fits the cue: keep the anchor, near it.
            None => Some(Resolved {
                place: a.place,
                where_prec: 2,
            }),
        };
    }
    out
}
