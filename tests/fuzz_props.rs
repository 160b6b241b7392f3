//! Property tests at scale for the text-handling core: decoding arbitrary bytes, typographic
//! normalisation, sentence offsets, and number and claim extraction on French-like token soups.
//!
//! Each property runs 2000 cases by default (`PROPTEST_CASES` overrides it; see fuzz/README.md
//! for long runs). Inputs worth keeping are in tests/fuzz_regressions.txt, one per line, and
//! are replayed by `regressions_replay`.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use concord::config::{ExtractConfig, NormaliseConfig};
use concord::reference::Reference;
use concord::stage::extract::extract_document;
use concord::stage::ingest::{decode, is_invisible, read_header, Decoded};
use concord::stage::normalise::{normalise_document, text::normalise, Abbreviations};
use concord::table::{Document, Sentence};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use unicode_normalization::is_nfc;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn refs() -> &'static Reference {
    static R: OnceLock<Reference> = OnceLock::new();
    R.get_or_init(|| Reference::load(&repo().join("data/reference")).expect("reference loads"))
}

fn abbreviations() -> &'static Abbreviations {
    static A: OnceLock<Abbreviations> = OnceLock::new();
    A.get_or_init(|| {
        let path = repo().join("data/reference/lexicon/abbreviations.toml");
        Abbreviations::from_toml(&std::fs::read_to_string(path).expect("abbreviations"))
            .expect("abbreviations parse")
    })
}

/// 2000 cases unless PROPTEST_CASES says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The properties, as plain functions so that the regression replay shares them.

const ENCODINGS: [&str; 5] = ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"];

fn check_decode(bytes: &[u8]) -> Result<(), String> {
    match decode(bytes) {
        Decoded::Binary => Ok(()),
        Decoded::Text { text, encoding } => {
            if text.contains('\0') {
                return Err(format!("decoded text ({encoding}) contains NUL"));
            }
            if !ENCODINGS.contains(&encoding) {
                return Err(format!("unknown encoding {encoding}"));
            }
            if encoding == "utf-8" && text.as_bytes() != bytes {
                return Err("utf-8 text differs from its bytes".into());
            }
            if let Ok(s) = std::str::from_utf8(bytes) {
                if !s.starts_with('\u{feff}') && encoding != "utf-8" {
                    return Err(format!("valid UTF-8 decoded as {encoding}"));
                }
            }
            Ok(())
        }
    }
}

fn check_normalise(raw: &str) -> Result<String, String> {
    let once = normalise(raw);
    let twice = normalise(&once);
    if twice != once {
        return Err(format!("not idempotent: {once:?} -> {twice:?}"));
    }
    if let Some(c) = once
        .chars()
        .find(|&c| is_invisible(c) || (c.is_control() && c != '\n'))
    {
        return Err(format!("{c:?} survived in {once:?}"));
    }
    if !is_nfc(&once) {
        return Err(format!("not NFC: {once:?}"));
    }
    if once.contains("\n\n\n") || once.contains("  ") || once.trim() != once {
        return Err(format!("layout not collapsed: {once:?}"));
    }
    for para in once.split("\n\n").filter(|_| !once.is_empty()) {
        if para.is_empty() || para.trim() != para {
            return Err(format!("bad paragraph {para:?} in {once:?}"));
        }
    }
    Ok(once)
}

fn sentences_of(raw: &str) -> Result<(String, Vec<Sentence>), String> {
    let cfg = NormaliseConfig::default();
    let (norm, sentences) = normalise_document(&cfg, abbreviations(), "d", raw);
    if norm.text != normalise(raw) {
        return Err("normalise_document and normalise disagree".into());
    }
    let chars: Vec<char> = norm.text.chars().collect();
    let mut last_end = 0;
    let mut last_para = 0;
    for (i, s) in sentences.iter().enumerate() {
        let (a, b) = (s.char_start as usize, s.char_end as usize);
        if s.index != i as i64 || a < last_end || a >= b || b > chars.len() {
            return Err(format!(
                "bad offsets {a}..{b} for sentence {i} of {:?}",
                norm.text
            ));
        }
        let cut: String = chars[a..b].iter().collect();
        if cut != s.text {
            return Err(format!(
                "text[{a}..{b}] = {cut:?} but sentence = {:?}",
                s.text
            ));
        }
        if s.text.trim() != s.text || s.text.is_empty() {
            return Err(format!("untrimmed sentence {:?}", s.text));
        }
        if s.text.chars().count() > cfg.max_sentence_chars {
            return Err(format!("sentence of {} chars", s.text.chars().count()));
        }
        if s.paragraph < last_para {
            return Err("paragraphs out of order".into());
        }
        last_end = b;
        last_para = s.paragraph;
    }
    // Every non-space character of the text is in some sentence.
    let covered: usize = sentences.iter().map(|s| s.text.chars().count()).sum();
    let visible = chars.iter().filter(|c| !c.is_whitespace()).count();
    let covered_visible: usize = sentences
        .iter()
        .map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if covered_visible != visible || covered > chars.len() {
        return Err(format!(
            "sentences cover {covered_visible} of {visible} visible characters of {:?}",
            norm.text
        ));
    }
    Ok((norm.text, sentences))
}

