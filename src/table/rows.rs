//! The row types of every table concord writes: the release tables of docs/CODEBOOK.md and the
//! intermediate stage tables. Field doc comments are the column descriptions published in
//! datapackage.json, so they are written for the dataset's users.

use std::borrow::Cow;

use jiff::civil::Date;

use crate::table;

table! {
    /// One row per distinct input file (identical files are one document).
    pub struct Document in "documents" key (doc_id) {
        /// First 16 hex characters of the sha256 of the raw bytes.
        pub doc_id: String,
        /// Path relative to the corpus root (the first, in sorted order, where identical files were found).
        pub path: String,
        /// Other paths holding byte-identical copies, `|`-separated, sorted; empty if none.
        pub other_paths: Option<String>,
        /// Full sha256 of the raw bytes, lowercase hex.
        pub sha256: String,
        /// Size of the raw file in bytes.
        pub bytes: i64,
        /// ISO 639-1 language, from the manifest or detected from the text.
        pub language: Option<String>,
        /// Title, from the manifest or a header line.
        pub title: Option<String>,
        /// Publisher, from the manifest or a header line.
        pub publisher: Option<String>,
        /// URL, from the manifest or a header line.
        pub url: Option<String>,
        /// Publication date; for month or year precision the first day of the period.
        pub published: Option<Date>,
        /// Precision of `published`: 1 day, 4 month, 5 year; empty when unknown.
        pub published_prec: Option<i64>,
        /// How `published` was obtained: manifest, header or inferred (from dates in the text).
        pub published_source: Option<String>,
        /// Number of sentences after normalisation (empty in the ingest table).
        pub n_sentences: Option<i64>,
        /// Encoding the bytes were decoded from: utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252.
        pub encoding: Option<String>,
        /// `ok`, or why the document was rejected: empty, whitespace_only, binary, too_large, missing.
        pub status: String,
    }
}

table! {
    /// Decoded text of each usable document, as handed from ingest to normalise.
    pub struct DocumentText in "texts" key (doc_id) {
        /// Document id.
        pub doc_id: String,
        /// Decoded text with any metadata header removed.
        pub text: String,
    }
}

table! {
    /// Normalised text of each document; sentence and claim offsets index into it.
    pub struct NormalisedText in "normalised" key (doc_id) {
        /// Document id.
        pub doc_id: String,
        /// Normalised text (NFC, unified typography, paragraphs separated by a blank line).
        pub text: String,
    }
}

table! {
    /// One row per sentence of a normalised document.
    pub struct Sentence in "sentences" key (doc_id, index) {
        /// Document id.
        pub doc_id: String,
        /// 0-based position of the sentence in the document.
        pub index: i64,
        /// 0-based paragraph the sentence belongs to.
        pub paragraph: i64,
        /// Start offset in the normalised text, in Unicode code points.
        pub char_start: i64,
        /// End offset (exclusive) in the normalised text, in Unicode code points.
        pub char_end: i64,
        /// The sentence text, equal to the normalised text between the offsets.
        pub text: String,
    }
}

table! {
    /// Everything the extractor recognised: numbers, quantities, victims, outcomes, triggers, places, actors, sources, dates.
    pub struct Mention in "mentions" key (doc_id, sentence, char_start, kind, char_end, rule_id) {
        /// Document id.
        pub doc_id: String,
        /// Sentence index.
        pub sentence: i64,
        /// Start offset of the span in the normalised document text (code points).
        pub char_start: i64,
        /// End offset (exclusive) in the normalised document text (code points).
        pub char_end: i64,
        /// What was recognised: number, quantity, victim, outcome, trigger, place, actor, source, date, negation, denial.
        pub kind: Cow<'static, str>,
        /// The span as written.
        pub surface: String,
        /// What it resolved to (a number, a place id, an actor id, an ISO date span, an event type).
        pub value: Option<Cow<'static, str>>,
        /// The rule or lexicon entry that matched.
        pub rule_id: Cow<'static, str>,
    }
}

