//! The real binary on small corpora in temporary directories: determinism (fresh runs, thread
//! counts, file creation order, time zone and locale), idempotent reruns, staleness, verify,
//! stable event ids when articles are added, and the release changelog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("seeds"))
        .expect("seeds/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read(&p).expect("readable"),
            )
        })
        .collect();
    out.sort();
    out
}

/// A project directory with the given corpus files (written in the given order).
fn project(dir: &Path, files: &[(String, Vec<u8>)]) {
    let reference = repo().join("data/reference");
    std::fs::write(
        dir.join("pipeline.toml"),
        format!(
            "[paths]\ndata = \"data\"\nreports = \"reports\"\nreference = {:?}\n\n[ingest]\ncorpus = \"corpus\"\n\n[export]\nversion = \"1.0.0\"\nrelease_date = \"2024-09-01\"\n",
            reference.to_string_lossy()
        ),
    )
    .expect("write config");
    std::fs::create_dir_all(dir.join("corpus")).expect("corpus dir");
    for (name, bytes) in files {
        std::fs::write(dir.join("corpus").join(name), bytes).expect("write corpus file");
    }
}

fn concord(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_concord"));
    cmd.arg("--config")
        .arg(dir.join("pipeline.toml"))
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("concord runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run_ok(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let (code, stdout, stderr) = concord(dir, args, env);
    assert_eq!(code, 0, "concord {args:?} failed:\n{stdout}\n{stderr}");
    format!("{stdout}{stderr}")
}

/// Every output file below data/ (but the reference) and reports/, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.join("data"), dir.join("reports")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            let rel = p
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .into_owned();
            if rel.ends_with(".concord.pid") || rel.ends_with(".concord.stamps") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).expect("readable"));
            }
        }
    }
    out
}

fn assert_same_trees(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "different file sets"
    );
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs");
    }
    assert!(ta.keys().any(|k| k == "data/release/events.parquet"));
}

#[test]
fn fresh_runs_are_byte_identical_across_threads_order_and_locale() {
    let files = seeds();
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    project(a.path(), &files);
    let mut reversed = files.clone();
    reversed.reverse();
    project(b.path(), &reversed);
    run_ok(
        a.path(),
        &["--quiet", "run", "--jobs", "2"],
        &[("TZ", "UTC"), ("LANG", "fr_FR.UTF-8")],
    );
    run_ok(
        b.path(),
        &["--quiet", "run", "--jobs", "1"],
        &[("TZ", "Pacific/Kiritimati"), ("LANG", "C")],
    );
    assert_same_trees(a.path(), b.path());
}

#[test]
fn stages_run_one_by_one_equal_one_run() {
    // `run` hands tables from stage to stage in memory; each stage run on its own reads them
    // from the files. Both must give the same bytes.
    let files = seeds();
    let (a, b) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    project(a.path(), &files);
    project(b.path(), &files);
    run_ok(a.path(), &["--quiet", "run"], &[]);
    for stage in ["ingest", "normalise", "extract", "reconcile", "export"] {
        run_ok(b.path(), &["--quiet", stage], &[]);
    }
    assert_same_trees(a.path(), b.path());
}