const VICTIMS: [&str; 6] = [
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
const SOURCE_KINDS: [&str; 7] = [
    "state",
    "armed_group",
    "local",
    "ngo",
    "international",
    "media",
    "unattributed",
];
const EVENT_TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

fn document(published: Option<&str>) -> Document {
    let published = published.map(|p| p.parse().expect("date"));
    common::document("d", "d", "", published, 0)
}

/// Extracts `raw` and checks every claim against its sentence and the codebook. With
/// `non_negative`, also that no count is below zero.
fn check_extract(raw: &str, published: Option<&str>, non_negative: bool) -> Result<(), String> {
    let (_, sentences) = sentences_of(raw)?;
    let cfg = ExtractConfig::default();
    let refs_s: Vec<&Sentence> = sentences.iter().collect();
    let out = extract_document(&cfg, refs(), &document(published), &refs_s);
    let ids: BTreeSet<&str> = out.claims.iter().map(|c| c.claim_id.as_str()).collect();
    if ids.len() != out.claims.len() {
        return Err("two claims share a claim_id".into());
    }
    let incidents: BTreeSet<&str> = out
        .incidents
        .iter()
        .map(|i| i.incident_id.as_str())
        .collect();
    for c in &out.claims {
        let s = sentences
            .get(c.sentence as usize)
            .ok_or_else(|| format!("claim in sentence {} of {}", c.sentence, sentences.len()))?;
        let what = format!(
            "{} {} {:?}-{:?} {} in {:?}",
            c.victim_group, c.outcome, c.count_low, c.count_high, c.qualifier, c.quote
        );
        if c.quote != s.text || c.char_start != s.char_start || c.char_end != s.char_end {
            return Err(format!(
                "quote/offsets differ from sentence {:?}: {what}",
                s.text
            ));
        }
        if c.doc_id != "d" {
            return Err(format!("doc_id {}", c.doc_id));
        }
        if !VICTIMS.contains(&c.victim_group.as_str())
            || !OUTCOMES.contains(&c.outcome.as_str())
            || !QUALIFIERS.contains(&c.qualifier.as_str())
            || !SOURCE_KINDS.contains(&c.source_kind.as_str())
            || !["asserts", "denies"].contains(&c.stance.as_str())
        {
            return Err(format!(
                "value outside the codebook: {what} source {} stance {}",
                c.source_kind, c.stance
            ));
        }
        if let Some(t) = &c.event_type {
            if !EVENT_TYPES.contains(&t.as_str()) {
                return Err(format!("event_type {t}: {what}"));
            }
        }
        if c.sub_event_type.is_some() != c.event_type.is_some() {
            return Err(format!("sub_event_type without event_type: {what}"));
        }
        if let (Some(l), Some(h)) = (c.count_low, c.count_high) {
            if l > h {
                return Err(format!("count_low > count_high: {what}"));
            }
        }
        for v in [c.count_low, c.count_high].into_iter().flatten() {
            if v > cfg.max_count {
                return Err(format!("count above max_count: {what}"));
            }
            if non_negative && v < 0 {
                return Err(format!("negative count: {what}"));
            }
        }
        match c.qualifier.as_str() {
            "none" if c.count_low.is_some() || c.count_high.is_some() => {
                return Err(format!("qualifier none with a count: {what}"))
            }
            "exact" | "approx" | "range" if c.count_low.is_none() || c.count_high.is_none() => {
                return Err(format!("{} without both bounds: {what}", c.qualifier))
            }
            "at_least" | "vague" if c.count_low.is_none() => {
                return Err(format!("{} without a lower bound: {what}", c.qualifier))
            }
            "at_most" if c.count_high.is_none() => {
                return Err(format!("at_most without an upper bound: {what}"))
            }
            _ => {}
        }
        if let Some(p) = c.date_prec {
            if !(1..=5).contains(&p) {
                return Err(format!("date_prec {p}: {what}"));
            }
        }
        if let Some(p) = c.where_prec {
            if !(1..=7).contains(&p) {
                return Err(format!("where_prec {p}: {what}"));
            }
        }
        if let (Some(a), Some(b)) = (c.event_date_start, c.event_date_end) {
            if a > b {
                return Err(format!("event dates {a} > {b}: {what}"));
            }
        }
        if let Some(p) = &c.parent_claim_id {
            if !ids.contains(p.as_str()) || p == &c.claim_id {
                return Err(format!("parent {p} is not another claim: {what}"));
            }
        }
        if let Some(i) = &c.incident_id {
            if !incidents.contains(i.as_str()) {
                return Err(format!("incident {i} not in incidents: {what}"));
            }
        }
    }
    Ok(())
}

/// The decode -> header -> normalise -> extract path of one file's bytes.
fn check_bytes_end_to_end(bytes: &[u8]) -> Result<(), String> {
    check_decode(bytes)?;
    if let Decoded::Text { text, .. } = decode(bytes) {
        let (_, body) = read_header(&text);
        check_normalise(body)?;
        check_extract(body, Some("2024-08-26"), false)?;
    }
    Ok(())
}

fn prop(r: Result<impl Sized, String>) -> Result<(), TestCaseError> {
    r.map(|_| ()).map_err(TestCaseError::fail)
}

// ---------------------------------------------------------------------------------------------
// Strategies.

/// Text dense in what normalisation and segmentation touch: controls, invisibles, every kind
/// of space, quote, dash and line break, combining marks and characters whose NFC changes.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "\n",
        "\r",
        "\r\n",
        "\t",
        "\u{b}",
        "\u{c}",
        "\u{85}",
        "\u{2028}",
        "\u{2029}",
        "\u{0}",
        "\u{1}",
        "\u{1b}",
        "\u{7f}",
        "\u{9c}",
        "\u{a0}",
        "\u{2000}",
        "\u{2001}",
        "\u{2009}",
        "\u{202f}",
        "\u{3000}",
        "\u{200b}",
        "\u{200c}",
        "\u{200d}",
        "\u{200e}",
        "\u{200f}",
        "\u{202a}",
        "\u{202b}",
        "\u{202c}",
        "\u{202d}",
        "\u{202e}",
        "\u{2060}",
        "\u{2066}",
        "\u{2067}",
        "\u{2068}",
        "\u{2069}",
        "\u{feff}",
        "\u{ad}",
        "\u{301}",
        "\u{300}",
        "\u{327}",
        "\u{345}",
        "\u{338}",
        "\u{340}",
        "\u{344}",
        "\u{f73}",
        "\u{2126}",
        "\u{212b}",
        "\u{2000}\u{301}",
        "e\u{301}",
        "\u{1100}\u{1161}",
        "\u{ac00}\u{11a8}",
        "«",
        "»",
        "“",
        "”",
        "„",
        "‟",
        "‘",
        "’",
        "‚",
        "‛",
        "\"",
        "'",
        "ʼ",
        "′",
        "‐",
        "‑",
        "‒",
        "–",
        "—",
        "―",
        "−",
        "﹘",
        "﹣",
        "－",
        "…",
        ".",
        "!",
        "?",
        "...",
        "?!",
        "(",
        ")",
        "[",
        "]",
        " ",
        "  ",
        "M.",
        "Gén.",
        "J.-P.",
        "1,5",
        "3.14",
        "26.08.2024",
        "A.",
        "O.N.U.",
        "قُتل",
        "ⵜⴰⵎⴰⵣⵉⵖⵜ",
        "Убиты",
        "Ménaka",
        "civils",
        "Trois",
        "tués",
        "a",
        "b",
        "Z",
        "é",
        "É",
        "1",
        "12",
    ]);
    prop_oneof![
        3 => prop::collection::vec(special, 0..80).prop_map(|v| v.concat()),
        1 => any::<String>(),
        1 => "(\\PC|[\n\r\t\u{a0}\u{200b}\u{202e}«»“”’.!?…])*",
    ]
}