table! {
    /// One reported incident per document: an event frame (type, place, date, actors) that claims attach to.
    pub struct Incident in "incidents" key (incident_id) {
        /// Digest of the document id and the frame's content.
        pub incident_id: String,
        /// Document id.
        pub doc_id: String,
        /// First sentence that reports it.
        pub sentence: i64,
        /// ACLED event type.
        pub event_type: String,
        /// ACLED sub-event type.
        pub sub_event_type: String,
        /// First day.
        pub date_start: Option<Date>,
        /// Last day.
        pub date_end: Option<Date>,
        /// UCDP date precision 1-5.
        pub date_prec: Option<i64>,
        /// Place as written.
        pub location: Option<String>,
        /// Gazetteer id.
        pub place_id: Option<String>,
        /// UCDP location precision 1-7.
        pub where_prec: Option<i64>,
        /// ISO3 country.
        pub iso3: Option<String>,
        /// Acting side's actor id.
        pub actor1: Option<String>,
        /// Other side's actor id.
        pub actor2: Option<String>,
        /// The incident is only recalled as context for another event.
        pub background: bool,
        /// Rules that built the frame.
        pub rule_id: String,
    }
}

table! {
    /// A statement in one article that a number of people were killed, injured, captured or missing.
    pub struct Claim in "claims" key (claim_id) {
        /// Digest of document, sentence, span and content.
        pub claim_id: String,
        /// Document id.
        pub doc_id: String,
        /// Index of the sentence in the normalised document.
        pub sentence: i64,
        /// Start offset of the sentence in the normalised text (code points).
        pub char_start: i64,
        /// End offset of the sentence in the normalised text (code points).
        pub char_end: i64,
        /// The sentence the claim was read from.
        pub quote: String,
        /// ACLED event type of the event the claim is about.
        pub event_type: Option<String>,
        /// ACLED sub-event type of the event the claim is about.
        pub sub_event_type: Option<String>,
        /// First day of the event, as resolved from the text.
        pub event_date_start: Option<Date>,
        /// Last day of the event.
        pub event_date_end: Option<Date>,
        /// UCDP date precision: 1 day, 2 a few days, 3 a week, 4 a month, 5 longer.
        pub date_prec: Option<i64>,
        /// Place as written.
        pub location: Option<String>,
        /// Gazetteer id of the place (gn:<geonameid>).
        pub place_id: Option<String>,
        /// UCDP location precision: 1 exact place, 2 near a place, 3 second-order admin, 4 first-order admin, 6 country.
        pub where_prec: Option<i64>,
        /// ISO3 country of the place.
        pub iso3: Option<String>,
        /// Who asserts it, as written; empty when the article states it itself.
        pub source_text: Option<String>,
        /// state, armed_group, local, ngo, international, media or unattributed.
        pub source_kind: String,
        /// Canonical actor id of the source when it is a party to the conflict.
        pub source_actor: Option<String>,
        /// civilians, children, women, security_forces, militants or unknown.
        pub victim_group: String,
        /// killed, injured, captured or missing.
        pub outcome: String,
        /// Lower bound of the count.
        pub count_low: Option<i64>,
        /// Upper bound of the count.
        pub count_high: Option<i64>,
        /// exact, at_least, at_most, approx, range, vague or none.
        pub qualifier: String,
        /// The words that gave the count, as written.
        pub count_text: Option<String>,
        /// asserts or denies.
        pub stance: String,
        /// For a subset ("dont 11 enfants"), the claim it is part of.
        pub parent_claim_id: Option<String>,
        /// The extractor's incident this claim is about.
        pub incident_id: Option<String>,
        /// Other incidents of the article that the claim's toll also covers ("ces deux
        /// attaques ont fait 49 morts"), `|`-separated; the toll counts once, in the event of
        /// `incident_id`.
        pub also_incident_ids: Option<String>,
        /// The claim is about an earlier event recalled as context.
        pub background: bool,
        /// The rules and lexicon entries that produced the claim, `+`-joined.
        pub rule_id: String,
    }
}

