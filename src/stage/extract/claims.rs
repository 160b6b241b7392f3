//! Claims within one sentence: pairs each quantity with its victims (the noun after it) and
//! its outcome (a participle after the victims, or an active verb or "la mort de" before them),
//! reads subsets ("dont 11 enfants"), zero statements ("aucune victime") and groups said to
//! be hit without a count ("des civils ont été tués").

use crate::reference::lexicon::{victim_group, Form};
use crate::reference::text::{Token, TokenKind};
use crate::reference::{Lexicon, Match, Matches, Tag};

use super::numbers::Quantity;

/// A claim found in one sentence, before source, place and date are attached.
#[derive(Debug, Clone)]
pub struct SentenceClaim {
    pub victim_group: &'static str,
    pub outcome: Option<&'static str>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: &'static str,
    /// Token range of the count and victim words.
    pub start: usize,
    pub end: usize,
    /// Index (in this sentence's list) of the claim this one is a subset of.
    pub parent: Option<usize>,
    pub rules: Vec<String>,
    /// Victims were only "personnes"/"morts": the group may be inherited from context.
    pub group_from_noun: bool,
}

const AUXILIARIES: [&str; 10] = [
    "a", "ont", "avait", "avaient", "avoir", "aurait", "auraient", "ayant", "aura", "auront",
];
/// Words that may stand between "membres" and the group they belong to.
const MEMBER_LINKS: [&str; 14] = [
    "de",
    "du",
    "des",
    "d",
    "la",
    "le",
    "l",
    "les",
    "groupe",
    "paramilitaire",
    "russe",
    "rangs",
    "milice",
    "et",
];
const SUBSET_MARKERS: [&str; 4] = ["dont", "notamment", "parmi", "compris"];

fn is_clause_end(t: &Token) -> bool {
    matches!(t.text, "." | ";" | "?" | "!" | ":")
}

