//! `concord-gen`: writes a synthetic but realistic corpus of French news reports of armed
//! violence in the Sahel, with its manifest, its ground truth and a `pipeline.toml`, for
//! benchmarking concord at scale (`bench/run.sh`) and for checking what extract finds
//! (`bench/check_truth.py`).
//!
//! ```text
//! concord-gen --articles N --seed S --out DIR [--reference DIR] [--prefix P] [--overwrite]
//! ```
//!
//! writes `DIR/corpus/*.txt` (N articles), `DIR/corpus/manifest.csv`, `DIR/truth.jsonl` (one
//! object per article: the events it reports and every casualty claim it states, with the
//! claim's sentence) and `DIR/pipeline.toml` (corpus, data and reports under DIR, reference
//! data at an absolute path).
//!
//! Guarantees: the same seed, size, prefix and reference data give byte-identical files,
//! whatever the number of threads. Every article is drawn from its own PRNG stream
//! (splitmix64 keyed by seed, story and article number), stories are generated in parallel and
//! written in order. Places come from the gazetteer (`places.csv`), named parties from
//! `actors.toml` (every alias used is checked against it at start-up, so the generator fails
//! loudly if the reference data drifts).
//!
//! The French phrasing lives in this file on purpose: it is test data describing what real
//! reports say (AFP, RFI, Reuters, Malian, Burkinabè and Nigerien outlets), written
//! independently of the extraction lexicons so that the benchmark measures them rather than
//! mirrors them.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use jiff::civil::Date;
use jiff::ToSpan;
use rayon::prelude::*;
use serde::Serialize;

/// Generate a deterministic benchmark corpus of French conflict reports.
#[derive(Parser)]
#[command(name = "concord-gen", version, about, long_about = None)]
struct Args {
    /// Number of articles to write.
    #[arg(long)]
    articles: usize,
    /// PRNG seed; the same seed and size give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory (corpus/, truth.jsonl and pipeline.toml are written in it).
    #[arg(long)]
    out: PathBuf,
    /// Reference data directory (places.csv, actors.toml). Default: the repository's
    /// data/reference.
    #[arg(long)]
    reference: Option<PathBuf>,
    /// Prefix of the article file names (to add articles to an existing corpus).
    #[arg(long, default_value = "")]
    prefix: String,
    /// Remove DIR/corpus, DIR/truth.jsonl and DIR/pipeline.toml first if they exist.
    #[arg(long)]
    overwrite: bool,
}

// ------------------------------------------------------------------------------------------
// PRNG: splitmix64, one independent stream per (seed, stream, index).
// ------------------------------------------------------------------------------------------

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[derive(Clone)]
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        Rng {
            state: mix64(
                mix64(seed)
                    ^ mix64(stream.wrapping_add(0x5EED)).rotate_left(21)
                    ^ mix64(index).rotate_left(42),
            ),
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn pick_w<'a, T>(&mut self, xs: &'a [(u32, T)]) -> &'a T {
        let total: u32 = xs.iter().map(|x| x.0).sum();
        let mut r = self.below(total as usize) as u32;
        for (w, x) in xs {
            if r < *w {
                return x;
            }
            r -= w;
        }
        &xs[xs.len() - 1].1
    }
}

// ------------------------------------------------------------------------------------------
// Countries, gazetteer, geography.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cty {
    Ml,
    Bf,
    Ne,
}

struct CInfo {
    iso3: &'static str,
    /// As in headlines: "Mali", "Burkina", "Niger".
    short: &'static str,
    /// "le Mali".
    le: &'static str,
    /// "au Mali".
    au: &'static str,
    /// "du Mali".
    du: &'static str,
    capital: &'static str,
}

const CINFO: [CInfo; 3] = [
    CInfo {
        iso3: "MLI",
        short: "Mali",
        le: "le Mali",
        au: "au Mali",
        du: "du Mali",
        capital: "Bamako",
    },
    CInfo {
        iso3: "BFA",
        short: "Burkina",
        le: "le Burkina Faso",
        au: "au Burkina Faso",
        du: "du Burkina Faso",
        capital: "Ouagadougou",
    },
    CInfo {
        iso3: "NER",
        short: "Niger",
        le: "le Niger",
        au: "au Niger",
        du: "du Niger",
        capital: "Niamey",
    },
];

impl Cty {
    fn i(self) -> usize {
        match self {
            Cty::Ml => 0,
            Cty::Bf => 1,
            Cty::Ne => 2,
        }
    }
    fn info(self) -> &'static CInfo {
        &CINFO[self.i()]
    }
    fn from_iso2(s: &str) -> Option<Cty> {
        match s {
            "ML" => Some(Cty::Ml),
            "BF" => Some(Cty::Bf),
            "NE" => Some(Cty::Ne),
            _ => None,
        }
    }
}

struct Place {
    id: String,
    /// Gazetteer name.
    name: String,
    /// As French reports write it.
    written: String,
    cty: Cty,
    admin1: String,
    admin2: String,
    lat: f64,
    lon: f64,
}

struct Gaz {
    places: Vec<Place>,
    /// Populated places with a population and an admin1 (towns the press names).
    major: [Vec<usize>; 3],
    /// Per country and admin1: (weight, towns, villages), weighted by how often the region
    /// appears in conflict reporting.
    regions: [Vec<Region>; 3],
}

/// A first-order region: its weight, its towns and its villages (indices into `places`).
type Region = (u32, Vec<usize>, Vec<usize>);

/// How often a first-order region appears in conflict reporting (rough, from the genre).
fn region_weight(c: Cty, admin1: &str) -> u32 {
    match (c, admin1) {
        (Cty::Ml, "Mopti") => 25,
        (Cty::Ml, "Ségou") => 15,
        (Cty::Ml, "Tombouctou" | "Gao") => 12,
        (Cty::Ml, "Koulikoro") => 8,
        (Cty::Ml, "Ménaka" | "Kidal" | "Sikasso" | "Kayes") => 6,
        (Cty::Bf, "Sahel") => 22,
        (Cty::Bf, "Centre-Nord") => 16,
        (Cty::Bf, "Nord" | "Est") => 14,
        (Cty::Bf, "Boucle du Mouhoun") => 12,
        (Cty::Bf, "Centre-Est") => 6,
        (Cty::Bf, "Cascades" | "Hauts-Bassins" | "Sud-Ouest") => 4,
        (Cty::Bf, "Centre-Ouest") => 3,
        (Cty::Bf, "Plateau-Central" | "Centre-Sud") => 2,
        (Cty::Ne, "Tillabéri") => 40,
        (Cty::Ne, "Tahoua" | "Diffa") => 18,
        (Cty::Ne, "Dosso" | "Maradi") => 8,
        (Cty::Ne, "Agadez") => 5,
        (Cty::Ne, "Zinder") => 3,
        _ => 0,
    }
}

fn written_name(name: &str) -> String {
    match name {
        "Timbuktu" => "Tombouctou".into(),
        "Birni N Konni" => "Birni N'Konni".into(),
        "Fada N'gourma" => "Fada N'Gourma".into(),
        _ => name.into(),
    }
}

fn clean_name(s: &str) -> bool {
    let n = s.chars().count();
    (3..=22).contains(&n)
        && s.chars().next().is_some_and(char::is_uppercase)
        && s.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
        && s.split([' ', '-']).all(|w| w.chars().count() >= 2)
        && s.split(' ').count() <= 2
        && s.chars().filter(|c| c.is_uppercase()).count() <= 2
        && !s.contains("Department")
}

fn load_gaz(dir: &Path) -> Result<Gaz, String> {
    let path = dir.join("places.csv");
    let mut rdr = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let col = |name: &str| -> Result<usize, String> {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{}: no column `{name}`", path.display()))
    };
    let (c_id, c_name, c_cty, c_a1, c_a2, c_fc, c_lat, c_lon, c_pop) = (
        col("place_id")?,
        col("name")?,
        col("country")?,
        col("admin1")?,
        col("admin2")?,
        col("feature_class")?,
        col("latitude")?,
        col("longitude")?,
        col("population")?,
    );
    let mut places = Vec::new();
    let mut pops = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(cty) = Cty::from_iso2(&rec[c_cty]) else {
            continue;
        };
        if &rec[c_fc] != "P" || rec[c_a1].is_empty() || !clean_name(&rec[c_name]) {
            continue;
        }
        let (Ok(lat), Ok(lon)) = (rec[c_lat].parse::<f64>(), rec[c_lon].parse::<f64>()) else {
            continue;
        };
        let pop: u64 = rec[c_pop].parse().unwrap_or(0);
        places.push(Place {
            id: rec[c_id].to_string(),
            name: rec[c_name].to_string(),
            written: written_name(&rec[c_name]),
            cty,
            admin1: rec[c_a1].to_string(),
            admin2: rec[c_a2].to_string(),
            lat,
            lon,
        });
        pops.push(pop);
    }
    let major_names: BTreeSet<String> = places
        .iter()
        .zip(&pops)
        .filter(|(_, &pop)| pop > 0)
        .map(|(p, _)| p.name.to_lowercase())
        .collect();
    let mut major: [Vec<usize>; 3] = Default::default();
    let mut minor: [Vec<usize>; 3] = Default::default();
    for (i, (p, &pop)) in places.iter().zip(&pops).enumerate() {
        if pop > 0 {
            major[p.cty.i()].push(i);
        } else if !major_names.contains(&p.name.to_lowercase()) && p.name.chars().count() >= 4 {
            minor[p.cty.i()].push(i);
        }
    }
    let mut regions: [Vec<Region>; 3] = Default::default();
    for c in [Cty::Ml, Cty::Bf, Cty::Ne] {
        let a1s: BTreeSet<&str> = major[c.i()]
            .iter()
            .map(|&i| places[i].admin1.as_str())
            .collect();
        for a1 in a1s {
            let w = region_weight(c, a1);
            if w == 0 {
                continue;
            }
            let towns: Vec<usize> = major[c.i()]
                .iter()
                .copied()
                .filter(|&i| places[i].admin1 == a1)
                .collect();
            let villages: Vec<usize> = minor[c.i()]
                .iter()
                .copied()
                .filter(|&i| places[i].admin1 == a1)
                .collect();
            regions[c.i()].push((w, towns, villages));
        }
    }
    if major.iter().chain(minor.iter()).any(Vec::is_empty) || regions.iter().any(Vec::is_empty) {
        return Err(format!(
            "{}: too few Mali / Burkina Faso / Niger places",
            path.display()
        ));
    }
    Ok(Gaz {
        places,
        major,
        regions,
    })
}

fn dist_km(a: &Place, b: &Place) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// "au nord-est" (of `from`, towards `to`).
fn bearing_fr(from: &Place, to: &Place) -> &'static str {
    let (la1, la2) = (from.lat.to_radians(), to.lat.to_radians());
    let dlo = (to.lon - from.lon).to_radians();
    let y = dlo.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dlo.cos();
    let deg = (y.atan2(x).to_degrees() + 360.0) % 360.0;
    const DIRS: [&str; 8] = [
        "au nord",
        "au nord-est",
        "à l'est",
        "au sud-est",
        "au sud",
        "au sud-ouest",
        "à l'ouest",
        "au nord-ouest",
    ];
    DIRS[(((deg + 22.5) / 45.0) as usize) % 8]
}

#[derive(Clone, Copy)]
struct Anchor {
    place: usize,
    km: i64,
    dir: &'static str,
}

/// The nearest town (major place) of the same country, 8 to 180 km away.
fn anchor_for(gaz: &Gaz, p: usize) -> Option<Anchor> {
    let pl = &gaz.places[p];
    let mut best: Option<(f64, usize)> = None;
    for &m in &gaz.major[pl.cty.i()] {
        if m == p {
            continue;
        }
        let d = dist_km(&gaz.places[m], pl);
        if (8.0..=180.0).contains(&d) && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, m));
        }
    }
    best.map(|(d, m)| {
        let km = if d < 20.0 {
            d.round() as i64
        } else {
            ((d / 5.0).round() * 5.0) as i64
        };
        Anchor {
            place: m,
            km,
            dir: bearing_fr(&gaz.places[m], pl),
        }
    })
}

/// "la région de Mopti", "la région du Sahel".
fn region_np(p: &Place) -> String {
    let a = p.admin1.as_str();
    match p.cty {
        Cty::Bf => match a {
            "Boucle du Mouhoun" => "la région de la Boucle du Mouhoun".into(),
            "Cascades" => "la région des Cascades".into(),
            "Hauts-Bassins" => "la région des Hauts-Bassins".into(),
            "Est" => "la région de l'Est".into(),
            _ => format!("la région du {a}"),
        },
        Cty::Ml if a == "Bamako" => "le district de Bamako".into(),
        Cty::Ne if a == "Niamey" => "la communauté urbaine de Niamey".into(),
        _ => format!("la région {}", de(a)),
    }
}

/// "le cercle de Douentza", "la province du Soum", "le département de Téra".
fn admin2_np(p: &Place) -> Option<String> {
    let a = p.admin2.as_str();
    if a.is_empty() || a == p.name {
        return None;
    }
    Some(match p.cty {
        Cty::Ml => format!("le cercle {}", de(a)),
        Cty::Ne => format!("le département {}", de(a)),
        Cty::Bf => {
            const FEM: [&str; 11] = [
                "Balé",
                "Bazèga",
                "Bougouriba",
                "Comoé",
                "Gnagna",
                "Komondjari",
                "Kompienga",
                "Kossi",
                "Léraba",
                "Sissili",
                "Tapoa",
            ];
            if a == "Banwa" {
                "la province des Banwa".into()
            } else if FEM.contains(&a) {
                format!("la province de la {a}")
            } else if elides(a) {
                format!("la province de l'{a}")
            } else {
                format!("la province du {a}")
            }
        }
    })
}

/// "le nord du Mali", "le centre du pays".
fn zone_np(p: &Place, rng: &mut Rng) -> String {
    let dir = match p.cty {
        Cty::Ml => {
            if p.lat > 16.0 {
                "nord"
            } else if p.lat > 13.8 {
                "centre"
            } else if p.lon < -9.5 {
                "sud-ouest"
            } else {
                "sud"
            }
        }
        Cty::Bf => {
            if p.lat > 13.3 {
                "nord"
            } else if p.lon > 0.0 {
                "est"
            } else if p.lon < -3.6 {
                "ouest"
            } else if p.lat < 11.4 {
                "sud"
            } else {
                "centre"
            }
        }
        Cty::Ne => {
            if p.lon < 4.5 {
                "ouest"
            } else if p.lon > 11.0 {
                "sud-est"
            } else if p.lat > 16.0 {
                "nord"
            } else {
                "sud"
            }
        }
    };
    let le = if dir.starts_with(['e', 'o']) {
        "l'".to_string()
    } else {
        "le ".to_string()
    };
    if rng.chance(0.5) {
        format!("{le}{dir} du pays")
    } else {
        format!("{le}{dir} {}", p.cty.info().du)
    }
}

// ------------------------------------------------------------------------------------------
// French helpers.
// ------------------------------------------------------------------------------------------

fn elides(w: &str) -> bool {
    let lw = w.to_lowercase();
    if ["onze", "huit", "hauts", "hameau", "hui"]
        .iter()
        .any(|p| lw.starts_with(p))
    {
        return false;
    }
    lw.chars()
        .next()
        .is_some_and(|c| "aeéèêëiîïoôuûùyhœ".contains(c))
}

/// "de X" / "d'X".
fn de(w: &str) -> String {
    if elides(w) {
        format!("d'{w}")
    } else {
        format!("de {w}")
    }
}

/// "de" before a counted noun phrase: "de 12 soldats", "d'au moins 12", "de nombreux civils",
/// "de dizaines de civils".
fn de_np(np: &str) -> String {
    if let Some(rest) = np.strip_prefix("des ") {
        format!("de {rest}")
    } else if np.starts_with("de ") {
        np.to_string()
    } else {
        de(np)
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A quotation, written with French guillemets; AFP style turns them into straight quotes.
fn q(s: &str) -> String {
    format!("«\u{a0}{s}\u{a0}»")
}

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

fn words_below_100(n: i64) -> String {
    let n = n as usize;
    match n {
        0..=16 => UNITS[n].into(),
        17..=19 => format!("dix-{}", UNITS[n - 10]),
        _ => {
            let (t, u) = (n / 10, n % 10);
            match t {
                2..=6 => {
                    let tw = [
                        "",
                        "",
                        "vingt",
                        "trente",
                        "quarante",
                        "cinquante",
                        "soixante",
                    ][t];
                    match u {
                        0 => tw.into(),
                        1 => format!("{tw} et un"),
                        _ => format!("{tw}-{}", UNITS[u]),
                    }
                }
                7 => {
                    if n == 71 {
                        "soixante et onze".into()
                    } else {
                        format!("soixante-{}", words_below_100(n as i64 - 60))
                    }
                }
                8 => {
                    if u == 0 {
                        "quatre-vingts".into()
                    } else {
                        format!("quatre-vingt-{}", UNITS[u])
                    }
                }
                _ => format!("quatre-vingt-{}", words_below_100(n as i64 - 80)),
            }
        }
    }
}

/// French number words, traditional spelling ("vingt et un", "quatre-vingts", "deux cents").
fn words(n: i64, fem: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut s = match h {
        0 => words_below_100(r),
        1 if r == 0 => "cent".into(),
        1 => format!("cent {}", words_below_100(r)),
        _ if r == 0 => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent {}", UNITS[h as usize], words_below_100(r)),
    };
    if fem && (s == "un" || s.ends_with(" un") || s.ends_with("-un")) {
        s.push('e');
    }
    s
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

fn wd(d: Date) -> &'static str {
    WEEKDAYS[d.weekday().to_monday_zero_offset() as usize]
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days())
        .expect("dates stay within 2021-2026")
}

fn days_between(a: Date, b: Date) -> i64 {
    i64::from(a.until(b).expect("dates stay within 2021-2026").get_days())
}

/// "12 mars", "1er avril".
fn dm(d: Date) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {}", MONTHS[d.month() as usize - 1])
}

fn month_end(d: Date) -> Date {
    let first = Date::new(d.year(), d.month(), 1).expect("valid month start");
    add_days(first.checked_add(1.month()).expect("valid month"), -1)
}

// ------------------------------------------------------------------------------------------
// Parties (checked against actors.toml) and generic sources.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Party {
    np: &'static str,
    id: &'static str,
    alias: &'static str,
    pl: bool,
    fem: bool,
    kind: &'static str,
}

const fn party(
    np: &'static str,
    id: &'static str,
    alias: &'static str,
    pl: bool,
    fem: bool,
    kind: &'static str,
) -> Party {
    Party {
        np,
        id,
        alias,
        pl,
        fem,
        kind,
    }
}

const ARMY: [&[Party]; 3] = [
    &[
        party(
            "l'armée malienne",
            "mli-fama",
            "armée malienne",
            false,
            true,
            "state",
        ),
        party(
            "les Forces armées maliennes (FAMa)",
            "mli-fama",
            "forces armées maliennes",
            true,
            true,
            "state",
        ),
        party("les FAMa", "mli-fama", "FAMa", true, true, "state"),
    ],
    &[
        party(
            "l'armée burkinabè",
            "bfa-military",
            "armée burkinabè",
            false,
            true,
            "state",
        ),
        party(
            "les forces armées burkinabè",
            "bfa-military",
            "forces armées burkinabè",
            true,
            true,
            "state",
        ),
        party(
            "les Forces de défense et de sécurité (FDS)",
            "bfa-military",
            "forces de défense et de sécurité",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "l'armée nigérienne",
            "ner-fan",
            "armée nigérienne",
            false,
            true,
            "state",
        ),
        party(
            "les Forces armées nigériennes (FAN)",
            "ner-fan",
            "forces armées nigériennes",
            true,
            true,
            "state",
        ),
        party(
            "les forces de défense et de sécurité nigériennes",
            "ner-fan",
            "forces de défense et de sécurité nigériennes",
            true,
            true,
            "state",
        ),
    ],
];

const ARMY_VOICE: [&[Party]; 3] = [
    &[
        party(
            "l'état-major général des armées",
            "mli-fama",
            "état-major général des armées",
            false,
            false,
            "state",
        ),
        party(
            "la Direction de l'information et des relations publiques des armées (DIRPA)",
            "mli-fama",
            "Direction de l'information et des relations publiques des armées",
            false,
            true,
            "state",
        ),
    ],
    &[
        party(
            "l'état-major général des armées burkinabè",
            "bfa-military",
            "état-major général des armées burkinabè",
            false,
            false,
            "state",
        ),
        party(
            "le ministère burkinabè de la Défense",
            "bfa-military",
            "ministère burkinabè de la Défense",
            false,
            false,
            "state",
        ),
    ],
    &[
        party(
            "le ministère nigérien de la Défense",
            "ner-fan",
            "ministère nigérien de la Défense",
            false,
            false,
            "state",
        ),
        party(
            "l'état-major des armées nigériennes",
            "ner-fan",
            "état-major des armées nigériennes",
            false,
            false,
            "state",
        ),
    ],
];

