//! Dates: explicit ("le 16 mars 2024", "lundi 26 août", "26.08.2024"), ranges ("entre le 25 et
//! le 27 juillet", "le week-end du 16-17 mars", "dans la nuit de samedi à dimanche"), relative
//! to the publication date ("dimanche", "hier", "la semaine dernière") and vague ("fin
//! juillet", "en 2023"). A date is never made more precise than the text and the publication
//! date allow: without a known publication day, weekdays stay unresolved.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use crate::reference::text::{Token, TokenKind};
use crate::reference::{Match, Matches, Tag};

/// A resolved date span in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSpan {
    pub start: usize,
    pub end: usize,
    pub first: Date,
    pub last: Date,
    /// UCDP date_prec: 1 day, 2 two to six days, 3 a week, 4 a month, 5 longer.
    pub prec: i64,
    /// The date says when something was said or published, not when the event happened.
    pub statement: bool,
}

/// What dates are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Anchor {
    /// The publication date and its precision (1 day, 4 month, 5 year).
    pub published: Option<(Date, i64)>,
    /// The latest year written in the document, for day-month dates without a year.
    pub year_hint: Option<i16>,
}

fn weekday(i: i8) -> Weekday {
    match i {
        0 => Weekday::Monday,
        1 => Weekday::Tuesday,
        2 => Weekday::Wednesday,
        3 => Weekday::Thursday,
        4 => Weekday::Friday,
        5 => Weekday::Saturday,
        _ => Weekday::Sunday,
    }
}

fn tag_at(matches: &Matches, i: usize, f: impl Fn(&Tag) -> bool) -> Option<&Match> {
    matches.at(i).iter().find(|m| f(&m.tag))
}

fn month_at(matches: &Matches, i: usize) -> Option<(i8, usize)> {
    matches.at(i).iter().find_map(|m| match m.tag {
        Tag::Month(n) => Some((n, m.end)),
        _ => None,
    })
}

fn weekday_at(matches: &Matches, i: usize) -> Option<(i8, usize)> {
    matches.at(i).iter().find_map(|m| match m.tag {
        Tag::Weekday(n) => Some((n, m.end)),
        _ => None,
    })
}

fn day_number(tokens: &[Token], i: usize) -> Option<i8> {
    let t = tokens.get(i)?;
    if t.kind == TokenKind::Number && t.text.len() <= 2 {
        let d: i8 = t.text.parse().ok()?;
        return (1..=31).contains(&d).then_some(d);
    }
    (t.fold == "1er").then_some(1)
}