table! {
    /// One real-world event after reconciling every article.
    pub struct Event in "events" key (event_id) {
        /// Stable id from the event's country, first day, place and sub-event type.
        pub event_id: String,
        /// First day.
        pub event_date: Option<Date>,
        /// Last day.
        pub event_date_end: Option<Date>,
        /// UCDP date precision 1-5.
        pub date_prec: Option<i64>,
        /// Country name.
        pub country: Option<String>,
        /// ISO3 country code.
        pub iso3: Option<String>,
        /// First-order administrative unit.
        pub admin1: Option<String>,
        /// Second-order administrative unit.
        pub admin2: Option<String>,
        /// Place name (gazetteer spelling where resolved).
        pub location: Option<String>,
        /// Latitude (WGS84).
        pub latitude: Option<f64>,
        /// Longitude (WGS84).
        pub longitude: Option<f64>,
        /// UCDP location precision 1-7.
        pub where_prec: Option<i64>,
        /// ACLED event type.
        pub event_type: String,
        /// ACLED sub-event type.
        pub sub_event_type: String,
        /// Side that acted (canonical actor name).
        pub actor1: Option<String>,
        /// Other side (canonical actor name, or Civilians).
        pub actor2: Option<String>,
        /// Civilians were the target.
        pub civilian_targeting: bool,
        /// Fewest killed (all groups) per the most conservative independent source.
        pub fatalities_low: Option<i64>,
        /// Best estimate of killed (all groups).
        pub fatalities_best: Option<i64>,
        /// Most killed (all groups) any source gives.
        pub fatalities_high: Option<i64>,
        /// Fewest civilians killed.
        pub civilian_fatalities_low: Option<i64>,
        /// Best estimate of civilians killed.
        pub civilian_fatalities_best: Option<i64>,
        /// Most civilians killed any source gives.
        pub civilian_fatalities_high: Option<i64>,
        /// Claims reconciled into the event.
        pub n_claims: i64,
        /// Articles reporting the event.
        pub n_documents: i64,
        /// Independent sources (a statement repeated by several articles counts once).
        pub n_sources: i64,
        /// confirmed, fair, weak, contested or discounted (Airwars).
        pub grade: String,
        /// Sources disagree on who the victims were or who acted.
        pub contested: bool,
        /// Only recalled as context for another event.
        pub background: bool,
        /// One generated English sentence: what, where, when, who claims what.
        pub notes: String,
        /// Earliest publication date among its documents.
        pub first_reported: Option<Date>,
    }
}

table! {
    /// Link between an event and each claim reconciled into it.
    pub struct EventClaim in "event_claims" key (event_id, claim_id) {
        /// Event id.
        pub event_id: String,
        /// Claim id.
        pub claim_id: String,
        /// Independent statement the claim belongs to; claims sharing it count as one source.
        pub statement_id: String,
        /// Why the claim is in this event (rule that merged it).
        pub merge_reason: String,
        /// The claim's figures enter this event's figures: false for a denial, and for a toll
        /// covering several events in every event but the one it is counted in.
        pub counted: bool,
    }
}

table! {
    /// Link between an event and each article that reports it.
    pub struct EventDocument in "event_documents" key (event_id, doc_id) {
        /// Event id.
        pub event_id: String,
        /// Document id.
        pub doc_id: String,
        /// Number of the document's claims in the event.
        pub n_claims: i64,
        /// Why the document is linked (rule that merged its incident).
        pub merge_reason: String,
    }
}

table! {
    /// Reconciled figures per event, victim group and outcome.
    pub struct EventCount in "event_counts" key (event_id, victim_group, outcome) {
        /// Event id.
        pub event_id: String,
        /// civilians, children, women, security_forces, militants or unknown.
        pub victim_group: String,
        /// killed, injured, captured or missing.
        pub outcome: String,
        /// Smallest lower bound among independent sources.
        pub low: Option<i64>,
        /// Median of the sources' point values, rounded down.
        pub best: Option<i64>,
        /// Largest number any source gives.
        pub high: Option<i64>,
        /// Independent sources giving a figure or a no-count statement.
        pub n_sources: i64,
    }
}
