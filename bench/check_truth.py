#!/usr/bin/env python3
"""Compare what concord extracted from a generated corpus with the generator's ground truth.

Usage: check_truth.py DIR [--release REL] [--show N] [--json OUT]

DIR is a directory written by `concord-gen` (DIR/truth.jsonl) and run through the pipeline
(DIR/data/release/claims.csv and documents.csv, unless --release says otherwise). Claims are
joined to their article by documents.doc_id -> basename(path) and compared per article as
multisets of (victim_group, outcome, count_low, count_high): a predicted claim matches a true
one with the same key in the same article (each used once; claims whose sentences overlap are
paired first). Prints precision, recall and F1 overall, a looser "counts only" figure (low and
high only), recall by qualifier, outcome, victim group, source kind and article kind,
source_kind agreement and place / date agreement on matched claims, false positives in
articles that report no event, and the N most frequent missed and spurious phrasings with
examples. Only the Python standard library is used.
"""
import argparse
import csv
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict


def norm(s):
    s = unicodedata.normalize("NFC", s or "")
    s = re.sub("[\u2019\u2018`\u02bc]", "'", s)
    s = re.sub("[\u00ab\u00bb\u201c\u201d\u201e]", '"', s)
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s+", " ", s)
    s = s.replace('" ', '"').replace(' "', '"')
    return s.strip()


def num(v):
    if v is None or v == "":
        return None
    return int(float(v))


def key_of_truth(c):
    return (c["victim_group"], c["outcome"], c["low"], c["high"])


def key_of_pred(c):
    return (c["victim_group"], c["outcome"], num(c["count_low"]), num(c["count_high"]))


def overlap(a, b):
    a, b = norm(a), norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def match(truth, pred, keyf_t, keyf_p):
    """Greedy one-to-one matching on key, preferring pairs whose sentences overlap.
    Returns the list of (truth_index, pred_index)."""
    used_p = set()
    pairs = []
    done_t = set()
    for pass_ in (0, 1):
        for ti, t in enumerate(truth):
            if ti in done_t:
                continue
            kt = keyf_t(t)
            for pi, p in enumerate(pred):
                if pi in used_p or keyf_p(p) != kt:
                    continue
                if pass_ == 0 and not overlap(t["quote"], p["quote"]):
                    continue
                used_p.add(pi)
                done_t.add(ti)
                pairs.append((ti, pi))
                break
    return pairs


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def shape(quote, count_hint=None):
    """A rough phrasing pattern of a sentence: digits and number words masked, proper
    nouns kept out, so that similar misses group together."""
    s = norm(quote)
    s = re.sub(r"\d+", "N", s)
    s = re.sub(r"\b[A-ZÉÈ][\w'’-]+", "X", s)
    return s[:110]


def reference_from_config(d):
    """paths.reference of DIR/pipeline.toml (relative to DIR), or None."""
    cfg = os.path.join(d, "pipeline.toml")
    if not os.path.exists(cfg):
        return None
    section = None
    with open(cfg, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"^\[(\w+)\]$", line)
            if m:
                section = m.group(1)
                continue
            m = re.match(r'^reference\s*=\s*"(.*)"$', line)
            if m and section == "paths":
                return os.path.join(d, m.group(1))
    return None