fn year_at(tokens: &[Token], i: usize) -> Option<i16> {
    let t = tokens.get(i)?;
    (t.kind == TokenKind::Number && t.text.len() == 4)
        .then(|| t.text.parse().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The year of a day-month date: the publication year unless that puts it well after
/// publication; else the year hint.
fn year_for(anchor: &Anchor, month: i8, day: i8) -> Option<i16> {
    if let Some((p, prec)) = anchor.published {
        let y = p.year();
        let d = Date::new(y, month, day).ok()?;
        let slack = if prec == 1 { 7 } else { 40 };
        return Some(if d > p.checked_add(slack.days()).ok()? {
            y - 1
        } else {
            y
        });
    }
    anchor.year_hint
}

/// The year in which `month`/`day` falls on `wd`, nearest at or after the hint.
fn year_for_weekday(anchor: &Anchor, month: i8, day: i8, wd: i8) -> Option<i16> {
    let base = anchor
        .published
        .map(|(p, _)| p.year())
        .or(anchor.year_hint)?;
    for delta in [0i16, -1, 1, -2, 2, -3, 3, 4, 5, 6] {
        let y = base + delta;
        if let Ok(d) = Date::new(y, month, day) {
            if d.weekday() == weekday(wd) {
                return Some(y);
            }
        }
    }
    None
}

fn last_day(y: i16, m: i8) -> i8 {
    Date::new(y, m, 1).map(|d| d.days_in_month()).unwrap_or(28)
}

/// The most recent `wd` strictly before the publication day.
fn previous_weekday(anchor: &Anchor, wd: i8) -> Option<Date> {
    let (p, prec) = anchor.published?;
    if prec != 1 {
        return None;
    }
    let mut d = p.checked_sub(1.day()).ok()?;
    for _ in 0..7 {
        if d.weekday() == weekday(wd) {
            return Some(d);
        }
        d = d.checked_sub(1.day()).ok()?;
    }
    None
}

fn span(start: usize, end: usize, first: Date, last: Date) -> DateSpan {
    let days = last.since(first).map(|s| s.get_days()).unwrap_or(0);
    let prec = match days {
        0 => 1,
        1..=5 => 2,
        6..=7 => 3,
        8..=31 => 4,
        _ => 5,
    };
    DateSpan {
        start,
        end,
        first,
        last,
        prec,
        statement: false,
    }
}

/// Every date in a sentence, resolved against the anchor.
pub fn find(tokens: &[Token], matches: &Matches, anchor: &Anchor) -> Vec<DateSpan> {
    let mut out: Vec<DateSpan> = Vec::new();
    // Most sentences have no date word and no year: nothing to resolve.
    let dated = matches.iter().any(|m| {
        matches!(
            m.tag,
            Tag::Month(_)
                | Tag::Weekday(_)
                | Tag::RelativeDay(_)
                | Tag::LastWeek
                | Tag::MonthPart { .. }
                | Tag::Night
                | Tag::Weekend
        )
    }) || tokens
        .iter()
        .any(|t| t.kind == TokenKind::Number && t.text.len() == 4);
    if !dated {
        return out;
    }
    let mut i = 0;
    while i < tokens.len() {
        if let Some(d) = date_at(tokens, matches, anchor, i) {
            i = d.end.max(i + 1);
            out.push(d);
        } else {
            i += 1;
        }
    }
    for d in &mut out {
        d.statement = is_statement(tokens, matches, d) || in_dateline(tokens, d);
    }
    out
}

/// A dateline ("Bamako, 8 septembre 2023 (AFP) - ...", "NIAMEY, 3 janv. -") dates the
/// dispatch, not the event: a date preceded only by a capitalised place name and a comma,
/// and followed by a dash, optionally after a parenthesised agency name.
fn in_dateline(tokens: &[Token], d: &DateSpan) -> bool {
    let head = &tokens[..d.start];
    let place_then_comma = head.len() >= 2
        && head.len() <= 6
        && head[0].upper
        && head.iter().any(|t| t.text == ",")
        && head
            .iter()
            .all(|t| t.upper || matches!(t.fold.as_ref(), "," | "le" | "-"));
    if !place_then_comma {
        return false;
    }
    let mut i = d.end;
    if tokens.get(i).is_some_and(|t| t.text == "(") {
        match (i + 1..(i + 6).min(tokens.len())).find(|&j| tokens[j].text == ")") {
            Some(close) => i = close + 1,
            None => return false,
        }
    }
    tokens.get(i).is_some_and(|t| t.text == "-")
}

fn is_statement(tokens: &[Token], matches: &Matches, d: &DateSpan) -> bool {
    // Right after a speech verb or "publié" ("a annoncé mardi", "a affirmé, lundi 26 août,").
    let after_marker = matches.iter().any(|m| {
        matches!(
            m.tag,
            Tag::StatementMarker | Tag::AttrVerb | Tag::AttrDenial
        ) && m.end <= d.start
            && tokens[m.end..d.start]
                .iter()
                .all(|t| matches!(t.fold.as_ref(), "," | "le" | "ce" | "dans" | "la"))
    });
    // Or opening a clause whose verb is a speech verb ("Dimanche, le Jnim a revendiqué").
    let before_verb = matches.iter().any(|m| {
        matches!(m.tag, Tag::AttrVerb | Tag::AttrDenial)
            && m.start >= d.end
            && m.start <= d.end + 4
            && tokens[d.end..m.start]
                .iter()
                .all(|t| t.kind != TokenKind::Number && !matches!(t.text, "." | ";"))
            && tokens[d.end..m.start].iter().any(|t| t.text == ",")
    });
    after_marker || before_verb
}

fn date_at(tokens: &[Token], matches: &Matches, anchor: &Anchor, i: usize) -> Option<DateSpan> {
    // "dans la nuit de samedi à dimanche" / "dans la nuit du 2 au 3 août".
    if let Some(n) = tag_at(matches, i, |t| matches!(t, Tag::Night)) {
        if let Some((a, e1)) = weekday_at(matches, n.end) {
            if tokens
                .get(e1)
                .is_some_and(|t| matches!(t.fold.as_ref(), "a" | "au"))
            {
                if let Some((b, e2)) = weekday_at(matches, e1 + 1) {
                    // The night may end on the publication day itself.
                    let (p, prec) = anchor.published?;
                    let last = if prec == 1 && p.weekday() == weekday(b) {
                        p
                    } else {
                        previous_weekday(anchor, b)?
                    };
                    let first = last.checked_sub(1.day()).ok()?;
                    let _ = a;
                    return Some(span(i, e2, first, last));
                }
            }
        }
        if let Some(d) = day_range(tokens, matches, anchor, n.end, i) {
            return Some(d);
        }
    }
    // "le week-end du 16-17 mars 2024".
    if let Some(w) = tag_at(matches, i, |t| matches!(t, Tag::Weekend)) {
        return day_range(tokens, matches, anchor, w.end, i);
    }
    // "entre le 25 et le 27 juillet".
    if let Some(r) = tag_at(matches, i, |t| matches!(t, Tag::RangeOpenDate)) {
        if let Some(d) = day_range(tokens, matches, anchor, r.end, i) {
            return Some(d);
        }
    }
    // "fin juillet", "début août 2024".
    if let Some((first, last, e)) = matches.at(i).iter().find_map(|m| match m.tag {
        Tag::MonthPart { first, last } => Some((first, last, m.end)),
        _ => None,
    }) {
        let mut j = e;
        while tokens
            .get(j)
            .is_some_and(|t| matches!(t.fold.as_ref(), "de" | "d" | "du" | "mois"))
        {
            j += 1;
        }
        if let Some((m, e2)) = month_at(matches, j) {
            let (y, end) = match year_at(tokens, e2) {
                Some(y) => (Some(y), e2 + 1),
                None => (year_for(anchor, m, 1), e2),
            };
            let y = y?;
            let a = Date::new(y, m, first).ok()?;
            let b = Date::new(y, m, last.min(last_day(y, m))).ok()?;
            return Some(span(i, end, a, b));
        }
    }
    // Explicit day: "[lundi] 26 août [2024]", "le 16 mars 2024", "26.08.2024".
    let (wd, j) = match weekday_at(matches, i) {
        Some((w, e)) => (Some(w), e),
        None => (None, i),
    };
    if let Some(day) = day_number(tokens, j) {
        if let Some((m, e)) = month_at(matches, j + 1) {
            let (y, end) = match year_at(tokens, e) {
                Some(y) => (Some(y), e + 1),
                None => match wd {
                    Some(w) if anchor.published.is_none_or(|(_, p)| p != 1) => {
                        (year_for_weekday(anchor, m, day, w), e)
                    }
                    _ => (year_for(anchor, m, day), e),
                },
            };
            let d = Date::new(y?, m, day).ok()?;
            return Some(span(i, end, d, d));
        }
        // 26.08.2024 or 26/08/2024
        if tokens
            .get(j + 1)
            .is_some_and(|t| matches!(t.text, "." | "/"))
        {
            if let (Some(m), Some(y)) = (day_number(tokens, j + 2), year_at(tokens, j + 4)) {
                if m <= 12
                    && tokens
                        .get(j + 3)
                        .is_some_and(|t| t.text == tokens[j + 1].text)
                {
                    let d = Date::new(y, m, day).ok()?;
                    return Some(span(i, j + 5, d, d));
                }
            }
        }
    }
    if let Some(w) = wd {
        // A weekday alone ("dimanche", "samedi soir"): the last one before publication.
        let d = previous_weekday(anchor, w)?;
        let mut end = j;
        while matches
            .iter()
            .any(|m| m.start == end && matches!(m.tag, Tag::DayPart))
        {
            end += 1;
        }
        return Some(span(i, end, d, d));
    }
    // "hier", "avant-hier".
    if let Some((off, e)) = matches.at(i).iter().find_map(|m| match m.tag {
        Tag::RelativeDay(o) => Some((o, m.end)),
        _ => None,
    }) {
        let (p, prec) = anchor.published?;
        if prec != 1 {
            return None;
        }
        let d = p.checked_add(off.days()).ok()?;
        return Some(span(i, e, d, d));
    }
    // "la semaine dernière": Monday to Sunday of the previous week.
    if let Some(m) = tag_at(matches, i, |t| matches!(t, Tag::LastWeek)) {
        let (p, prec) = anchor.published?;
        if prec != 1 {
            return None;
        }
        let back = p.weekday().to_monday_zero_offset() as i64 + 7;
        let first = p.checked_sub(back.days()).ok()?;
        let last = first.checked_add(6.days()).ok()?;
        return Some(span(i, m.end, first, last));
    }
    // "en mars 2024", "juillet 2024", "en 2023".
    if let Some((m, e)) = month_at(matches, i) {
        if let Some(y) = year_at(tokens, e) {
            let a = Date::new(y, m, 1).ok()?;
            let b = Date::new(y, m, last_day(y, m)).ok()?;
            return Some(span(i, e + 1, a, b));
        }
    }
    if tokens[i].fold == "en" {
        if let Some(y) = year_at(tokens, i + 1) {
            let a = Date::new(y, 1, 1).ok()?;
            let b = Date::new(y, 12, 31).ok()?;
            return Some(span(i, i + 2, a, b));
        }
    }
    None
}

/// "16-17 mars 2024", "25 et le 27 juillet", "du 2 au 3 août" starting at `j`.
fn day_range(
    tokens: &[Token],
    matches: &Matches,
    anchor: &Anchor,
    mut j: usize,
    start: usize,
) -> Option<DateSpan> {
    while tokens
        .get(j)
        .is_some_and(|t| matches!(t.fold.as_ref(), "le" | "du" | "des"))
    {
        j += 1;
    }
    let a = day_number(tokens, j)?;
    let mut k = j + 1;
    // An optional month after the first day ("du 30 juillet au 2 août").
    let first_month = month_at(matches, k);
    if let Some((_, e)) = first_month {
        k = e;
    }
    while tokens
        .get(k)
        .is_some_and(|t| matches!(t.fold.as_ref(), "-" | "et" | "le" | "au" | "a"))
    {
        k += 1;
    }
    let b = day_number(tokens, k)?;
    let (m, e) = month_at(matches, k + 1)?;
    let (y, end) = match year_at(tokens, e) {
        Some(y) => (y, e + 1),
        None => (year_for(anchor, m, b)?, e),
    };
    let m1 = first_month.map_or(m, |(fm, _)| fm);
    let first = Date::new(y, m1, a).ok()?;
    let last = Date::new(y, m, b).ok()?;
    (first <= last).then(|| span(start, end, first, last))
}