#[test]
fn second_run_changes_nothing_and_a_changed_seed_reruns_from_ingest() {
    let files = seeds();
    let d = tempfile::tempdir().expect("tempdir");
    project(d.path(), &files);
    run_ok(d.path(), &["--quiet", "run"], &[]);
    let before = tree(d.path());
    let mtimes = |dir: &Path| -> Vec<std::time::SystemTime> {
        let mut v: Vec<_> = tree(dir)
            .keys()
            .map(|k| {
                std::fs::metadata(dir.join(k))
                    .and_then(|m| m.modified())
                    .expect("mtime")
            })
            .collect();
        v.sort();
        v
    };
    let t0 = mtimes(d.path());
    let log = run_ok(d.path(), &["run"], &[]);
    for stage in ["ingest", "normalise", "extract", "reconcile", "export"] {
        assert!(
            log.contains(&format!("{stage}: up to date")),
            "{stage} reran:\n{log}"
        );
    }
    assert_eq!(before, tree(d.path()));
    assert_eq!(t0, mtimes(d.path()), "a file was rewritten");
    let status = run_ok(d.path(), &["status"], &[]);
    assert_eq!(status.matches("up to date").count(), 5, "{status}");
    // Change one seed: ingest reports it as the changed input, and the release changelog
    // names what changed.
    let name = &files[0].0;
    let path = d.path().join("corpus").join(name);
    let mut text = std::fs::read_to_string(&path).expect("utf-8 seed");
    text.push_str("\n\nSelon une source sécuritaire, trois soldats ont été tués lundi à Djibo.\n");
    std::fs::write(&path, text).expect("write");
    let status = run_ok(d.path(), &["status"], &[]);
    assert!(
        status.contains(&format!("input changed: corpus/{name}")),
        "{status}"
    );
    let log = run_ok(d.path(), &["run"], &[]);
    assert!(log.contains("ingest: wrote"), "{log}");
    let changelog =
        std::fs::read_to_string(d.path().join("data/release/CHANGELOG.md")).expect("changelog");
    assert!(
        changelog.contains("Documents added (1)") && changelog.contains("Documents removed (1)"),
        "{changelog}"
    );
    assert!(changelog.contains("Events added"), "{changelog}");
    assert!(
        changelog.contains("content changed but `export.version` did not"),
        "{changelog}"
    );
    run_ok(d.path(), &["verify"], &[]);
    // Every corpus file is now known by its stamp, so an unchanged corpus is not read; a file
    // removed, or edited in place without changing its length, is still seen.
    let log = run_ok(d.path(), &["run"], &[]);
    assert!(log.contains("ingest: up to date"), "{log}");
    let removed = &files[1].0;
    std::fs::remove_file(d.path().join("corpus").join(removed)).expect("remove");
    let status = run_ok(d.path(), &["status"], &[]);
    assert!(
        status.contains(&format!("input removed: corpus/{removed}")),
        "{status}"
    );
    let log = run_ok(d.path(), &["run"], &[]);
    assert!(log.contains("ingest: wrote"), "{log}");
    let edited = &files[2].0;
    let path = d.path().join("corpus").join(edited);
    let mut bytes = std::fs::read(&path).expect("read seed");
    let at = bytes
        .iter()
        .position(u8::is_ascii_lowercase)
        .expect("a lower-case letter");
    bytes[at] = bytes[at].to_ascii_uppercase();
    std::fs::write(&path, &bytes).expect("write");
    let status = run_ok(d.path(), &["status"], &[]);
    assert!(
        status.contains(&format!("input changed: corpus/{edited}")),
        "{status}"
    );
    let log = run_ok(d.path(), &["run"], &[]);
    assert!(log.contains("ingest: wrote"), "{log}");
    run_ok(d.path(), &["verify"], &[]);
}

#[test]
fn verify_detects_a_flipped_byte() {
    let d = tempfile::tempdir().expect("tempdir");
    project(d.path(), &seeds());
    run_ok(d.path(), &["--quiet", "run"], &[]);
    run_ok(d.path(), &["verify"], &[]);
    let target = d.path().join("data/extract/claims.parquet");
    let mut bytes = std::fs::read(&target).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&target, bytes).expect("write");
    let (code, stdout, _) = concord(d.path(), &["verify"], &[]);
    assert_eq!(code, 4);
    assert!(stdout.contains("data/extract/claims.parquet"), "{stdout}");
    // A later stage refuses a tampered input instead of using it.
    let (code, _, stderr) = concord(d.path(), &["reconcile", "--force"], &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("claims") || stderr.contains("does not match"),
        "{stderr}"
    );
}