/// Bytes: arbitrary, or text in some encoding, with or without a byte-order mark.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let bom = prop::sample::select(vec![&b""[..], b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]);
    prop_oneof![
        2 => (bom.clone(), prop::collection::vec(any::<u8>(), 0..400)).prop_map(|(b, v)| {
            let mut out = b.to_vec();
            out.extend(v);
            out
        }),
        1 => (bom.clone(), hostile_text()).prop_map(|(b, t)| {
            let mut out = b.to_vec();
            match b {
                b"\xff\xfe" => out.extend(t.encode_utf16().flat_map(|u| u.to_le_bytes())),
                b"\xfe\xff" => out.extend(t.encode_utf16().flat_map(|u| u.to_be_bytes())),
                _ => out.extend(t.as_bytes()),
            }
            out
        }),
        1 => (bom, hostile_text(), any::<u8>(), any::<prop::sample::Index>()).prop_map(
            |(b, t, byte, at)| {
                // Text with one byte overwritten: broken UTF-8 or UTF-16.
                let mut out = b.to_vec();
                out.extend(t.as_bytes());
                if !out.is_empty() {
                    let i = at.index(out.len());
                    out[i] = byte;
                }
                out
            }
        ),
    ]
}

/// The vocabulary of the token soups.
const VOCABULARY: &[&str] = &[
    // numbers in words and digits
    "un",
    "une",
    "deux",
    "trois",
    "onze",
    "quinze",
    "vingt",
    "vingt et un",
    "vingt-et-un",
    "vingt-deux",
    "trente",
    "quatre-vingt",
    "quatre-vingt-dix-neuf",
    "soixante-dix",
    "cent",
    "deux cents",
    "mille",
    "trois mille",
    "million",
    "milliard",
    "zéro",
    "vingt-vingt",
    "cent cent",
    "mille mille mille",
    "0",
    "1",
    "2",
    "7",
    "12",
    "15",
    "21",
    "100",
    "1 200",
    "12 500",
    "99999",
    "100000",
    "100001",
    "999999999",
    "999999999999",
    "2024",
    "1,5",
    "3.5",
    "-5",
    "1e9",
    "26.08.2024",
    "10h30",
    "1er",
    "3e",
    // quantity words
    "au moins",
    "pas moins de",
    "plus de",
    "plus d'",
    "moins de",
    "moins d'",
    "jusqu'à",
    "au plus",
    "environ",
    "près de",
    "quelque",
    "une vingtaine",
    "une dizaine",
    "une quinzaine",
    "des dizaines",
    "des centaines",
    "des milliers",
    "plusieurs",
    "quelques",
    "de nombreux",
    "de nombreuses",
    "nombreux",
    "entre",
    "et",
    "à",
    "ou",
    "dont",
    "parmi lesquels",
    "notamment",
    "aucune victime",
    "aucun mort",
    "pas de blessés",
    "sans faire de victime",
    "autres",
    "des",
    "de",
    "d'",
    "les",
    "le",
    "la",
    "l'",
    "du",
    "au",
    "aux",
    "en",
    "y",
    // victims
    "civils",
    "civil",
    "civiles",
    "enfants",
    "enfant",
    "femmes",
    "soldats",
    "soldat",
    "militaires",
    "gendarmes",
    "policiers",
    "VDP",
    "terroristes",
    "jihadistes",
    "assaillants",
    "hommes armés",
    "individus armés",
    "personnes",
    "villageois",
    "orpailleurs",
    "otages",
    "membres",
    "éléments",
    "victimes",
    "morts",
    "corps",
    // outcomes
    "tués",
    "tué",
    "tuées",
    "ont été tués",
    "a été tué",
    "ont péri",
    "ont perdu la vie",
    "ont trouvé la mort",
    "neutralisés",
    "abattus",
    "exécutés",
    "massacrés",
    "blessés",
    "blessé",
    "grièvement blessés",
    "enlevés",
    "kidnappés",
    "pris en otage",
    "capturés",
    "disparus",
    "portés disparus",
    "la mort de",
    "l'enlèvement de",
    "coûté la vie à",
    "décès",
    // combined tolls, asides, anaphors, own side, datelines and same-day cues
    "ces deux attaques",
    "deux attaques",
    "l'une des deux attaques",
    "au total",
    "ces attaques",
    "double attaque",
    "de son côté",
    "joint par téléphone",
    "dans un communiqué",
    "la même source",
    "le communiqué",
    "précise le communiqué",
    "côté ami",
    "dans nos rangs",
    "la perte de",
    "de ses hommes",
    "le même jour",
    "quelques heures plus tard",
    "(AFP) -",
    "Bamako,",
    "région de Mopti",
    "cercle de Bankass",
    "frappé",
    "frappe",
    // sources and stance
    "selon",
    "d'après",
    "de source sécuritaire",
    "de sources locales",
    "a déclaré",
    "ont affirmé",
    "a indiqué",
    "a démenti",
    "ont nié",
    "dément",
    "l'armée malienne",
    "l'armée",
    "un élu local",
    "les séparatistes",
    "le JNIM",
    "la Minusma",
    "Human Rights Watch",
    "l'AFP",
    "RFI",
    "il",
    "ils",
    "le porte-parole",
    // places and dates
    "à Gao",
    "Gao",
    "Djibo",
    "Kidal",
    "près de Ménaka",
    "Tessalit",
    "dans la région de Mopti",
    "au Burkina Faso",
    "au Niger",
    "Mali",
    "à 125 km au nord-est de Gao",
    "dimanche",
    "lundi",
    "hier",
    "le 26 août",
    "le 3 mars 2024",
    "en juillet 2024",
    "fin juillet",
    "la semaine dernière",
    "depuis 2012",
    // events
    "attaque",
    "frappe de drone",
    "frappes",
    "embuscade",
    "explosion",
    "engin explosif",
    "affrontements",
    "enlèvement",
    "attentat",
    "kamikaze",
    "bombardement",
    "km",
    "ans",
    "francs CFA",
    "%",
    // punctuation and quotes
    ",",
    ",",
    ".",
    ".",
    "!",
    "?",
    ";",
    ":",
    "«",
    "»",
    "\"",
    "(",
    ")",
    "-",
    "…",
    "'",
    "“",
    "”",
    "\n",
    "\n\n",
    "M.",
    "Gén.",
    "...",
];