const GOV: [&[Party]; 3] = [
    &[
        party(
            "le gouvernement de transition",
            "mli-government",
            "gouvernement de transition",
            false,
            false,
            "state",
        ),
        party(
            "les autorités maliennes",
            "mli-government",
            "autorités maliennes",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "le gouvernement burkinabè",
            "bfa-government",
            "gouvernement burkinabè",
            false,
            false,
            "state",
        ),
        party(
            "les autorités burkinabè",
            "bfa-government",
            "autorités burkinabè",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "le gouvernement nigérien",
            "ner-government",
            "gouvernement nigérien",
            false,
            false,
            "state",
        ),
        party(
            "le régime militaire nigérien",
            "ner-government",
            "régime militaire nigérien",
            false,
            false,
            "state",
        ),
    ],
];

const JIHAD: [&[Party]; 3] = [
    &[
        party(
            "le Groupe de soutien à l'islam et aux musulmans (GSIM, JNIM en arabe)",
            "jnim",
            "Groupe de soutien à l'islam et aux musulmans",
            false,
            false,
            "armed_group",
        ),
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
        party("le GSIM", "jnim", "GSIM", false, false, "armed_group"),
        party(
            "la katiba Macina",
            "katiba-macina",
            "katiba Macina",
            false,
            true,
            "armed_group",
        ),
        party(
            "l'État islamique au Sahel (EIS)",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
    ],
    &[
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
        party("le GSIM", "jnim", "GSIM", false, false, "armed_group"),
        party(
            "Ansaroul Islam",
            "ansaroul-islam",
            "Ansaroul Islam",
            false,
            false,
            "armed_group",
        ),
        party(
            "l'État islamique au Sahel",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
    ],
    &[
        party(
            "l'État islamique au Sahel (EIS)",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
        party("l'EIGS", "issp", "EIGS", false, false, "armed_group"),
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
    ],
];

const JIHAD_DIFFA: &[Party] = &[
    party(
        "Boko Haram",
        "boko-haram-jas",
        "Boko Haram",
        false,
        false,
        "armed_group",
    ),
    party("l'ISWAP", "iswap", "ISWAP", false, false, "armed_group"),
];

const ATTACKERS: &[Party] = &[
    party(
        "des hommes armés",
        "generic-unidentified",
        "hommes armés",
        true,
        false,
        "armed_group",
    ),
    party(
        "des individus armés non identifiés",
        "generic-unidentified",
        "individus armés non identifiés",
        true,
        false,
        "armed_group",
    ),
    party(
        "des assaillants",
        "generic-unidentified",
        "assaillants",
        true,
        false,
        "armed_group",
    ),
    party(
        "des hommes armés à moto",
        "generic-unidentified",
        "hommes armés à moto",
        true,
        false,
        "armed_group",
    ),
    party(
        "des jihadistes",
        "generic-jihadists",
        "jihadistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des jihadistes présumés",
        "generic-jihadists",
        "jihadistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des terroristes",
        "generic-jihadists",
        "terroristes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des éléments terroristes",
        "generic-jihadists",
        "éléments terroristes",
        true,
        false,
        "armed_group",
    ),
];

const REBELS: &[Party] = &[
    party(
        "le Front de libération de l'Azawad (FLA)",
        "fla",
        "Front de libération de l'Azawad",
        false,
        false,
        "armed_group",
    ),
    party(
        "les rebelles du FLA",
        "fla",
        "FLA",
        true,
        false,
        "armed_group",
    ),
    party(
        "les séparatistes",
        "generic-separatists",
        "séparatistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "les rebelles touareg",
        "generic-separatists",
        "rebelles touareg",
        true,
        false,
        "armed_group",
    ),
];

const RUSSIANS: &[Party] = &[
    party(
        "le groupe paramilitaire russe Wagner",
        "rus-wagner",
        "groupe paramilitaire russe",
        false,
        false,
        "state",
    ),
    party(
        "Africa Corps",
        "rus-wagner",
        "Africa Corps",
        false,
        false,
        "state",
    ),
    party(
        "ses alliés russes",
        "rus-wagner",
        "alliés russes",
        true,
        false,
        "state",
    ),
];

const MILITIA: [&[Party]; 3] = [
    &[
        party(
            "des chasseurs dozos",
            "dozo-militia",
            "chasseurs dozos",
            true,
            false,
            "armed_group",
        ),
        party(
            "des miliciens dogons",
            "mli-dan-na-ambassagou",
            "miliciens dogons",
            true,
            false,
            "armed_group",
        ),
    ],
    &[
        party(
            "des Volontaires pour la défense de la patrie (VDP)",
            "bfa-vdp",
            "Volontaires pour la défense de la patrie",
            true,
            false,
            "state",
        ),
        party("des VDP", "bfa-vdp", "VDP", true, false, "state"),
    ],
    &[],
];

const NGO: [&[Party]; 3] = [
    &[
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
        party(
            "Amnesty International",
            "ngo-amnesty",
            "Amnesty International",
            false,
            false,
            "ngo",
        ),
        party(
            "l'association Tabital Pulaaku",
            "ngo-tabital-pulaaku",
            "Tabital Pulaaku",
            false,
            true,
            "ngo",
        ),
        party(
            "l'Association malienne des droits de l'homme (AMDH)",
            "ngo-amdh",
            "Association malienne des droits de l'homme",
            false,
            true,
            "ngo",
        ),
    ],
    &[
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
        party(
            "le Collectif contre l'impunité et la stigmatisation des communautés (CISC)",
            "ngo-cisc",
            "Collectif contre l'impunité et la stigmatisation des communautés",
            false,
            false,
            "ngo",
        ),
        party(
            "le Mouvement burkinabè des droits de l'homme et des peuples (MBDHP)",
            "ngo-mbdhp",
            "Mouvement burkinabè des droits de l'homme et des peuples",
            false,
            false,
            "ngo",
        ),
    ],
    &[
        party(
            "Amnesty International",
            "ngo-amnesty",
            "Amnesty International",
            false,
            false,
            "ngo",
        ),
        party(
            "Médecins sans frontières (MSF)",
            "ngo-msf",
            "Médecins sans frontières",
            false,
            false,
            "ngo",
        ),
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
    ],
];

const INTL: &[Party] = &[
    party(
        "le Bureau de la coordination des affaires humanitaires de l'ONU (OCHA)",
        "int-ocha",
        "OCHA",
        false,
        false,
        "international",
    ),
    party("l'ONU", "int-un", "ONU", false, true, "international"),
    party(
        "le Haut-Commissariat des Nations unies pour les réfugiés (HCR)",
        "int-unhcr",
        "Haut-Commissariat des Nations unies pour les réfugiés",
        false,
        false,
        "international",
    ),
];

const MINUSMA: Party = party(
    "la Minusma",
    "int-minusma",
    "MINUSMA",
    false,
    true,
    "international",
);

const STATE_MEDIA: [&[Party]; 3] = [
    &[party(
        "la télévision publique malienne ORTM",
        "media-ortm",
        "ORTM",
        false,
        true,
        "media",
    )],
    &[
        party(
            "la Radiodiffusion télévision du Burkina (RTB)",
            "media-rtb",
            "Radiodiffusion télévision du Burkina",
            false,
            true,
            "media",
        ),
        party(
            "l'Agence d'information du Burkina (AIB)",
            "media-aib",
            "Agence d'information du Burkina",
            false,
            true,
            "media",
        ),
    ],
    &[
        party(
            "la télévision publique Télé Sahel",
            "media-ortn",
            "Télé Sahel",
            false,
            true,
            "media",
        ),
        party(
            "l'Agence nigérienne de presse (ANP)",
            "media-anp",
            "Agence nigérienne de presse",
            false,
            true,
            "media",
        ),
    ],
];

/// Every party table, for the start-up check against actors.toml.
fn all_parties() -> Vec<Party> {
    let mut v = Vec::new();
    for c in 0..3 {
        for t in [
            ARMY[c],
            ARMY_VOICE[c],
            GOV[c],
            JIHAD[c],
            MILITIA[c],
            NGO[c],
            STATE_MEDIA[c],
        ] {
            v.extend_from_slice(t);
        }
    }
    for t in [JIHAD_DIFFA, ATTACKERS, REBELS, RUSSIANS, INTL] {
        v.extend_from_slice(t);
    }
    v.push(MINUSMA);
    v
}

fn fold(s: &str) -> String {
    s.to_lowercase().replace(['’', '\''], "'")
}

fn check_parties(dir: &Path) -> Result<(), String> {
    let path = dir.join("actors.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: toml::Value = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut aliases: HashMap<String, BTreeSet<String>> = HashMap::new();
    for a in doc
        .get("actor")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        let Some(id) = a.get("id").and_then(|v| v.as_str()) else {
            continue;
        };
        let set = aliases.entry(id.to_string()).or_default();
        for al in a
            .get("aliases")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(s) = al.as_str() {
                set.insert(fold(s));
            }
        }
    }
    let missing: Vec<String> = all_parties()
        .iter()
        .filter(|p| {
            !aliases
                .get(p.id)
                .is_some_and(|s| s.contains(&fold(p.alias)))
        })
        .map(|p| format!("{} ({})", p.alias, p.id))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: aliases used by concord-gen are missing: {}",
            path.display(),
            missing.join(", ")
        ))
    }
}

/// Who asserts a figure.
#[derive(Clone)]
struct Src {
    text: String,
    kind: &'static str,
    pl: bool,
    fem: bool,
    /// "de source sécuritaire": for "a-t-on appris de source sécuritaire".
    de_form: Option<&'static str>,
    /// A named organisation or party (not "un habitant").
    named: bool,
}

impl Src {
    fn unattributed() -> Src {
        Src {
            text: String::new(),
            kind: "unattributed",
            pl: false,
            fem: false,
            de_form: None,
            named: false,
        }
    }
    fn of(p: &Party) -> Src {
        Src {
            text: p.np.into(),
            kind: p.kind,
            pl: p.pl,
            fem: p.fem,
            de_form: None,
            named: true,
        }
    }
    fn generic(
        text: &str,
        kind: &'static str,
        pl: bool,
        fem: bool,
        de_form: Option<&'static str>,
    ) -> Src {
        Src {
            text: text.into(),
            kind,
            pl,
            fem,
            de_form,
            named: false,
        }
    }
    fn is_none(&self) -> bool {
        self.text.is_empty()
    }
    /// "a-t-il", "ont-elles".
    fn pronoun_inv(&self, verb_sg: &str, verb_pl: &str) -> String {
        match (self.pl, self.fem) {
            (false, false) => format!("{verb_sg}-t-il"),
            (false, true) => format!("{verb_sg}-t-elle"),
            (true, false) => format!("{verb_pl}-ils"),
            (true, true) => format!("{verb_pl}-elles"),
        }
    }
}

type Generic = (&'static str, bool, bool, Option<&'static str>);

const LOCAL_SRC: &[Generic] = &[
    ("un élu local", false, false, None),
    ("un élu de la localité", false, false, None),
    ("des élus locaux", true, false, None),
    ("un habitant", false, false, None),
    ("une habitante", false, true, None),
    ("des habitants", true, false, None),
    ("un habitant joint par téléphone", false, false, None),
    ("un notable de la zone", false, false, None),
    ("un chef de village", false, false, None),
    ("une source locale", false, true, Some("de source locale")),
    (
        "des sources locales",
        true,
        true,
        Some("de sources locales"),
    ),
    ("un responsable local", false, false, None),
    ("un rescapé", false, false, None),
    ("un membre de la société civile", false, false, None),
    ("le maire de la commune", false, false, None),
    ("un conseiller municipal", false, false, None),
    (
        "une source hospitalière",
        false,
        true,
        Some("de source hospitalière"),
    ),
    ("un agent de santé", false, false, None),
    ("un leader communautaire", false, false, None),
    ("des témoins", true, false, None),
    ("un enseignant de la localité", false, false, None),
    ("un ressortissant de la zone", false, false, None),
];

const STATE_SRC: &[Generic] = &[
    (
        "une source sécuritaire",
        false,
        true,
        Some("de source sécuritaire"),
    ),
    (
        "des sources sécuritaires",
        true,
        true,
        Some("de sources sécuritaires"),
    ),
    (
        "une source militaire",
        false,
        true,
        Some("de source militaire"),
    ),
    ("un officier de l'armée", false, false, None),
    ("les autorités locales", true, true, None),
    (
        "une source proche des services de sécurité",
        false,
        true,
        None,
    ),
    (
        "une source gouvernementale",
        false,
        true,
        Some("de source gouvernementale"),
    ),
];

const MEDIA_SRC: &[Generic] = &[
    ("des médias locaux", true, false, None),
    ("la presse locale", false, true, None),
    ("des radios communautaires", true, true, None),
];

// ------------------------------------------------------------------------------------------
// Counts and victim nouns.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
struct Noun {
    pl: &'static str,
    fem: bool,
    group: &'static str,
}

const fn noun(pl: &'static str, fem: bool, group: &'static str) -> Noun {
    Noun { pl, fem, group }
}

const N_CIV: &[Noun] = &[
    noun("civils", false, "civilians"),
    noun("civils", false, "civilians"),
    noun("villageois", false, "civilians"),
    noun("habitants", false, "civilians"),
];
const N_PERSONS: Noun = noun("personnes", true, "unknown");
const N_CHILDREN: &[Noun] = &[
    noun("enfants", false, "children"),
    noun("enfants", false, "children"),
    noun("élèves", false, "children"),
];
const N_WOMEN: Noun = noun("femmes", true, "women");
const N_MIL: &[Noun] = &[
    noun("terroristes", false, "militants"),
    noun("terroristes", false, "militants"),
    noun("assaillants", false, "militants"),
    noun("jihadistes", false, "militants"),
    noun("combattants jihadistes", false, "militants"),
    noun("éléments terroristes", false, "militants"),
];

const SEC_ML: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats maliens", false, "security_forces"),
    noun("militaires maliens", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
];
const SEC_BF: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats burkinabè", false, "security_forces"),
    noun("VDP", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
    noun("policiers", false, "security_forces"),
];
const SEC_NE: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats nigériens", false, "security_forces"),
    noun("gardes nationaux", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
];

fn sec_nouns(c: Cty) -> &'static [Noun] {
    match c {
        Cty::Ml => SEC_ML,
        Cty::Bf => SEC_BF,
        Cty::Ne => SEC_NE,
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Out {
    Killed,
    Injured,
    Captured,
    Missing,
}

impl Out {
    fn code(self) -> &'static str {
        match self {
            Out::Killed => "killed",
            Out::Injured => "injured",
            Out::Captured => "captured",
            Out::Missing => "missing",
        }
    }
}

/// How a count is written.
#[derive(Clone, Copy, PartialEq)]
enum Q {
    Exact,
    AtLeast,
    PasMoins,
    PlusDe,
    Approx,
    Environ,
    Range,
    Vague,
    AtMost,
    MoinsDe,
}

#[derive(Clone)]
struct Count {
    text: String,
    /// "une vingtaine" and "des dizaines" take "de" before the noun.
    de: bool,
    low: Option<i64>,
    high: Option<i64>,
    qual: &'static str,
}

impl Count {
    fn np(&self, n: &Noun) -> String {
        if self.de {
            format!("{} {}", self.text, de(n.pl))
        } else {
            format!("{} {}", self.text, n.pl)
        }
    }
    fn np_word(&self, w: &str) -> String {
        if self.de {
            format!("{} {}", self.text, de(w))
        } else {
            format!("{} {w}", self.text)
        }
    }
    fn starts_with_digit(&self) -> bool {
        self.text.starts_with(|c: char| c.is_ascii_digit())
    }
    fn zero() -> Count {
        Count {
            text: String::new(),
            de: false,
            low: Some(0),
            high: Some(0),
            qual: "exact",
        }
    }
}

fn number(rng: &mut Rng, n: i64, fem: bool, words_p: f64) -> String {
    let p = if n <= 10 {
        words_p + (1.0 - words_p) * 0.6
    } else if n <= 20 {
        words_p
    } else {
        words_p * 0.4
    };
    if n < 200 && rng.chance(p) {
        words(n, fem)
    } else {
        n.to_string()
    }
}