/// Export carries the six release tables as their producers wrote them; what it carries is
/// checked against the producer's lock first.
#[test]
fn the_release_carries_its_producers_tables_byte_for_byte_and_refuses_a_damaged_one() {
    let d = tempfile::tempdir().expect("tempdir");
    project(d.path(), &seeds());
    run_ok(d.path(), &["--quiet", "run"], &[]);
    let read = |rel: &str| std::fs::read(d.path().join(rel)).expect(rel);
    for (producer, table) in [
        ("extract", "documents"),
        ("extract", "claims"),
        ("reconcile", "events"),
        ("reconcile", "event_claims"),
        ("reconcile", "event_documents"),
        ("reconcile", "event_counts"),
    ] {
        for ext in ["parquet", "csv"] {
            let made = read(&format!("data/{producer}/{table}.{ext}"));
            let released = read(&format!("data/release/{table}.{ext}"));
            assert!(
                made == released,
                "release {table}.{ext} is not {producer}'s"
            );
        }
    }
    let released = read("data/release/events.parquet");
    let target = d.path().join("data/reconcile/events.parquet");
    let mut bytes = std::fs::read(&target).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&target, bytes).expect("write");
    let (code, _, stderr) = concord(d.path(), &["export", "--force"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("data/reconcile/events.parquet"), "{stderr}");
    assert!(
        read("data/release/events.parquet") == released,
        "the release was rewritten"
    );
}

fn event_ids(dir: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("data/release/events.csv")).expect("events.csv");
    let mut ids: Vec<String> = r
        .records()
        .map(|rec| rec.expect("record")[0].to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn event_ids_survive_new_articles() {
    let files = seeds();
    let base = tempfile::tempdir().expect("tempdir");
    project(base.path(), &files);
    run_ok(base.path(), &["--quiet", "run"], &[]);
    let before = event_ids(base.path());
    // An unrelated article, and a new article about an event the seeds already report.
    let unrelated = "OUAGADOUGOU, 5 février 2023 (AFP) - Au moins douze civils ont été tués samedi dans une attaque contre le village de Kelbo, dans la province du Soum, a indiqué un élu local.".as_bytes().to_vec();
    let related = "Au Mali, des jihadistes ont attaqué le samedi 16 mars 2024 un poste de la gendarmerie à Danderesso, dans la région de Sikasso, selon une source sécuritaire, qui n'a pas donné de bilan.".as_bytes().to_vec();
    let mut more = files.clone();
    more.push(("900_unrelated.txt".into(), unrelated));
    more.push(("901_related.txt".into(), related));
    let grown = tempfile::tempdir().expect("tempdir");
    project(grown.path(), &more);
    run_ok(grown.path(), &["--quiet", "run"], &[]);
    let after = event_ids(grown.path());
    for id in &before {
        assert!(
            after.contains(id),
            "event {id} lost its id when articles were added"
        );
    }
    assert!(
        after.len() > before.len(),
        "the unrelated article should add an event"
    );
}

/// The stage directories up to reconcile: everything but the release, whose changelog
/// rightly records the history of the directory it lives in, and the extract cache, whose
/// packs record the order in which entries were computed.
fn stage_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| {
            ["ingest", "normalise", "extract", "reconcile"]
                .iter()
                .any(|s| k.starts_with(&format!("data/{s}/")))
        })
        .collect()
}

