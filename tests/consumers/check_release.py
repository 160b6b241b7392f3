#!/usr/bin/env python3
"""Read a concord release the way its users will, and check that every reader agrees.

Usage: check_release.py DIR [--repo ROOT]

DIR is a release directory (normally data/release). For each of the six release tables it
reads `<table>.parquet` with pyarrow, pandas (pyarrow engine), polars and duckdb, and
`<table>.csv` with pandas (dtypes from the Table Schema), duckdb and the stdlib csv module,
then checks: readers agree on row count and columns; Parquet types are plain Utf8 / int64 /
float64 / bool / date32 with no timestamps; one `created_by` with no date or time in it; CSV is
UTF-8 without BOM, LF only, header = schema; CSV and Parquet hold the same rows in primary-key
order; primary keys are unique, foreign keys resolve, enum and required constraints hold;
every file listed in datapackage.json has the recorded bytes and sha256, as does SHA256SUMS.
Last it runs the ```python blocks of README.md "## Use the data" -> "### Python" from the
repository root (ROOT, by default two levels above this file).

It prints one line per check (PASS/FAIL name: detail) and ends with `N passed, M failed`;
the exit status is 1 when anything failed. Only pyarrow, pandas, polars, duckdb and the
standard library are used.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ["documents", "claims", "events", "event_claims", "event_documents", "event_counts"]

# docs/CODEBOOK.md "Tables in a release".
PRIMARY_KEYS = {
    "documents": ["doc_id"],
    "claims": ["claim_id"],
    "events": ["event_id"],
    "event_claims": ["event_id", "claim_id"],
    "event_documents": ["event_id", "doc_id"],
    "event_counts": ["event_id", "victim_group", "outcome"],
}

# (table, columns, referenced table, referenced columns). The first five must be declared in
# datapackage.json; all of these, and any other declared foreign key, must resolve.
REQUIRED_FOREIGN_KEYS = [
    ("claims", ["doc_id"], "documents", ["doc_id"]),
    ("event_claims", ["event_id"], "events", ["event_id"]),
    ("event_claims", ["claim_id"], "claims", ["claim_id"]),
    ("event_documents", ["doc_id"], "documents", ["doc_id"]),
    ("event_counts", ["event_id"], "events", ["event_id"]),
]
IMPLIED_FOREIGN_KEYS = [
    ("event_documents", ["event_id"], "events", ["event_id"]),
]

FIELD_TYPES = ("string", "integer", "number", "boolean", "date")
ARROW = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
# Parquet physical type and accepted logical types (None = no logical annotation).
PARQUET = {
    "string": ("BYTE_ARRAY", {"String"}),
    "integer": ("INT64", {"None", "Int"}),
    "number": ("DOUBLE", {"None"}),
    "boolean": ("BOOLEAN", {"None"}),
    "date": ("INT32", {"Date"}),
}
POLARS = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
}
DUCKDB = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
}
# Anything that looks like a date or a time of day (for created_by and footer metadata).
DATETIME_RE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2025-01-31
    r"|\b\d{1,2}:\d{2}"  # 12:34
    r"|\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\b"  # 20250131
    r"|\b(?:19|20)\d{2}\b"  # a bare year
)
SHA_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, fn):
        """Run fn(); it passes unless it raises. A returned string is printed as detail."""
        try:
            detail = fn()
        except AssertionError as e:
            self.failed += 1
            print(f"FAIL {name}: {e}", flush=True)
            return False
        except Exception as e:  # a reader crashing is a failed check, not a crashed checker
            self.failed += 1
            msg = f"{type(e).__name__}: {e}".strip().replace("\n", " | ")
            print(f"FAIL {name}: {msg[:2000]}", flush=True)
            return False
        self.passed += 1
        print(f"PASS {name}" + (f": {detail}" if detail else ""), flush=True)
        return True


def require(cond, msg):
    assert cond, msg


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sql_str(path):
    return "'" + str(path).replace("'", "''") + "'"


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def as_list(v):
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def safe_rel_path(p):
    return (
        isinstance(p, str)
        and p
        and not p.startswith(("/", "\\"))
        and "://" not in p
        and ".." not in Path(p).parts
    )


# --------------------------------------------------------------------------------------------
# datapackage.json


class Release:
    def __init__(self, root):
        self.root = Path(root)
        self.package = None
        self.csv_res = {}  # table -> resource dict
        self.pq_res = {}
        self.by_name = {}  # resource name -> table
        self.fields = {}  # table -> [(name, type, field dict)]

    def load(self):
        path = self.root / "datapackage.json"
        assert path.is_file(), f"{path} does not exist"
        with open(path, encoding="utf-8") as fh:
            self.package = json.load(fh)
        res = self.package.get("resources")
        assert isinstance(res, list) and res, "datapackage.json has no resources"
        for r in res:
            p = r.get("path")
            if not isinstance(p, str):
                continue
            stem, ext = os.path.splitext(os.path.basename(p))
            if stem in TABLES and ext == ".csv":
                self.csv_res[stem] = r
            elif stem in TABLES and ext == ".parquet":
                self.pq_res[stem] = r
            if "name" in r:
                self.by_name[r["name"]] = stem
        return f"{len(res)} resources"


def check_resource_meta(r):
    problems = []
    for k in ("name", "path", "format", "mediatype", "bytes", "hash"):
        if k not in r:
            problems.append(f"missing {k!r}")
    name = r.get("name", "")
    if name and not re.fullmatch(r"[a-z0-9._-]+", name):
        problems.append(f"name {name!r} is not lowercase [a-z0-9._-]")
    if "path" in r and not safe_rel_path(r["path"]):
        problems.append(f"path {r['path']!r} is not a safe relative path")
    fmt = r.get("format")
    ext = os.path.splitext(r.get("path", ""))[1].lstrip(".")
    if fmt not in ("csv", "parquet"):
        problems.append(f"format {fmt!r} is not csv or parquet")
    elif ext != fmt:
        problems.append(f"format {fmt!r} does not match the file extension {ext!r}")
    if fmt == "csv":
        if r.get("encoding") != "utf-8":
            problems.append(f"encoding is {r.get('encoding')!r}, expected 'utf-8'")
        if not str(r.get("mediatype", "")).startswith("text/csv"):
            problems.append(f"mediatype is {r.get('mediatype')!r}, expected 'text/csv'")
    elif "mediatype" in r and not r["mediatype"]:
        problems.append("empty mediatype")
    if "bytes" in r and (not isinstance(r["bytes"], int) or isinstance(r["bytes"], bool)):
        problems.append(f"bytes {r['bytes']!r} is not an integer")
    if "hash" in r and not (isinstance(r["hash"], str) and SHA_RE.match(r["hash"])):
        problems.append(f"hash {r.get('hash')!r} is not sha256:<64 lowercase hex>")
    assert not problems, "; ".join(problems)


def check_file_integrity(root, r):
    path = root / r["path"]
    assert path.is_file(), f"{r['path']} is listed but does not exist"
    size = path.stat().st_size
    digest = sha256_file(path)
    problems = []
    if size != r.get("bytes"):
        problems.append(f"{r['path']}: {size} bytes on disk, datapackage.json says {r.get('bytes')}")
    if "sha256:" + digest != r.get("hash"):
        problems.append(f"{r['path']}: sha256 is {digest}, datapackage.json says {r.get('hash')}")
    assert not problems, "; ".join(problems)
    return f"{size} bytes, sha256 ok"


def check_sha256sums(root, listed_paths):
    path = root / "SHA256SUMS"
    assert path.is_file(), "SHA256SUMS does not exist"
    raw = path.read_bytes()
    assert b"\r" not in raw, "SHA256SUMS has CR line ends"
    seen = {}
    problems = []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if not m:
            problems.append(f"line {n} is not '<sha256>  <file>': {line!r}")
            continue
        digest, name = m.groups()
        seen[name] = digest
        f = root / name
        if not safe_rel_path(name) or not f.is_file():
            problems.append(f"{name}: listed but missing")
        elif sha256_file(f) != digest:
            problems.append(f"{name}: sha256 does not match SHA256SUMS")
    for p in listed_paths:
        if p not in seen:
            problems.append(f"{p}: in datapackage.json but not in SHA256SUMS")
    assert not problems, "; ".join(problems)
    return f"{len(seen)} files"


def check_schema(table, csv_r, pq_r):
    schema = csv_r.get("schema")
    assert isinstance(schema, dict), f"{csv_r.get('path')}: resource has no Table Schema"
    fields = schema.get("fields")
    assert isinstance(fields, list) and fields, f"{csv_r.get('path')}: schema has no fields"
    problems = []
    names = []
    for f in fields:
        n = f.get("name")
        names.append(n)
        if not n:
            problems.append("a field has no name")
        if f.get("type") not in FIELD_TYPES:
            problems.append(f"field {n}: type {f.get('type')!r} not one of {', '.join(FIELD_TYPES)}")
        if not (isinstance(f.get("description"), str) and f["description"].strip()):
            problems.append(f"field {n}: no description")
        enum = (f.get("constraints") or {}).get("enum")
        if enum is not None and not (isinstance(enum, list) and enum):
            problems.append(f"field {n}: constraints.enum is not a non-empty list")
    if len(set(names)) != len(names):
        problems.append(f"duplicate field names: {names}")
    if schema.get("missingValues") != [""]:
        problems.append(f"missingValues is {schema.get('missingValues')!r}, expected [\"\"]")
    pk = as_list(schema.get("primaryKey"))
    if pk != PRIMARY_KEYS[table]:
        problems.append(f"primaryKey is {pk}, CODEBOOK says {PRIMARY_KEYS[table]}")
    for c in pk:
        if c not in names:
            problems.append(f"primaryKey column {c} is not a field")
    for fk in schema.get("foreignKeys") or []:
        cols = as_list(fk.get("fields"))
        ref = fk.get("reference") or {}
        for c in cols:
            if c not in names:
                problems.append(f"foreignKey column {c} is not a field")
        if len(as_list(ref.get("fields"))) != len(cols):
            problems.append(f"foreignKey {cols}: reference fields {ref.get('fields')} differ in length")
        if "resource" not in ref:
            problems.append(f"foreignKey {cols}: reference has no resource")
    if pq_r is not None and "schema" in pq_r and pq_r["schema"] != schema:
        problems.append(f"{pq_r.get('path')}: schema differs from {csv_r.get('path')}'s")
    assert not problems, f"{csv_r.get('path')}: " + "; ".join(problems)
    return f"{len(fields)} fields, primary key {pk}"


# --------------------------------------------------------------------------------------------
# Parquet


def walk_types(t):
    yield t
    if pa.types.is_struct(t):
        for i in range(t.num_fields):
            yield from walk_types(t.field(i).type)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        yield from walk_types(t.value_type)
    elif pa.types.is_map(t):
        yield from walk_types(t.key_type)
        yield from walk_types(t.item_type)
    elif pa.types.is_dictionary(t):
        yield from walk_types(t.value_type)


def check_parquet_arrow_types(fname, pf, fields):
    schema = pf.schema_arrow
    problems = []
    got = schema.names
    want = [n for n, _, _ in fields]
    if got != want:
        problems.append(f"columns {got} != schema {want}")
    for name, ftype, _ in fields:
        if name not in got:
            continue
        t = schema.field(name).type
        if t != ARROW[ftype]:
            problems.append(f"column {name} is {t}, expected {ARROW[ftype]} (schema type {ftype})")
    assert not problems, f"{fname}: " + "; ".join(problems)
    return f"{len(got)} columns"


def check_parquet_physical_types(fname, pf, fields):
    ftypes = {n: t for n, t, _ in fields}
    problems = []
    pschema = pf.schema
    for i in range(len(pschema)):
        col = pschema.column(i)
        name = col.path
        if name not in ftypes:
            problems.append(f"column {name} is not in the schema")
            continue
        phys, logical = PARQUET[ftypes[name]]
        lj = json.loads(col.logical_type.to_json())
        lt = lj.get("Type")
        if col.physical_type != phys:
            problems.append(f"column {name} is physical {col.physical_type}, expected {phys}")
        if lt not in logical:
            problems.append(f"column {name} has logical type {col.logical_type}, expected {sorted(logical)}")
        if lt == "Int":
            if lj.get("bitWidth") != 64 or not lj.get("isSigned"):
                problems.append(f"column {name} is {col.logical_type}, expected signed 64-bit")
    assert not problems, f"{fname}: " + "; ".join(problems)


def check_parquet_no_timestamps(fname, pf):
    problems = []
    for f in pf.schema_arrow:
        for t in walk_types(f.type):
            if pa.types.is_timestamp(t) or pa.types.is_time(t) or pa.types.is_date64(t) or pa.types.is_duration(t):
                problems.append(f"column {f.name} is {t}")
    pschema = pf.schema
    for i in range(len(pschema)):
        col = pschema.column(i)
        lt = json.loads(col.logical_type.to_json()).get("Type")
        if col.physical_type == "INT96" or lt in ("Timestamp", "Time") or col.converted_type in (
            "TIMESTAMP_MILLIS",
            "TIMESTAMP_MICROS",
            "TIME_MILLIS",
            "TIME_MICROS",
        ):
            problems.append(f"column {col.path} is parquet {col.physical_type}/{col.logical_type}")
    md = pf.metadata.metadata or {}
    for k, v in md.items():
        if k == b"ARROW:schema":
            continue
        text = v.decode("utf-8", "replace")
        if DATETIME_RE.search(text):
            problems.append(f"footer key {k.decode('utf-8', 'replace')!r} holds a date/time: {text[:80]!r}")
    assert not problems, f"{fname}: " + "; ".join(sorted(set(problems)))


def check_polars_duckdb_types(fname, path, fields, con):
    problems = []
    pdf = pl.read_parquet(path)
    for name, ftype, _ in fields:
        if name in pdf.schema and pdf.schema[name] != POLARS[ftype]:
            problems.append(f"polars reads {name} as {pdf.schema[name]}, expected {POLARS[ftype]}")
    desc = con.execute(f"DESCRIBE SELECT * FROM read_parquet({sql_str(path)})").fetchall()
    dtypes = {row[0]: row[1] for row in desc}
    for name, ftype, _ in fields:
        if name in dtypes and dtypes[name] != DUCKDB[ftype]:
            problems.append(f"duckdb reads {name} as {dtypes[name]}, expected {DUCKDB[ftype]}")
    assert not problems, f"{fname}: " + "; ".join(problems)


# --------------------------------------------------------------------------------------------
# CSV


def check_csv_bytes(fname, raw):
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a UTF-8 BOM")
    if b"\r" in raw:
        n = raw.count(b"\r\n")
        problems.append(f"contains \\r ({n} CRLF line ends)" if n else "contains \\r")
    try:
        raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        problems.append(f"not valid UTF-8 at byte {e.start}")
    if raw and not raw.endswith(b"\n"):
        problems.append("does not end with a newline")
    if not raw:
        problems.append("is empty (no header row)")
    assert not problems, f"{fname}: " + "; ".join(problems)


def read_stdlib_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, strict=True))
    assert rows, f"{path.name}: no header row"
    return rows[0], rows[1:]


def check_csv_header(fname, header, fields, body):
    want = [n for n, _, _ in fields]
    assert header == want, f"{fname}: header {header} != schema fields {want}"
    bad = [i + 2 for i, r in enumerate(body) if len(r) != len(header)]
    assert not bad, f"{fname}: records with a wrong number of fields at record(s) {bad[:10]}"


def read_pandas_csv(path, fields):
    dtype = {}
    dates = []
    for name, ftype, _ in fields:
        if ftype == "string":
            dtype[name] = str
        elif ftype == "integer":
            dtype[name] = "Int64"
        elif ftype == "number":
            dtype[name] = "float64"
        elif ftype == "boolean":
            dtype[name] = "boolean"
        elif ftype == "date":
            dtype[name] = str
            dates.append(name)
    df = pd.read_csv(
        path,
        dtype=dtype,
        keep_default_na=False,
        na_values=[""],
        true_values=["true"],
        false_values=["false"],
        encoding="utf-8",
    )
    for name in dates:
        df[name] = pd.to_datetime(df[name], format="%Y-%m-%d", errors="raise")
    problems = []
    for name, ftype, _ in fields:
        if name not in df.columns:
            continue
        d = df[name].dtype
        ok = {
            "string": pd.api.types.is_string_dtype(d) or pd.api.types.is_object_dtype(d),
            "integer": str(d) == "Int64",
            "number": str(d) == "float64",
            "boolean": str(d) == "boolean",
            "date": pd.api.types.is_datetime64_any_dtype(d),
        }[ftype]
        if not ok:
            problems.append(f"pandas reads {name} as {d} (schema type {ftype})")
    assert not problems, f"{path.name}: " + "; ".join(problems)
    return df


def duckdb_csv_count(con, path, fields):
    cols = "{" + ", ".join(f"{sql_str(n)}: {sql_str(DUCKDB[t])}" for n, t, _ in fields) + "}"
    q = (
        f"SELECT count(*) FROM read_csv({sql_str(path)}, header = true, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', nullstr = '', dateformat = '%Y-%m-%d', "
        f"columns = {cols})"
    )
    return con.execute(q).fetchone()[0]


def render(v, ftype):
    """A Parquet value as the CSV text it must appear as."""
    if v is None:
        return ""
    if ftype == "boolean":
        return "true" if v else "false"
    if ftype == "date":
        return v.isoformat()
    if ftype == "integer":
        return str(int(v))
    return v


def check_same_rows(table, pcols, body, fields):
    problems = []
    nrows = len(pcols[fields[0][0]]) if fields else 0
    assert nrows == len(body), f"{table}: parquet has {nrows} rows, csv {len(body)}"
    for j, (name, ftype, _) in enumerate(fields):
        vals = pcols[name]
        for i in range(nrows):
            cell = body[i][j]
            v = vals[i]
            if ftype == "number":
                same = (v is None and cell == "") or (
                    v is not None and cell != "" and (float(cell) == v or (math.isnan(v) and math.isnan(float(cell))))
                )
            else:
                same = render(v, ftype) == cell
            if not same:
                problems.append(f"row {i + 1} column {name}: parquet {v!r} vs csv {cell!r}")
                break
    assert not problems, f"{table}.csv vs {table}.parquet: " + "; ".join(problems[:10])


def check_no_empty_strings(table, pcols, fields):
    bad = []
    for name, ftype, _ in fields:
        if ftype == "string":
            n = sum(1 for v in pcols[name] if v == "")
            if n:
                bad.append(f"column {name} has {n} empty (non-null) strings")
    assert not bad, f"{table}.parquet: " + "; ".join(bad) + " (CSV reads empty as missing; write null)"


def sort_key(v):
    return (v is not None, v)


def check_sorted(table, pcols, pk):
    keys = list(zip(*[pcols[c] for c in pk])) if pk else []
    for i in range(1, len(keys)):
        a = tuple(sort_key(x) for x in keys[i - 1])
        b = tuple(sort_key(x) for x in keys[i])
        assert a < b, f"{table}: rows {i} and {i + 1} not in strictly increasing {pk} order: {keys[i - 1]} then {keys[i]}"


def check_constraints(table, pcols, fields):
    problems = []
    for name, ftype, f in fields:
        cons = f.get("constraints") or {}
        vals = pcols.get(name, [])
        if cons.get("required"):
            n = sum(1 for v in vals if v is None)
            if n:
                problems.append(f"column {name} is required but has {n} nulls")
        enum = cons.get("enum")
        if enum:
            allowed = {render(e, ftype) if ftype != "string" else e for e in enum}
            bad = sorted({render(v, ftype) for v in vals if v is not None} - allowed)
            if bad:
                problems.append(f"column {name} has values outside its enum: {bad[:10]}")
    assert not problems, f"{table}: " + "; ".join(problems)


def check_pk_unique(con, table, path, pk):
    cols = ", ".join(ident(c) for c in pk)
    src = f"read_parquet({sql_str(path)})"
    nulls = con.execute(
        f"SELECT count(*) FROM {src} WHERE " + " OR ".join(f"{ident(c)} IS NULL" for c in pk)
    ).fetchone()[0]
    dups = con.execute(
        f"SELECT {cols}, count(*) AS n FROM {src} GROUP BY {cols} HAVING count(*) > 1 ORDER BY n DESC LIMIT 5"
    ).fetchall()
    assert not nulls, f"{table}: {nulls} rows with a null in primary key {pk}"
    assert not dups, f"{table}: duplicate primary key {pk}: {dups}"
    total = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
    return f"{total} distinct keys"


def check_fk(con, rel, child, cols, parent, pcols):
    assert child in rel.pq_res and parent in rel.pq_res, f"{child} or {parent} has no parquet file"
    c = f"read_parquet({sql_str(rel.root / rel.pq_res[child]['path'])})"
    p = f"read_parquet({sql_str(rel.root / rel.pq_res[parent]['path'])})"
    on = " AND ".join(f"p.{ident(b)} = c.{ident(a)}" for a, b in zip(cols, pcols))
    notnull = " AND ".join(f"c.{ident(a)} IS NOT NULL" for a in cols)
    sel = ", ".join(f"c.{ident(a)}" for a in cols)
    q = f"SELECT DISTINCT {sel} FROM {c} AS c WHERE {notnull} AND NOT EXISTS (SELECT 1 FROM {p} AS p WHERE {on}) LIMIT 5"
    missing = con.execute(q).fetchall()
    n = con.execute(f"SELECT count(*) FROM {c} AS c WHERE {notnull}").fetchone()[0]
    assert not missing, f"{child}.{','.join(cols)} values not in {parent}.{','.join(pcols)}: {missing}"
    return f"{n} references resolve"


# --------------------------------------------------------------------------------------------
# README snippets


def readme_blocks(text, subsection, langs):
    """Fenced code blocks in `langs` under '## Use the data' -> '### <subsection>'."""
    blocks = []
    in_use = in_sub = False
    fence = None
    collecting = False
    buf = []
    for line in text.splitlines():
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*([^\s`{]*)", line.lstrip())
            if m and len(line) - len(line.lstrip()) < 4:
                fence = m.group(1)
                info = m.group(2).strip().lower()
                collecting = in_use and in_sub and info in langs
                buf = []
                continue
            h = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if h:
                level, title = len(h.group(1)), h.group(2).strip()
                if level <= 2:
                    in_use = level == 2 and title.lower() == "use the data"
                    in_sub = False
                elif level == 3 and in_use:
                    in_sub = re.match(rf"{re.escape(subsection)}\b", title, re.I) is not None
        else:
            s = line.strip()
            if s.startswith(fence[0] * len(fence)) and set(s) <= {fence[0]}:
                if collecting:
                    blocks.append("\n".join(buf) + "\n")
                fence = None
                collecting = False
            else:
                buf.append(line)
    return blocks


def run_snippet(code, repo, release, n):
    with tempfile.NamedTemporaryFile("w", suffix=f"_readme_{n}.py", delete=False, encoding="utf-8") as fh:
        fh.write(code)
        script = fh.name
    try:
        env = dict(os.environ, CONCORD_RELEASE=str(release.resolve()), MPLBACKEND="Agg")
        p = subprocess.run(
            [sys.executable, script], cwd=repo, env=env, capture_output=True, text=True, timeout=600
        )
    finally:
        os.unlink(script)
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-8:]
        raise AssertionError(f"exit {p.returncode}: " + " | ".join(tail))
    out = p.stdout.strip().splitlines()
    return f"ok ({len(out)} lines of output)" + (f", last: {out[-1][:100]}" if out else "")


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("release", type=Path, help="release directory, e.g. data/release")
    ap.add_argument(
        "--repo",
        type=Path,
        default=Path(__file__).resolve().parents[2],
        help="repository root (README.md; snippets run here). Default: two levels above this file",
    )
    ap.add_argument("--no-readme", action="store_true", help="skip the README snippets")
    args = ap.parse_args()
    report = Report()
    try:
        run_checks(args, report)
    except Exception:
        report.failed += 1
        print("FAIL checker crashed:", traceback.format_exc().strip().replace("\n", " | "))
    print(f"{report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


def run_checks(args, report):
    root = args.release
    rel = Release(root)
    print(f"# release {root.resolve()}")
    print(f"# pyarrow {pa.__version__}, pandas {pd.__version__}, polars {pl.__version__}, duckdb {duckdb.__version__}")
    if not report.check("datapackage.json parses", rel.load):
        return
    con = duckdb.connect()

    # --- package metadata and file integrity
    resources = rel.package["resources"]
    for r in resources:
        label = r.get("path") or r.get("name") or "?"
        report.check(f"datapackage: {label} metadata", lambda r=r: check_resource_meta(r))
    names = [r.get("name") for r in resources]
    report.check(
        "datapackage: resource names unique",
        lambda: require(len(set(names)) == len(names), f"duplicate names in {names}"),
    )
    for r in resources:
        if isinstance(r.get("path"), str) and safe_rel_path(r["path"]):
            report.check(f"file {r['path']}: bytes and sha256", lambda r=r: check_file_integrity(root, r))
    listed = [r["path"] for r in resources if isinstance(r.get("path"), str)]
    report.check("SHA256SUMS", lambda: check_sha256sums(root, listed))

    def other_files():
        problems = []
        cff = root / "CITATION.cff"
        if not cff.is_file() or "cff-version:" not in cff.read_text(encoding="utf-8"):
            problems.append("CITATION.cff missing or without cff-version")
        ch = root / "CHANGELOG.md"
        if not ch.is_file() or not ch.read_text(encoding="utf-8").strip():
            problems.append("CHANGELOG.md missing or empty")
        assert not problems, "; ".join(problems)

    report.check("CITATION.cff and CHANGELOG.md", other_files)

    # --- per table
    created_by = {}
    pcols_by_table = {}
    for table in TABLES:
        csv_r, pq_r = rel.csv_res.get(table), rel.pq_res.get(table)
        ok = report.check(
            f"{table}: csv and parquet resources",
            lambda c=csv_r, p=pq_r, t=table: require(
                c and p, f"datapackage.json lacks {t}.csv" if not c else f"datapackage.json lacks {t}.parquet"
            ),
        )
        if not ok:
            continue
        if not report.check(f"{table}: table schema", lambda t=table, c=csv_r, p=pq_r: check_schema(t, c, p)):
            continue
        fields = [(f["name"], f["type"], f) for f in csv_r["schema"]["fields"]]
        pk = as_list(csv_r["schema"].get("primaryKey"))
        ppath = root / pq_r["path"]
        cpath = root / csv_r["path"]
        pname, cname = ppath.name, cpath.name
        counts = {}
        columns = {}

        # Parquet readers
        pf = None
        try:
            pf = pq.ParquetFile(ppath)
        except Exception as e:
            report.check(f"{pname}: opens with pyarrow", lambda e=e: require(False, f"{type(e).__name__}: {e}"))
        if pf is not None:
            created_by[pname] = pf.metadata.created_by
            report.check(f"{pname}: arrow types", lambda: check_parquet_arrow_types(pname, pf, fields))
            report.check(f"{pname}: parquet physical/logical types", lambda: check_parquet_physical_types(pname, pf, fields))
            report.check(f"{pname}: no timestamps or wall-clock metadata", lambda: check_parquet_no_timestamps(pname, pf))

            def read_pyarrow():
                t = pq.read_table(ppath)
                counts["pyarrow"] = t.num_rows
                columns["pyarrow"] = t.column_names
                pcols_by_table[table] = {n: t.column(n).to_pylist() for n in t.column_names}

            def read_pandas_pq():
                df = pd.read_parquet(ppath, engine="pyarrow")
                counts["pandas(parquet)"] = len(df)
                columns["pandas(parquet)"] = list(df.columns)

            def read_polars():
                df = pl.read_parquet(ppath)
                counts["polars"] = df.height
                columns["polars"] = df.columns

            def read_duckdb_pq():
                src = f"read_parquet({sql_str(ppath)})"
                counts["duckdb(parquet)"] = con.execute(f"SELECT count(*) FROM {src}").fetchone()[0]
                columns["duckdb(parquet)"] = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]

            report.check(f"{pname}: pyarrow reads", read_pyarrow)
            report.check(f"{pname}: pandas (pyarrow engine) reads", read_pandas_pq)
            report.check(f"{pname}: polars reads", read_polars)
            report.check(f"{pname}: duckdb reads", read_duckdb_pq)
            report.check(f"{pname}: polars and duckdb column types", lambda: check_polars_duckdb_types(pname, ppath, fields, con))

        # CSV readers
        raw = cpath.read_bytes() if cpath.is_file() else b""
        report.check(f"{cname}: UTF-8, no BOM, LF only", lambda: check_csv_bytes(cname, raw))
        body = None
        try:
            header, body = read_stdlib_csv(cpath)
            counts["csv module"] = len(body)
            columns["csv module"] = header
        except Exception as e:
            report.check(f"{cname}: stdlib csv reads", lambda e=e: require(False, f"{type(e).__name__}: {e}"))
        if body is not None:
            report.check(f"{cname}: header equals schema fields", lambda: check_csv_header(cname, header, fields, body))

        def read_pandas_csv_():
            df = read_pandas_csv(cpath, fields)
            counts["pandas(csv)"] = len(df)
            columns["pandas(csv)"] = list(df.columns)

        def read_duckdb_csv():
            counts["duckdb(csv)"] = duckdb_csv_count(con, cpath, fields)

        report.check(f"{cname}: pandas reads with schema dtypes", read_pandas_csv_)
        report.check(f"{cname}: duckdb reads with schema types", read_duckdb_csv)

        # Agreement
        def agree_counts():
            assert counts, "no reader succeeded"
            assert len(set(counts.values())) == 1, f"{table}: row counts differ: {counts}"
            return f"{next(iter(counts.values()))} rows by {len(counts)} readers"

        def agree_columns():
            want = [n for n, _, _ in fields]
            bad = {k: v for k, v in columns.items() if list(v) != want}
            assert not bad, f"{table}: columns differ from schema {want}: {bad}"
            return f"{len(columns)} readers"

        report.check(f"{table}: row counts agree (parquet and csv readers)", agree_counts)
        report.check(f"{table}: column names and order agree", agree_columns)

        pcols = pcols_by_table.get(table)
        if pcols is not None and body is not None and [n for n, _, _ in fields] == list(pcols):
            report.check(f"{table}: csv and parquet hold the same rows", lambda: check_same_rows(table, pcols, body, fields))
        if pcols is not None and all(n in pcols for n, _, _ in fields):
            report.check(f"{table}.parquet: no empty strings", lambda: check_no_empty_strings(table, pcols, fields))
            if all(c in pcols for c in pk):
                report.check(f"{table}: sorted by primary key {pk}", lambda: check_sorted(table, pcols, pk))
            report.check(f"{table}: required and enum constraints", lambda: check_constraints(table, pcols, fields))
        if pf is not None:
            report.check(f"{table}: primary key {pk} unique (duckdb)", lambda: check_pk_unique(con, table, ppath, pk))

    # --- created_by
    def one_created_by():
        assert created_by, "no parquet file read"
        values = set(created_by.values())
        assert len(values) == 1, f"created_by differs between files: {created_by}"
        v = values.pop()
        assert v, "created_by is empty"
        m = DATETIME_RE.search(v)
        assert not m, f"created_by {v!r} contains a date/time ({m.group(0)!r})"
        return repr(v)

    report.check("parquet created_by: one value, no date/time", one_created_by)

    # --- foreign keys
    declared = []
    for table in TABLES:
        r = rel.csv_res.get(table)
        for fk in ((r or {}).get("schema") or {}).get("foreignKeys") or []:
            ref = fk.get("reference") or {}
            target = rel.by_name.get(ref.get("resource"), ref.get("resource"))
            declared.append((table, as_list(fk.get("fields")), target, as_list(ref.get("fields"))))
    for fk in REQUIRED_FOREIGN_KEYS:
        child, cols, parent, pcols = fk
        report.check(
            f"foreign key {child}.{','.join(cols)} -> {parent} declared",
            lambda fk=fk: require(
                fk in declared, f"not in {fk[0]}.csv's foreignKeys: {[d for d in declared if d[0] == fk[0]]}"
            ),
        )
    todo = []
    for fk in REQUIRED_FOREIGN_KEYS + IMPLIED_FOREIGN_KEYS + declared:
        if fk not in todo:
            todo.append(fk)
    for child, cols, parent, pcols in todo:
        report.check(
            f"foreign key {child}.{','.join(cols)} -> {parent}.{','.join(pcols)} resolves (duckdb)",
            lambda a=(child, cols, parent, pcols): check_fk(con, rel, *a),
        )

    # --- README snippets
    if args.no_readme:
        return
    repo = args.repo.resolve()
    readme = repo / "README.md"
    expected = (repo / "data" / "release").resolve()
    if root.resolve() != expected:
        print(f"# note: README snippets read data/release/ under {repo}, not {root}")
    blocks = []

    def find_blocks():
        assert readme.is_file(), f"{readme} does not exist"
        blocks.extend(readme_blocks(readme.read_text(encoding="utf-8"), "Python", {"python", "py", "python3"}))
        assert blocks, "README.md has no ```python block under '## Use the data' -> '### Python'"
        return f"{len(blocks)} blocks"

    if report.check("README.md: Python snippets found", find_blocks):
        for i, code in enumerate(blocks, 1):
            report.check(f"README.md: Python snippet {i}/{len(blocks)} runs", lambda c=code, i=i: run_snippet(c, repo, root, i))


if __name__ == "__main__":
    sys.exit(main())