/// The victim group named at token `i`, and where the noun phrase ends.
fn victim_at(
    lex: &Lexicon,
    tokens: &[Token],
    matches: &Matches,
    i: usize,
) -> Option<(&'static str, usize, bool, String)> {
    let mut best: Option<(&'static str, usize, bool, String)> = None;
    for m in matches.at(i).iter() {
        let found = match &m.tag {
            Tag::Victim {
                group,
                member,
                rule,
            } => {
                if *member {
                    // "membres du groupe Wagner": the group comes from the actor that follows.
                    let linking = |a: &Match| {
                        tokens[m.end..a.start].iter().all(|t| {
                            t.upper
                                || t.kind == TokenKind::Punct
                                || MEMBER_LINKS.contains(&t.fold.as_ref())
                        })
                    };
                    let actor = matches
                        .iter()
                        .filter(|a| a.start >= m.end && a.start <= m.end + 6 && linking(a))
                        .find_map(|a| match a.tag {
                            Tag::Actor(x) => {
                                victim_group(&lex.actors[x].victim_group).map(|g| (g, a.end, x))
                            }
                            Tag::Victim {
                                group,
                                member: false,
                                ..
                            } if group != "unknown" => Some((group, a.end, usize::MAX)),
                            _ => None,
                        });
                    actor.map(|(g, end, x)| {
                        let rule = if x == usize::MAX {
                            lex.rule_id(*rule).to_string()
                        } else {
                            lex.actors[x].id.clone()
                        };
                        (g, end, false, rule)
                    })
                } else {
                    Some((
                        *group,
                        m.end,
                        *group == "unknown",
                        lex.rule_id(*rule).to_string(),
                    ))
                }
            }
            Tag::Actor(x) => victim_group(&lex.actors[*x].victim_group)
                .filter(|_| lex.actors[*x].kind != "media")
                .map(|g| (g, m.end, false, lex.actors[*x].id.clone())),
            _ => None,
        };
        if let Some(f) = found {
            let better = match &best {
                None => true,
                Some(b) => f.1 > b.1 || (b.2 && !f.2),
            };
            if better {
                best = Some(f);
            }
        }
    }
    let _ = tokens;
    best
}

fn outcome_noun_at(
    lex: &Lexicon,
    matches: &Matches,
    i: usize,
) -> Option<(&'static str, usize, String)> {
    matches.at(i).iter().find_map(|m| match m.tag {
        Tag::Outcome {
            outcome,
            form: Form::Noun,
            rule,
        } => Some((outcome, m.end, lex.rule_id(rule).to_string())),
        _ => None,
    })
}

/// After an outcome noun: "morts civils", "morts parmi les soldats".
fn group_after(
    lex: &Lexicon,
    tokens: &[Token],
    matches: &Matches,
    i: usize,
) -> Option<(&'static str, usize)> {
    if let Some((g, end, generic, _)) = victim_at(lex, tokens, matches, i) {
        if !generic {
            return Some((g, end));
        }
    }
    if tokens.get(i).is_some_and(|t| t.fold == "parmi") {
        for j in i + 1..(i + 4).min(tokens.len()) {
            if let Some((g, end, generic, _)) = victim_at(lex, tokens, matches, j) {
                if !generic {
                    return Some((g, end));
                }
            }
        }
    }
    None
}

fn passive(tokens: &[Token], pos: usize, counts: &[usize]) -> bool {
    // "ont été tués" and "21 civils tués" are passive; "ont tué", "ont sommairement exécuté",
    // "tuant", "enlevé quatre femmes" (an object follows) are active.
    let word = &tokens[pos].fold;
    if word.ends_with("ant") || word.ends_with("er") {
        return false;
    }
    if tokens
        .get(pos + 1)
        .is_some_and(|t| t.kind == TokenKind::Number)
        || counts.contains(&(pos + 1))
    {
        return false;
    }
    for back in 1..=2 {
        let Some(t) = pos.checked_sub(back).and_then(|p| tokens.get(p)) else {
            break;
        };
        if t.fold == "ete" {
            return true;
        }
        if AUXILIARIES.contains(&t.fold.as_ref()) {
            return false;
        }
    }
    true
}

/// Outcome after the victims: a passive participle or a subject predicate.
fn outcome_forward(
    lex: &Lexicon,
    tokens: &[Token],
    matches: &Matches,
    counts: &[usize],
    from: usize,
    limit: usize,
) -> Option<(&'static str, usize, String)> {
    for i in from..limit.min(tokens.len()) {
        if is_clause_end(&tokens[i]) {
            break;
        }
        for m in matches.at(i).iter() {
            if let Tag::Outcome {
                outcome,
                form,
                rule,
            } = m.tag
            {
                match form {
                    Form::Participle if passive(tokens, i, counts) => {
                        return Some((outcome, i, lex.rule_id(rule).to_string()))
                    }
                    Form::Participle => return None,
                    Form::Subject => return Some((outcome, i, lex.rule_id(rule).to_string())),
                    _ => {}
                }
            }
        }
    }
    None
}

/// Outcome before the victims: an active verb ("ont tué", "tuant") or "la mort de".
fn outcome_backward(
    lex: &Lexicon,
    tokens: &[Token],
    matches: &Matches,
    before: usize,
    floor: usize,
) -> Option<(&'static str, usize, String)> {
    // "la mort d'au moins trois soldats": the "d'" ends the outcome phrase and opens the count.
    if tokens
        .get(before)
        .is_some_and(|t| matches!(t.fold.as_ref(), "d" | "de"))
    {
        let object = matches.iter().find_map(|m| match m.tag {
            Tag::Outcome {
                outcome,
                form: Form::Object,
                rule,
            } if m.end == before + 1 && m.start < before => {
                Some((outcome, m.start, lex.rule_id(rule).to_string()))
            }
            _ => None,
        });
        if object.is_some() {
            return object;
        }
    }
    let mut i = before;
    while i > floor {
        i -= 1;
        if is_clause_end(&tokens[i]) {
            break;
        }
        for m in matches.iter().filter(|m| m.end == i + 1 || m.start == i) {
            if let Tag::Outcome {
                outcome,
                form: Form::Participle | Form::Object,
                rule,
            } = m.tag
            {
                if m.end <= before {
                    return Some((outcome, m.start, lex.rule_id(rule).to_string()));
                }
            }
        }
    }
    None
}

fn subset_marker_before(tokens: &[Token], q: &Quantity) -> bool {
    let mut j = q.start;
    for _ in 0..3 {
        if j == 0 {
            return false;
        }
        j -= 1;
        let f = tokens[j].fold.as_ref();
        if SUBSET_MARKERS.contains(&f) {
            return true;
        }
        if !matches!(f, "," | "y" | "lesquels" | "lesquelles") {
            return false;
        }
    }
    false
}

/// "49 civils et 15 militaires tués": a participle after the last of coordinated counts is
/// the outcome of each of them (and of their subsets). Only counts with no outcome of their
/// own take it, and only when nothing but "et", "," or "ainsi que" stands between them.
fn share_coordinated_outcome(
    tokens: &[Token],
    claims: &mut [SentenceClaim],
    outcome_at: &[Option<usize>],
) {
    for k in (0..claims.len()).rev() {
        if claims[k].outcome.is_some() || claims[k].parent.is_some() {
            continue;
        }
        let Some(next) = (k + 1..claims.len()).find(|&n| claims[n].parent.is_none()) else {
            continue;
        };
        let own_end = (k..next)
            .map(|n| claims[n].end)
            .max()
            .unwrap_or(claims[k].end);
        let connected = own_end <= claims[next].start
            && tokens[own_end..claims[next].start]
                .iter()
                .all(|t| matches!(t.fold.as_ref(), "et" | "," | "ainsi" | "que"));
        let after_victims = outcome_at[next].is_some_and(|p| p >= claims[next].end);
        if !connected || !after_victims {
            continue;
        }
        let shared = claims[next].outcome;
        for (n, c) in claims.iter_mut().enumerate().take(next).skip(k) {
            if n == k || (c.parent == Some(k) && c.outcome.is_none()) {
                c.outcome = shared;
            }
        }
    }
}

/// Reads the claims of one sentence.
pub fn find(
    lex: &Lexicon,
    tokens: &[Token],
    matches: &Matches,
    quantities: &[Quantity],
    max_count: i64,
) -> Vec<SentenceClaim> {
    if matches.iter().any(|m| matches!(m.tag, Tag::Cumulative)) {
        return Vec::new();
    }
    let mut claims: Vec<SentenceClaim> = Vec::new();
    // Where each claim's outcome word is (parallel to `claims`).
    let mut outcome_at: Vec<Option<usize>> = Vec::new();
    let mut used_outcomes: Vec<usize> = Vec::new();
    let mut last_main: Option<usize> = None;
    let mut in_subset_list = false;
    // Numbers of kilometres, years or francs are not counts and do not bound a search.
    let quantities: Vec<&Quantity> = quantities
        .iter()
        .filter(|q| {
            let mut h = q.end;
            while tokens
                .get(h)
                .is_some_and(|t| matches!(t.fold.as_ref(), "de" | "d"))
            {
                h += 1;
            }
            !matches.at(h).iter().any(|m| matches!(m.tag, Tag::Unit))
                && !matches.at(q.end).iter().any(|m| matches!(m.tag, Tag::Unit))
        })
        .collect();
    let counts: Vec<usize> = quantities.iter().map(|q| q.start).collect();
    // Which quantities belong to a subset list: "dont 15 soldats et sept supplétifs".
    let mut in_subset = vec![false; quantities.len()];
    for (n, q) in quantities.iter().enumerate() {
        in_subset[n] = subset_marker_before(tokens, q)
            || (n > 0
                && in_subset[n - 1]
                && q.start > 0
                && matches!(tokens[q.start - 1].fold.as_ref(), "et" | ","));
    }
    for (qi, q) in quantities.iter().enumerate() {
        let q = *q;
        // Not casualty figures: above `max_count`, or below zero (which no rule should give).
        let plausible = 0..=max_count;
        if q.low.is_some_and(|v| !plausible.contains(&v))
            || q.high.is_some_and(|v| !plausible.contains(&v))
        {
            continue;
        }
        // The head noun, after "de"/"d'".
        let mut h = q.end;
        while tokens.get(h).is_some_and(|t| {
            matches!(t.fold.as_ref(), "de" | "d" | "des" | "«" | "\"")
                    // "onze de ses hommes", "trois de leurs éléments"
                    || (h > q.end && matches!(t.fold.as_ref(), "ses" | "leurs" | "nos" | "ces"))
        }) {
            h += 1;
        }
        if matches.at(h).iter().any(|m| matches!(m.tag, Tag::Unit))
            || matches.at(q.end).iter().any(|m| matches!(m.tag, Tag::Unit))
        {
            continue;
        }
        // The forward search for an outcome stops at the next main quantity (subsets in
        // between, "21 civils, dont 11 enfants, ont été tués", do not stop it).
        let next_main = (qi + 1..quantities.len()).find(|&n| !in_subset[n]);
        let next_limit = next_main.map_or(tokens.len(), |n| quantities[n].start);
        // The window runs 14 tokens past the last subset of this claim.
        let window_from = (qi + 1..next_main.unwrap_or(quantities.len()))
            .map(|n| quantities[n].end)
            .max()
            .unwrap_or(0);
        let mut rules = vec![q.rule.to_string()];
        let mut group_from_noun = false;
        let mut outcome: Option<(&'static str, usize, String)> = None;
        let (group, head_end) = if let Some((o, end, rule)) = outcome_noun_at(lex, matches, h) {
            // "20 morts", "des dizaines de blessés", "12 morts parmi les civils".
            rules.push(rule);
            outcome = Some((o, h, String::new()));
            match group_after(lex, tokens, matches, end) {
                Some((g, e)) => (g, e),
                None => {
                    group_from_noun = true;
                    ("unknown", end)
                }
            }
        } else if tokens.get(h).is_some_and(|t| t.fold == "autres")
            && victim_at(lex, tokens, matches, h + 1).is_none()
        {
            // "et 12 autres blessés": the group of the previous claim.
            let Some(prev) = claims.last() else { continue };
            (prev.victim_group, h + 1)
        } else if let Some((g, end, generic, rule)) = tokens
            .get(h)
            .filter(|t| t.fold == "autres")
            .and_then(|_| victim_at(lex, tokens, matches, h + 1))
        {
            // "Quatre autres passagers": the noun after "autres".
            rules.push(rule);
            group_from_noun = generic;
            (g, end)
        } else if let Some((g, end, generic, rule)) = victim_at(lex, tokens, matches, h) {
            rules.push(rule);
            group_from_noun = generic;
            (g, end)
        } else {
            // A bare count with no noun: the second of a coordination, with its own passive
            // outcome ("23 soldats ont péri et une dizaine sont portés disparus"), takes the
            // previous claim's group; one right after an active outcome verb ("en avoir
            // neutralisé plusieurs") the group named before it.
            let bare = tokens.get(q.end).is_none_or(|t| t.kind == TokenKind::Punct);
            let coordinated = (!q.weak
                && !q.article
                && h == q.end
                && q.start > 0
                && tokens[q.start - 1].fold == "et")
                .then(|| claims.last().filter(|c| c.end < q.start))
                .flatten()
                .and_then(|prev| {
                    let limit = (q.end + 4).min(next_limit.max(q.end + 1));
                    outcome_forward(lex, tokens, matches, &counts, q.end, limit)
                        .map(|o| (prev.victim_group, o))
                });
            if let Some((g, o)) = coordinated {
                outcome = Some(o);
                (g, q.end)
            } else {
                if q.weak || q.article || h != q.end || !bare {
                    continue;
                }
                let Some(o) =
                    outcome_backward(lex, tokens, matches, q.start, q.start.saturating_sub(3))
                else {
                    continue;
                };
                let g = (0..q.start)
                    .rev()
                    .find_map(|j| {
                        victim_at(lex, tokens, matches, j)
                            .filter(|v| !v.2)
                            .map(|v| v.0)
                    })
                    .unwrap_or("unknown");
                outcome = Some(o);
                (g, q.end)
            }
        };
        // Outcome: after the victims (passive), else before them (active), else shared with
        // the previous claim of a coordination ("49 civils et 15 soldats").
        if outcome.is_none() {
            outcome = outcome_forward(
                lex,
                tokens,
                matches,
                &counts,
                head_end,
                next_limit
                    .max(head_end + 1)
                    .min(head_end.max(window_from) + 14),
            );
        }
        if outcome.is_none() {
            let floor = claims
                .last()
                .map_or(0, |c| c.end)
                .max(q.start.saturating_sub(10));
            outcome = outcome_backward(lex, tokens, matches, q.start, floor)
                .filter(|o| !used_outcomes.contains(&o.1));
        }
        if outcome.is_none() {
            if let Some(prev) = claims.last() {
                let between = &tokens[prev.end.min(q.start)..q.start];
                if between
                    .iter()
                    .all(|t| matches!(t.fold.as_ref(), "et" | "," | "ainsi" | "que"))
                {
                    outcome = prev.outcome.map(|o| (o, q.start, String::new()));
                }
            }
        }
        let own_outcome_noun = outcome_noun_at(lex, matches, h).is_some();
        let subset = subset_marker_before(tokens, q)
            || (in_subset_list
                && !own_outcome_noun
                && q.start > 0
                && tokens[q.start - 1].fold == "et");
        in_subset_list = subset;
        let parent = if subset { last_main } else { None };
        if let Some(p) = parent {
            let pc: &SentenceClaim = &claims[p];
            if pc.victim_group == group {
                continue;
            }
            if !own_outcome_noun {
                outcome = pc.outcome.map(|o| (o, q.start, String::new()));
            }
        }
        if let Some((_, pos, rule)) = &outcome {
            used_outcomes.push(*pos);
            if !rule.is_empty() {
                rules.push(rule.clone());
            }
        }
        let (low, high, qualifier) = if q.article && parent.is_some() {
            (Some(2), None, "vague")
        } else if q.article {
            (None, None, "none")
        } else {
            (q.low, q.high, q.qualifier)
        };
        // A weak "un"/"une" or bare "des" needs its noun right after it.
        if (q.weak || q.article) && group_from_noun && outcome.is_none() {
            continue;
        }
        outcome_at.push(outcome.as_ref().map(|o| o.1));
        claims.push(SentenceClaim {
            victim_group: group,
            outcome: outcome.map(|o| o.0),
            low,
            high,
            qualifier,
            start: q.start,
            end: head_end,
            parent,
            rules,
            group_from_noun,
        });
        if parent.is_none() {
            last_main = Some(claims.len() - 1);
        }
    }
    share_coordinated_outcome(tokens, &mut claims, &outcome_at);
    // Zero statements: "aucune victime", "pas de victime" (once for nested phrasings).
    let mut zero_end = 0;
    for m in matches {
        if let Tag::Zero { outcome, rule } = m.tag {
            if m.start < zero_end {
                continue;
            }
            zero_end = m.end;
            let group = victim_at(lex, tokens, matches, m.end)
                .filter(|v| !v.2)
                .map_or("unknown", |v| v.0);
            claims.push(SentenceClaim {
                victim_group: group,
                outcome: Some(outcome),
                low: Some(0),
                high: Some(0),
                qualifier: "exact",
                start: m.start,
                end: m.end,
                parent: None,
                rules: vec![lex.rule_id(rule).to_string()],
                group_from_noun: false,
            });
            used_outcomes.extend(m.start..m.end);
        }
    }
    // Groups hit without a count: "les troupes ... ont subi de lourdes pertes".
    for m in matches {
        let Tag::Outcome {
            outcome,
            form,
            rule,
        } = m.tag
        else {
            continue;
        };
        let usable = match form {
            Form::Subject => true,
            Form::Participle => passive(tokens, m.start, &counts),
            _ => false,
        };
        if !usable || used_outcomes.iter().any(|&u| u >= m.start && u < m.end) {
            continue;
        }
        if claims.iter().any(|c| c.start <= m.start && m.start < c.end) {
            continue;
        }
        let negated = tokens[m.start.saturating_sub(3)..m.start].iter().any(|t| {
            matches!(
                t.fold.as_ref(),
                "pas" | "jamais" | "aucun" | "aucune" | "ni" | "sans"
            )
        });
        if negated {
            continue;
        }
        let floor = m.start.saturating_sub(16);
        let mut j = m.start;
        let mut found = None;
        while j > floor {
            j -= 1;
            if is_clause_end(&tokens[j]) || claims.iter().any(|c| c.start <= j && j < c.end) {
                break;
            }
            if let Some(v) = victim_at(lex, tokens, matches, j).filter(|v| !v.2) {
                found = Some((j, v));
            }
        }
        if let Some((j, (g, end, _, vrule))) = found {
            used_outcomes.push(m.start);
            claims.push(SentenceClaim {
                victim_group: g,
                outcome: Some(outcome),
                low: None,
                high: None,
                qualifier: "none",
                start: j,
                end: end.max(m.end),
                parent: None,
                rules: vec![vrule, lex.rule_id(rule).to_string()],
                group_from_noun: false,
            });
        }
    }
    claims
}