fn token_soup() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        12 => prop::sample::select(VOCABULARY).prop_map(str::to_string),
        1 => "[A-Za-zéèàùç0-9'\\-]{1,12}",
        1 => "\\PC{1,4}",
    ];
    let sep = prop::sample::select(vec![" ", " ", " ", " ", "", "\u{a0}", "-", "\n"]);
    prop::collection::vec((word, sep), 0..50).prop_map(|v| {
        let mut s = String::new();
        for (w, sep) in v {
            s.push_str(&w);
            s.push_str(sep);
        }
        s
    })
}

/// Sentences shaped like casualty reports, each slot drawn from its own list (modifier, count,
/// victims, subset, outcome, place, date, source), so that rare combinations come up often.
fn claim_like() -> impl Strategy<Value = String> {
    fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        prop::sample::select(items)
    }
    let modifier = pick(&[
        "",
        "",
        "au moins ",
        "plus de ",
        "moins de ",
        "jusqu'à ",
        "environ ",
        "près de ",
        "pas moins de ",
        "entre 3 et ",
        "entre dix et ",
        "de 5 à ",
        "quelque ",
        "au plus ",
    ]);
    let count = pick(&[
        "0",
        "1",
        "2",
        "12",
        "15",
        "100",
        "1 200",
        "99999",
        "100000",
        "100001",
        "zéro",
        "un",
        "une",
        "deux",
        "onze",
        "vingt et un",
        "quatre-vingt-dix",
        "cent",
        "mille",
        "une vingtaine de",
        "des dizaines de",
        "des centaines de",
        "plusieurs",
        "quelques",
        "de nombreux",
        "des",
        "une dizaine d'",
        "999999999999",
        "-3",
        "1,5",
    ]);
    let victims = pick(&[
        "civils",
        "personnes",
        "soldats",
        "enfants",
        "femmes",
        "terroristes",
        "assaillants",
        "villageois",
        "membres des forces de défense",
        "morts",
        "blessés",
        "otages",
        "",
    ]);
    let subset = pick(&[
        "",
        "",
        ", dont 3 enfants,",
        ", dont onze femmes,",
        " dont des enfants",
        ", parmi lesquels 40 soldats,",
        " et 12 autres",
    ]);
    let outcome = pick(&[
        " ont été tués",
        " ont été blessés",
        " ont été enlevés",
        " sont portés disparus",
        " ont péri",
        " tués",
        " blessés",
        " ont été neutralisés",
        " ont perdu la vie",
        "",
    ]);
    let place = pick(&[
        "",
        " à Gao",
        " près de Djibo",
        " dans la région de Mopti",
        " à Tessalit",
        " à 40 km de Kidal",
        " au Burkina Faso",
    ]);
    let date = pick(&["", " dimanche", " le 26 août", " en juillet 2024", " hier"]);
    let source = pick(&[
        "",
        ", selon un élu local",
        ", a affirmé l'armée",
        ", a démenti l'armée malienne",
        ", selon les séparatistes",
        ", d'après Human Rights Watch",
        ", a-t-on appris",
    ]);
    let end = pick(&[".", ".", " !", "...", ". »", "\n\n", " ; "]);
    let sentence = (
        (modifier, count, victims, subset),
        (outcome, place, date, source, end),
    )
        .prop_map(|((m, c, v, s), (o, p, d, src, e))| {
            let mut t = format!("{m}{c} {v}{s}{o}{p}{d}{src}{e}");
            if let Some(first) = t.chars().next() {
                t = first.to_uppercase().chain(t.chars().skip(1)).collect();
            }
            t
        });
    prop::collection::vec(sentence, 1..5).prop_map(|v| v.join(" "))
}

