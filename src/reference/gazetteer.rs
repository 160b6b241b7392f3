//! The gazetteer: GeoNames places, admin units and countries (built by
//! scripts/build_gazetteer.py), indexed by an accent-, case- and hyphen-insensitive key.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::text::place_key;
use crate::error::ReferenceError;

/// One place of `places.csv`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub place_id: String,
    pub name: String,
    pub ascii_name: String,
    pub variants: String,
    pub country: String,
    pub iso3: String,
    pub admin1: String,
    pub admin2: String,
    pub feature_class: String,
    pub feature_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub population: i64,
}

impl Place {
    /// UCDP where_prec of the place itself: 1 a point, 3 a second-order unit, 4 a first-order unit.
    pub fn where_prec(&self) -> i64 {
        match self.feature_code.as_str() {
            "ADM1" => 4,
            "ADM2" | "ADM3" => 3,
            _ => 1,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminUnit {
    admin_id: String,
    country: String,
    iso3: String,
    level: i64,
    name: String,
    variants: String,
    parent_id: String,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// One country of `countries.csv`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub iso2: String,
    pub iso3: String,
    pub name_en: String,
    pub name_fr: String,
    pub variants: String,
}

pub struct Gazetteer {
    pub places: Vec<Place>,
    pub countries: Vec<Country>,
    by_key: HashMap<String, Vec<usize>>,
    /// The same keys with doubled letters collapsed ("mennaka" -> "menaka"), for
    /// transliterations that double or single consonants.
    by_loose_key: HashMap<String, Vec<usize>>,
    country_by_key: HashMap<String, usize>,
    /// Folded admin1 / admin2 names as they appear in places.csv.
    admin1_keys: HashMap<String, Vec<String>>,
    admin2_keys: HashMap<String, Vec<String>>,
    by_id: HashMap<String, usize>,
}

fn read_csv<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, ReferenceError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| ReferenceError::Invalid {
        path: path.to_path_buf(),
        line: 1,
        message: e.to_string(),
    })?;
    r.deserialize()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| ReferenceError::Invalid {
                path: path.to_path_buf(),
                line: e.position().map_or(i + 2, |p| p.line() as usize),
                message: e.to_string(),
            })
        })
        .collect()
}

impl Gazetteer {
    pub fn load(dir: &Path) -> Result<Gazetteer, ReferenceError> {
        let places: Vec<Place> = read_csv(&dir.join("places.csv"))?;
        let units: Vec<AdminUnit> = read_csv(&dir.join("admin_units.csv"))?;
        let countries: Vec<Country> = read_csv(&dir.join("countries.csv"))?;
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_loose_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_id = HashMap::new();
        let mut admin1_keys: HashMap<String, Vec<String>> = HashMap::new();
        let mut admin2_keys: HashMap<String, Vec<String>> = HashMap::new();
        for (i, p) in places.iter().enumerate() {
            if !(-90.0..=90.0).contains(&p.latitude) || !(-180.0..=180.0).contains(&p.longitude) {
                return Err(ReferenceError::Invalid {
                    path: dir.join("places.csv"),
                    line: i + 2,
                    message: format!("{}: coordinates out of range", p.place_id),
                });
            }
            if by_id.insert(p.place_id.clone(), i).is_some() {
                return Err(ReferenceError::Invalid {
                    path: dir.join("places.csv"),
                    line: i + 2,
                    message: format!("duplicate place_id {}", p.place_id),
                });
            }
            let mut keys: Vec<String> = std::iter::once(p.name.as_str())
                .chain(std::iter::once(p.ascii_name.as_str()))
                .chain(p.variants.split('|'))
                .map(place_key)
                .filter(|k| k.len() >= 2)
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let loose = loose_key(&k);
                let entry = by_loose_key.entry(loose).or_default();
                if entry.last() != Some(&i) {
                    entry.push(i);
                }
                by_key.entry(k).or_default().push(i);
            }
            if !p.admin1.is_empty() {
                admin1_keys
                    .entry(place_key(&p.admin1))
                    .or_default()
                    .push(p.admin1.clone());
            }
            if !p.admin2.is_empty() {
                admin2_keys
                    .entry(place_key(&p.admin2))
                    .or_default()
                    .push(p.admin2.clone());
            }
        }
        for u in &units {
            let names = std::iter::once(u.name.as_str()).chain(u.variants.split('|'));
            let target = if u.level == 1 {
                &mut admin1_keys
            } else {
                &mut admin2_keys
            };
            for n in names.filter(|n| !n.is_empty()) {
                target.entry(place_key(n)).or_default().push(u.name.clone());
            }
            let _ = (
                &u.admin_id,
                &u.country,
                &u.iso3,
                &u.parent_id,
                u.latitude,
                u.longitude,
            );
        }
        for v in admin1_keys.values_mut().chain(admin2_keys.values_mut()) {
            v.sort();
            v.dedup();
        }
        let mut country_by_key = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            for n in [&c.name_en, &c.name_fr]
                .into_iter()
                .map(String::as_str)
                .chain(c.variants.split('|'))
            {
                if !n.is_empty() {
                    country_by_key.insert(place_key(n), i);
                }
            }
        }
        Ok(Gazetteer {
            places,
            countries,
            by_key,
            by_loose_key,
            country_by_key,
            admin1_keys,
            admin2_keys,
            by_id,
        })
    }

    /// Places whose name or variant has this key.
    pub fn lookup(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Places whose key matches once doubled letters are collapsed on both sides; used only
    /// when the exact key finds nothing.
    pub fn lookup_loose(&self, key: &str) -> &[usize] {
        if key.len() < 5 {
            return &[];
        }
        self.by_loose_key
            .get(&loose_key(key))
            .map_or(&[], Vec::as_slice)
    }

    pub fn place(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    pub fn country(&self, key: &str) -> Option<&Country> {
        self.country_by_key.get(key).map(|&i| &self.countries[i])
    }

    pub fn country_by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso3 == iso3)
    }

    /// True if the key names a first-order admin unit (a region).
    pub fn is_admin1(&self, key: &str) -> bool {
        self.admin1_keys.contains_key(key)
    }

    /// True if the place lies in the admin1 or admin2 unit named by the key.
    pub fn in_unit(&self, place: &Place, key: &str) -> bool {
        place_key(&place.admin1) == key
            || place_key(&place.admin2) == key
            || self
                .admin1_keys
                .get(key)
                .is_some_and(|v| v.contains(&place.admin1))
            || self
                .admin2_keys
                .get(key)
                .is_some_and(|v| v.contains(&place.admin2))
    }
}

/// A place key with runs of one letter collapsed: "mennaka" -> "menaka".
pub fn loose_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut last = None;
    for c in key.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Great-circle distance in km.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Initial bearing from a to b in degrees (0 = north, 90 = east).
pub fn bearing_deg(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, la2, dlo) = (a.0.to_radians(), b.0.to_radians(), (b.1 - a.1).to_radians());
    let y = dlo.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dlo.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}
