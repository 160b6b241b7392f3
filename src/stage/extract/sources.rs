//! Attribution: who asserts a claim. Finds "selon X" / "d'après X" / "de source X", speech
//! verbs with their subject before ("X a affirmé") or after (", a indiqué X", "affirment les
//! séparatistes"), denials ("dément"), and pronouns that refer back ("a-t-il précisé").

use crate::reference::lexicon::{actor_source_kind, source_kind};
use crate::reference::text::{span_text, Token};
use crate::reference::{Lexicon, Match, Tag};

/// Who asserts, as found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Token position of the cue, for choosing the nearest attribution.
    pub cue: usize,
    pub text: Option<String>,
    pub kind: &'static str,
    pub actor: Option<String>,
    pub denies: bool,
    /// The source is a pronoun: resolved from the previous sentence.
    pub pronoun: bool,
    pub rule: String,
}

fn is_boundary(t: &Token) -> bool {
    matches!(
        t.text,
        "," | "." | ";" | ":" | "«" | "»" | "\"" | "(" | ")" | "?" | "!"
    )
}

const DETERMINERS: [&str; 14] = [
    "un", "une", "le", "la", "l", "les", "des", "du", "d", "de", "ce", "cette", "ces", "leur",
];

/// Words that end a source's noun phrase.
const STOP_NP: [&str; 16] = [
    "qui", "que", "qu", "dont", "a", "ont", "avait", "avaient", "est", "sont", "selon", "sur",
    "lors", "dans", "pour", "et",
];

const PARTY_KINDS: [&str; 5] = [
    "state",
    "state_ally",
    "armed_group",
    "communal_militia",
    "government",
];

/// Classifies the noun phrase tokens [start, end) of a source.
fn classify(
    lex: &Lexicon,
    sentence: &str,
    tokens: &[Token],
    matches: &[Match],
    start: usize,
    end: usize,
) -> Option<(String, &'static str, Option<String>, String)> {
    if start >= end {
        return None;
    }
    let best = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .filter(|m| matches!(m.tag, Tag::Actor(_) | Tag::Source(_)))
        // The most specific phrase wins: a named kind over a bare "source", then the longest,
        // then the leftmost.
        .max_by_key(|m| {
            let generic = matches!(m.tag, Tag::Source(i) if lex.sources[i].kind == "unattributed");
            (!generic, m.end - m.start, std::cmp::Reverse(m.start))
        })?;
    // The source as written: the matched phrase with its determiner and the nouns it heads
    // ("un responsable d'une ONG locale"), not the verb or clause before it.
    let mut from = best.start;
    while from > start && DETERMINERS.contains(&tokens[from - 1].fold.as_ref()) {
        from -= 1;
    }
    let head = (start..best.start)
        .rev()
        .take_while(|&j| tokens[j].kind != crate::reference::text::TokenKind::Punct)
        .find(|&j| {
            matches!(
                tokens[j].fold.as_ref(),
                "un" | "une" | "le" | "la" | "les" | "des"
            )
        });
    if let Some(h) = head
        .filter(|&h| best.start - h <= 4 && !tokens[h..best.start].iter().any(|t| t.fold == "que"))
    {
        from = from.min(h);
    }
    // ... up to the end of its noun phrase: "un élu local", "des sources concordantes", but
    // not the relative clause after it ("les séparatistes qui font état de ...").
    let mut to = best.end;
    while to < end
        && to < best.end + 4
        && tokens[to].kind == crate::reference::text::TokenKind::Word
        && !STOP_NP.contains(&tokens[to].fold.as_ref())
        && !matches.iter().any(|m| {
            m.start == to
                && matches!(
                    m.tag,
                    Tag::AttrVerb
                        | Tag::AttrDenial
                        | Tag::AttrPrep
                        | Tag::AttrAside
                        | Tag::Outcome { .. }
                        | Tag::Actor(_)
                        | Tag::Source(_)
                        | Tag::Weekday(_)
                )
        })
    {
        to += 1;
    }
    let text = span_text(sentence, tokens, from, to).to_string();
    match best.tag {
        Tag::Actor(i) => {
            let a = &lex.actors[i];
            let party = PARTY_KINDS.contains(&a.kind.as_str());
            Some((
                text,
                actor_source_kind(&a.kind),
                party.then(|| a.id.clone()),
                a.id.clone(),
            ))
        }
        Tag::Source(i) => {
            let s = &lex.sources[i];
            Some((text, source_kind(&s.kind), None, s.id.clone()))
        }
        _ => None,
    }
}

fn np_after(tokens: &[Token], from: usize) -> usize {
    let mut end = from;
    while end < tokens.len() && end < from + 14 && !is_boundary(&tokens[end]) {
        end += 1;
    }
    end
}

fn np_before(tokens: &[Token], to: usize) -> usize {
    let mut start = to;
    while start > 0 && to - start < 12 && !is_boundary(&tokens[start - 1]) {
        start -= 1;
    }
    start
}