fn published() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("2024-08-26"),
        Some("2024-01-01"),
        Some("2024-02-29"),
        Some("2023-12-31"),
        Some("9999-12-31"),
        Some("0000-01-01"),
    ])
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn decode_never_panics_and_text_has_no_nul(bytes in hostile_bytes()) {
        prop(check_decode(&bytes))?;
    }

    #[test]
    fn normalise_is_idempotent_and_clean(raw in hostile_text()) {
        prop(check_normalise(&raw))?;
    }

    #[test]
    fn sentence_offsets_cut_the_normalised_text_exactly(raw in prop_oneof![hostile_text(), token_soup()]) {
        prop(sentences_of(&raw))?;
    }

    #[test]
    fn extraction_never_panics_and_claims_fit_the_codebook(
        raw in prop_oneof![token_soup(), claim_like()],
        published in published(),
    ) {
        prop(check_extract(&raw, published, false))?;
    }

    #[test]
    fn bytes_survive_every_text_stage(bytes in hostile_bytes()) {
        prop(check_bytes_end_to_end(&bytes))?;
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn extracted_counts_are_never_negative(
        raw in prop_oneof![token_soup(), claim_like()],
        published in published(),
    ) {
        prop(check_extract(&raw, published, true))?;
    }
}

// ---------------------------------------------------------------------------------------------
// The regression file.