fn make_count(rng: &mut Rng, n: i64, fem: bool, q: Q, words_p: f64) -> Count {
    let n = n.max(2);
    let exact = |t: String, v: i64| Count {
        text: t,
        de: false,
        low: Some(v),
        high: Some(v),
        qual: "exact",
    };
    match q {
        Q::Exact => exact(number(rng, n, fem, words_p), n),
        Q::AtLeast => Count {
            text: format!("au moins {}", number(rng, n, fem, words_p)),
            de: false,
            low: Some(n),
            high: None,
            qual: "at_least",
        },
        Q::PasMoins => Count {
            text: format!("pas moins de {}", number(rng, n, fem, words_p)),
            de: false,
            low: Some(n),
            high: None,
            qual: "at_least",
        },
        Q::PlusDe => {
            let step = if n >= 20 { 10 } else { 5 };
            let m = ((n / step) * step).max(5);
            Count {
                text: format!("plus de {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: Some(m + 1),
                high: None,
                qual: "at_least",
            }
        }
        Q::Approx => {
            const APPROX: [(i64, &str); 9] = [
                (10, "une dizaine"),
                (12, "une douzaine"),
                (15, "une quinzaine"),
                (20, "une vingtaine"),
                (30, "une trentaine"),
                (40, "une quarantaine"),
                (50, "une cinquantaine"),
                (60, "une soixantaine"),
                (100, "une centaine"),
            ];
            let &(v, t) = APPROX
                .iter()
                .min_by_key(|(v, _)| (v - n).abs())
                .expect("non-empty table");
            Count {
                text: t.into(),
                de: true,
                low: Some(v),
                high: Some(v),
                qual: "approx",
            }
        }
        Q::Environ => {
            let m = if n >= 20 { (n + 2) / 5 * 5 } else { n };
            let w = *rng.pick(&["environ", "environ", "près de", "quelque"]);
            Count {
                text: format!("{w} {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: Some(m),
                high: Some(m),
                qual: "approx",
            }
        }
        Q::Range => {
            let (a, b) = if n < 10 {
                (n, n + rng.range(1, 3))
            } else {
                let a = (n / 5 * 5).max(5);
                (a, a + *rng.pick(&[5, 5, 10]))
            };
            let text = if rng.chance(0.7) {
                if b <= 20 && rng.chance(words_p) {
                    format!("entre {} et {}", words(a, fem), words(b, fem))
                } else {
                    format!("entre {a} et {b}")
                }
            } else {
                format!("{a} à {b}")
            };
            Count {
                text,
                de: false,
                low: Some(a),
                high: Some(b),
                qual: "range",
            }
        }
        Q::Vague => {
            if n >= 200 && rng.chance(0.7) {
                Count {
                    text: "des centaines".into(),
                    de: true,
                    low: Some(200),
                    high: None,
                    qual: "vague",
                }
            } else if n >= 20 && rng.chance(0.75) {
                Count {
                    text: "des dizaines".into(),
                    de: true,
                    low: Some(20),
                    high: None,
                    qual: "vague",
                }
            } else {
                let t = match rng.below(4) {
                    0 | 1 => "plusieurs",
                    2 if fem => "de nombreuses",
                    2 => "de nombreux",
                    _ => "quelques",
                };
                Count {
                    text: t.into(),
                    de: false,
                    low: Some(2),
                    high: None,
                    qual: "vague",
                }
            }
        }
        Q::AtMost => {
            let w = *rng.pick(&["jusqu'à", "jusqu'à", "au plus"]);
            Count {
                text: format!("{w} {}", number(rng, n, fem, words_p)),
                de: false,
                low: None,
                high: Some(n),
                qual: "at_most",
            }
        }
        Q::MoinsDe => {
            let m = ((n + 9) / 10 * 10).max(10);
            Count {
                text: format!("moins de {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: None,
                high: Some(m - 1),
                qual: "at_most",
            }
        }
    }
}

/// A count style typical of who speaks.
fn q_for(rng: &mut Rng, voice: Voice, n: i64) -> Q {
    let big = n >= 15;
    match voice {
        Voice::Official => *rng.pick_w(&[
            (70, Q::Exact),
            (12, Q::AtLeast),
            (8, Q::Vague),
            (6, if big { Q::Approx } else { Q::Exact }),
            (4, Q::PlusDe),
        ]),
        Voice::Security => *rng.pick_w(&[
            (30, Q::AtLeast),
            (30, Q::Exact),
            (12, if big { Q::Approx } else { Q::Exact }),
            (8, Q::PlusDe),
            (8, Q::Range),
            (6, Q::Environ),
            (4, Q::Vague),
            (2, Q::MoinsDe),
        ]),
        Voice::Local => *rng.pick_w(&[
            (32, Q::AtLeast),
            (22, Q::Exact),
            (14, if big { Q::Approx } else { Q::AtLeast }),
            (7, Q::PlusDe),
            (7, Q::Range),
            (6, Q::Environ),
            (5, Q::Vague),
            (3, Q::PasMoins),
            (2, Q::AtMost),
            (2, Q::MoinsDe),
        ]),
        Voice::Claim => *rng.pick_w(&[(75, Q::Exact), (15, Q::Vague), (10, Q::PlusDe)]),
        Voice::Ngo | Voice::Intl => *rng.pick_w(&[
            (40, Q::AtLeast),
            (25, Q::Exact),
            (20, Q::PlusDe),
            (10, if big { Q::Approx } else { Q::Exact }),
            (5, Q::Range),
        ]),
        Voice::Media | Voice::Unattr => *rng.pick_w(&[
            (35, Q::AtLeast),
            (35, Q::Exact),
            (15, if big { Q::Approx } else { Q::Exact }),
            (10, Q::Vague),
            (5, Q::Environ),
        ]),
    }
}

fn part_killed(rng: &mut Rng, n: &Noun, civ: bool) -> String {
    let w = if civ {
        *rng.pick(&["tué", "tué", "tué", "tué", "abattu", "exécuté", "massacré"])
    } else {
        *rng.pick(&["tué", "tué", "tué", "abattu"])
    };
    agree(w, n)
}

fn agree(w: &str, n: &Noun) -> String {
    if n.fem {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn part(rng: &mut Rng, out: Out, n: &Noun) -> String {
    part_k(rng, out, n, false)
}

/// `massacre`: the event is an attack on civilians, where "exécutés", "massacrés" fit.
fn part_k(rng: &mut Rng, out: Out, n: &Noun, massacre: bool) -> String {
    match out {
        Out::Killed => part_killed(
            rng,
            n,
            massacre && n.group != "security_forces" && n.group != "militants",
        ),
        Out::Injured => agree("blessé", n),
        Out::Captured if n.group == "security_forces" || n.group == "militants" => {
            if rng.chance(0.5) {
                agree("capturé", n)
            } else if n.fem {
                "faites prisonnières".into()
            } else {
                "faits prisonniers".into()
            }
        }
        Out::Captured => match rng.below(4) {
            3 if n.fem => "prises en otage".into(),
            3 => "pris en otage".into(),
            2 => agree("kidnappé", n),
            _ => agree("enlevé", n),
        },
        Out::Missing => {
            if n.fem {
                "portées disparues".into()
            } else {
                "portés disparus".into()
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Events and statements.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    CivAttack,
    MilAttack,
    Ambush,
    Drone,
    Ied,
    Abduction,
    Shelling,
}

impl Kind {
    fn types(self, civ_target: bool) -> (&'static str, &'static str) {
        match self {
            Kind::CivAttack => ("Violence against civilians", "Attack"),
            Kind::MilAttack | Kind::Ambush => ("Battles", "Armed clash"),
            Kind::Drone => ("Explosions/Remote violence", "Air/drone strike"),
            Kind::Ied => (
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
            ),
            Kind::Abduction => (
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            Kind::Shelling if civ_target => (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            Kind::Shelling => (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Target {
    Village,
    Market,
    Mosque,
    Church,
    GoldSite,
    Wedding,
    Camp,
    Post,
    Convoy,
    Bus,
    Cart,
    Town,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Voice {
    Official,
    Security,
    Local,
    Claim,
    Ngo,
    Intl,
    Media,
    Unattr,
}

#[derive(Clone)]
struct Fig {
    noun: Noun,
    out: Out,
    c: Count,
    subset: Option<(Noun, Count)>,
}

#[derive(Clone)]
struct Stmt {
    src: Src,
    voice: Voice,
    figs: Vec<Fig>,
    /// Days after the event before this statement is public.
    lag: i64,
}

struct Ev {
    kind: Kind,
    target: Target,
    cty: Cty,
    place: usize,
    anchor: Option<Anchor>,
    date: Date,
    night: bool,
    /// Who acted, as an indefinite noun phrase ("des hommes armés") or a named group.
    attacker: Party,
    stmts: Vec<Stmt>,
}

fn pick_country(rng: &mut Rng) -> Cty {
    *rng.pick_w(&[(40, Cty::Ml), (35, Cty::Bf), (25, Cty::Ne)])
}

fn pick_place(rng: &mut Rng, gaz: &Gaz, c: Cty, major_p: f64) -> usize {
    let regions = &gaz.regions[c.i()];
    let w: Vec<(u32, usize)> = regions.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let (_, towns, villages) = &regions[*rng.pick_w(&w)];
    if villages.is_empty() || rng.chance(major_p) {
        *rng.pick(towns)
    } else {
        *rng.pick(villages)
    }
}

fn killed_civ_n(rng: &mut Rng) -> i64 {
    match rng.pick_w(&[(30, 0), (40, 1), (22, 2), (8, 3)]) {
        0 => rng.range(3, 9),
        1 => rng.range(10, 25),
        2 => rng.range(26, 60),
        _ => rng.range(61, 160),
    }
}

fn killed_sec_n(rng: &mut Rng) -> i64 {
    match rng.pick_w(&[(45, 0), (40, 1), (15, 2)]) {
        0 => rng.range(2, 9),
        1 => rng.range(10, 30),
        _ => rng.range(31, 80),
    }
}

fn jitter(rng: &mut Rng, n: i64, lo: f64, hi: f64) -> i64 {
    let f = lo + (hi - lo) * (rng.below(1001) as f64 / 1000.0);
    ((n as f64 * f).round() as i64).max(2)
}

fn local_src(rng: &mut Rng) -> Src {
    let &(t, pl, fem, d) = rng.pick(LOCAL_SRC);
    Src::generic(t, "local", pl, fem, d)
}

fn state_src(rng: &mut Rng, gaz: &Gaz, p: usize) -> Src {
    let pl = &gaz.places[p];
    match rng.below(10) {
        0 | 1 => Src::generic(
            &format!("le gouverneur de {}", region_np(pl)),
            "state",
            false,
            false,
            None,
        ),
        2 if pl.cty == Cty::Bf => Src::generic(
            "le haut-commissaire de la province",
            "state",
            false,
            false,
            None,
        ),
        2 if pl.cty == Cty::Ne && !pl.admin2.is_empty() => Src::generic(
            &format!("le préfet {}", de(&pl.admin2)),
            "state",
            false,
            false,
            None,
        ),
        _ => {
            let &(t, plu, fem, d) = rng.pick(STATE_SRC);
            Src::generic(t, "state", plu, fem, d)
        }
    }
}

fn jihad_group(rng: &mut Rng, gaz: &Gaz, p: usize) -> Party {
    let pl = &gaz.places[p];
    if pl.cty == Cty::Ne && pl.admin1 == "Diffa" {
        *rng.pick(JIHAD_DIFFA)
    } else if pl.cty == Cty::Ml
        && ["Kidal", "Gao", "Tombouctou", "Ménaka"].contains(&pl.admin1.as_str())
        && rng.chance(0.3)
    {
        *rng.pick(REBELS)
    } else {
        *rng.pick(JIHAD[pl.cty.i()])
    }
}

fn fig_with(
    rng: &mut Rng,
    noun: impl FnOnce(&mut Rng) -> Noun,
    out: Out,
    n: i64,
    voice: Voice,
    words_p: f64,
) -> Fig {
    let nn = noun(rng);
    fig(rng, nn, out, n, voice, words_p)
}

fn fig(rng: &mut Rng, noun: Noun, out: Out, n: i64, voice: Voice, words_p: f64) -> Fig {
    let q = q_for(rng, voice, n);
    let c = make_count(rng, n, noun.fem, q, words_p);
    Fig {
        noun,
        out,
        c,
        subset: None,
    }
}

fn with_subset(rng: &mut Rng, mut f: Fig, n_parent: i64, voice: Voice) -> Fig {
    if ![
        "civils",
        "villageois",
        "habitants",
        "personnes",
        "fidèles",
        "passagers",
    ]
    .contains(&f.noun.pl)
    {
        return f;
    }
    let sub_noun = if rng.chance(0.6) {
        *rng.pick(N_CHILDREN)
    } else {
        N_WOMEN
    };
    let k = (n_parent / rng.range(2, 5)).max(2);
    let c = if rng.chance(0.2) {
        Count {
            text: "des".into(),
            de: false,
            low: Some(2),
            high: None,
            qual: "vague",
        }
    } else {
        let q = if voice == Voice::Local && rng.chance(0.3) {
            Q::Vague
        } else {
            Q::Exact
        };
        make_count(rng, k, sub_noun.fem, q, 0.5)
    };
    // "dont des enfants" under "plusieurs civils" is fine; "dont 11 enfants" under "une dizaine"
    // must stay below the parent's lower bound.
    if c.low.unwrap_or(0) < f.c.low.unwrap_or(i64::MAX) || c.qual == "vague" {
        f.subset = Some((sub_noun, c));
    }
    f
}

fn civ_noun_for(rng: &mut Rng, t: Target) -> Noun {
    match t {
        Target::GoldSite if rng.chance(0.7) => noun("orpailleurs", false, "civilians"),
        Target::Market if rng.chance(0.5) => noun("commerçants", false, "civilians"),
        Target::Mosque if rng.chance(0.6) => noun("fidèles", false, "civilians"),
        Target::Church if rng.chance(0.6) => noun("fidèles", false, "civilians"),
        Target::Bus if rng.chance(0.7) => noun("passagers", false, "civilians"),
        _ if rng.chance(0.25) => N_PERSONS,
        _ => *rng.pick(N_CIV),
    }
}

/// A whole event: where, when, who, and every statement about its toll.
fn make_event(rng: &mut Rng, gaz: &Gaz, date: Date, cty: Option<Cty>) -> Ev {
    let cty = cty.unwrap_or_else(|| pick_country(rng));
    let kind = *rng.pick_w(&[
        (28, Kind::CivAttack),
        (17, Kind::MilAttack),
        (12, Kind::Ambush),
        (if cty == Cty::Ne { 4 } else { 10 }, Kind::Drone),
        (12, Kind::Ied),
        (12, Kind::Abduction),
        (if cty == Cty::Ml { 5 } else { 2 }, Kind::Shelling),
    ]);
    let place = pick_place(
        rng,
        gaz,
        cty,
        if kind == Kind::Shelling { 1.0 } else { 0.6 },
    );
    let anchor = anchor_for(gaz, place);
    let night = rng.chance(0.15);
    let target = match kind {
        Kind::CivAttack => *rng.pick_w(&[
            (55, Target::Village),
            (10, Target::Market),
            (8, Target::Mosque),
            (if cty == Cty::Bf { 5 } else { 1 }, Target::Church),
            (12, Target::GoldSite),
            (5, Target::Wedding),
            (8, Target::Bus),
        ]),
        Kind::MilAttack => *rng.pick_w(&[(60, Target::Camp), (40, Target::Post)]),
        Kind::Ambush => Target::Convoy,
        Kind::Drone => *rng.pick_w(&[
            (50, Target::Village),
            (25, Target::Market),
            (25, Target::Wedding),
        ]),
        Kind::Ied => *rng.pick_w(&[(35, Target::Bus), (20, Target::Cart), (45, Target::Convoy)]),
        Kind::Abduction => *rng.pick_w(&[
            (55, Target::Village),
            (30, Target::Bus),
            (15, Target::GoldSite),
        ]),
        Kind::Shelling => *rng.pick_w(&[(50, Target::Town), (50, Target::Camp)]),
    };
    let army = *rng.pick(ARMY[cty.i()]);
    let jihad = jihad_group(rng, gaz, place);
    let state_perp = kind == Kind::CivAttack && cty != Cty::Ne && rng.chance(0.1);
    let attacker = match kind {
        Kind::Drone => army,
        _ if state_perp => {
            if rng.chance(0.5) && !MILITIA[cty.i()].is_empty() {
                *rng.pick(MILITIA[cty.i()])
            } else {
                army
            }
        }
        _ if rng.chance(0.7) => *rng.pick(ATTACKERS),
        _ => jihad,
    };
    let wp_local = 0.25;
    let mut stmts = Vec::new();
    let gov_voice = |rng: &mut Rng| Src::of(rng.pick(ARMY_VOICE[cty.i()]));
    match kind {
        Kind::CivAttack => {
            let k = killed_civ_n(rng);
            let nn = civ_noun_for(rng, target);
            if state_perp {
                // Locals and NGOs say civilians were executed; the army says it killed terrorists.
                let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
                if rng.chance(0.3) {
                    f = with_subset(rng, f, k, Voice::Local);
                }
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
                let m = jitter(rng, k, 0.6, 1.2);
                let f = fig_with(
                    rng,
                    |rng| *rng.pick(N_MIL),
                    Out::Killed,
                    m,
                    Voice::Official,
                    0.4,
                );
                stmts.push(Stmt {
                    src: gov_voice(rng),
                    voice: Voice::Official,
                    figs: vec![f],
                    lag: 0,
                });
                let n2 = jitter(rng, k, 1.0, 1.6);
                let f = fig(
                    rng,
                    noun("civils", false, "civilians"),
                    Out::Killed,
                    n2,
                    Voice::Ngo,
                    0.2,
                );
                stmts.push(Stmt {
                    src: Src::of(rng.pick(NGO[cty.i()])),
                    voice: Voice::Ngo,
                    figs: vec![f],
                    lag: rng.range(2, 8),
                });
            } else {
                let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
                if rng.chance(0.25) {
                    f = with_subset(rng, f, k, Voice::Local);
                }
                let mut figs = vec![f];
                if rng.chance(0.35) {
                    let inj = jitter(rng, k, 0.3, 1.5);
                    figs.push(fig_with(
                        rng,
                        |rng| if rng.chance(0.5) { nn } else { N_PERSONS },
                        Out::Injured,
                        inj,
                        Voice::Local,
                        wp_local,
                    ));
                }
                if rng.chance(0.12) {
                    let cap = rng.range(3, 25);
                    figs.push(fig_with(
                        rng,
                        |rng| if rng.chance(0.5) { N_WOMEN } else { N_PERSONS },
                        Out::Captured,
                        cap,
                        Voice::Local,
                        wp_local,
                    ));
                }
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs,
                    lag: 0,
                });
                if rng.chance(0.6) {
                    let k2 = jitter(rng, k, 0.8, 1.3);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k2,
                        Voice::Local,
                        wp_local,
                    );
                    stmts.push(Stmt {
                        src: local_src(rng),
                        voice: Voice::Local,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
                if rng.chance(0.55) {
                    let k3 = jitter(rng, k, 0.5, 1.0);
                    let mut figs = vec![fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k3,
                        Voice::Official,
                        0.3,
                    )];
                    if rng.chance(0.4) {
                        let inj = jitter(rng, k3, 0.4, 1.5);
                        figs.push(fig_with(
                            rng,
                            |rng| *rng.pick(N_CIV),
                            Out::Injured,
                            inj,
                            Voice::Official,
                            0.3,
                        ));
                    }
                    if rng.chance(0.3) {
                        let m = rng.range(3, 30);
                        figs.push(fig_with(
                            rng,
                            |rng| *rng.pick(N_MIL),
                            Out::Killed,
                            m,
                            Voice::Official,
                            0.3,
                        ));
                    }
                    let src = if rng.chance(0.5) {
                        state_src(rng, gaz, place)
                    } else {
                        Src::of(rng.pick(GOV[cty.i()]))
                    };
                    stmts.push(Stmt {
                        src,
                        voice: Voice::Official,
                        figs,
                        lag: rng.range(0, 2),
                    });
                }
                if rng.chance(0.4) {
                    let k4 = jitter(rng, k, 1.0, 1.5);
                    let (src, voice) = if rng.chance(0.6) {
                        (Src::of(rng.pick(NGO[cty.i()])), Voice::Ngo)
                    } else if cty == Cty::Ml
                        && date < Date::constant(2023, 12, 1)
                        && rng.chance(0.5)
                    {
                        (Src::of(&MINUSMA), Voice::Intl)
                    } else {
                        (Src::of(rng.pick(INTL)), Voice::Intl)
                    };
                    let f = fig(
                        rng,
                        noun("civils", false, "civilians"),
                        Out::Killed,
                        k4,
                        voice,
                        0.2,
                    );
                    stmts.push(Stmt {
                        src,
                        voice,
                        figs: vec![f],
                        lag: rng.range(2, 7),
                    });
                }
                if rng.chance(0.08) {
                    let k5 = jitter(rng, k, 0.8, 1.2);
                    let &(t, pl, fem, d) = rng.pick(MEDIA_SRC);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k5,
                        Voice::Media,
                        0.3,
                    );
                    stmts.push(Stmt {
                        src: Src::generic(t, "media", pl, fem, d),
                        voice: Voice::Media,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
            }
        }
        Kind::MilAttack | Kind::Ambush => {
            let s = killed_sec_n(rng);
            let secn = *rng.pick(sec_nouns(cty));
            // The army's own figures: its losses low, the enemy's high.
            let s_army = jitter(rng, s, 0.4, 1.0);
            let mut figs = vec![fig(rng, secn, Out::Killed, s_army, Voice::Official, 0.6)];
            if rng.chance(0.5) {
                let inj = jitter(rng, s_army, 0.5, 2.0);
                figs.push(fig(rng, secn, Out::Injured, inj, Voice::Official, 0.5));
            }
            if rng.chance(0.12) {
                let mis = rng.range(2, 12);
                figs.push(fig(rng, secn, Out::Missing, mis, Voice::Official, 0.5));
            }
            if rng.chance(0.65) {
                let m = rng.range(5, 60);
                let mut f = fig_with(
                    rng,
                    |rng| *rng.pick(N_MIL),
                    Out::Killed,
                    m,
                    Voice::Official,
                    0.3,
                );
                if rng.chance(0.35) {
                    f.c = make_count(rng, m, false, Q::Vague, 0.3);
                }
                if rng.chance(0.5) {
                    figs.insert(0, f);
                } else {
                    figs.push(f);
                }
            }
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs,
                lag: rng.range(0, 1),
            });
            let secn2 = *rng.pick(sec_nouns(cty));
            let f = fig(rng, secn2, Out::Killed, s, Voice::Security, 0.4);
            let mut figs = vec![f];
            if rng.chance(0.3) {
                let inj = jitter(rng, s, 0.5, 1.5);
                figs.push(fig(rng, secn2, Out::Injured, inj, Voice::Security, 0.4));
            }
            stmts.push(Stmt {
                src: state_src(rng, gaz, place),
                voice: Voice::Security,
                figs,
                lag: 0,
            });
            if rng.chance(0.35) {
                let s2 = jitter(rng, s, 0.9, 1.4);
                let f = fig_with(
                    rng,
                    |rng| *rng.pick(sec_nouns(cty)),
                    Out::Killed,
                    s2,
                    Voice::Local,
                    wp_local,
                );
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
            }
            if rng.chance(0.4) {
                let s3 = jitter(rng, s, 1.0, 2.0);
                let mut figs = vec![fig(rng, secn, Out::Killed, s3, Voice::Claim, 0.2)];
                if rng.chance(0.3) {
                    let c = rng.range(2, 10);
                    figs.push(fig(rng, secn, Out::Captured, c, Voice::Claim, 0.4));
                }
                let claimer = if attacker.kind == "armed_group"
                    && attacker.id != "generic-unidentified"
                    && attacker.id != "generic-jihadists"
                {
                    attacker
                } else {
                    jihad
                };
                stmts.push(Stmt {
                    src: Src::of(&claimer),
                    voice: Voice::Claim,
                    figs,
                    lag: rng.range(1, 3),
                });
            }
        }
        Kind::Drone => {
            let k = killed_civ_n(rng).min(60);
            let m = rng.range(4, 40);
            let mut f = fig_with(
                rng,
                |rng| *rng.pick(N_MIL),
                Out::Killed,
                m,
                Voice::Official,
                0.3,
            );
            if rng.chance(0.4) {
                f.c = make_count(rng, m, false, Q::Vague, 0.3);
            }
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs: vec![f],
                lag: rng.range(0, 1),
            });
            let nn = if rng.chance(0.3) {
                N_PERSONS
            } else {
                *rng.pick(N_CIV)
            };
            let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
            if rng.chance(0.3) {
                f = with_subset(rng, f, k, Voice::Local);
            }
            let mut figs = vec![f];
            if rng.chance(0.35) {
                let inj = jitter(rng, k, 0.3, 1.2);
                figs.push(fig(rng, nn, Out::Injured, inj, Voice::Local, wp_local));
            }
            stmts.push(Stmt {
                src: local_src(rng),
                voice: Voice::Local,
                figs,
                lag: 0,
            });
            let pl = &gaz.places[place];
            if cty == Cty::Ml
                && ["Kidal", "Gao", "Tombouctou", "Ménaka"].contains(&pl.admin1.as_str())
                && rng.chance(0.6)
            {
                let k2 = jitter(rng, k, 1.0, 1.6);
                let mut f = fig(
                    rng,
                    noun("civils", false, "civilians"),
                    Out::Killed,
                    k2,
                    Voice::Claim,
                    0.3,
                );
                if rng.chance(0.4) {
                    f = with_subset(rng, f, k2, Voice::Claim);
                }
                stmts.push(Stmt {
                    src: Src::of(rng.pick(REBELS)),
                    voice: Voice::Claim,
                    figs: vec![f],
                    lag: 0,
                });
            }
            if rng.chance(0.35) {
                let k3 = jitter(rng, k, 1.0, 1.4);
                let f = fig(
                    rng,
                    noun("civils", false, "civilians"),
                    Out::Killed,
                    k3,
                    Voice::Ngo,
                    0.2,
                );
                stmts.push(Stmt {
                    src: Src::of(rng.pick(NGO[cty.i()])),
                    voice: Voice::Ngo,
                    figs: vec![f],
                    lag: rng.range(2, 8),
                });
            }
        }
        Kind::Ied => {
            if target == Target::Convoy {
                let s = rng.range(2, 15);
                let secn = *rng.pick(sec_nouns(cty));
                let zero = rng.chance(0.12);
                let figs = if zero {
                    vec![Fig {
                        noun: N_PERSONS,
                        out: Out::Killed,
                        c: Count::zero(),
                        subset: None,
                    }]
                } else {
                    let mut v = vec![fig(rng, secn, Out::Killed, s, Voice::Security, 0.5)];
                    if rng.chance(0.5) {
                        let inj = jitter(rng, s, 0.5, 2.0);
                        v.push(fig(rng, secn, Out::Injured, inj, Voice::Security, 0.5));
                    }
                    v
                };
                stmts.push(Stmt {
                    src: state_src(rng, gaz, place),
                    voice: Voice::Security,
                    figs,
                    lag: 0,
                });
                if !zero && rng.chance(0.4) {
                    let s2 = jitter(rng, s, 0.6, 1.0);
                    let f = fig(rng, secn, Out::Killed, s2, Voice::Official, 0.6);
                    stmts.push(Stmt {
                        src: gov_voice(rng),
                        voice: Voice::Official,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
            } else {
                let k = rng.range(2, 25);
                let nn = civ_noun_for(rng, target);
                let mut figs = vec![fig(rng, nn, Out::Killed, k, Voice::Local, wp_local)];
                if rng.chance(0.5) {
                    let inj = jitter(rng, k, 0.4, 2.0);
                    figs.push(fig(
                        rng,
                        N_PERSONS,
                        Out::Injured,
                        inj,
                        Voice::Local,
                        wp_local,
                    ));
                }
                let src = if rng.chance(0.6) {
                    local_src(rng)
                } else {
                    state_src(rng, gaz, place)
                };
                let voice = if src.kind == "local" {
                    Voice::Local
                } else {
                    Voice::Security
                };
                stmts.push(Stmt {
                    src,
                    voice,
                    figs,
                    lag: 0,
                });
                if rng.chance(0.4) {
                    let k2 = jitter(rng, k, 0.8, 1.3);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k2,
                        Voice::Security,
                        0.4,
                    );
                    stmts.push(Stmt {
                        src: state_src(rng, gaz, place),
                        voice: Voice::Security,
                        figs: vec![f],
                        lag: rng.range(0, 1),
                    });
                }
            }
        }
        Kind::Abduction => {
            let c = match rng.below(3) {
                0 => rng.range(2, 9),
                1 => rng.range(10, 30),
                _ => rng.range(31, 120),
            };
            let nn = match target {
                Target::Bus => noun("passagers", false, "civilians"),
                Target::GoldSite => noun("orpailleurs", false, "civilians"),
                _ => *rng.pick(&[
                    N_WOMEN,
                    N_PERSONS,
                    noun("civils", false, "civilians"),
                    noun("villageois", false, "civilians"),
                    noun("habitants", false, "civilians"),
                ]),
            };
            let mut figs = vec![fig(rng, nn, Out::Captured, c, Voice::Local, wp_local)];
            if rng.chance(0.2) {
                let k = rng.range(2, 6);
                figs.push(fig(rng, N_PERSONS, Out::Killed, k, Voice::Local, 0.8));
            }
            stmts.push(Stmt {
                src: local_src(rng),
                voice: Voice::Local,
                figs,
                lag: 0,
            });
            if rng.chance(0.45) {
                let c2 = jitter(rng, c, 0.7, 1.2);
                let f = fig(rng, nn, Out::Captured, c2, Voice::Official, 0.4);
                stmts.push(Stmt {
                    src: state_src(rng, gaz, place),
                    voice: Voice::Official,
                    figs: vec![f],
                    lag: rng.range(0, 2),
                });
            }
        }
        Kind::Shelling => {
            let zero_state = rng.chance(0.5);
            let f = if zero_state {
                Fig {
                    noun: N_PERSONS,
                    out: Out::Killed,
                    c: Count::zero(),
                    subset: None,
                }
            } else {
                let inj = rng.range(2, 15);
                fig_with(
                    rng,
                    |rng| *rng.pick(N_CIV),
                    Out::Injured,
                    inj,
                    Voice::Official,
                    0.6,
                )
            };
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs: vec![f],
                lag: 0,
            });
            if rng.chance(0.6) {
                let n = rng.range(2, 12);
                let out = if rng.chance(0.6) {
                    Out::Injured
                } else {
                    Out::Killed
                };
                let f = fig_with(rng, |rng| *rng.pick(N_CIV), out, n, Voice::Local, wp_local);
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
            }
        }
    }
    Ev {
        kind,
        target,
        cty,
        place,
        anchor,
        date,
        night,
        attacker,
        stmts,
    }
}

// ------------------------------------------------------------------------------------------
// Ground truth.
// ------------------------------------------------------------------------------------------

#[derive(Serialize, Clone)]
struct TClaim {
    victim_group: &'static str,
    outcome: &'static str,
    low: Option<i64>,
    high: Option<i64>,
    qualifier: &'static str,
    source_kind: &'static str,
    source: String,
    quote: String,
}

#[derive(Serialize)]
struct TEvent {
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
    claims: Vec<TClaim>,
}

#[derive(Serialize)]
struct TDoc {
    file: String,
    publisher: &'static str,
    published: String,
    story: u64,
    events: Vec<TEvent>,
}

fn tc(group: &'static str, out: Out, c: &Count, src: &Src) -> TClaim {
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
fn fig_claims(f: &Fig, src: &Src) -> Vec<TClaim> {
    let mut v = vec![tc(f.noun.group, f.out, &f.c, src)];
    if let Some((n, c)) = &f.subset {
        v.push(tc(n.group, f.out, c, src));
    }
    v
}

// ------------------------------------------------------------------------------------------
// Outlets and article writing.
// ------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Style {
    Afp,
    Rfi,
    Reuters,
    Aa,
    Mag,
    Local,
    StateMedia,
    Radio,
}

struct Outlet {
    name: &'static str,
    slug: &'static str,
    domain: &'static str,
    style: Style,
    cty: Option<Cty>,
    weight: u32,
}

const fn outlet(
    name: &'static str,
    slug: &'static str,
    domain: &'static str,
    style: Style,
    cty: Option<Cty>,
    weight: u32,
) -> Outlet {
    Outlet {
        name,
        slug,
        domain,
        style,
        cty,
        weight,
    }
}

const OUTLETS: &[Outlet] = &[
    outlet("AFP", "afp", "", Style::Afp, None, 22),
    outlet("RFI", "rfi", "www.rfi.fr/fr/afrique", Style::Rfi, None, 13),
    outlet(
        "Reuters",
        "reuters",
        "www.reuters.com/fr",
        Style::Reuters,
        None,
        5,
    ),
    outlet(
        "Anadolu",
        "aa",
        "www.aa.com.tr/fr/afrique",
        Style::Aa,
        None,
        3,
    ),
    outlet(
        "Jeune Afrique",
        "ja",
        "www.jeuneafrique.com",
        Style::Mag,
        None,
        3,
    ),
    outlet(
        "Le Monde Afrique",
        "lemonde",
        "www.lemonde.fr/afrique/article",
        Style::Mag,
        None,
        3,
    ),
    outlet(
        "Studio Tamani",
        "tamani",
        "www.studiotamani.org",
        Style::Radio,
        Some(Cty::Ml),
        6,
    ),
    outlet(
        "Malijet",
        "malijet",
        "malijet.com/actualite",
        Style::Local,
        Some(Cty::Ml),
        4,
    ),
    outlet(
        "Maliweb",
        "maliweb",
        "www.maliweb.net",
        Style::Local,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "Journal du Mali",
        "jdm",
        "www.journaldumali.com",
        Style::Local,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "L'Essor",
        "essor",
        "www.essor.ml",
        Style::StateMedia,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "Lefaso.net",
        "lefaso",
        "lefaso.net/spip.php",
        Style::Local,
        Some(Cty::Bf),
        6,
    ),
    outlet(
        "Burkina24",
        "b24",
        "burkina24.com",
        Style::Local,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "L'Observateur Paalga",
        "paalga",
        "www.lobservateur.bf",
        Style::Local,
        Some(Cty::Bf),
        2,
    ),
    outlet(
        "Sidwaya",
        "sidwaya",
        "www.sidwaya.info",
        Style::StateMedia,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "AIB",
        "aib",
        "www.aib.media",
        Style::StateMedia,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "Studio Yafa",
        "yafa",
        "www.studioyafa.org",
        Style::Radio,
        Some(Cty::Bf),
        2,
    ),
    outlet(
        "ActuNiger",
        "actuniger",
        "www.actuniger.com",
        Style::Local,
        Some(Cty::Ne),
        5,
    ),
    outlet(
        "Aïr Info",
        "airinfo",
        "www.airinfoagadez.com",
        Style::Local,
        Some(Cty::Ne),
        2,
    ),
    outlet(
        "Tamtaminfo",
        "tamtam",
        "www.tamtaminfo.com",
        Style::Local,
        Some(Cty::Ne),
        2,
    ),
    outlet(
        "Studio Kalangou",
        "kalangou",
        "www.studiokalangou.org",
        Style::Radio,
        Some(Cty::Ne),
        3,
    ),
    outlet(
        "Le Sahel",
        "lesahel",
        "www.lesahel.org",
        Style::StateMedia,
        Some(Cty::Ne),
        2,
    ),
];

fn pick_outlet(rng: &mut Rng, c: Cty, avoid: &[&str]) -> &'static Outlet {
    let cands: Vec<(u32, &'static Outlet)> = OUTLETS
        .iter()
        .filter(|o| o.cty.is_none_or(|oc| oc == c) && !avoid.contains(&o.name))
        .map(|o| (o.weight, o))
        .collect();
    if cands.is_empty() {
        return &OUTLETS[0];
    }
    let chosen: &&'static Outlet = rng.pick_w(&cands);
    chosen
}

const FIRST: &[&str] = &[
    "Moussa",
    "Aminata",
    "Boureima",
    "Mariam",
    "Ousmane",
    "Fatoumata",
    "Issa",
    "Salif",
    "Rokia",
    "Abdoulaye",
    "Habibou",
    "Seydou",
    "Kadidia",
    "Idrissa",
    "Aïssata",
    "Hamidou",
    "Adama",
    "Souleymane",
    "Zakaria",
    "Nafissatou",
    "Harouna",
    "Awa",
    "Ibrahim",
    "Djénéba",
    "Mahamadou",
    "Lassina",
    "Inoussa",
    "Boubacar",
    "Alassane",
    "Ramatou",
    "Sidiki",
    "Oumarou",
];
const LAST: &[&str] = &[
    "Traoré",
    "Diallo",
    "Ouédraogo",
    "Sawadogo",
    "Maïga",
    "Coulibaly",
    "Keïta",
    "Touré",
    "Cissé",
    "Kaboré",
    "Zongo",
    "Diarra",
    "Sanogo",
    "Issoufou",
    "Hama",
    "Koné",
    "Dembélé",
    "Compaoré",
    "Tall",
    "Sidibé",
    "Yattara",
    "Garba",
    "Mounkaïla",
    "Idé",
];
const FR_FIRST: &[&str] = &[
    "Claire", "Jean", "Camille", "Nicolas", "Sophie", "Benjamin", "Juliette", "Laurent", "Élise",
    "Marc", "Hélène", "Thomas",
];
const FR_LAST: &[&str] = &[
    "Martin", "Lefèvre", "Dubois", "Fournier", "Girard", "Mercier", "Lambert", "Bonnet", "Roux",
    "Vincent", "Morel", "Garnier",
];

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

/// One article being written: paragraphs and the truth of what they state.
struct Body {
    paras: Vec<String>,
    cur: Vec<String>,
    events: Vec<TEvent>,
    /// (victim_group, outcome) of the claims of the previous sentence in this paragraph.
    prev: Vec<(&'static str, &'static str)>,
}

/// Typography slips of template assembly: "..., dont trois femmes,." and doubled spaces.
fn tidy(s: &str) -> String {
    s.replace(",.", ".").replace(", ,", ",").replace("  ", " ")
}

impl Body {
    fn new() -> Body {
        Body {
            paras: Vec::new(),
            cur: Vec::new(),
            events: Vec::new(),
            prev: Vec::new(),
        }
    }
    fn say(&mut self, s: String) {
        self.prev.clear();
        self.cur.push(tidy(&s));
    }
    /// A sentence stating claims. Codebook rule: a generic group ("morts", "personnes")
    /// takes the group of the previous sentence's claim in the same paragraph when the
    /// outcome is the same.
    fn claim(&mut self, ev: usize, s: String, claims: Vec<TClaim>) {
        let s = tidy(&s);
        let prev = std::mem::take(&mut self.prev);
        for mut c in claims {
            // "aucune victime" states that nobody was hit: it is not about the previous group.
            if c.victim_group == "unknown" && c.low != Some(0) {
                if let Some((g, _)) = prev.iter().find(|(_, o)| *o == c.outcome) {
                    c.victim_group = g;
                }
            }
            c.quote = s.clone();
            self.prev.push((c.victim_group, c.outcome));
            self.events[ev].claims.push(c);
        }
        self.cur.push(s);
    }
    fn end(&mut self) {
        self.prev.clear();
        if !self.cur.is_empty() {
            self.paras.push(self.cur.join(" "));
            self.cur.clear();
        }
    }
    fn line(&mut self, s: String) {
        self.end();
        self.paras.push(s);
    }
}

/// Writing context of one article.
struct Cx<'a> {
    rng: Rng,
    gaz: &'a Gaz,
    style: Style,
    outlet: &'static Outlet,
    pubd: Date,
}

/// Where, as written in this article, and what the truth says it is.
struct Loc {
    /// "à Kéra, dans la région de Mopti", "près de Djibo", "à 30 km de Kaya".
    at: String,
    /// "de Kéra, dans la région de Mopti" (after a target noun), or None when the article
    /// names only a nearby town.
    of: Option<String>,
    name: String,
    place: usize,
    wprec: u8,
}

/// When, as written, and its truth.
struct When {
    text: String,
    start: Date,
    end: Date,
}

impl<'a> Cx<'a> {
    fn p(&self, i: usize) -> &'a Place {
        &self.gaz.places[i]
    }

    fn km_text(&mut self, km: i64) -> String {
        if km >= 15 && self.rng.chance(0.35) {
            let w = match km {
                15..=17 => "une quinzaine",
                18..=24 => "une vingtaine",
                25..=34 => "une trentaine",
                35..=44 => "une quarantaine",
                45..=54 => "une cinquantaine",
                55..=69 => "une soixantaine",
                _ => "une centaine",
            };
            format!("{w} de kilomètres")
        } else if self.style == Style::Afp || self.style == Style::Reuters {
            format!("{km} km")
        } else {
            format!("{km} kilomètres")
        }
    }

    /// A locative phrase for an event place, in one of the ways reports write it.
    fn loc(&mut self, place: usize, anchor: Option<Anchor>) -> Loc {
        let p = self.p(place);
        let name = p.written.clone();
        let region = region_np(p);
        let a2 = admin2_np(p);
        let mode = *self.rng.pick_w(&[
            (14, 0u8),
            (26, 1),
            (if a2.is_some() { 10 } else { 0 }, 2),
            (7, 3),
            (6, 4),
            (if anchor.is_some() { 13 } else { 0 }, 5),
            (8, 6),
            (if anchor.is_some() { 8 } else { 0 }, 7),
        ]);
        let mk = |at: String, of: Option<String>, place: usize, wprec: u8, name: String| Loc {
            at,
            of,
            name,
            place,
            wprec,
        };
        match mode {
            0 => mk(format!("à {name}"), Some(de(&name)), place, 1, name),
            1 => {
                let suffix = format!(", dans {region}");
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            2 => {
                let suffix = format!(", dans {}", a2.expect("mode 2 needs admin2"));
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            3 => {
                let z = zone_np(p, &mut self.rng);
                let suffix = format!(", dans {z}");
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            4 => mk(
                format!("dans la localité {}, dans {region}", de(&name)),
                Some(format!("{}, une localité de {region}", de(&name))),
                place,
                1,
                name,
            ),
            5 => {
                let a = anchor.expect("mode 5 needs an anchor");
                let an = self.p(a.place).written.clone();
                let km = self.km_text(a.km);
                let suffix = format!(", à {km} {} {}", a.dir, de(&an));
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            6 => mk(format!("près {}", de(&name)), None, place, 2, name),
            _ => {
                let a = anchor.expect("mode 7 needs an anchor");
                let an = self.p(a.place).written.clone();
                let km = self.km_text(a.km);
                let dir = if self.rng.chance(0.5) {
                    format!(" {}", a.dir)
                } else {
                    String::new()
                };
                mk(format!("à {km}{dir} {}", de(&an)), None, a.place, 2, an)
            }
        }
    }

    /// "le camp militaire de X, dans la région de Y" or "un camp militaire situé près de X".
    fn target_np(&mut self, t: Target, loc: &Loc) -> String {
        let (def, indef, fem) = match t {
            Target::Village => ("le village", "un village", false),
            Target::Market => ("le marché", "le marché hebdomadaire d'un village", false),
            Target::Mosque => ("la mosquée", "une mosquée", true),
            Target::Church => ("l'église", "une église", true),
            Target::GoldSite => ("le site d'orpaillage", "un site d'orpaillage", false),
            Target::Wedding => ("une cérémonie de mariage", "une cérémonie de mariage", true),
            Target::Camp => {
                let &(d, i) = self.rng.pick(&[
                    ("le camp militaire", "un camp militaire"),
                    ("le poste militaire", "un poste militaire"),
                    ("le détachement militaire", "un détachement militaire"),
                    ("la base militaire", "une base militaire"),
                ]);
                (d, i, d.starts_with("la "))
            }
            Target::Post => {
                let &(d, i) = self.rng.pick(&[
                    ("le poste de gendarmerie", "un poste de gendarmerie"),
                    ("la brigade de gendarmerie", "une brigade de gendarmerie"),
                    ("le commissariat", "un commissariat"),
                    ("le poste de police", "un poste de police"),
                ]);
                (d, i, d.starts_with("la "))
            }
            Target::Convoy => ("un convoi militaire", "un convoi militaire", false),
            Target::Bus => (
                "un car de transport en commun",
                "un car de transport en commun",
                false,
            ),
            Target::Cart => ("une charrette", "une charrette", true),
            Target::Town => ("la ville", "la ville", true),
        };
        match (&loc.of, t) {
            (_, Target::Wedding | Target::Convoy | Target::Bus | Target::Cart) => {
                format!("{def} {}", loc.at)
            }
            (Some(of), _) if t == Target::Mosque || t == Target::Church => {
                if self.rng.chance(0.5) {
                    format!("{def} {of}")
                } else {
                    format!("{indef} {}", loc.at)
                }
            }
            (Some(of), _) => format!("{def} {of}"),
            (None, _) => {
                let situe = if fem { "située" } else { "situé" };
                if t == Target::Market || t == Target::Town {
                    format!("{def} {}", loc.at)
                } else {
                    format!("{indef} {situe} {}", loc.at)
                }
            }
        }
    }

    /// The event date written relative to the publication date.
    fn when(&mut self, start: Date, night: bool) -> When {
        let d = days_between(start, self.pubd);
        let year_suffix = |s: &mut Self, x: Date| -> String {
            if x.year() != s.pubd.year() {
                format!(" {}", x.year())
            } else {
                String::new()
            }
        };
        if night && d >= 1 {
            let end = add_days(start, 1);
            let text = if d <= 6 && self.rng.chance(0.7) {
                format!("dans la nuit de {} à {}", wd(start), wd(end))
            } else if start.month() == end.month() {
                format!(
                    "dans la nuit du {} au {}{}",
                    if start.day() == 1 {
                        "1er".into()
                    } else {
                        start.day().to_string()
                    },
                    dm(end),
                    year_suffix(self, end)
                )
            } else {
                format!(
                    "dans la nuit du {} au {}{}",
                    dm(start),
                    dm(end),
                    year_suffix(self, end)
                )
            };
            return When { text, start, end };
        }
        let local = matches!(self.style, Style::Local | Style::Radio | Style::StateMedia);
        let text = match d {
            0 => {
                if self.rng.chance(0.5) {
                    format!("ce {}", wd(start))
                } else {
                    format!("ce {} matin", wd(start))
                }
            }
            1 => match self.rng.below(7) {
                0 if local => "hier".into(),
                1 => format!("{} soir", wd(start)),
                2 => format!("{} matin", wd(start)),
                3 if local => format!("le {} {}", wd(start), dm(start)),
                4 => format!("dans la journée de {}", wd(start)),
                _ => wd(start).into(),
            },
            2..=6 => match self.rng.below(6) {
                0 => format!("{} dernier", wd(start)),
                1 => format!("le {} {}", wd(start), dm(start)),
                2 => format!("le {}{}", dm(start), year_suffix(self, start)),
                3 => format!("{} soir", wd(start)),
                _ => wd(start).into(),
            },
            _ => match self.rng.below(4) {
                0 => format!("le {} {}{}", wd(start), dm(start), year_suffix(self, start)),
                1 if start.year() == self.pubd.year() => format!("le {} dernier", dm(start)),
                _ => format!("le {}{}", dm(start), year_suffix(self, start)),
            },
        };
        When {
            text,
            start,
            end: start,
        }
    }

    fn src_np(&self, s: &Src) -> String {
        s.text.clone()
    }

    /// ", a indiqué un élu local" / ", selon des sources sécuritaires" / "" when unattributed.
    fn attr_post(&mut self, s: &Src) -> String {
        if s.is_none() {
            return String::new();
        }
        let np = self.src_np(s);
        let speech_sg: &[&str] = match s.kind {
            "local" => &[
                "a indiqué",
                "a affirmé",
                "a déclaré",
                "a raconté",
                "a témoigné",
                "a confié",
                "indique",
                "affirme",
                "a rapporté",
            ],
            "state" => &[
                "a indiqué",
                "a annoncé",
                "a affirmé",
                "a précisé",
                "indique",
                "affirme",
                "a déclaré",
            ],
            "armed_group" => &["affirme", "a affirmé", "a revendiqué", "assure", "a assuré"],
            _ => &[
                "a indiqué",
                "a affirmé",
                "rapporte",
                "a dénoncé",
                "a déclaré",
                "indique",
            ],
        };
        let speech_pl: &[&str] = &[
            "ont indiqué",
            "ont affirmé",
            "ont rapporté",
            "affirment",
            "indiquent",
            "ont déclaré",
            "rapportent",
        ];
        let r = self.rng.below(10);
        if r < 3 {
            return format!(", selon {np}");
        }
        if r == 3 && s.kind != "armed_group" {
            return format!(", d'après {np}");
        }
        if let Some(d) = s.de_form {
            if r == 4 {
                return match self.style {
                    Style::Afp => format!(", a appris l'AFP {d}"),
                    Style::Rfi => format!(", a appris RFI {d}"),
                    _ => format!(", a-t-on appris {d}"),
                };
            }
            if r == 5 {
                return format!(", a-t-on appris {d}");
            }
        }
        let verb = if s.pl {
            *self.rng.pick(speech_pl)
        } else {
            *self.rng.pick(speech_sg)
        };
        let extra = match self.style {
            Style::Afp if !s.named && self.rng.chance(0.5) => {
                if self.rng.chance(0.5) {
                    (" à l'AFP", " sous couvert d'anonymat")
                } else {
                    (" à l'AFP", "")
                }
            }
            Style::Rfi if !s.named && self.rng.chance(0.3) => {
                let j = match (s.pl, s.fem) {
                    (false, false) => " joint par RFI",
                    (false, true) => " jointe par RFI",
                    (true, false) => " joints par RFI",
                    (true, true) => " jointes par RFI",
                };
                ("", j)
            }
            _ => ("", ""),
        };
        if s.kind == "state" && s.named && self.rng.chance(0.3) {
            return format!(", {verb}{} {np} dans un communiqué", extra.0);
        }
        format!(", {verb}{} {np}{}", extra.0, extra.1)
    }

    /// "Selon un élu local, " / "" when unattributed.
    fn attr_pre(&mut self, s: &Src) -> String {
        if s.is_none() {
            return String::new();
        }
        let np = self.src_np(s);
        match self.rng.below(5) {
            0 if s.kind != "armed_group" => format!("D'après {np}, "),
            1 if s.kind == "state" && s.named => format!("Dans un communiqué, {np} indique que "),
            _ => format!("Selon {np}, "),
        }
    }

    fn has(&self, s: &Src) -> bool {
        !s.is_none()
    }

    fn circ(&mut self, ev: &Ev, loc: &Loc) -> String {
        let r = self.rng.below(4);
        match ev.kind {
            Kind::CivAttack => {
                let tnp = self.target_np(ev.target, loc);
                match (ev.target, r) {
                    (Target::Village, 0) => format!("lors d'une attaque jihadiste {}", loc.at),
                    (Target::Village, 1) if loc.at.starts_with(&format!("à {}", loc.name)) => {
                        format!(
                            "dans l'attaque de leur village, {}",
                            loc.at.trim_start_matches("à ")
                        )
                    }
                    (Target::Village, 2) => format!("lors d'une attaque {}", loc.at),
                    (Target::Bus, _) => {
                        format!("lors de l'attaque d'{}", tnp.trim_start_matches("un "))
                    }
                    (Target::Wedding, _) => {
                        format!("lors de l'attaque d'{}", tnp.trim_start_matches("une "))
                    }
                    _ => format!("lors d'une attaque contre {tnp}"),
                }
            }
            Kind::MilAttack => {
                let tnp = self.target_np(ev.target, loc);
                match r {
                    0 => format!("dans une attaque contre {tnp}"),
                    1 => format!("lors de l'attaque {}", de_np(&tnp)),
                    2 => format!("dans l'assaut lancé par des jihadistes contre {tnp}"),
                    _ => format!("lors d'une attaque terroriste contre {tnp}"),
                }
            }
            Kind::Ambush => match r {
                0 => format!("dans une embuscade {}", loc.at),
                1 => format!("dans une embuscade tendue par des jihadistes {}", loc.at),
                2 => format!("lors d'une embuscade contre leur convoi {}", loc.at),
                _ => format!(
                    "lorsque leur patrouille est tombée dans une embuscade {}",
                    loc.at
                ),
            },
            Kind::Drone => match r {
                0 => format!("par une frappe de drone {}", loc.at),
                1 => format!("dans des frappes de drone {}", loc.at),
                2 => format!("lors d'un bombardement aérien {}", loc.at),
                _ => format!("par des tirs de drone {}", loc.at),
            },
            Kind::Ied => {
                if ev.target == Target::Convoy {
                    match r {
                        0 => format!("dans l'explosion d'un engin explosif improvisé au passage de leur convoi {}", loc.at),
                        1 => format!("lorsque leur véhicule a sauté sur une mine {}", loc.at),
                        _ => format!("par l'explosion d'une mine artisanale {}", loc.at),
                    }
                } else {
                    let veh = if ev.target == Target::Cart {
                        "leur charrette"
                    } else {
                        "leur véhicule"
                    };
                    match r {
                        0 => format!(
                            "lorsque {veh} a sauté sur un engin explosif improvisé {}",
                            loc.at
                        ),
                        1 => format!("dans l'explosion d'une mine au passage de {veh} {}", loc.at),
                        _ => format!("lorsque {veh} a heurté un engin explosif {}", loc.at),
                    }
                }
            }
            Kind::Abduction => match r {
                0 => format!("par des hommes armés {}", loc.at),
                1 => loc.at.clone(),
                _ => format!("lors d'une incursion d'hommes armés {}", loc.at),
            },
            Kind::Shelling => match r {
                0 => format!("par des tirs d'obus {}", loc.at),
                1 => format!("lors de tirs de roquettes {}", loc.at),
                _ => format!("par des tirs de mortier {}", loc.at),
            },
        }
    }

    /// The counted noun phrase of a figure, with its subset: "au moins 20 civils, dont cinq
    /// enfants,".
    fn np_with_subset(&self, f: &Fig) -> (String, bool) {
        let base = f.c.np(&f.noun);
        match &f.subset {
            Some((n, c)) => (format!("{base}, dont {},", c.np(n)), true),
            None => (base, false),
        }
    }

    /// The lead sentence (and its follow-ups) for a statement: carries date and place.
    fn lead(&mut self, ev: &Ev, st: &Stmt, w: &When, loc: &Loc, body: &mut Body, evi: usize) {
        let figs = &st.figs;
        let f0 = &figs[0];
        let src = &st.src;
        let mut used = 1;
        let sentence: String;
        let mut claims = fig_claims(f0, src);
        let when = w.text.clone();
        let circ = self.circ(ev, loc);
        let (np0, has_sub) = self.np_with_subset(f0);
        let zero = f0.c.low == Some(0) && f0.c.high == Some(0);
        let initial_ok = !f0.c.starts_with_digit();
        // "Sept soldats ont été tués et 12 autres blessés"
        let and_others =
            |cx: &mut Self, figs: &[Fig], used: &mut usize, claims: &mut Vec<TClaim>| -> String {
                if let Some(f1) = figs.get(1) {
                    if f1.out == Out::Injured && f1.noun == f0.noun && cx.rng.chance(0.7) {
                        *used = 2;
                        claims.extend(fig_claims(f1, src));
                        let autres = if f1.c.de {
                            format!("{} d'autres", f1.c.text)
                        } else {
                            format!("{} autres", f1.c.text)
                        };
                        return format!(" et {autres} {}", agree("blessé", &f1.noun));
                    }
                }
                String::new()
            };
        if zero {
            let t = match self.rng.below(3) {
                0 => format!(
                    "{} ont visé {when} {}, sans faire de victime",
                    cap(&tir_np(&mut self.rng, ev)),
                    self.target_np(ev.target, loc)
                ),
                1 => format!(
                    "{} {when} contre {} n'ont fait aucune victime",
                    cap(&tir_np(&mut self.rng, ev)),
                    self.target_np(ev.target, loc)
                ),
                _ => format!(
                    "Aucune victime n'a été enregistrée {when} après {} {}",
                    tir_np(&mut self.rng, ev),
                    loc.at
                ),
            };
            let t = if self.has(src) {
                format!("{t}{}.", self.attr_post(src))
            } else {
                format!("{t}.")
            };
            body.claim(evi, t, claims);
            return;
        }
        let out = f0.out;
        let grp = f0.noun.group;
        let p0 = part_k(&mut self.rng, out, &f0.noun, ev.kind == Kind::CivAttack);
        let r = self.rng.below(10);
        if grp == "militants" && out == Out::Killed {
            // The army speaking of the enemy it killed.
            let t = match r {
                0..=2 if self.has(src) => format!(
                    "{} {} avoir neutralisé {np0} {when} {circ}",
                    cap(&src.text),
                    if src.pl { "affirment" } else { "affirme" }
                ),
                3 | 4 if initial_ok => format!(
                    "{} ont été neutralisés {when} {circ}{}",
                    cap(&np0),
                    self.attr_post(src)
                ),
                5 if self.has(src) => format!(
                    "{}{np0} ont été neutralisés {when} {circ}",
                    self.attr_pre(src)
                ),
                6 | 7 if initial_ok => format!(
                    "{} ont été {} {when} {circ}{}",
                    cap(&np0),
                    if self.rng.chance(0.5) {
                        "mis hors d'état de nuire"
                    } else {
                        "abattus"
                    },
                    self.attr_post(src)
                ),
                _ => format!(
                    "{}, {np0} ont été {} {circ}{}",
                    cap(&when),
                    agree(
                        ["neutralisé", "tué", "neutralisé"][self.rng.below(3)],
                        &f0.noun
                    ),
                    self.attr_post(src)
                ),
            };
            sentence = format!("{t}.");
        } else if out == Out::Captured {
            let att = ev.attacker;
            let t = match r {
                0..=2 if initial_ok => format!(
                    "{} ont été {p0} {when} {circ}{}",
                    cap(&np0),
                    self.attr_post(src)
                ),
                3 | 4 => format!(
                    "{}, {} {} {} {np0} {}{}",
                    cap(&when),
                    att.np,
                    if att.pl { "ont" } else { "a" },
                    self.rng.pick(&["enlevé", "kidnappé", "enlevé"]),
                    loc.at,
                    self.attr_post(src)
                ),
                5 if self.has(src) => format!(
                    "{}{} {} enlevé {np0} {when} {}",
                    self.attr_pre(src),
                    att.np,
                    if att.pl { "ont" } else { "a" },
                    loc.at
                ),
                _ => format!(
                    "{}, {np0} ont été {p0} {circ}{}",
                    cap(&when),
                    self.attr_post(src)
                ),
            };
            sentence = format!("{t}.");
        } else {
            let civ_like = grp != "security_forces";
            let att = ev.attacker;
            let t = match r {
                0 | 1 if initial_ok => {
                    let extra = and_others(self, figs, &mut used, &mut claims);
                    format!(
                        "{} ont été {p0}{extra} {when} {circ}{}",
                        cap(&np0),
                        self.attr_post(src)
                    )
                }
                2 if out == Out::Killed && initial_ok => {
                    let v = self
                        .rng
                        .pick(&["péri", "perdu la vie", "trouvé la mort"])
                        .to_string();
                    format!(
                        "{}{} ont {v} {when} {circ}",
                        self.attr_pre(src),
                        if self.has(src) {
                            np0.clone()
                        } else {
                            cap(&np0)
                        }
                    )
                }
                3 if out == Out::Killed && !has_sub && ev.kind != Kind::Drone => {
                    // "L'attaque ... a fait 12 morts"
                    let morts = f0.c.np_word("morts");
                    let (parmi, g) = if self.rng.chance(0.5) {
                        (format!(" parmi les {}", f0.noun.pl), grp)
                    } else {
                        (String::new(), "unknown")
                    };
                    claims = vec![tc(g, Out::Killed, &f0.c, src)];
                    let mut blesses = String::new();
                    if let Some(f1) = figs.get(1) {
                        if f1.out == Out::Injured && parmi.is_empty() {
                            used = 2;
                            claims.push(tc("unknown", Out::Injured, &f1.c, src));
                            blesses = format!(" et {}", f1.c.np_word("blessés"));
                        }
                    }
                    let head = match ev.kind {
                        Kind::Ambush => "L'embuscade",
                        Kind::Ied => "L'explosion",
                        Kind::Shelling => "Les tirs",
                        _ => "L'attaque",
                    };
                    let fait = if head == "Les tirs" {
                        "ont fait"
                    } else {
                        "a fait"
                    };
                    let survenue = if head == "Les tirs" {
                        "survenus"
                    } else if head == "L'explosion" || head == "L'attaque" || head == "L'embuscade"
                    {
                        "survenue"
                    } else {
                        "survenu"
                    };
                    format!(
                        "{head}, {survenue} {when} {}, {fait} {morts}{parmi}{blesses}{}",
                        loc.at,
                        self.attr_post(src)
                    )
                }
                4 if out == Out::Killed && civ_like && att.pl && ev.kind == Kind::CivAttack => {
                    let tnp = self.target_np(ev.target, loc);
                    format!(
                        "{} ont attaqué {when} {tnp}, tuant {np0}{}",
                        cap(att.np),
                        self.attr_post(src)
                    )
                }
                4 | 5 if out == Out::Killed && self.has(src) && src.kind != "armed_group" => {
                    let v = if src.pl {
                        "ont fait état"
                    } else {
                        "a fait état"
                    };
                    format!("{} {v} {} {p0} {when} {circ}", cap(&src.text), de_np(&np0))
                }
                5 if out == Out::Killed && self.has(src) => {
                    let v = match (src.pl, grp) {
                        (true, "security_forces") => "revendiquent",
                        (false, "security_forces") => "a revendiqué",
                        (true, _) => "dénoncent",
                        (false, _) => "a dénoncé",
                    };
                    format!(
                        "{} {v} la mort {} {when} {circ}",
                        cap(&src.text),
                        de_np(&np0)
                    )
                }
                6 if out == Out::Killed && !civ_like && ev.kind == Kind::MilAttack => {
                    let tnp = self.target_np(ev.target, loc);
                    format!(
                        "L'attaque {when} {} a coûté la vie à {np0}{}",
                        de_np(&tnp),
                        self.attr_post(src)
                    )
                }
                8 if !civ_like && out == Out::Killed && src.kind == "state" && src.named => {
                    // Army communiqués: "déplore la perte de", "tombés sur le champ d'honneur".
                    if self.rng.chance(0.5) {
                        format!(
                            "{} {} la perte {} {when} {circ}",
                            cap(&src.text),
                            if src.pl { "déplorent" } else { "déplore" },
                            de_np(&np0)
                        )
                    } else {
                        format!(
                            "{} {} que {np0} sont tombés sur le champ d'honneur {when} {circ}",
                            cap(&src.text),
                            if src.pl { "annoncent" } else { "annonce" }
                        )
                    }
                }
                9 if civ_like && out == Out::Killed && ev.kind == Kind::CivAttack && !has_sub => {
                    if self.rng.chance(0.5) && initial_ok {
                        format!(
                            "{} ont été {} {when} {circ}{}",
                            cap(&np0),
                            agree("égorgé", &f0.noun),
                            self.attr_post(src)
                        )
                    } else {
                        format!(
                            "Les corps {} ont été retrouvés {when} {}{}",
                            de_np(&np0),
                            loc.at,
                            self.attr_post(src)
                        )
                    }
                }
                6 if civ_like && att.pl && out == Out::Killed && ev.kind == Kind::CivAttack => {
                    format!(
                        "{}, {} ont tué {np0} {}{}",
                        cap(&when),
                        att.np,
                        loc.at,
                        self.attr_post(src)
                    )
                }
                _ => {
                    let extra = and_others(self, figs, &mut used, &mut claims);
                    format!(
                        "{}, {np0} ont été {p0}{extra} {circ}{}",
                        cap(&when),
                        self.attr_post(src)
                    )
                }
            };
            sentence = format!("{t}.");
        }
        body.claim(evi, sentence, claims);
        for f in &figs[used..] {
            self.extra(f, src, body, evi);
        }
    }

    /// A further figure of the same statement, in its own sentence.
    fn extra(&mut self, f: &Fig, src: &Src, body: &mut Body, evi: usize) {
        let (np, _) = self.np_with_subset(f);
        let p = part(&mut self.rng, f.out, &f.noun);
        let tail = if self.has(src) {
            match self.rng.below(4) {
                0 => ", selon la même source".to_string(),
                1 => format!(", {} ajouté", src.pronoun_inv("a", "ont")),
                _ => format!(", {} précisé", src.pronoun_inv("a", "ont")),
            }
        } else {
            String::new()
        };
        let digit = f.c.starts_with_digit();
        let t = match (f.out, f.noun.group) {
            (Out::Killed, "militants") => match self.rng.below(3) {
                0 => format!("Au cours de la riposte, {np} ont été neutralisés{tail}."),
                1 if !digit => {
                    format!("{} ont été neutralisés lors de la riposte{tail}.", cap(&np))
                }
                _ => format!(
                    "Côté assaillants, le bilan fait état {} {}{tail}.",
                    de_np(&np),
                    agree("neutralisé", &f.noun)
                ),
            },
            (Out::Injured, _) => match self.rng.below(3) {
                0 if !digit => format!("{} ont également été {p}{tail}.", cap(&np)),
                1 if !digit && self.rng.chance(0.5) => {
                    format!("{} ont été grièvement {p}{tail}.", cap(&np))
                }
                1 => format!("Le bilan fait aussi état {} {p}{tail}.", de_np(&np)),
                _ => format!("On dénombre en outre {np} {p}{tail}."),
            },
            (Out::Missing, _) if !digit => format!("{} sont toujours {p}{tail}.", cap(&np)),
            (Out::Missing, _) => format!("Par ailleurs, {np} sont toujours {p}{tail}."),
            (Out::Captured, _) => match self.rng.below(2) {
                0 => format!("Les assaillants ont également enlevé {np}{tail}."),
                _ => format!("Par ailleurs, {np} ont été {p}{tail}."),
            },
            (Out::Killed, _) => format!("Le bilan fait aussi état {} {p}{tail}.", de_np(&np)),
        };
        body.claim(evi, t, fig_claims(f, src));
    }

    /// Another statement about the same event, without restating date and place.
    fn follow(&mut self, st: &Stmt, body: &mut Body, evi: usize) {
        let src = &st.src;
        let f0 = &st.figs[0];
        let (np0, has_sub) = self.np_with_subset(f0);
        let mut claims = fig_claims(f0, src);
        if f0.c.low == Some(0) && f0.c.high == Some(0) {
            let t = format!("Aucune victime n'est à déplorer{}.", self.attr_post(src));
            body.claim(evi, t, claims);
            return;
        }
        let p0 = part(&mut self.rng, f0.out, &f0.noun);
        let pl = src.pl;
        // Verb agreement with the source: v("affirme", "affirment").
        let v = |sg: &'static str, plu: &'static str| if pl { plu } else { sg };
        let sp = v("sa", "leur");
        let son = v("son", "leur");
        let named = src.text.clone();
        let src_cap = cap(&named);
        let r = self.rng.below(7);
        let t = match (f0.out, f0.noun.group, src.kind) {
            (Out::Killed, "militants", _) => match r {
                0..=2 => format!("{src_cap} {} de {son} côté avoir neutralisé {np0}.", v("affirme", "affirment")),
                3 | 4 => format!("{src_cap} {} pour {sp} part avoir « neutralisé » {np0} lors de la riposte.", v("assure", "assurent")),
                _ => format!("Selon {named}, {np0} ont été neutralisés."),
            },
            (Out::Killed, "security_forces", "armed_group") => match r {
                0..=2 => format!("{src_cap} {} l'attaque, affirmant avoir tué {np0}.", v("a revendiqué", "ont revendiqué")),
                3 | 4 => format!(
                    "Dans un communiqué diffusé par {} canaux de propagande, {named} {} la mort {}.",
                    v("ses", "leurs"),
                    v("revendique", "revendiquent"),
                    de_np(&np0)
                ),
                _ => format!("{src_cap} {} pour {sp} part avoir tué {np0}.", v("affirme", "affirment")),
            },
            (Out::Killed, _, "armed_group") => match r {
                // Rebels accusing the army of killing civilians.
                0..=2 => format!("{src_cap} {} l'armée d'avoir tué {np0}.", v("accuse", "accusent")),
                3 | 4 => format!("{src_cap} {} pour {sp} part état {} {p0}.", v("fait", "font"), de_np(&np0)),
                _ => format!("Selon {named}, {np0} ont été {p0}."),
            },
            (Out::Killed, g, _) => match r {
                0 if !has_sub => {
                    let (parmi, gg) = if g != "unknown" && self.rng.chance(0.5) {
                        (format!(" parmi les {}", f0.noun.pl), g)
                    } else {
                        (String::new(), "unknown")
                    };
                    claims = vec![tc(gg, Out::Killed, &f0.c, src)];
                    format!("{src_cap}, de {son} côté, {} {}{parmi}.", v("évoque", "évoquent"), f0.c.np_word("morts"))
                }
                1 if !has_sub && self.rng.chance(0.5) => {
                    claims = vec![tc("unknown", Out::Killed, &f0.c, src)];
                    format!("Selon {named}, le bilan s'élève à {}.", f0.c.np_word("morts"))
                }
                1 => format!("Selon {named}, le bilan est {} {p0}.", de_np(&np0)),
                2 => format!("{src_cap} {} pour {sp} part fait état {} {p0}.", v("a", "ont"), de_np(&np0)),
                3 if !has_sub => {
                    claims = vec![tc("unknown", Out::Killed, &f0.c, src)];
                    format!("Un autre bilan, fourni par {named}, fait état {}.", de_np(&f0.c.np_word("morts")))
                }
                4 if !f0.c.starts_with_digit() => format!("{} ont été {p0}, selon {named}.", cap(&np0)),
                5 => format!("{src_cap} {} de {son} côté la mort {}.", v("annonce", "annoncent"), de_np(&np0)),
                _ => format!("D'après {named}, {np0} ont été {p0}."),
            },
            (Out::Captured, _, _) => match r {
                0..=2 => format!("{src_cap} {} pour {sp} part {np0} {p0}.", v("évoque", "évoquent")),
                3 | 4 => format!("Selon {named}, {np0} ont été {} par les ravisseurs.", agree("emmené", &f0.noun)),
                _ => format!("D'après {named}, {np0} ont été {p0}."),
            },
            (Out::Injured, _, _) => format!("Selon {named}, {np0} ont été {p0}."),
            (Out::Missing, _, _) => format!("Selon {named}, {np0} sont {p0}."),
        };
        body.claim(evi, t, claims);
        for f in &st.figs[1..] {
            self.extra(f, src, body, evi);
        }
    }

    /// A quotation of a local witness carrying a figure.
    fn quote_fig(&mut self, st: &Stmt, body: &mut Body, evi: usize) -> bool {
        let f0 = &st.figs[0];
        if st.src.kind != "local"
            || f0.out != Out::Killed
            || f0.subset.is_some()
            || f0.c.low == Some(0)
        {
            return false;
        }
        let src = &st.src;
        let c = &f0.c;
        let (inner, claims) = match self.rng.below(5) {
            0 => (
                format!("Nous avons enterré {} ce matin", c.np(&f0.noun)),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
            1 => (
                format!(
                    "Ils ont tué {} sous nos yeux. Ils tiraient sur tout ce qui bougeait",
                    c.np(&f0.noun)
                ),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
            2 => (
                format!("Il y a eu {}, c'est un carnage", c.np_word("morts")),
                vec![tc("unknown", Out::Killed, c, src)],
            ),
            3 => (
                format!("Nous avons retrouvé {} dans le village", c.np_word("corps")),
                vec![tc("unknown", Out::Killed, c, src)],
            ),
            _ => (
                format!(
                    "On compte {} tués, et les assaillants ont tout brûlé",
                    c.np(&f0.noun)
                ),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
        };
        let verb = *self
            .rng
            .pick(&["a raconté", "a confié", "témoigne", "a expliqué"]);
        let verb = if src.pl {
            verb.replace("a ", "ont ").replace("témoigne", "témoignent")
        } else {
            verb.to_string()
        };
        let t = format!("{}, {verb} {}.", q(&cap(&inner)), src.text);
        body.claim(evi, t, claims);
        true
    }
}

fn tir_np(rng: &mut Rng, ev: &Ev) -> String {
    match ev.kind {
        Kind::Shelling => rng
            .pick(&[
                "des tirs d'obus",
                "des tirs de roquettes",
                "des obus de mortier",
            ])
            .to_string(),
        Kind::Ied => "l'explosion d'un engin explosif".into(),
        _ => "des tirs".into(),
    }
}

/// Codebook rule: an incident whose date ends more than 10 days before the (day-precise)
/// publication date is background.
fn old_news(w: &When, pubd: Date) -> bool {
    days_between(w.end, pubd) > 10
}

fn tev(
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

// ------------------------------------------------------------------------------------------
// Non-event text: details, context, background, fillers.
// ------------------------------------------------------------------------------------------

/// Picks `n` distinct sentences of a pool, in pool order shuffled by the PRNG.
fn say_some(rng: &mut Rng, body: &mut Body, pool: &[String], n: usize) {
    let mut idx: Vec<usize> = (0..pool.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = rng.below(i + 1);
        idx.swap(i, j);
    }
    for &i in idx.iter().take(n) {
        body.say(pool[i].clone());
    }
}

fn detail_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let anchor_name = ev
        .anchor
        .map(|a| cx.p(a.place).written.clone())
        .unwrap_or_else(|| cx.p(ev.place).admin1.clone());
    let hour = cx.rng.range(4, 19);
    let pool: Vec<String> = match ev.kind {
        Kind::CivAttack | Kind::Abduction => vec![
            "Les assaillants, arrivés à moto en grand nombre, ont encerclé le village avant d'ouvrir le feu.".into(),
            "Des greniers et des boutiques ont été incendiés et une partie du bétail emportée.".into(),
            "L'attaque a duré plusieurs heures, selon des témoins.".into(),
            format!("De nombreux habitants ont fui vers {anchor_name} dans les heures qui ont suivi."),
            format!("Une partie de la population a trouvé refuge à {anchor_name}, où des familles d'accueil les hébergent."),
            "Les renforts militaires ne sont arrivés sur place qu'en fin de journée.".into(),
            "Le village avait reçu des menaces des jihadistes, qui reprochent aux habitants de collaborer avec l'armée.".into(),
            "Les ravisseurs ont pris la direction de la brousse, selon des habitants.".into(),
            "Les réseaux téléphoniques sont coupés dans la zone depuis plusieurs mois, ce qui rend difficile la vérification des informations.".into(),
            format!("Les hommes armés sont arrivés vers {hour} heures, alors que de nombreux habitants se trouvaient au marché."),
            "Les assaillants ont fouillé les maisons une à une et emporté des vivres, des motos et des téléphones.".into(),
            "Les corps ont été inhumés le lendemain dans une fosse commune, selon un habitant.".into(),
            "Plusieurs maisons et la mairie ont été incendiées.".into(),
            "Les hommes du village avaient été rassemblés sur la place publique, selon un témoin.".into(),
        ],
        Kind::MilAttack | Kind::Ambush => vec![
            "Les assaillants, venus à bord de motos et de pick-up, ont attaqué aux premières heures de la matinée.".into(),
            "Des renforts aériens ont été dépêchés sur les lieux.".into(),
            "Du matériel militaire a été emporté et plusieurs véhicules incendiés.".into(),
            "Les combats ont duré plus de deux heures.".into(),
            "Une opération de ratissage était en cours dans la zone.".into(),
            "L'armée n'a pas communiqué sur ses pertes matérielles.".into(),
            format!("L'attaque a débuté vers {hour} heures et les échanges de tirs ont été entendus jusqu'à {anchor_name}, selon des habitants."),
            "Les assaillants ont utilisé des engins explosifs pour ouvrir une brèche avant de donner l'assaut.".into(),
            "Le convoi transportait des vivres et du carburant destinés à la garnison.".into(),
            "Les blessés ont été évacués par hélicoptère vers la capitale, selon une source sécuritaire.".into(),
            "Les jihadistes ont diffusé des images montrant des armes et des munitions saisies lors de l'attaque.".into(),
        ],
        Kind::Drone => vec![
            "La frappe a visé un rassemblement de personnes, selon des témoins.".into(),
            "L'armée affirme mener des opérations contre des « terroristes » dans la zone.".into(),
            "Des images partagées sur les réseaux sociaux montraient des maisons détruites.".into(),
            "L'accès à la zone est difficile et les informations y sont rarement vérifiables de manière indépendante.".into(),
            "Les drones turcs acquis ces dernières années sont devenus l'arme de prédilection de l'armée contre les groupes armés.".into(),
            "Les habitants affirment qu'aucun combattant ne se trouvait sur les lieux au moment de la frappe.".into(),
            format!("Une seconde frappe a visé les personnes venues porter secours, selon un habitant {}.", de(&anchor_name)),
        ],
        Kind::Ied => vec![
            "Les engins explosifs improvisés sont devenus l'une des principales menaces sur les routes de la région.".into(),
            format!("Le véhicule se rendait au marché {}.", de(&anchor_name)),
            "Les secours ont mis plusieurs heures à atteindre les lieux.".into(),
            "L'axe avait été rouvert à la circulation il y a quelques semaines seulement.".into(),
            "Les jihadistes posent régulièrement des mines artisanales sur les pistes empruntées par les convois.".into(),
            "Le véhicule a été entièrement détruit par la déflagration.".into(),
        ],
        Kind::Shelling => vec![
            "Des dégâts matériels ont été constatés près de l'aéroport.".into(),
            "Les tirs provenaient de l'extérieur de la ville, selon des habitants.".into(),
            "Un incendie s'est déclaré dans un quartier périphérique avant d'être maîtrisé.".into(),
            "Les habitants ont passé la nuit terrés chez eux.".into(),
            "Ce n'est pas la première fois que la ville est visée par des tirs d'obus.".into(),
        ],
    };
    let n = cx.rng.range(2, 4) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

/// Sentences about the place and its surroundings: distances, blockade, earlier attacks.
fn place_context(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let p = cx.p(ev.place);
    let name = p.written.clone();
    let region = region_np(p);
    let group = jihad_group(&mut cx.rng, cx.gaz, ev.place).np;
    let mut pool: Vec<String> = vec![
        format!("{name} avait déjà été visée par des attaques ces derniers mois."),
        format!("Le secteur est régulièrement le théâtre d'attaques attribuées à des groupes jihadistes, notamment {group}."),
        "Dans cette zone, les jihadistes imposent un blocus à plusieurs localités, empêchant l'approvisionnement en vivres.".into(),
        "De nombreux villages des environs se sont vidés de leurs habitants ces dernières années.".into(),
        "Les habitants avaient conclu un accord local avec les jihadistes, qui les autorisait à cultiver leurs champs moyennant le paiement de la zakat.".into(),
        "La zone est aussi le théâtre de violences intercommunautaires entre éleveurs et agriculteurs.".into(),
        "Les communications téléphoniques y sont perturbées depuis la destruction de plusieurs antennes-relais.".into(),
        format!("{} concentre une grande partie des violences enregistrées dans le pays depuis le début de l'année.", cap(&region)),
        format!("La localité accueille des milliers de déplacés ayant fui les villages environnants."),
    ];
    if let Some(a) = ev.anchor {
        let an = cx.p(a.place).written.clone();
        pool.push(format!(
            "{name} se trouve à environ {} km {} {}.",
            a.km,
            a.dir,
            de(&an)
        ));
        pool.push(format!(
            "La route reliant {name} à {an} est régulièrement minée."
        ));
    }
    let n = cx.rng.range(1, 3) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

/// What officials say or do, without figures.
fn official_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let c = ev.cty;
    let armyp = *cx.rng.pick(ARMY[c.i()]);
    let voicep = *cx.rng.pick(ARMY_VOICE[c.i()]);
    let (army, voice) = (armyp.np, voicep.np);
    let (affirme, sa) = if armyp.pl {
        ("affirment", "leur")
    } else {
        ("affirme", "sa")
    };
    let contacte = if voicep.fem {
        "Contactée"
    } else {
        "Contacté"
    };
    let pool: Vec<String> = vec![
        format!("{} {affirme} avoir renforcé {sa} présence dans la zone et mener des opérations de ratissage.", cap(army)),
        "Les autorités n'avaient pas communiqué officiellement sur l'attaque dans l'immédiat.".into(),
        format!("{contacte}, {voice} n'a pas donné suite aux sollicitations."),
        "Des moyens aériens ont été engagés pour traquer les assaillants en fuite, selon une source sécuritaire.".into(),
        "Le gouvernement présente ses condoléances aux familles des victimes et souhaite un prompt rétablissement aux blessés.".into(),
        format!("{} invite les populations à signaler tout mouvement suspect aux forces de défense et de sécurité.", cap(voice)),
        "Les opérations de sécurisation se poursuivent dans la zone.".into(),
        "Le ministre de la Défense s'est rendu sur place pour apporter le soutien du gouvernement aux unités engagées.".into(),
    ];
    let n = cx.rng.range(1, 2) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

fn humanitarian_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let anchor_name = ev
        .anchor
        .map(|a| cx.p(a.place).written.clone())
        .unwrap_or_else(|| cx.p(ev.place).written.clone());
    let pool: Vec<String> = vec![
        format!("Plusieurs centaines de familles ont fui vers {anchor_name} dans les jours qui ont suivi."),
        "Les organisations humanitaires peinent à accéder à la zone, en raison de l'insécurité et du mauvais état des routes.".into(),
        "Des vivres ont été acheminés par hélicoptère vers la localité, sous blocus depuis des mois.".into(),
        format!("Le centre de santé {} manque de médicaments et de personnel pour faire face à l'afflux de patients.", de(&anchor_name)),
        "Les écoles de la commune sont fermées depuis la rentrée.".into(),
        "Les prix des denrées de base ont fortement augmenté depuis que les routes sont coupées.".into(),
    ];
    let n = cx.rng.range(1, 3) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

fn quote_plain(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let src = local_src(&mut cx.rng);
    let inner = *cx.rng.pick(&[
        "Nous vivons dans la peur. Ils viennent quand ils veulent et repartent sans être inquiétés",
        "Il n'y a presque plus personne au village, tout le monde est parti",
        "L'armée est arrivée trop tard, les assaillants étaient déjà repartis",
        "Nous demandons aux autorités de nous protéger",
        "Personne ne peut plus aller aux champs",
        "Les routes sont coupées, nous ne pouvons plus rien acheminer",
    ]);
    let verb = if src.pl {
        "ont déploré"
    } else {
        *cx.rng
            .pick(&["a déploré", "confie", "a expliqué", "raconte"])
    };
    let _ = ev;
    body.say(format!("{}, {verb} {}.", q(inner), src.text));
}

fn reaction(cx: &mut Cx, ev: &Ev, body: &mut Body, n: usize) {
    let c = ev.cty;
    let mut govs: Vec<Party> = GOV[c.i()].to_vec();
    if c == Cty::Ne && cx.pubd < Date::constant(2023, 8, 1) {
        govs.retain(|p| p.alias != "régime militaire nigérien");
    }
    let govp = *cx.rng.pick(&govs);
    let armyp = *cx.rng.pick(ARMY[c.i()]);
    let jihad = cx.rng.pick(JIHAD[c.i()]).np;
    let v = |p: &Party, sg: &'static str, pl: &'static str| if p.pl { pl } else { sg };
    let mut pool: Vec<String> = vec![
        format!("{} {} pas réagi dans l'immédiat.", cap(armyp.np), v(&armyp, "n'a", "n'ont")),
        "Une enquête a été ouverte, selon une source judiciaire.".into(),
        format!("Des renforts ont été envoyés dans la zone et des opérations de sécurisation sont en cours, selon {}.", armyp.np),
    ];
    if ev.kind != Kind::Drone {
        let days = *cx
            .rng
            .pick(&["de trois jours", "de deux jours", "de 72 heures"]);
        pool.push(format!("Un deuil national {days} a été décrété."));
        pool.push(format!(
            "{} {} une « attaque lâche et barbare » et promis que les auteurs seraient retrouvés.",
            cap(govp.np),
            v(&govp, "a condamné", "ont condamné")
        ));
        pool.push(format!(
            "L'attaque n'avait pas été revendiquée {}, mais la zone est un bastion {}.",
            if cx.rng.chance(0.5) {
                "dans l'immédiat"
            } else {
                "au moment de la publication de cet article"
            },
            de_np(jihad).replacen("de le ", "du ", 1)
        ));
    } else {
        pool.push(format!(
            "{} {} pas commenté les accusations de victimes civiles.",
            cap(govp.np),
            v(&govp, "n'a", "n'ont")
        ));
    }
    say_some(&mut cx.rng, body, &pool, n);
}

/// Background sentences valid at the publication date (`from`..`until`, year and month).
type Dated = ((i16, i8), (i16, i8), &'static str);

const CTX_ML: &[Dated] = &[
    ((2021, 1), (2099, 1), "Le Mali est confronté depuis 2012 à la propagation de groupes jihadistes affiliés à Al-Qaïda et à l'organisation État islamique, ainsi qu'à des violences communautaires et de bandes criminelles."),
    ((2022, 9), (2099, 1), "Les colonels arrivés au pouvoir par la force en 2020 ont rompu avec la France, ancienne puissance coloniale, et se sont tournés militairement et politiquement vers la Russie."),
    ((2021, 1), (2022, 8), "Les colonels arrivés au pouvoir par la force en 2020 ont poussé la France à retirer ses soldats de la force Barkhane, et se sont tournés vers la Russie."),
    ((2021, 1), (2099, 1), "Le centre et le nord du pays échappent en grande partie au contrôle de l'État, malgré les affirmations de la junte selon lesquelles la situation sécuritaire s'améliore."),
    ((2024, 1), (2099, 1), "La mission de l'ONU, la Minusma, a quitté le pays fin 2023 à la demande des autorités de transition."),
    ((2021, 1), (2023, 6), "La mission de l'ONU, la Minusma, compte quelque 12.000 militaires et policiers déployés dans le pays."),
    ((2021, 1), (2099, 1), "Les autorités communiquent rarement sur les pertes de l'armée et l'accès des journalistes aux zones de combat est très limité."),
    ((2021, 1), (2099, 1), "Les violences ont fait des milliers de morts, civils et militaires, depuis 2012, selon les organisations qui suivent le conflit."),
    ((2023, 12), (2099, 1), "La reprise de Kidal par l'armée et ses alliés russes, fin 2023, a été présentée par la junte comme un tournant, mais les attaques se sont poursuivies dans le nord."),
    ((2023, 10), (2099, 1), "Les rebelles à dominante touareg, qui avaient signé un accord de paix en 2015, ont repris les armes contre l'État central en 2023."),
    ((2022, 4), (2099, 1), "L'armée et les paramilitaires russes sont accusés par des organisations de défense des droits humains d'exactions contre des civils, ce que Bamako dément."),
    ((2025, 6), (2099, 1), "La junte a dissous les partis politiques et repoussé à plusieurs reprises le retour des civils au pouvoir."),
    ((2021, 1), (2025, 5), "La junte a repoussé à plusieurs reprises l'échéance du retour des civils au pouvoir."),
    ((2021, 1), (2099, 1), "Le centre du pays est l'un des principaux foyers de violences, où opèrent les jihadistes de la katiba Macina d'Amadou Koufa."),
];

const CTX_BF: &[Dated] = &[
    ((2021, 1), (2099, 1), "Le Burkina Faso est pris depuis 2015 dans une spirale de violences jihadistes qui ont fait des milliers de morts et plus de deux millions de déplacés internes."),
    ((2022, 10), (2099, 1), "Le capitaine Ibrahim Traoré, arrivé au pouvoir par un coup d'État en septembre 2022, a fait de la reconquête du territoire sa priorité."),
    ((2022, 2), (2022, 9), "Le lieutenant-colonel Paul-Henri Sandaogo Damiba, arrivé au pouvoir par un coup d'État en janvier 2022, avait promis de faire de la sécurité sa priorité."),
    ((2021, 1), (2099, 1), "Près de la moitié du territoire échappe au contrôle de l'État, selon des estimations d'organisations humanitaires."),
    ((2023, 1), (2099, 1), "La junte a recruté des dizaines de milliers de supplétifs civils, les Volontaires pour la défense de la patrie (VDP), pour épauler l'armée."),
    ((2023, 6), (2099, 1), "Les autorités communiquent peu sur les attaques et des journalistes critiques ont été réquisitionnés pour aller combattre au front."),
    ((2021, 1), (2099, 1), "Les VDP et l'armée sont régulièrement accusés par des ONG d'exactions contre des civils, notamment de la communauté peule."),
    ((2021, 1), (2099, 1), "Les jihadistes imposent un blocus à plusieurs dizaines de localités du nord et de l'est, ravitaillées par convois escortés ou par voie aérienne."),
    ((2023, 2), (2099, 1), "Le pays a rompu sa coopération militaire avec la France et s'est rapproché de la Russie."),
];

const CTX_NE: &[Dated] = &[
    ((2023, 8), (2099, 1), "Le Niger est dirigé depuis le coup d'État de juillet 2023 par le général Abdourahamane Tiani, qui a fait de la sécurité sa priorité."),
    ((2021, 4), (2023, 7), "Le président Mohamed Bazoum, élu en 2021, a fait de la lutte contre les groupes jihadistes et du dialogue avec certains de leurs combattants des priorités."),
    ((2021, 1), (2099, 1), "L'ouest du pays, dans la zone dite des « trois frontières » avec le Mali et le Burkina Faso, est régulièrement frappé par des groupes jihadistes."),
    ((2021, 1), (2099, 1), "Dans le sud-est, près du lac Tchad, l'armée fait face à Boko Haram et à l'État islamique en Afrique de l'Ouest (ISWAP)."),
    ((2024, 9), (2099, 1), "Les militaires au pouvoir ont exigé et obtenu le départ des soldats français et américains déployés dans le pays."),
    ((2021, 1), (2023, 7), "Le Niger accueille des soldats français et américains engagés contre les groupes jihadistes."),
    ((2021, 1), (2099, 1), "Les violences jihadistes ont fait des centaines de morts parmi les civils et les militaires ces dernières années."),
    ((2024, 11), (2099, 1), "Un nouveau groupe armé, Lakurawa, est apparu dans les régions frontalières du Nigeria."),
    ((2023, 8), (2099, 1), "Les autorités ont suspendu plusieurs médias étrangers, accusés de relayer la propagande des groupes armés."),
];

const CTX_ALL: &[Dated] = &[
    ((2024, 1), (2099, 1), "Le Mali, le Burkina Faso et le Niger, tous trois dirigés par des militaires, se sont regroupés au sein de l'Alliance des États du Sahel (AES) et ont annoncé leur retrait de la Communauté économique des États de l'Afrique de l'Ouest (Cédéao)."),
    ((2024, 3), (2099, 1), "Les trois pays de l'AES ont annoncé la création d'une force unifiée pour lutter contre les jihadistes."),
    ((2021, 1), (2099, 1), "Le Sahel central est devenu l'un des principaux foyers du jihadisme dans le monde, selon plusieurs centres de recherche."),
    ((2021, 1), (2099, 1), "Les groupes jihadistes ont étendu leur présence vers les pays côtiers du golfe de Guinée, notamment le Bénin et le Togo."),
    ((2021, 1), (2099, 1), "Le JNIM, affilié à Al-Qaïda, et l'État islamique au Sahel se disputent le contrôle de plusieurs zones, en particulier dans la région des trois frontières."),
    ((2021, 1), (2099, 1), "Les économies locales sont asphyxiées par les blocus, la fermeture des marchés et l'interdiction de circuler à moto décrétée par les autorités dans plusieurs zones."),
    ((2021, 1), (2099, 1), "Les gouvernements militaires de la région justifient leur prise du pouvoir par la dégradation de la situation sécuritaire."),
];

/// Analysis sentences of magazines and long dispatches.
const ANALYSIS: &[&str] = &[
    "Depuis le départ des forces françaises, les armées de la région s'appuient sur des drones et sur des partenaires russes, une stratégie dont l'efficacité est contestée.",
    "Selon plusieurs analystes, les jihadistes profitent des tensions entre communautés pour recruter, en particulier parmi les jeunes éleveurs.",
    "Des milliers de jeunes ont été recrutés dans les armées nationales ces dernières années, dont les effectifs ont considérablement augmenté.",
    "Les exactions attribuées aux forces armées alimentent un sentiment d'abandon et de défiance dans certaines communautés, estiment des chercheurs.",
    "Les négociations locales avec les groupes armés, longtemps encouragées par des chefs traditionnels, sont désormais découragées par les autorités.",
    "Le recours aux drones armés a permis à l'armée de frapper des cibles éloignées, mais s'est accompagné de nombreuses bavures, selon des ONG.",
    "La Russie a livré des avions, des hélicoptères et des blindés aux armées de la région.",
    "Dans les zones rurales, les groupes jihadistes lèvent l'impôt, rendent la justice et règlent les conflits fonciers, se substituant à un État absent.",
    "Les routes commerciales vers les ports côtiers sont de plus en plus ciblées, ce qui renchérit le coût des produits importés.",
    "Les autorités présentent chaque semaine un bilan des opérations militaires, mais ces chiffres sont invérifiables de manière indépendante.",
    "Pour de nombreux observateurs, la réponse exclusivement militaire ne suffira pas à enrayer la progression des groupes armés.",
    "Les femmes et les enfants paient un lourd tribut à la crise, privés d'écoles, de centres de santé et de moyens de subsistance.",
];

fn dated_pool(pool: &[Dated], pubd: Date) -> Vec<String> {
    let ym = (pubd.year(), pubd.month());
    pool.iter()
        .filter(|(from, until, _)| *from <= ym && ym <= *until)
        .map(|(_, _, t)| t.to_string())
        .collect()
}

fn context_paragraphs(cx: &mut Cx, c: Cty, body: &mut Body, n: usize) {
    let mut all = dated_pool(
        match c {
            Cty::Ml => CTX_ML,
            Cty::Bf => CTX_BF,
            Cty::Ne => CTX_NE,
        },
        cx.pubd,
    );
    all.extend(dated_pool(CTX_ALL, cx.pubd));
    all.push(format!(
        "Selon l'ONU, plus de {} écoles restent fermées dans la région en raison de l'insécurité.",
        format_thousands(cx.rng.range(12, 60) * 100, cx.style)
    ));
    let mut idx: Vec<usize> = (0..all.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = cx.rng.below(i + 1);
        idx.swap(i, j);
    }
    for &i in idx.iter().take(n) {
        body.say(all[i].clone());
        if cx.rng.chance(0.6) {
            body.end();
        }
    }
    body.end();
}

fn analysis(cx: &mut Cx, body: &mut Body, n: usize) {
    let pool: Vec<String> = ANALYSIS.iter().map(|s| s.to_string()).collect();
    say_some(&mut cx.rng, body, &pool, n);
    body.end();
}

/// A past event recalled as background, told in the pluperfect.
fn background(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let gaz = cx.gaz;
    let c = ev.cty;
    let bplace = pick_place(&mut cx.rng, gaz, c, 0.9);
    let back = cx.rng.range(15, 300);
    let bdate = add_days(cx.pubd, -back);
    let military = cx.rng.chance(0.45);
    let kind = if military {
        Kind::MilAttack
    } else {
        Kind::CivAttack
    };
    let n = if military {
        killed_sec_n(&mut cx.rng)
    } else {
        killed_civ_n(&mut cx.rng)
    };
    let nn = if military {
        *cx.rng.pick(sec_nouns(c))
    } else {
        *cx.rng.pick(N_CIV)
    };
    let voice = if cx.rng.chance(0.5) {
        Voice::Unattr
    } else if military {
        Voice::Official
    } else {
        Voice::Local
    };
    let src = match voice {
        Voice::Official => Src::of(cx.rng.pick(ARMY_VOICE[c.i()])),
        Voice::Local => local_src(&mut cx.rng),
        _ => Src::unattributed(),
    };
    let qq = q_for(&mut cx.rng, voice, n);
    let count = make_count(&mut cx.rng, n, nn.fem, qq, 0.3);
    let name = cx.p(bplace).written.clone();
    // Month-level ("en mars") or day-level ("le 12 mars") date.
    let month_level = cx.rng.chance(0.45);
    let (wtext, start, end) = if month_level {
        let first = Date::new(bdate.year(), bdate.month(), 1).expect("valid month");
        let m = MONTHS[bdate.month() as usize - 1];
        let t = if bdate.year() != cx.pubd.year() {
            format!("en {m} {}", bdate.year())
        } else {
            format!("en {m}")
        };
        (t, first, month_end(bdate))
    } else {
        let t = if bdate.year() != cx.pubd.year() {
            format!("le {} {}", dm(bdate), bdate.year())
        } else {
            format!("le {}", dm(bdate))
        };
        (t, bdate, bdate)
    };
    let w = When {
        text: wtext.clone(),
        start,
        end,
    };
    let near = cx.rng.chance(0.2);
    let loc = Loc {
        at: if near {
            format!("près {}", de(&name))
        } else {
            format!("à {name}")
        },
        of: None,
        name: name.clone(),
        place: bplace,
        wprec: if near { 2 } else { 1 },
    };
    let evi = body.events.len();
    body.events
        .push(tev(gaz, kind, &loc, Some(&w), true, !military));
    let np = count.np(&nn);
    let target = if military {
        "le camp militaire"
    } else {
        "le village"
    };
    let selon = if src.is_none() {
        String::new()
    } else {
        format!(", selon {}", src.text)
    };
    let (s, claims) = match cx.rng.below(5) {
        0 if !near => {
            let morts = count.np_word("morts");
            (format!("{}, une attaque contre {target} {} avait fait {morts} parmi les {}{selon}.", cap(&wtext), de(&name), nn.pl), vec![tc(nn.group, Out::Killed, &count, &src)])
        }
        1 if !near => (
            format!("{name} avait déjà été la cible d'une attaque {wtext}, au cours de laquelle {np} avaient été {}{selon}.", agree("tué", &nn)),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        2 => (
            format!("{}, {np} avaient péri dans une {} {}{selon}.", cap(&wtext), if military { "embuscade" } else { "attaque" }, loc.at),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        3 if !near => (
            format!("Cette attaque survient après celle {} contre {target} {}, qui avait coûté la vie à {np}{selon}.", if month_level { format!("survenue {wtext}") } else { format!("du {}", wtext.trim_start_matches("le ")) }, de(&name), ),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        _ => (
            format!("{} déjà, {np} avaient été {} {}{selon}.", cap(&wtext), agree("tué", &nn), loc.at),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
    };
    body.claim(evi, s, claims);
    body.end();
}

fn afp_heading(rng: &mut Rng) -> String {
    let h = *rng.pick(&[
        "Regain de violences",
        "Zone des trois frontières",
        "Spirale",
        "Représailles",
        "Pression jihadiste",
        "Blocus",
        "Exode",
        "Junte",
        "Souveraineté",
        "Axes routiers",
        "Menace persistante",
    ]);
    format!("- {h} -")
}

fn rfi_heading(rng: &mut Rng, place: &str) -> String {
    rng.pick(&[
        format!("Inquiétude à {place}"),
        "Des sources locales évoquent un bilan plus lourd".to_string(),
        "L'armée sous pression".to_string(),
        "Des populations livrées à elles-mêmes".to_string(),
        "Un conflit qui s'enlise".to_string(),
    ])
    .clone()
}

// ------------------------------------------------------------------------------------------
// Whole articles.
// ------------------------------------------------------------------------------------------

struct Article {
    file: String,
    text: String,
    url: String,
    publisher: &'static str,
    published: String,
    title: String,
    truth: String,
}

fn headline(cx: &mut Cx, ev: &Ev, st: &Stmt, loc: &Loc) -> (String, Option<TClaim>) {
    let short = ev.cty.info().short;
    let f0 = &st.figs[0];
    let where_ = if loc.wprec == 1 && cx.rng.chance(0.6) {
        format!("à {}", loc.name)
    } else {
        format!("près {}", de(&loc.name))
    };
    let with_count = f0.c.low != Some(0) && f0.subset.is_none() && cx.rng.chance(0.6);
    if with_count {
        let p = match (f0.out, f0.noun.group) {
            (Out::Killed, "militants") => agree("neutralisé", &f0.noun),
            (o, _) => part(&mut cx.rng, o, &f0.noun),
        };
        let what = match ev.kind {
            Kind::CivAttack => "dans une attaque",
            Kind::MilAttack => "dans une attaque contre l'armée",
            Kind::Ambush => "dans une embuscade",
            Kind::Drone => "dans des frappes de drone",
            Kind::Ied => "dans l'explosion d'un engin explosif",
            Kind::Abduction => "par des hommes armés",
            Kind::Shelling => "par des tirs d'obus",
        };
        let t = format!("{short} : {} {p} {what} {where_}", f0.c.np(&f0.noun));
        let src = Src::unattributed();
        return (t, Some(tc(f0.noun.group, f0.out, &f0.c, &src)));
    }
    let t = match ev.kind {
        Kind::CivAttack => format!("{short} : attaque meurtrière {where_}"),
        Kind::MilAttack => format!("{short} : une position de l'armée attaquée {where_}"),
        Kind::Ambush => format!("{short} : des militaires pris dans une embuscade {where_}"),
        Kind::Drone => {
            // "des victimes civiles": civilians said to be hit, no count, per the residents.
            let t =
                format!("Frappes de drone {where_} : les habitants dénoncent des victimes civiles");
            let src = Src::generic("les habitants", "local", true, false, None);
            let none = Count {
                text: "des".into(),
                de: false,
                low: None,
                high: None,
                qual: "none",
            };
            return (t, Some(tc("civilians", Out::Killed, &none, &src)));
        }
        Kind::Ied => format!("{short} : un engin explosif sème la mort {where_}"),
        Kind::Abduction => format!("{short} : enlèvements en série {where_}"),
        Kind::Shelling => format!("{short} : {} visée par des tirs d'obus", loc.name),
    };
    (t, None)
}

fn choose_lead(rng: &mut Rng, style: Style, avail: &[&Stmt]) -> usize {
    let pref = |v: Voice| -> u32 {
        match (style, v) {
            (Style::StateMedia, Voice::Official) => 20,
            (Style::StateMedia, Voice::Security) => 3,
            (Style::StateMedia, _) => 1,
            (Style::Radio, Voice::Local) => 8,
            (Style::Afp, Voice::Local | Voice::Security) => 5,
            (Style::Reuters, Voice::Security | Voice::Official) => 5,
            (Style::Mag, Voice::Ngo | Voice::Intl) => 6,
            (Style::Rfi, Voice::Local | Voice::Security) => 4,
            _ => 2,
        }
    };
    let w: Vec<(u32, usize)> = avail
        .iter()
        .enumerate()
        .map(|(i, s)| (pref(s.voice), i))
        .collect();
    *rng.pick_w(&w)
}

fn apostrophes(style: Style, s: &str) -> String {
    match style {
        Style::Afp | Style::Reuters => s
            .replace("«\u{a0}", "\"")
            .replace("\u{a0}»", "\"")
            .replace("« ", "\"")
            .replace(" »", "\""),
        Style::Rfi | Style::Mag | Style::Radio => s
            .replace('\'', "’")
            .replace("« ", "«\u{a0}")
            .replace(" »", "\u{a0}»"),
        _ => s.to_string(),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(70).collect()
}

fn url_for(o: &Outlet, pubd: Date, title: &str, id: u64) -> String {
    if o.domain.is_empty() {
        return String::new();
    }
    format!(
        "https://{}/{}/{:02}/{:02}/{}-{id}",
        o.domain,
        pubd.year(),
        pubd.month(),
        pubd.day(),
        slugify(title)
    )
}

/// Lays out paragraphs in the outlet's house style, with its datelines, titles and bylines.
fn layout(
    cx: &mut Cx,
    body: Body,
    title: &str,
    title_claim: Option<(usize, TClaim)>,
    events: &mut [TEvent],
    place_cty: Cty,
) -> String {
    let mut paras = body.paras;
    let style = cx.style;
    let o = cx.outlet;
    let pubd = cx.pubd;
    let capital = place_cty.info().capital;
    let mut head: Vec<String> = Vec::new();
    let mut tail: Vec<String> = Vec::new();
    let mut title_in_body = false;
    match style {
        Style::Afp => {
            let city = if cx.rng.chance(0.85) {
                capital.to_uppercase()
            } else {
                "DAKAR".into()
            };
            if let Some(first) = paras.first_mut() {
                *first = format!("{city} (AFP) - {first}");
            }
            if cx.rng.chance(0.3) {
                tail.push(format!(
                    "{}/{}",
                    cx.rng.pick(&["bb", "fal", "sd", "cl", "mrb", "pid"]),
                    cx.rng.pick(&["ial", "jpc", "thm", "cls"])
                ));
            }
        }
        Style::Reuters => {
            let city = if cx.rng.chance(0.8) {
                capital.to_uppercase()
            } else {
                "DAKAR".into()
            };
            if let Some(first) = paras.first_mut() {
                *first = format!("{city}, {} (Reuters) - {first}", dm(pubd));
            }
            tail.push(format!(
                "(Reportage {} à {capital}, rédigé par {} {}; version française {} {}, édité par {} {})",
                person(&mut cx.rng),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST)
            ));
        }
        Style::Rfi => {
            if cx.rng.chance(0.4) {
                head.push(format!(
                    "Avec notre correspondant à {capital}, {}",
                    person(&mut cx.rng)
                ));
            }
        }
        Style::Aa => {
            if cx.rng.chance(0.5) {
                head.push(format!(
                    "{} | {} {}",
                    person(&mut cx.rng),
                    dm(pubd),
                    pubd.year()
                ));
            }
        }
        Style::Mag => {
            title_in_body = true;
            head.push(title.to_string());
            head.push(format!(
                "Par {}",
                if cx.rng.chance(0.5) {
                    person(&mut cx.rng)
                } else {
                    format!("{} {}", cx.rng.pick(FR_FIRST), cx.rng.pick(FR_LAST))
                }
            ));
            head.push(format!(
                "Publié le {} {} à {}h{:02}",
                dm(pubd),
                pubd.year(),
                cx.rng.range(6, 22),
                cx.rng.range(0, 59)
            ));
        }
        Style::Local | Style::StateMedia => {
            title_in_body = cx.rng.chance(0.8);
            if title_in_body {
                head.push(title.to_string());
            }
            if cx.rng.chance(0.5) {
                head.push(format!(
                    "Publié le {:02}/{:02}/{}",
                    pubd.day(),
                    pubd.month(),
                    pubd.year()
                ));
            }
            if cx.rng.chance(0.6) {
                tail.push(person(&mut cx.rng));
            } else {
                tail.push(o.name.to_string());
            }
            if o.name == "AIB" {
                tail.push("Agence d'information du Burkina".into());
            }
        }
        Style::Radio => {
            title_in_body = cx.rng.chance(0.5);
            if title_in_body {
                head.push(title.to_string());
            }
        }
    }
    if title_in_body {
        if let Some((evi, mut c)) = title_claim {
            c.quote = title.to_string();
            events[evi].claims.insert(0, c);
        }
    }
    let sep = match style {
        Style::Rfi | Style::Radio => "\n",
        _ => "\n\n",
    };
    let mut all = head;
    all.append(&mut paras);
    all.append(&mut tail);
    let text = all.join(sep) + "\n";
    let text = apostrophes(style, &text);
    for e in events.iter_mut() {
        for c in &mut e.claims {
            c.quote = apostrophes(style, &c.quote);
        }
    }
    text
}

/// One article about an event story.
#[allow(clippy::too_many_arguments)]
fn event_article(
    gaz: &Gaz,
    ev: &Ev,
    seed: u64,
    story: u64,
    j: usize,
    pubd: Date,
    outlet: &'static Outlet,
    file: String,
) -> Article {
    let mut cx = Cx {
        rng: Rng::new(seed, 2, story * 16 + j as u64),
        gaz,
        style: outlet.style,
        outlet,
        pubd,
    };
    let lag = days_between(ev.date, pubd);
    let avail: Vec<&Stmt> = ev.stmts.iter().filter(|s| s.lag <= lag).collect();
    let avail: Vec<&Stmt> = if avail.is_empty() {
        vec![&ev.stmts[0]]
    } else {
        avail
    };
    let li = choose_lead(&mut cx.rng, cx.style, &avail);
    let lead = avail[li];
    let mut others: Vec<&Stmt> = avail
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != li)
        .map(|(_, s)| *s)
        .collect();
    // Later articles and long formats report more voices; state media mostly one.
    let max_follow = match cx.style {
        Style::StateMedia => usize::from(cx.rng.chance(0.2)),
        Style::Aa | Style::Radio | Style::Local => cx.rng.range(0, 2) as usize,
        _ => cx.rng.range(1, 3) as usize,
    };
    let mut body = Body::new();
    let loc = cx.loc(ev.place, ev.anchor);
    let w = cx.when(ev.date, ev.night);
    let civ = ev.kind != Kind::MilAttack && ev.kind != Kind::Ambush;
    body.events
        .push(tev(gaz, ev.kind, &loc, Some(&w), old_news(&w, pubd), civ));
    let (title, title_claim) = headline(&mut cx, ev, lead, &loc);

    // RFI and radios often open with the country.
    if matches!(cx.style, Style::Rfi | Style::Radio) && cx.rng.chance(0.3) {
        body.say(format!(
            "{}, la situation sécuritaire reste préoccupante.",
            cap(ev.cty.info().au)
        ));
    }
    cx.lead(ev, lead, &w, &loc, &mut body, 0);
    if cx.rng.chance(0.5) {
        body.end();
    }
    let mut n_follow = 0;
    let mut quoted = false;
    while n_follow < max_follow && !others.is_empty() {
        let i = cx.rng.below(others.len());
        let st = others.remove(i);
        if !quoted
            && st.src.kind == "local"
            && matches!(
                cx.style,
                Style::Afp | Style::Rfi | Style::Mag | Style::Local
            )
            && cx.rng.chance(0.35)
        {
            body.end();
            if cx.quote_fig(st, &mut body, 0) {
                quoted = true;
                n_follow += 1;
                body.end();
                continue;
            }
        }
        cx.follow(st, &mut body, 0);
        n_follow += 1;
        if cx.rng.chance(0.5) {
            body.end();
        }
    }
    body.end();
    let long = matches!(
        cx.style,
        Style::Afp | Style::Mag | Style::Rfi | Style::Reuters
    );
    if cx.rng.chance(if long { 0.95 } else { 0.8 }) {
        detail_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(if long { 0.8 } else { 0.6 }) {
        place_context(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(if cx.style == Style::StateMedia {
        0.95
    } else {
        0.5
    }) {
        official_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if ev.kind != Kind::MilAttack
        && ev.kind != Kind::Ambush
        && cx.rng.chance(if long { 0.5 } else { 0.3 })
    {
        humanitarian_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if !quoted && cx.rng.chance(0.3) && cx.style != Style::StateMedia {
        quote_plain(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(0.6) {
        let n = cx.rng.range(1, 2) as usize;
        reaction(&mut cx, ev, &mut body, n);
        body.end();
    }
    // A second, unrelated incident in a round-up.
    if matches!(cx.style, Style::Rfi | Style::Radio | Style::Local) && cx.rng.chance(0.18) {
        let d2 = add_days(pubd, -cx.rng.range(1, 5));
        let mut erng = Rng::new(seed, 3, story * 16 + j as u64);
        let ev2 = make_event(&mut erng, gaz, d2, Some(ev.cty));
        if cx.style == Style::Rfi {
            let pname = cx.p(ev2.place).written.clone();
            let h = rfi_heading(&mut cx.rng, &pname);
            body.line(h);
        }
        let loc2 = cx.loc(ev2.place, ev2.anchor);
        let w2 = cx.when(ev2.date, ev2.night);
        let civ2 = ev2.kind != Kind::MilAttack && ev2.kind != Kind::Ambush;
        let evi = body.events.len();
        body.events.push(tev(
            gaz,
            ev2.kind,
            &loc2,
            Some(&w2),
            old_news(&w2, pubd),
            civ2,
        ));
        let st2 = ev2.stmts[0].clone();
        if cx.rng.chance(0.5) {
            let s = *cx.rng.pick(&[
                "Ailleurs dans le pays, les violences ne faiblissent pas.",
                "Un autre incident a été signalé ces derniers jours.",
                "La situation reste également tendue dans d'autres localités.",
            ]);
            body.say(s.to_string());
        }
        cx.lead(&ev2, &st2, &w2, &loc2, &mut body, evi);
        body.end();
    }
    let bg_p = match cx.style {
        Style::Afp | Style::Mag => 0.6,
        Style::Rfi | Style::Reuters => 0.4,
        _ => 0.2,
    };
    let n_ctx = match cx.style {
        Style::Afp => cx.rng.range(4, 7) as usize,
        Style::Mag => cx.rng.range(6, 9) as usize,
        Style::Reuters | Style::Rfi => cx.rng.range(3, 5) as usize,
        Style::Aa => cx.rng.range(2, 3) as usize,
        _ => cx.rng.range(2, 4) as usize,
    };
    if cx.rng.chance(bg_p) || n_ctx > 0 {
        match cx.style {
            Style::Afp if cx.rng.chance(0.6) => body.line(afp_heading(&mut cx.rng)),
            Style::Mag | Style::Rfi if cx.rng.chance(0.4) => {
                let h = rfi_heading(&mut cx.rng, &loc.name);
                body.line(h);
            }
            _ => {}
        }
    }
    if cx.rng.chance(bg_p) {
        background(&mut cx, ev, &mut body);
        if cx.rng.chance(0.3) {
            background(&mut cx, ev, &mut body);
        }
    }
    if cx.style == Style::Mag && cx.rng.chance(0.6) {
        let s = *cx.rng.pick(&[
            "« Les groupes armés cherchent à asphyxier les villes en s'attaquant aux axes de ravitaillement »",
            "« La stratégie du tout-militaire a montré ses limites »",
            "« Les représailles contre les civils nourrissent le recrutement des jihadistes »",
            "« Les jihadistes gouvernent désormais de larges zones rurales »",
        ]);
        let who = *cx.rng.pick(&[
            "estime un chercheur spécialiste du Sahel",
            "analyse un expert en sécurité basé à Dakar",
            "juge un diplomate en poste dans la région",
            "résume un ancien officier",
        ]);
        body.say(format!("{s}, {who}."));
        body.end();
    }
    let n_analysis = match cx.style {
        Style::Mag => cx.rng.range(4, 7) as usize,
        Style::Afp | Style::Rfi => cx.rng.range(1, 3) as usize,
        Style::Local | Style::Reuters => cx.rng.range(0, 2) as usize,
        _ => 0,
    };
    if n_analysis > 0 {
        analysis(&mut cx, &mut body, n_analysis);
    }
    context_paragraphs(&mut cx, ev.cty, &mut body, n_ctx);
    let title_claim = title_claim.map(|c| (0usize, c));
    let mut events = std::mem::take(&mut body.events);
    let text = layout(&mut cx, body, &title, title_claim, &mut events, ev.cty);
    let title = apostrophes(cx.style, &title);
    let id = story * 16 + j as u64;
    let url = url_for(outlet, pubd, &title, 100_000 + id);
    let truth = TDoc {
        file: file.clone(),
        publisher: outlet.name,
        published: pubd.to_string(),
        story,
        events,
    };
    Article {
        file,
        text,
        url,
        publisher: outlet.name,
        published: pubd.to_string(),
        title,
        truth: serde_json::to_string(&truth).expect("truth serialises"),
    }
}

/// A non-event article: politics, economy, humanitarian, justice, accidents.
fn filler_article(
    gaz: &Gaz,
    seed: u64,
    story: u64,
    pubd: Date,
    outlet: &'static Outlet,
    cty: Cty,
    file: String,
) -> Article {
    let mut cx = Cx {
        rng: Rng::new(seed, 4, story),
        gaz,
        style: outlet.style,
        outlet,
        pubd,
    };
    let info = cty.info();
    let town = gaz.places[*cx.rng.pick(&gaz.major[cty.i()])]
        .written
        .clone();
    let mut body = Body::new();
    let when = match cx.rng.below(3) {
        0 => wd(add_days(pubd, -1)).to_string(),
        1 => format!("ce {}", wd(pubd)),
        _ => format!("le {}", dm(add_days(pubd, -cx.rng.range(1, 4)))),
    };
    let topic = cx.rng.below(7);
    let title;
    match topic {
        0 => {
            title = format!(
                "{} : la production d'or en hausse en {}",
                info.short,
                pubd.year() - 1
            );
            let t = cx.rng.range(40, 110);
            body.say(format!("La production industrielle d'or {} a atteint {t} tonnes en {}, en hausse de {} % sur un an, a annoncé {when} le ministère des Mines.", info.du, pubd.year() - 1, cx.rng.range(2, 15)));
            body.say(format!(
                "L'or représente plus de {} % des recettes d'exportation du pays.",
                cx.rng.range(5, 8) * 10
            ));
            body.end();
            body.say(format!("Le nouveau code minier, adopté en {}, porte à {} % la part de l'État dans les nouvelles mines.", pubd.year() - 2, cx.rng.range(3, 4) * 10));
            body.say("Les autorités de transition ont engagé un bras de fer avec plusieurs compagnies étrangères pour renégocier les conventions.".into());
            body.end();
            body.say(format!("Des milliers d'orpailleurs travaillent par ailleurs sur des sites artisanaux, notamment autour {}, souvent dans des conditions dangereuses.", de(&town)));
        }
        1 => {
            title = format!(
                "{} : le gouvernement annonce un nouveau calendrier de la transition",
                info.short
            );
            body.say(format!("{} a annoncé {when} la tenue d'un dialogue national à {}, étape présentée comme préalable au retour à l'ordre constitutionnel.", cap(cx.rng.pick(GOV[cty.i()]).np), info.capital));
            body.say(format!("Les partis politiques, dont les activités ont été suspendues en {}, n'ont pas été associés à la préparation des assises.", pubd.year() - 1));
            body.end();
            body.say(format!("Le porte-parole du gouvernement a assuré que les élections se tiendraient « dès que les conditions sécuritaires le permettront », sans avancer de date. Quelque {} délégués sont attendus.", cx.rng.range(3, 12) * 100));
            body.end();
            body.say("L'opposition en exil dénonce une « confiscation du pouvoir ».".into());
        }
        2 => {
            title = format!(
                "{} : plus de {} déplacés selon les Nations unies",
                info.short,
                cx.rng.range(3, 20) * 100_000
            );
            let n = cx.rng.range(3, 20) * 100_000;
            body.say(format!("Le nombre de personnes déplacées internes {} dépasse désormais {} selon le dernier rapport du Bureau de la coordination des affaires humanitaires de l'ONU (OCHA), publié {when}.", info.au, format_thousands(n, cx.style)));
            body.say(format!("Quelque {} millions de personnes ont besoin d'une aide humanitaire, et le plan de réponse n'est financé qu'à {} %.", cx.rng.range(2, 8), cx.rng.range(15, 45)));
            body.end();
            body.say(format!("À {town}, les familles arrivées ces derniers mois vivent dans des abris de fortune, sans accès suffisant à l'eau potable."));
            body.end();
            body.say(format!("Plus de {} écoles restent fermées en raison de l'insécurité, privant des centaines de milliers d'enfants d'enseignement.", cx.rng.range(10, 60) * 100));
        }
        3 => {
            let n = cx.rng.range(3, 30);
            title = format!("{} : {n} personnes condamnées pour terrorisme", info.short);
            body.say(format!("La chambre criminelle spécialisée de {} a condamné {when} {} à des peines allant de {} à {} ans de prison pour « association de malfaiteurs en relation avec une entreprise terroriste ».", info.capital, if n < 17 { format!("{} personnes", words(n, true)) } else { format!("{n} personnes") }, cx.rng.range(2, 5), cx.rng.range(10, 20)));
            body.say(format!(
                "Les accusés avaient été interpellés en {} dans la région {}.",
                pubd.year() - 2,
                de(&gaz.places[*cx.rng.pick(&gaz.major[cty.i()])].admin1)
            ));
            body.end();
            body.say("Leurs avocats ont annoncé leur intention de faire appel.".into());
        }
        4 => {
            let k = cx.rng.range(3, 25);
            title = format!(
                "{} : un accident de la route fait {k} morts près {}",
                info.short,
                de(&town)
            );
            body.say(format!("Un accident de la circulation impliquant un car de transport et un camion a fait {k} morts et {} blessés {when} près {}, a indiqué la protection civile.", cx.rng.range(5, 40), de(&town)));
            body.say("L'excès de vitesse et le mauvais état de la route seraient en cause.".into());
            body.end();
            body.say("Les accidents de la route font chaque année des centaines de victimes dans le pays.".into());
        }
        5 => {
            title = format!("Coton : {} vise une récolte record", info.le);
            body.say(format!("La compagnie cotonnière nationale prévoit une production de {} tonnes de coton graine pour la campagne {}-{}, a-t-elle annoncé {when}.", format_thousands(cx.rng.range(40, 80) * 10_000, cx.style), pubd.year(), pubd.year() + 1));
            body.say(format!(
                "Le prix d'achat au producteur a été fixé à {} francs CFA le kilo.",
                cx.rng.range(28, 32) * 10
            ));
            body.end();
            body.say("L'insécurité a toutefois contraint de nombreux producteurs à abandonner leurs champs dans plusieurs zones.".into());
        }
        _ => {
            title = format!("AES : les chefs d'État réunis à {}", info.capital);
            body.say(format!("Les chefs d'État de l'Alliance des États du Sahel (AES) se sont réunis {when} à {} pour leur sommet annuel, consacré à la sécurité et à l'intégration économique.", info.capital));
            body.say(format!("Ils ont annoncé la création d'une banque d'investissement commune et d'une force unifiée de {} hommes.", format_thousands(cx.rng.range(3, 10) * 1000, cx.style)));
            body.end();
            body.say("Le Mali, le Burkina Faso et le Niger ont annoncé leur retrait de la Cédéao, qu'ils accusent d'être instrumentalisée par la France.".into());
        }
    }
    body.end();
    // Economic and political news from the region carries the security backdrop too.
    let quote = *cx.rng.pick(&[
        "« C'est une question de souveraineté »",
        "« Les populations attendent des résultats concrets »",
        "« Nous devons compter d'abord sur nos propres forces »",
        "« La situation reste difficile, mais nous avançons »",
    ]);
    let who = *cx.rng.pick(&[
        "a déclaré un responsable du ministère",
        "a commenté un économiste joint par téléphone",
        "estime un membre de la société civile",
        "a affirmé le porte-parole du gouvernement",
    ]);
    body.say(format!("{quote}, {who}."));
    body.end();
    let n_ctx = cx.rng.range(2, 4) as usize;
    context_paragraphs(&mut cx, cty, &mut body, n_ctx);
    let mut events = Vec::new();
    let text = layout(&mut cx, body, &title, None, &mut events, cty);
    let title = apostrophes(cx.style, &title);
    let url = url_for(outlet, pubd, &title, 900_000 + story);
    let truth = TDoc {
        file: file.clone(),
        publisher: outlet.name,
        published: pubd.to_string(),
        story,
        events,
    };
    Article {
        file,
        text,
        url,
        publisher: outlet.name,
        published: pubd.to_string(),
        title,
        truth: serde_json::to_string(&truth).expect("truth serialises"),
    }
}

fn format_thousands(n: i64, style: Style) -> String {
    let s = n.to_string();
    let sep = if style == Style::Afp { "." } else { "\u{a0}" };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

// ------------------------------------------------------------------------------------------
// Stories and output.
// ------------------------------------------------------------------------------------------

struct StoryPlan {
    idx: u64,
    first: usize,
    n: usize,
    filler: bool,
}

fn plan(seed: u64, n_articles: usize) -> Vec<StoryPlan> {
    let mut rng = Rng::new(seed, 1, 0);
    let mut out = Vec::new();
    let mut assigned = 0;
    let mut idx = 0;
    while assigned < n_articles {
        let filler = rng.chance(0.12);
        let n = if filler {
            1
        } else {
            *rng.pick_w(&[(62, 1usize), (25, 2), (10, 3), (3, 4)])
        };
        let n = n.min(n_articles - assigned);
        out.push(StoryPlan {
            idx,
            first: assigned,
            n,
            filler,
        });
        assigned += n;
        idx += 1;
    }
    out
}

fn file_name(prefix: &str, i: usize, width: usize, slug: &str) -> String {
    format!("{prefix}{i:0width$}_{slug}.txt")
}

fn gen_story(gaz: &Gaz, seed: u64, sp: &StoryPlan, prefix: &str, width: usize) -> Vec<Article> {
    let mut rng = Rng::new(seed, 5, sp.idx);
    let start = Date::constant(2022, 1, 1);
    let date = add_days(start, rng.below(1270) as i64);
    if sp.filler {
        let cty = pick_country(&mut rng);
        let o = pick_outlet(&mut rng, cty, &[]);
        let file = file_name(prefix, sp.first, width, o.slug);
        return vec![filler_article(gaz, seed, sp.idx, date, o, cty, file)];
    }
    let ev = make_event(&mut rng, gaz, date, None);
    let mut out = Vec::new();
    let mut lag = if ev.night {
        1
    } else {
        *rng.pick_w(&[(10, 0i64), (55, 1), (25, 2), (10, 3)])
    };
    let mut used: Vec<&str> = Vec::new();
    for j in 0..sp.n {
        if j > 0 {
            lag += *rng.pick_w(&[(25, 0i64), (40, 1), (15, 2), (10, 4), (10, 7)]);
            lag = lag.min(14);
        }
        let pubd = add_days(ev.date, lag);
        let o = pick_outlet(&mut rng, ev.cty, &used);
        used.push(o.name);
        let file = file_name(prefix, sp.first + j, width, o.slug);
        out.push(event_article(gaz, &ev, seed, sp.idx, j, pubd, o, file));
    }
    out
}

fn write_pipeline_toml(out: &Path, reference: &Path) -> std::io::Result<()> {
    let reference = reference
        .to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    let text = format!(
        "# Written by concord-gen: a synthetic benchmark corpus. Paths are relative to this file,\n\
         # except the reference data.\n\n\
         [paths]\ndata = \"data\"\nreports = \"reports\"\nreference = \"{reference}\"\n\n\
         [ingest]\ncorpus = \"corpus\"\nmanifest = \"corpus/manifest.csv\"\n\n\
         [export]\nname = \"concord-bench\"\ntitle = \"concord benchmark corpus (synthetic)\"\nversion = \"0.1.0\"\n"
    );
    fs::write(out.join("pipeline.toml"), text)
}

fn run(args: &Args) -> Result<(), String> {
    let reference = match &args.reference {
        Some(r) => r.clone(),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference")),
    };
    let reference =
        fs::canonicalize(&reference).map_err(|e| format!("{}: {e}", reference.display()))?;
    let gaz = load_gaz(&reference)?;
    check_parties(&reference)?;

    let corpus = args.out.join("corpus");
    if corpus.exists() {
        if !args.overwrite {
            return Err(format!(
                "{} exists (use --overwrite to replace it)",
                corpus.display()
            ));
        }
        fs::remove_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    }
    fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;

    let stories = plan(args.seed, args.articles);
    let width = args
        .articles
        .saturating_sub(1)
        .max(1)
        .to_string()
        .len()
        .max(6);
    let mut manifest = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(corpus.join("manifest.csv"))
        .map_err(|e| format!("manifest.csv: {e}"))?;
    manifest
        .write_record(["file", "url", "publisher", "published", "language", "title"])
        .map_err(|e| format!("manifest.csv: {e}"))?;
    let truth_path = args.out.join("truth.jsonl");
    let mut truth = std::io::BufWriter::new(
        fs::File::create(&truth_path).map_err(|e| format!("{}: {e}", truth_path.display()))?,
    );
    let mut n_written = 0usize;
    let mut bytes = 0u64;
    // Bounded memory: stories are generated and written in chunks.
    for chunk in stories.chunks(4096) {
        let arts: Vec<Vec<Article>> = chunk
            .par_iter()
            .map(|sp| gen_story(&gaz, args.seed, sp, &args.prefix, width))
            .collect();
        let arts: Vec<Article> = arts.into_iter().flatten().collect();
        arts.par_iter().try_for_each(|a| {
            fs::write(corpus.join(&a.file), &a.text).map_err(|e| format!("{}: {e}", a.file))
        })?;
        for a in &arts {
            manifest
                .write_record([
                    a.file.as_str(),
                    a.url.as_str(),
                    a.publisher,
                    a.published.as_str(),
                    "fr",
                    a.title.as_str(),
                ])
                .map_err(|e| format!("manifest.csv: {e}"))?;
            writeln!(truth, "{}", a.truth).map_err(|e| format!("{}: {e}", truth_path.display()))?;
            bytes += a.text.len() as u64;
        }
        n_written += arts.len();
    }
    manifest.flush().map_err(|e| format!("manifest.csv: {e}"))?;
    truth
        .flush()
        .map_err(|e| format!("{}: {e}", truth_path.display()))?;
    write_pipeline_toml(&args.out, &reference).map_err(|e| format!("pipeline.toml: {e}"))?;
    eprintln!(
        "concord-gen: wrote {n_written} articles ({:.1} MB) in {} stories to {}",
        bytes as f64 / 1e6,
        stories.len(),
        corpus.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("concord-gen: error: {e}");
            ExitCode::FAILURE
        }
    }
}
