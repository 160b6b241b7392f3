//! The lexicons, compiled into one phrase matcher. Each phrase maps to one or more [`Tag`]s
//! (a word can be an outcome and a trigger at once: "enlevés").
//!
//! Phrases are matched on whole tokens: a phrase is the sequence of its tokens' folds, and the
//! matcher is a trie over folded words, walked from every token of a sentence. Each token's
//! fold is looked up once, so a sentence costs one hash lookup per token and a step per token
//! of each phrase that actually starts there; a byte automaton over the sentence would also
//! report, and have to discard, every phrase found inside a longer word.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::read_toml;
use super::text::{phrase_key, Token};
use crate::error::ReferenceError;

/// What a matched phrase means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tag {
    Outcome {
        outcome: &'static str,
        form: Form,
        rule: usize,
    },
    Victim {
        group: &'static str,
        member: bool,
        rule: usize,
    },
    Actor(usize),
    Source(usize),
    Modifier {
        qualifier: &'static str,
        offset: i64,
        rule: usize,
    },
    RangeOpen,
    RangeJoin,
    Approx {
        value: i64,
        plural: bool,
        plural_low: i64,
    },
    SingularArticle,
    PluralArticle,
    Vague {
        low: i64,
        article: bool,
        rule: usize,
    },
    Zero {
        outcome: &'static str,
        rule: usize,
    },
    Cumulative,
    /// A toll for several attacks at once; `incidents` is how many (0: all of the article's
    /// incidents on the same dates).
    Combined {
        incidents: i64,
    },
    Unit,
    Trigger(usize),
    AttrPrep,
    AttrVerb,
    AttrDenial,
    AttrPronoun,
    AttrAside,
    AttrAnaphor,
    OwnSide,
    Month(i8),
    Weekday(i8),
    RelativeDay(i64),
    LastWeek,
    MonthPart {
        first: i8,
        last: i8,
    },
    Night,
    Weekend,
    RangeOpenDate,
    RangeJoinDate,
    DayPart,
    StatementMarker,
    RecallMarker,
    SameDay,
    Locative,
    Admin1Cue,
    Admin2Cue,
    DistanceUnit,
    Direction(i64),
    Near,
    SourcePlace,
    NotPlace,
}

/// How an outcome word relates to its victims (see lexicon/outcomes.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Participle,
    Subject,
    Object,
    Noun,
}

/// One phrase found in a sentence: token range [start, end) and what it means.
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub tag: Tag,
}

/// A sentence's lexicon matches, sorted by start then longest first, indexed by the token
/// they start at: the finders ask each position for its matches several times over, and each
/// answer is a slice found without a search. Derefs to the matches in order.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    all: Vec<Match>,
    /// `first[i]..first[i + 1]` are the matches starting at token `i`.
    first: Vec<usize>,
}

impl Matches {
    /// `all` sorted by start, in a sentence of `tokens` tokens.
    fn new(all: Vec<Match>, tokens: usize) -> Matches {
        let mut first = Vec::with_capacity(tokens + 2);
        let mut k = 0;
        for i in 0..=tokens + 1 {
            while all.get(k).is_some_and(|m| m.start < i) {
                k += 1;
            }
            first.push(k);
        }
        Matches { all, first }
    }

    /// The matches starting at token `i`, longest first (none past the sentence's end).
    pub fn at(&self, i: usize) -> &[Match] {
        let bound = |i: usize| self.first.get(i).copied().unwrap_or(self.all.len());
        &self.all[bound(i)..bound(i + 1)]
    }
}

impl std::ops::Deref for Matches {
    type Target = [Match];

    fn deref(&self) -> &[Match] {
        &self.all
    }
}

impl<'a> IntoIterator for &'a Matches {
    type Item = &'a Match;
    type IntoIter = std::slice::Iter<'a, Match>;