/// The keys the extract cache lists (the first field of each line of its index).
fn cache_keys(dir: &Path) -> Vec<String> {
    let index = std::fs::read_to_string(dir.join("data/cache/extract/index")).expect("index");
    index
        .lines()
        .skip(1)
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn an_added_article_is_the_only_one_extracted_and_the_result_equals_a_full_rebuild() {
    let added = (
        "added.txt".to_string(),
        "Sept civils ont été tués mardi dans l'attaque d'un village près de Djibo, selon des \
         sources locales.\n"
            .as_bytes()
            .to_vec(),
    );
    let incremental = tempfile::tempdir().expect("tempdir");
    project(incremental.path(), &seeds());
    run_ok(incremental.path(), &["run", "--quiet"], &[]);
    std::fs::write(incremental.path().join("corpus/added.txt"), &added.1).expect("add");
    let log = run_ok(incremental.path(), &["run"], &[]);
    let docs = seeds().iter().filter(|(n, _)| n.ends_with(".txt")).count();
    assert!(
        log.contains(&format!(
            "extract: 1 of {} documents extracted, {docs} from the per-document cache",
            docs + 1
        )),
        "the rerun re-extracted more than the new article:\n{log}"
    );
    // The sentences of the part the new article falls in are read; the keys of the other
    // parts' documents are remembered.
    assert!(
        log.contains("extract: sentences read from 1 of "),
        "the rerun read more sentences than the new article's part:\n{log}"
    );
    let full = tempfile::tempdir().expect("tempdir");
    let mut files = seeds();
    files.push(added);
    project(full.path(), &files);
    run_ok(full.path(), &["run", "--quiet"], &[]);
    let (a, b) = (stage_tree(incremental.path()), stage_tree(full.path()));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different file sets"
    );
    for (k, v) in &a {
        assert!(
            v == &b[k],
            "{k} differs between the incremental run and a full rebuild"
        );
    }
    let keys = cache_keys(incremental.path());
    assert_eq!(keys.len(), docs + 1, "one cache entry per document");
    assert_eq!(
        keys,
        cache_keys(full.path()),
        "the caches hold different entries"
    );
}

#[test]
fn a_damaged_cache_entry_is_recomputed_not_trusted() {
    let dir = tempfile::tempdir().expect("tempdir");
    project(dir.path(), &seeds());
    run_ok(dir.path(), &["run", "--quiet"], &[]);
    let before = stage_tree(dir.path());
    let keys = cache_keys(dir.path());
    let (path, _) = tree(dir.path())
        .into_iter()
        .find(|(k, _)| k.starts_with("data/cache/extract/") && k.ends_with(".pack"))
        .expect("a cache pack");
    let full = dir.path().join(path);
    let mut bytes = std::fs::read(&full).expect("read entry");
    // The pack's first byte is in its first entry's rows, which every run that serves the
    // entry reads (its mention lines are read only when its part of the mentions table is
    // rewritten; a damaged byte there is tested in the cache's unit tests).
    bytes[0] ^= 0x20;
    std::fs::write(&full, bytes).expect("damage entry");
    // A config-neutral reason to rerun extract: its outputs are removed.
    std::fs::remove_file(dir.path().join("data/extract/claims.csv")).expect("remove");
    let log = run_ok(dir.path(), &["run"], &[]);
    assert!(log.contains("extract: 1 of"), "{log}");
    // Every key was remembered, so the one part read is the damaged document's, for it alone.
    assert!(log.contains("sentences read from 1 of"), "{log}");
    assert_eq!(before, stage_tree(dir.path()), "the damaged entry was used");
    assert_eq!(
        keys,
        cache_keys(dir.path()),
        "the damaged entry was not rewritten"
    );
}

#[test]
fn locks_from_before_digests_named_their_algorithm_are_rebuilt_not_refused() {
    let d = tempfile::tempdir().expect("tempdir");
    project(d.path(), &seeds());
    run_ok(d.path(), &["--quiet", "run"], &[]);
    let built = stage_tree(d.path());
    // As concord 0.1 wrote them: the digest under `sha256`, bare hex, an older code version.
    for stage in ["ingest", "normalise", "extract", "reconcile", "export"] {
        let lock = d.path().join("data").join(stage).join("stage.lock");
        let text = std::fs::read_to_string(&lock).expect("lock");
        assert!(text.contains("\"digest\": \"blake3:"), "{text}");
        let old = text
            .replace("\"digest\": \"blake3:", "\"sha256\": \"")
            .replace("\"digest\": \"sha256:", "\"sha256\": \"")
            .replace("+concord-", "+concord-0.");
        std::fs::write(&lock, old).expect("write");
    }
    std::fs::remove_file(d.path().join("data/.concord.stamps")).expect("stamps");
    let log = run_ok(d.path(), &["run"], &[]);
    for stage in ["ingest", "normalise", "extract", "reconcile", "export"] {
        assert!(log.contains(&format!("{stage}: wrote")), "{log}");
    }
    run_ok(d.path(), &["verify"], &[]);
    assert_eq!(built, stage_tree(d.path()), "the rebuild differs");
}