/// Where the subject before a verb at `verb` ends when an aside set off by commas stands
/// between them: a short run of plain words that opens with a listed aside (", de son côté,",
/// ", dans un communiqué,", ", joint par téléphone,").
fn aside_before(tokens: &[Token], matches: &[Match], verb: usize) -> Option<usize> {
    if verb < 3 || tokens[verb - 1].text != "," {
        return None;
    }
    let comma = (verb.saturating_sub(9)..verb - 1)
        .rev()
        .find(|&j| tokens[j].text == ",")?;
    let plain = tokens[comma + 1..verb - 1]
        .iter()
        .all(|t| t.kind == crate::reference::text::TokenKind::Word);
    let opens = matches
        .iter()
        .any(|a| matches!(a.tag, Tag::AttrAside) && a.start == comma + 1 && a.end < verb);
    (plain && opens).then_some(comma)
}

/// Every attribution in a sentence.
pub fn find(
    lex: &Lexicon,
    sentence: &str,
    tokens: &[Token],
    matches: &[Match],
) -> Vec<Attribution> {
    let mut out = Vec::new();
    for m in matches {
        let (denies, verb) = match m.tag {
            Tag::AttrPrep => (false, false),
            Tag::AttrVerb => (false, true),
            Tag::AttrDenial => (true, true),
            _ => continue,
        };
        let cue_text = tokens[m.start..m.end]
            .iter()
            .map(|t| t.fold.as_ref())
            .collect::<Vec<_>>();
        let inverted = cue_text
            .iter()
            .any(|w| matches!(*w, "il" | "elle" | "ils" | "elles"));
        let found = if !verb {
            // "de source sécuritaire": the cue is part of the phrase.
            let start = if cue_text.contains(&"source") || cue_text.contains(&"sources") {
                m.start
            } else {
                m.end
            };
            classify(
                lex,
                sentence,
                tokens,
                matches,
                start,
                np_after(tokens, m.end),
            )
        } else if inverted {
            None
        } else {
            // "Amnesty International, de son côté, évoque ...": the subject is before the aside.
            let before_aside = aside_before(tokens, matches, m.start)
                .and_then(|e| classify(lex, sentence, tokens, matches, np_before(tokens, e), e));
            let after_quote = m.start > 0 && is_boundary(&tokens[m.start - 1]);
            let before = classify(
                lex,
                sentence,
                tokens,
                matches,
                np_before(tokens, m.start),
                m.start,
            );
            // The subject after the verb ends where a count or an outcome begins: in "annonce
            // la mort de 12 terroristes" the terrorists are the victims, not the speaker.
            let np_end = np_after(tokens, m.end);
            let after_end = (m.end..np_end)
                .find(|&j| {
                    tokens[j].kind == crate::reference::text::TokenKind::Number
                        || matches
                            .iter()
                            .any(|o| o.start == j && matches!(o.tag, Tag::Outcome { .. }))
                })
                .unwrap_or(np_end);
            let after = classify(lex, sentence, tokens, matches, m.end, after_end);
            if let Some(b) = before_aside {
                Some(b)
            } else if after_quote {
                // ", dit un communiqué signé X, porte-parole des rebelles": the speaker may
                // come after an apposition.
                after
                    .or(before)
                    .or_else(|| classify(lex, sentence, tokens, matches, m.end, tokens.len()))
            } else {
                before.or(after)
            }
        };
        let np_pronoun = !verb
            || matches.iter().any(|p| {
                matches!(p.tag, Tag::AttrPronoun)
                    && (p.end == m.start
                        || (p.start >= np_before(tokens, m.start) && p.end <= m.start))
            });
        // "selon la même source", "précise le communiqué": the source named before, unless a
        // named party follows at once ("le communiqué de l'armée").
        let anaphor = matches.iter().any(|a| {
            let placed = a.start == m.end
                || (verb && !inverted && a.end == m.start)
                || (!verb && a.start == m.end + 1 && tokens[m.end].text == ",");
            matches!(a.tag, Tag::AttrAnaphor)
                && placed
                && !matches.iter().any(|n| {
                    matches!(n.tag, Tag::Actor(_) | Tag::Source(_))
                        && n.start >= a.end
                        && n.start <= a.end + 2
                })
        });
        let found = if anaphor { None } else { found };
        match found {
            Some((text, kind, actor, rule)) => out.push(Attribution {
                cue: m.start,
                text: Some(text),
                kind,
                actor,
                denies,
                pronoun: false,
                rule,
            }),
            None if inverted || anaphor || (verb && np_pronoun) => out.push(Attribution {
                cue: m.start,
                text: None,
                kind: "unattributed",
                actor: None,
                denies,
                pronoun: true,
                rule: "att-pronoun".into(),
            }),
            None if denies => out.push(Attribution {
                cue: m.start,
                text: None,
                kind: "unattributed",
                actor: None,
                denies,
                pronoun: false,
                rule: "att-denial".into(),
            }),
            None => {}
        }
    }
    // Overlapping cues ("a revendiqué" inside "a-t-on appris ... revendiqué"): keep one per position.
    out.dedup_by(|a, b| a.cue == b.cue);
    out
}

/// The attribution governing a claim whose words start at token `pos`: the nearest one.
pub fn nearest(attributions: &[Attribution], pos: usize) -> Option<&Attribution> {
    attributions
        .iter()
        .min_by_key(|a| (a.cue.abs_diff(pos), a.cue))
}