    fn into_iter(self) -> Self::IntoIter {
        self.all.iter()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub country: String,
    pub victim_group: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub id: String,
    pub kind: String,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub id: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub priority: i64,
    pub terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorFile {
    actor: Vec<Actor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    source: Vec<SourceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeEntry {
    id: String,
    outcome: String,
    form: Form,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeFile {
    outcome: Vec<OutcomeEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimEntry {
    id: String,
    group: String,
    #[serde(default)]
    member: bool,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimFile {
    victim: Vec<VictimEntry>,
    own_side: TermsEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermsEntry {
    #[allow(dead_code)]
    id: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModifierEntry {
    id: String,
    qualifier: String,
    offset: i64,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeEntry {
    #[allow(dead_code)]
    id: String,
    open: Vec<String>,
    join: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproxNoun {
    terms: Vec<String>,
    value: i64,
    plural: Vec<String>,
    plural_low: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproxEntry {
    #[allow(dead_code)]
    id: String,
    nouns: Vec<ApproxNoun>,
    singular_articles: Vec<String>,
    plural_articles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VagueEntry {
    id: String,
    low: i64,
    #[serde(default)]
    article: bool,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ZeroEntry {
    id: String,
    outcome: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuantityFile {
    modifier: Vec<ModifierEntry>,
    range: RangeEntry,
    approximate: Vec<ApproxEntry>,
    vague: Vec<VagueEntry>,
    zero: Vec<ZeroEntry>,
    cumulative: TermsEntry,
    combined: CombinedEntry,
    units: TermsEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CombinedEntry {
    #[allow(dead_code)]
    id: String,
    nouns: Vec<String>,
    counts: Vec<CombinedCount>,
    all: CombinedAll,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CombinedCount {
    value: i64,
    words: Vec<String>,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CombinedAll {
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerFile {
    trigger: Vec<Trigger>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionFile {
    prepositions: TermsEntry,
    verbs: TermsEntry,
    denials: TermsEntry,
    pronouns: TermsEntry,
    asides: TermsEntry,
    anaphors: TermsEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelativeDay {
    terms: Vec<String>,
    offset: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MonthPart {
    terms: Vec<String>,
    first: i8,
    last: i8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DateFile {
    months: Vec<String>,
    month_abbreviations: Vec<String>,
    weekdays: Vec<String>,
    relative_days: Vec<RelativeDay>,
    last_week: Vec<String>,
    month_parts: Vec<MonthPart>,
    night: Vec<String>,
    weekend: Vec<String>,
    range_open: Vec<String>,
    range_join: Vec<String>,
    day_parts: Vec<String>,
    statement_markers: Vec<String>,
    recall_markers: Vec<String>,
    same_day: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Direction {
    terms: Vec<String>,
    bearing: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceFile {
    locatives: Vec<String>,
    admin1_cues: Vec<String>,
    admin2_cues: Vec<String>,
    distance_units: Vec<String>,
    directions: Vec<Direction>,
    near: Vec<String>,
    source_places: Vec<String>,
    not_places: Vec<String>,
}

const GROUPS: [&str; 6] = [
    "civilians",
    "children",
    "women",
    "security_forces",
    "militants",
    "unknown",
];
const OUTCOMES: [&str; 4] = ["killed", "injured", "captured", "missing"];
const QUALIFIERS: [&str; 7] = [
    "exact", "at_least", "at_most", "approx", "range", "vague", "none",
];
const ACTOR_KINDS: [&str; 8] = [
    "state",
    "state_ally",
    "armed_group",
    "communal_militia",
    "international",
    "ngo",
    "media",
    "government",
];
const SOURCE_KINDS: [&str; 7] = [
    "state",
    "armed_group",
    "local",
    "ngo",
    "international",
    "media",
    "unattributed",
];

fn interned(set: &[&'static str], v: &str) -> Option<&'static str> {
    set.iter().copied().find(|s| *s == v)
}

/// The compiled lexicons.
pub struct Lexicon {
    phrases: PhraseTrie,
    /// Per pattern, its tags; a tag with a spelling matches only words written exactly so
    /// (accents included, case aside).
    tags: Vec<Vec<(Tag, Option<String>)>>,
    /// Rule ids, indexed by the `rule` fields of tags.
    pub rules: Vec<&'static str>,
    pub actors: Vec<Actor>,
    pub sources: Vec<SourceEntry>,
    pub triggers: Vec<Trigger>,
    /// What mention rows cite of the entries above, interned ([`super::intern`]).
    pub labels: Labels,
}

/// The values and rule ids that mention rows cite of the lexicon's entries, by entry index,
/// as strings rows can borrow for as long as they live.
#[derive(Debug, Default)]
pub struct Labels {
    pub actor_ids: Vec<&'static str>,
    pub source_ids: Vec<&'static str>,
    pub source_kinds: Vec<&'static str>,
    pub trigger_ids: Vec<&'static str>,
    /// "event type / sub-event type".
    pub trigger_types: Vec<&'static str>,
}

/// The phrases as a trie over folded words: node 0 is the root, and a node is where a
/// sequence of words from the root leads.
struct PhraseTrie {
    /// Every word of some phrase, by fold.
    words: ahash::AHashMap<Box<str>, Word>,
    /// The node a word (by id) leads to from a node other than the root.
    next: ahash::AHashMap<(u32, u32), u32>,
    /// Per node, the phrase (pattern index) that ends there, if any.
    ends: Vec<Option<u32>>,
}

/// A word of the phrases: its id, and the node it leads to from the root if a phrase starts
/// with it (kept here so that a sentence's token costs one lookup to know both).
#[derive(Clone, Copy)]
struct Word {
    id: u32,
    first: Option<u32>,
}

impl PhraseTrie {
    /// The trie of phrase keys (folds joined by single spaces), pattern `i` being `keys[i]`.
    fn new(keys: &[String]) -> PhraseTrie {
        let mut trie = PhraseTrie {
            words: ahash::AHashMap::new(),
            next: ahash::AHashMap::new(),
            ends: vec![None],
        };
        for (pattern, key) in keys.iter().enumerate() {
            let mut node = 0;
            for word in key.split(' ') {
                let id = trie.words.len() as u32;
                let word = trie
                    .words
                    .entry(word.into())
                    .or_insert(Word { id, first: None });
                let fresh = trie.ends.len() as u32;
                node = if node == 0 {
                    *word.first.get_or_insert(fresh)
                } else {
                    *trie.next.entry((node, word.id)).or_insert(fresh)
                };
                if node == fresh {
                    trie.ends.push(None);
                }
            }
            trie.ends[node as usize] = Some(pattern as u32);
        }
        trie
    }
}

#[derive(Default)]
struct Builder {
    keys: HashMap<String, usize>,
    /// Phrase keys, by pattern index.
    patterns: Vec<String>,
    tags: Vec<Vec<(Tag, Option<String>)>>,
    rules: Vec<&'static str>,
}

impl Builder {
    /// Adds a phrase. Matching ignores case, accents, hyphens and apostrophes, except for a
    /// phrase written with a leading `=`, which must match its accents too ("=frappe" is the
    /// noun, not the participle "frappé").
    fn add(&mut self, phrase: &str, tag: Tag) {
        let (phrase, exact) = match phrase.strip_prefix('=') {
            Some(p) => (p, Some(exact_key(p))),
            None => (phrase, None),
        };
        let key = phrase_key(phrase);
        if key.is_empty() {
            return;
        }
        let idx = *self.keys.entry(key.clone()).or_insert_with(|| {
            self.patterns.push(key.clone());
            self.tags.push(Vec::new());
            self.patterns.len() - 1
        });
        let entry = (tag, exact);
        if !self.tags[idx].contains(&entry) {
            self.tags[idx].push(entry);
        }
    }

    fn add_all(&mut self, phrases: &[String], tag: Tag) {
        for p in phrases {
            self.add(p, tag);
        }
    }

    fn rule(&mut self, id: &str) -> usize {
        self.rules.push(super::intern(id));
        self.rules.len() - 1
    }

    /// The lexicon of the phrases added, with the entries their tags index.
    fn finish(
        self,
        actors: Vec<Actor>,
        sources: Vec<SourceEntry>,
        triggers: Vec<Trigger>,
    ) -> Lexicon {
        let labels = Labels {
            actor_ids: actors.iter().map(|a| super::intern(&a.id)).collect(),
            source_ids: sources.iter().map(|s| super::intern(&s.id)).collect(),
            source_kinds: sources.iter().map(|s| super::intern(&s.kind)).collect(),
            trigger_ids: triggers.iter().map(|t| super::intern(&t.id)).collect(),
            trigger_types: triggers
                .iter()
                .map(|t| super::intern(&format!("{} / {}", t.event_type, t.sub_event_type)))
                .collect(),
        };
        Lexicon {
            phrases: PhraseTrie::new(&self.patterns),
            tags: self.tags,
            rules: self.rules,
            actors,
            sources,
            triggers,
            labels,
        }
    }
}

impl Lexicon {
    pub fn load(dir: &Path) -> Result<Lexicon, ReferenceError> {
        let lex = dir.join("lexicon");
        let invalid = |file: &str, message: String| ReferenceError::Invalid {
            path: dir.join(file),
            line: 1,
            message,
        };
        let mut b = Builder::default();
        let outcomes: OutcomeFile = read_toml(lex.join("outcomes.toml"))?;
        for e in outcomes.outcome {
            let outcome = interned(&OUTCOMES, &e.outcome).ok_or_else(|| {
                invalid(
                    "lexicon/outcomes.toml",
                    format!("{}: unknown outcome {}", e.id, e.outcome),
                )
            })?;
            let rule = b.rule(&e.id);
            b.add_all(
                &e.terms,
                Tag::Outcome {
                    outcome,
                    form: e.form,
                    rule,
                },
            );
        }
        let victims: VictimFile = read_toml(lex.join("victims.toml"))?;
        for e in victims.victim {
            let group = interned(&GROUPS, &e.group).ok_or_else(|| {
                invalid(
                    "lexicon/victims.toml",
                    format!("{}: unknown group {}", e.id, e.group),
                )
            })?;
            let rule = b.rule(&e.id);
            b.add_all(
                &e.terms,
                Tag::Victim {
                    group,
                    member: e.member,
                    rule,
                },
            );
        }
        b.add_all(&victims.own_side.terms, Tag::OwnSide);
        let actors: ActorFile = read_toml(dir.join("actors.toml"))?;
        let mut ids = BTreeSet::new();
        for (i, a) in actors.actor.iter().enumerate() {
            if !ids.insert(a.id.clone()) {
                return Err(invalid("actors.toml", format!("duplicate id {}", a.id)));
            }
            if !ACTOR_KINDS.contains(&a.kind.as_str()) {
                return Err(invalid(
                    "actors.toml",
                    format!("{}: unknown kind {}", a.id, a.kind),
                ));
            }
            if !a.victim_group.is_empty() && !GROUPS.contains(&a.victim_group.as_str()) {
                return Err(invalid(
                    "actors.toml",
                    format!("{}: unknown victim_group {}", a.id, a.victim_group),
                ));
            }
            b.add_all(&a.aliases, Tag::Actor(i));
        }
        let sources: SourceFile = read_toml(dir.join("sources.toml"))?;
        for (i, s) in sources.source.iter().enumerate() {
            if !ids.insert(s.id.clone()) {
                return Err(invalid("sources.toml", format!("duplicate id {}", s.id)));
            }
            if !SOURCE_KINDS.contains(&s.kind.as_str()) {
                return Err(invalid(
                    "sources.toml",
                    format!("{}: unknown kind {}", s.id, s.kind),
                ));
            }
            b.add_all(&s.aliases, Tag::Source(i));
        }
        let q: QuantityFile = read_toml(lex.join("quantities.toml"))?;
        for m in &q.modifier {
            let qualifier = interned(&QUALIFIERS, &m.qualifier).ok_or_else(|| {
                invalid(
                    "lexicon/quantities.toml",
                    format!("{}: unknown qualifier", m.id),
                )
            })?;
            let rule = b.rule(&m.id);
            b.add_all(
                &m.terms,
                Tag::Modifier {
                    qualifier,
                    offset: m.offset,
                    rule,
                },
            );
        }
        b.add_all(&q.range.open, Tag::RangeOpen);
        b.add_all(&q.range.join, Tag::RangeJoin);
        for a in &q.approximate {
            for n in &a.nouns {
                b.add_all(
                    &n.terms,
                    Tag::Approx {
                        value: n.value,
                        plural: false,
                        plural_low: n.plural_low,
                    },
                );
                b.add_all(
                    &n.plural,
                    Tag::Approx {
                        value: n.value,
                        plural: true,
                        plural_low: n.plural_low,
                    },
                );
            }
            b.add_all(&a.singular_articles, Tag::SingularArticle);
            b.add_all(&a.plural_articles, Tag::PluralArticle);
        }
        for v in &q.vague {
            let rule = b.rule(&v.id);
            b.add_all(
                &v.terms,
                Tag::Vague {
                    low: v.low,
                    article: v.article,
                    rule,
                },
            );
        }
        for z in &q.zero {
            let outcome = interned(&OUTCOMES, &z.outcome).ok_or_else(|| {
                invalid(
                    "lexicon/quantities.toml",
                    format!("{}: unknown outcome", z.id),
                )
            })?;
            let rule = b.rule(&z.id);
            b.add_all(&z.terms, Tag::Zero { outcome, rule });
        }
        b.add_all(&q.cumulative.terms, Tag::Cumulative);
        for c in &q.combined.counts {
            if c.value < 2 {
                return Err(invalid(
                    "lexicon/quantities.toml",
                    format!("combined.counts: value {} covers fewer than two", c.value),
                ));
            }
            let tag = Tag::Combined { incidents: c.value };
            for w in &c.words {
                for n in &q.combined.nouns {
                    b.add(&format!("{w} {n}"), tag);
                }
            }
            b.add_all(&c.terms, tag);
        }
        b.add_all(&q.combined.all.terms, Tag::Combined { incidents: 0 });
        b.add_all(&q.units.terms, Tag::Unit);
        let t: TriggerFile = read_toml(lex.join("triggers.toml"))?;
        for (i, trg) in t.trigger.iter().enumerate() {
            b.add_all(&trg.terms, Tag::Trigger(i));
        }
        let a: AttributionFile = read_toml(lex.join("attribution.toml"))?;
        b.add_all(&a.prepositions.terms, Tag::AttrPrep);
        b.add_all(&a.verbs.terms, Tag::AttrVerb);
        b.add_all(&a.denials.terms, Tag::AttrDenial);
        b.add_all(&a.pronouns.terms, Tag::AttrPronoun);
        b.add_all(&a.asides.terms, Tag::AttrAside);
        b.add_all(&a.anaphors.terms, Tag::AttrAnaphor);
        let d: DateFile = read_toml(lex.join("dates.toml"))?;
        if d.months.len() != 12 || d.month_abbreviations.len() != 12 || d.weekdays.len() != 7 {
            return Err(invalid(
                "lexicon/dates.toml",
                "need 12 months, 12 abbreviations and 7 weekdays".into(),
            ));
        }
        for (i, m) in d.months.iter().chain(&d.month_abbreviations).enumerate() {
            b.add(m, Tag::Month((i % 12) as i8 + 1));
        }
        for (i, w) in d.weekdays.iter().enumerate() {
            b.add(w, Tag::Weekday(i as i8));
        }
        for r in &d.relative_days {
            b.add_all(&r.terms, Tag::RelativeDay(r.offset));
        }
        b.add_all(&d.last_week, Tag::LastWeek);
        for p in &d.month_parts {
            b.add_all(
                &p.terms,
                Tag::MonthPart {
                    first: p.first,
                    last: p.last,
                },
            );
        }
        b.add_all(&d.night, Tag::Night);
        b.add_all(&d.weekend, Tag::Weekend);
        b.add_all(&d.range_open, Tag::RangeOpenDate);
        b.add_all(&d.range_join, Tag::RangeJoinDate);
        b.add_all(&d.day_parts, Tag::DayPart);
        b.add_all(&d.statement_markers, Tag::StatementMarker);
        b.add_all(&d.recall_markers, Tag::RecallMarker);
        b.add_all(&d.same_day, Tag::SameDay);
        let p: PlaceFile = read_toml(lex.join("places.toml"))?;
        b.add_all(&p.locatives, Tag::Locative);
        b.add_all(&p.admin1_cues, Tag::Admin1Cue);
        b.add_all(&p.admin2_cues, Tag::Admin2Cue);
        b.add_all(&p.distance_units, Tag::DistanceUnit);
        for dir in &p.directions {
            b.add_all(&dir.terms, Tag::Direction(dir.bearing));
        }
        b.add_all(&p.near, Tag::Near);
        b.add_all(&p.source_places, Tag::SourcePlace);
        b.add_all(&p.not_places, Tag::NotPlace);
        Ok(b.finish(actors.actor, sources.source, t.trigger))
    }

    /// Every lexicon phrase in a token sequence, overlapping matches included, sorted by
    /// start then longest first.
    pub fn scan(&self, tokens: &[Token]) -> Matches {
        let trie = &self.phrases;
        let words: Vec<Option<Word>> = tokens
            .iter()
            .map(|t| trie.words.get(&*t.fold).copied())
            .collect();
        let mut out = Vec::new();
        // The phrases found at one start, shortest first, as (pattern, end).
        let mut found: Vec<(u32, usize)> = Vec::new();
        for (s, word) in words.iter().enumerate() {
            let Some(mut node) = word.and_then(|w| w.first) else {
                continue;
            };
            let mut e = s;
            loop {
                if let Some(pattern) = trie.ends[node as usize] {
                    found.push((pattern, e + 1));
                }
                e += 1;
                match words.get(e).copied().flatten() {
                    Some(w) => match trie.next.get(&(node, w.id)) {
                        Some(&n) => node = n,
                        None => break,
                    },
                    None => break,
                }
            }
            // Matches go by start, then longest first; one phrase ends at each (start, end),
            // and its tags keep their order.
            for (pattern, end) in found.drain(..).rev() {
                self.push_tags(pattern, tokens, s, end, &mut out);
            }
        }
        Matches::new(out, tokens.len())
    }

    /// The tags of phrase `pattern` found at tokens `s..e`.
    fn push_tags(&self, pattern: u32, tokens: &[Token], s: usize, e: usize, out: &mut Vec<Match>) {
        for (tag, exact) in &self.tags[pattern as usize] {
            if exact
                .as_ref()
                .is_some_and(|x| *x != exact_key_of(tokens[s..e].iter().map(|t| t.text)))
            {
                continue;
            }
            out.push(Match {
                start: s,
                end: e,
                tag: *tag,
            });
        }
    }

    pub fn rule_id(&self, rule: usize) -> &'static str {
        self.rules[rule]
    }
}

/// How a phrase must be spelled to match an exact (`=`) lexicon entry: its words in lower
/// case, accents kept, one space apart.
fn exact_key(phrase: &str) -> String {
    let tokens = super::text::tokenize(phrase);
    exact_key_of(tokens.iter().map(|t| t.text))
}

fn exact_key_of<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// The codebook source_kind of an actor kind.
pub fn actor_source_kind(kind: &str) -> &'static str {
    match kind {
        "state" | "state_ally" | "government" => "state",
        "armed_group" | "communal_militia" => "armed_group",
        "international" => "international",
        "ngo" => "ngo",
        "media" => "media",
        _ => "unattributed",
    }
}

/// The interned source kind of a sources.toml entry.
pub fn source_kind(kind: &str) -> &'static str {
    interned(&SOURCE_KINDS, kind).unwrap_or("unattributed")
}

/// The interned victim group of an actor ("" if none).
pub fn victim_group(group: &str) -> Option<&'static str> {
    interned(&GROUPS, group)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::text::tokenize;

    /// A lexicon of the given phrases only, built as `Lexicon::load` builds the real one.
    fn lexicon(phrases: &[(&str, Tag)]) -> Lexicon {
        let mut b = Builder::default();
        for (phrase, tag) in phrases {
            b.add(phrase, *tag);
        }
        b.finish(Vec::new(), Vec::new(), Vec::new())
    }

    /// What `scan` finds in `sentence`: each match's words as written, and its tag, in the
    /// order `scan` gives them.
    #[track_caller]
    fn case(lex: &Lexicon, sentence: &str, want: &[(&str, Tag)]) {
        let tokens = tokenize(sentence);
        let got: Vec<(String, Tag)> = lex
            .scan(&tokens)
            .iter()
            .map(|m| {
                let words: Vec<&str> = tokens[m.start..m.end].iter().map(|t| t.text).collect();
                (words.join(" "), m.tag)
            })
            .collect();
        let want: Vec<(String, Tag)> = want.iter().map(|(w, t)| (w.to_string(), *t)).collect();
        assert_eq!(got, want, "in {sentence:?}");
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let lex = lexicon(&[("mort", Tag::Cumulative), ("de faim", Tag::Unit)]);
        case(
            &lex,
            "La mortalité de famine baisse ; un mort de faim.",
            &[("mort", Tag::Cumulative), ("de faim", Tag::Unit)],
        );
        case(&lex, "Immortels, defaim.", &[]);
    }

    #[test]
    fn nested_and_overlapping_phrases_are_all_found_longest_first_at_each_start() {
        let lex = lexicon(&[
            ("la mort de", Tag::Unit),
            ("mort", Tag::Cumulative),
            ("mort de faim", Tag::Near),
        ]);
        case(
            &lex,
            "Après la mort de faim de trois enfants",
            &[
                ("la mort de", Tag::Unit),
                ("mort de faim", Tag::Near),
                ("mort", Tag::Cumulative),
            ],
        );
        // A phrase cut short by the sentence's end is not a match.
        case(&lex, "la mort", &[("mort", Tag::Cumulative)]);
    }

    #[test]
    fn matching_ignores_case_accents_hyphens_and_apostrophes() {
        let lex = lexicon(&[
            ("d'après", Tag::Unit),
            ("attentat-suicide", Tag::Cumulative),
        ]);
        case(&lex, "D’APRÈS eux", &[("D APRÈS", Tag::Unit)]);
        case(
            &lex,
            "un attentat suicide, un Attentat-Suicide",
            &[
                ("attentat suicide", Tag::Cumulative),
                ("Attentat Suicide", Tag::Cumulative),
            ],
        );
    }

    #[test]
    fn an_exact_phrase_needs_its_accents_but_not_its_case() {
        let lex = lexicon(&[("=frappe", Tag::Unit)]);
        case(
            &lex,
            "une frappe, Frappe",
            &[("frappe", Tag::Unit), ("Frappe", Tag::Unit)],
        );
        case(&lex, "ils ont frappé", &[]);
    }

    #[test]
    fn a_phrase_with_several_tags_gives_them_in_lexicon_order() {
        let lex = lexicon(&[
            ("enlevés", Tag::Night),
            ("enlevés", Tag::Unit),
            ("enleves", Tag::Night),
        ]);
        case(
            &lex,
            "Ils ont été enlevés.",
            &[("enlevés", Tag::Night), ("enlevés", Tag::Unit)],
        );
    }
}