def load_places(ref):
    """place_id -> (lat, lon) from the gazetteer, or {} if it cannot be found."""
    out = {}
    if not ref:
        return out
    for name in ("places.csv", "admin_units.csv"):
        path = os.path.join(ref, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                pid = r.get("place_id") or r.get("admin_id")
                try:
                    out[pid] = (float(r["latitude"]), float(r["longitude"]))
                except (KeyError, TypeError, ValueError):
                    pass
    return out


def km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    la1, lo1, la2, lo2 = map(math.radians, (la1, lo1, la2, lo2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--release", help="release directory (default DIR/data/release)")
    ap.add_argument("--show", type=int, default=12, help="examples of misses and spurious claims to print")
    ap.add_argument("--json", help="write the figures as JSON here")
    ap.add_argument("--reference", help="reference data (default: paths.reference of DIR/pipeline.toml)")
    ap.add_argument("--km", type=float, default=10.0, help="places this close count as the same (default 10)")
    args = ap.parse_args()

    rel = args.release or os.path.join(args.dir, "data", "release")
    truth_path = os.path.join(args.dir, "truth.jsonl")
    for f in (truth_path, os.path.join(rel, "claims.csv"), os.path.join(rel, "documents.csv")):
        if not os.path.exists(f):
            sys.exit(f"check_truth: missing {f}")

    places = load_places(args.reference or reference_from_config(args.dir))

    docs = {}
    with open(os.path.join(rel, "documents.csv"), newline="", encoding="utf-8") as f:
        for d in csv.DictReader(f):
            docs[d["doc_id"]] = os.path.basename(d["path"])
    pred_by_file = defaultdict(list)
    with open(os.path.join(rel, "claims.csv"), newline="", encoding="utf-8") as f:
        for c in csv.DictReader(f):
            if c.get("stance", "asserts") != "asserts":
                continue
            pred_by_file[docs.get(c["doc_id"], "")].append(c)

    truth_docs = []
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            truth_docs.append(json.loads(line))

    tp = n_pred = n_gold = 0
    tp_loose = 0
    recall_by = defaultdict(lambda: Counter())  # dimension -> Counter of (value, hit/total)
    src_ok = place_ok = place_id_ok = place_n = date_ok = date_n = 0
    filler_fp = 0
    filler_docs = 0
    missed = []
    spurious = []
    src_conf = defaultdict(list)
    place_bad = []
    date_bad = []
    for d in truth_docs:
        fname = d["file"]
        truth = []
        for e in d["events"]:
            for c in e["claims"]:
                c = dict(c)
                c["_ev"] = e
                truth.append(c)
        pred = pred_by_file.get(fname, [])
        n_pred += len(pred)
        n_gold += len(truth)
        if not d["events"]:
            filler_docs += 1
            filler_fp += len(pred)
        pairs = match(truth, pred, key_of_truth, key_of_pred)
        tp += len(pairs)
        loose = match(
            truth,
            pred,
            lambda t: (t["low"], t["high"]),
            lambda p: (num(p["count_low"]), num(p["count_high"])),
        )
        tp_loose += len(loose)
        hit_t = {ti for ti, _ in pairs}
        hit_p = {pi for _, pi in pairs}
        for ti, t in enumerate(truth):
            h = ti in hit_t
            ev = t["_ev"]
            for dim, val in (
                ("qualifier", t["qualifier"]),
                ("outcome", t["outcome"]),
                ("victim_group", t["victim_group"]),
                ("source_kind", t["source_kind"]),
                ("event", ev["sub_event_type"] + (" (background)" if ev["background"] else "")),
                ("publisher", d["publisher"]),
            ):
                recall_by[dim][(val, "n")] += 1
                recall_by[dim][(val, "hit")] += h
            if not h:
                missed.append((fname, t))
        for ti, pi in pairs:
            t, p = truth[ti], pred[pi]
            src_ok += t["source_kind"] == p["source_kind"]
            if t["source_kind"] != p["source_kind"]:
                src_conf[(t["source_kind"], p["source_kind"])].append((fname, t, p))
            ev = t["_ev"]
            if ev["place_id"]:
                place_n += 1
                same = p["place_id"] == ev["place_id"]
                place_id_ok += same
                a, b = places.get(ev["place_id"]), places.get(p["place_id"])
                near = same or (a is not None and b is not None and km(a, b) <= args.km)
                place_ok += near
                if not near:
                    place_bad.append((fname, t, p))
            if ev["date"]:
                date_n += 1
                ok = p["event_date_start"] == ev["date"] and p["event_date_end"] == ev["date_end"]
                date_ok += ok
                if not ok:
                    date_bad.append((fname, t, p))
        for pi, p in enumerate(pred):
            if pi not in hit_p:
                spurious.append((fname, p))

    p, r, f1 = prf(tp, n_pred, n_gold)
    pl, rl, fl = prf(tp_loose, n_pred, n_gold)
    out = {
        "articles": len(truth_docs),
        "true_claims": n_gold,
        "predicted_claims": n_pred,
        "matched": tp,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "counts_only": {"precision": round(pl, 3), "recall": round(rl, 3), "f1": round(fl, 3)},
        "source_kind_agreement": round(src_ok / tp, 3) if tp else None,
        "place_agreement": round(place_ok / place_n, 3) if place_n else None,
        "place_id_agreement": round(place_id_ok / place_n, 3) if place_n else None,
        "date_agreement": round(date_ok / date_n, 3) if date_n else None,
        "no_event_articles": filler_docs,
        "claims_in_no_event_articles": filler_fp,
        "recall_by": {},
    }
    print(f"articles {len(truth_docs)}, true claims {n_gold}, extracted claims {n_pred}, matched {tp}")
    print(f"claims (victim_group, outcome, low, high): precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}")
    print(f"counts only (low, high):                  precision {pl:.3f}  recall {rl:.3f}  F1 {fl:.3f}")
    if tp:
        print(f"on matched claims: source_kind agrees {src_ok / tp:.3f}, "
              f"place agrees {place_ok / max(place_n, 1):.3f} (same id {place_id_ok / max(place_n, 1):.3f}, "
              f"else within {args.km:g} km), dates agree {date_ok / max(date_n, 1):.3f}")
    print(f"articles with no event: {filler_docs}, claims extracted from them: {filler_fp}")
    for dim in ("qualifier", "outcome", "victim_group", "source_kind", "event", "publisher"):
        cnt = recall_by[dim]
        vals = sorted({v for v, _ in cnt}, key=lambda v: -cnt[(v, "n")])
        parts = []
        out["recall_by"][dim] = {}
        for v in vals:
            n, h = cnt[(v, "n")], cnt[(v, "hit")]
            out["recall_by"][dim][v] = {"n": n, "recall": round(h / n, 3)}
            parts.append(f"{v} {h / n:.2f} ({n})")
        print(f"recall by {dim}: " + ", ".join(parts))

    if args.show:
        print(f"\nmost frequent missed phrasings (of {len(missed)} missed claims):")
        groups = defaultdict(list)
        for fname, t in missed:
            groups[shape(t["quote"])].append((fname, t))
        for k, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[: args.show]:
            fname, t = items[0]
            print(f"  x{len(items)} want {t['victim_group']} {t['outcome']} {t['low']}-{t['high']} ({t['qualifier']}, {t['source_kind']})")
            print(f"      {fname}: {norm(t['quote'])[:220]}")
        print(f"\nmost frequent spurious or mis-read claims (of {len(spurious)}):")
        groups = defaultdict(list)
        for fname, c in spurious:
            groups[shape(c["quote"])].append((fname, c))
        for k, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[: args.show]:
            fname, c = items[0]
            print(f"  x{len(items)} got {c['victim_group']} {c['outcome']} {c['count_low']}-{c['count_high']} ({c['qualifier']}, {c['source_kind']})")
            print(f"      {fname}: {norm(c['quote'])[:220]}")
    if args.show:
        print("\nsource_kind disagreements on matched claims (truth -> extracted):")
        for (a, b), items in sorted(src_conf.items(), key=lambda kv: -len(kv[1]))[: args.show]:
            fname, t, p = items[0]
            print(f"  x{len(items)} {a} -> {b} (source_text {p['source_text']!r})")
            print(f"      {fname}: {norm(t['quote'])[:200]}")
        print(f"\nplace disagreements (not the same id nor within {args.km:g} km) on matched claims ({len(place_bad)}), by phrasing:")
        groups = defaultdict(list)
        for fname, t, p in place_bad:
            groups[shape(t["quote"])].append((fname, t, p))
        for k, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[: max(3, args.show // 2)]:
            fname, t, p = items[0]
            ev = t["_ev"]
            print(f"  x{len(items)} want {ev['place']} {ev['place_id']} (prec {ev['where_prec']}), got {p['location']!r} {p['place_id'] or '-'} (prec {p['where_prec']})")
            print(f"      {fname}: {norm(t['quote'])[:200]}")
        print(f"\ndate disagreements on matched claims ({len(date_bad)}), by phrasing:")
        groups = defaultdict(list)
        for fname, t, p in date_bad:
            groups[shape(t["quote"])].append((fname, t, p))
        for k, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[: max(3, args.show // 2)]:
            fname, t, p = items[0]
            ev = t["_ev"]
            print(f"  x{len(items)} want {ev['date']}..{ev['date_end']}, got {p['event_date_start'] or '-'}..{p['event_date_end'] or '-'}")
            print(f"      {fname}: {norm(t['quote'])[:200]}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