/// The files of extract's mentions parts, by name, with their bytes and modification time.
fn mention_parts(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    std::fs::read_dir(dir.join("data/extract/mentions"))
        .expect("mentions parts")
        .map(|e| {
            let p = e.expect("entry").path();
            let modified = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .expect("mtime");
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                (std::fs::read(&p).expect("readable"), modified),
            )
        })
        .collect()
}

#[test]
fn parts_of_unchanged_documents_are_kept_and_the_rest_rewritten_or_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let seeds = seeds();
    project(dir.path(), &seeds);
    run_ok(dir.path(), &["run", "--quiet"], &[]);
    let before = mention_parts(dir.path());
    assert!(before.len() >= 4, "{:?}", before.keys());
    // Another article: its part is written, every other part left untouched.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let added = "Deux soldats ont été blessés jeudi près de Ménaka, selon l'armée.\n";
    std::fs::write(dir.path().join("corpus/added.txt"), added).expect("add");
    let log = run_ok(dir.path(), &["run"], &[]);
    let after = mention_parts(dir.path());
    let changed: Vec<&String> = after
        .iter()
        .filter(|(name, file)| before.get(*name) != Some(file))
        .map(|(name, _)| name)
        .collect();
    // Each stage's tables in parts: one part written, the others kept.
    let parts = after.len() / 2;
    for table in [
        "mentions",
        "ingest: texts",
        "normalise: texts and sentences",
    ] {
        let line = format!("{table} in {parts} parts, 1 written, {} kept", parts - 1);
        assert!(log.contains(&line), "no `{line}` in:\n{log}");
    }
    assert!(
        changed.len() <= 2
            && changed
                .iter()
                .all(|n| n.ends_with(".csv") || n.ends_with(".parquet")),
        "parts rewritten besides the new article's: {changed:?}"
    );
    // A kept part damaged: extract reruns and writes that part again, the same bytes.
    let (name, (bytes, _)) = after
        .iter()
        .find(|(n, _)| n.ends_with(".csv"))
        .expect("a part");
    let path = dir.path().join("data/extract/mentions").join(name);
    std::fs::write(&path, [bytes.as_slice(), b"x"].concat()).expect("damage");
    let log = run_ok(dir.path(), &["run"], &[]);
    assert!(log.contains("1 written"), "{log}");
    assert_eq!(&std::fs::read(&path).expect("part"), bytes);
    // The first seed removed: the stage tables equal a fresh build without it, and no file
    // of a part no document falls in any more is left behind.
    let first = seeds
        .iter()
        .find(|(n, _)| n.ends_with(".txt"))
        .expect("a seed");
    std::fs::remove_file(dir.path().join("corpus").join(&first.0)).expect("remove");
    run_ok(dir.path(), &["run", "--quiet"], &[]);
    run_ok(dir.path(), &["verify"], &[]);
    let full = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<(String, Vec<u8>)> =
        seeds.iter().filter(|f| f.0 != first.0).cloned().collect();
    files.push(("added.txt".into(), added.as_bytes().to_vec()));
    project(full.path(), &files);
    run_ok(full.path(), &["run", "--quiet"], &[]);
    let (a, b) = (stage_tree(dir.path()), stage_tree(full.path()));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "different file sets"
    );
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs from a full build");
    }
}
