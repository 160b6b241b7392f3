//! Countries, gazetteer and geography: reads `places.csv` into a `Gaz` and produces places,
//! anchors, distances, bearings and the French phrases naming regions, districts and zones.

use std::collections::BTreeSet;
use std::path::Path;

use crate::french::{de, elides};
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Cty {
    Ml,
    Bf,
    Ne,
}

pub(crate) struct CInfo {
    pub(crate) iso3: &'static str,
    /// As in headlines: "Mali", "Burkina", "Niger".
    pub(crate) short: &'static str,
    /// "le Mali".
    pub(crate) le: &'static str,
    /// "au Mali".
    pub(crate) au: &'static str,
    /// "du Mali".
    pub(crate) du: &'static str,
    pub(crate) capital: &'static str,
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
    pub(crate) fn i(self) -> usize {
        match self {
            Cty::Ml => 0,
            Cty::Bf => 1,
            Cty::Ne => 2,
        }
    }
    pub(crate) fn info(self) -> &'static CInfo {
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

pub(crate) struct Place {
    pub(crate) id: String,
    /// Gazetteer name.
    pub(crate) name: String,
    /// As French reports write it.
    pub(crate) written: String,
    pub(crate) cty: Cty,
    pub(crate) admin1: String,
    pub(crate) admin2: String,
    lat: f64,
    lon: f64,
}

pub(crate) struct Gaz {
    pub(crate) places: Vec<Place>,
    /// Populated places with a population and an admin1 (towns the press names).
    pub(crate) major: [Vec<usize>; 3],
    /// Per country and admin1: (weight, towns, villages), weighted by how often the region
    /// appears in conflict reporting.
    pub(crate) regions: [Vec<Region>; 3],
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

pub(crate) fn load_gaz(dir: &Path) -> Result<Gaz, String> {
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
pub(crate) struct Anchor {
    pub(crate) place: usize,
    pub(crate) km: i64,
    pub(crate) dir: &'static str,
}

/// The nearest town (major place) of the same country, 8 to 180 km away.
pub(crate) fn anchor_for(gaz: &Gaz, p: usize) -> Option<Anchor> {
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
pub(crate) fn region_np(p: &Place) -> String {
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
pub(crate) fn admin2_np(p: &Place) -> Option<String> {
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
pub(crate) fn zone_np(p: &Place, rng: &mut Rng) -> String {
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