/// Unescapes one line: `\n`, `\r`, `\t`, `\\`, `\u{XXXX}`, `\xNN` (a raw byte).
fn unescape(line: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('r') => out.push(b'\r'),
            Some('t') => out.push(b'\t'),
            Some('\\') => out.push(b'\\'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).expect("\\xNN"));
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'), "\\u{{...}}");
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let c = char::from_u32(u32::from_str_radix(&hex, 16).expect("hex"))
                    .expect("a scalar value");
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).as_bytes());
            }
            other => panic!("unknown escape \\{other:?} in {line:?}"),
        }
    }
    out
}

/// The lines of tests/fuzz_regressions.txt: (line number, is a known bug, bytes).
fn regressions() -> Vec<(usize, bool, Vec<u8>)> {
    let text = std::fs::read_to_string(repo().join("tests/fuzz_regressions.txt"))
        .expect("tests/fuzz_regressions.txt");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .map(|(i, l)| match l.strip_prefix('!') {
            Some(rest) => (i + 1, true, unescape(rest)),
            None => (i + 1, false, unescape(l)),
        })
        .collect()
}

fn replay(bytes: &[u8]) -> Result<(), String> {
    check_bytes_end_to_end(bytes)?;
    let text = String::from_utf8_lossy(bytes);
    check_normalise(&text)?;
    for published in [None, Some("2024-08-26")] {
        check_extract(&text, published, true)?;
    }
    Ok(())
}

#[test]
fn regressions_replay() {
    let cases = regressions();
    assert!(cases.len() >= 30, "only {} regression inputs", cases.len());
    let mut failures = Vec::new();
    for (line, bug, bytes) in &cases {
        if *bug {
            continue;
        }
        if let Err(e) = replay(bytes) {
            failures.push(format!("line {line}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn regressions_known_bugs_replay() {
    let mut failures = Vec::new();
    for (line, bug, bytes) in regressions() {
        if bug {
            if let Err(e) = replay(&bytes) {
                failures.push(format!("line {line}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
