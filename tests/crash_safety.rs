//! Crash safety of the real binary: `concord run --force` killed with SIGKILL at a spread of
//! moments, then `concord run` again, must leave data/ and reports/ byte-identical to a clean
//! run's, and `verify` must pass. Also: what `verify` says right after a kill, temporary files a
//! killed write leaves behind, a release cut short, and a read-only output directory.
//!
//! The runs use the real lexicons with a gazetteer trimmed to places with a known population
//! (about 1,500 rows instead of 45,000), so that one run takes about a second in a debug build
//! and many kill points fit in a fast test. Crash safety is the driver's business, not the
//! gazetteer's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// How long any one concord command may take before the test calls it hung.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The reference data with `places.csv` reduced to rows with a population.
fn trimmed_reference(dir: &Path) -> PathBuf {
    let src = repo().join("data/reference");
    let dst = dir.join("reference");
    copy_dir(&src, &dst);
    let places = std::fs::read_to_string(src.join("places.csv")).expect("places.csv");
    let mut lines = places.lines();
    let mut out = String::from(lines.next().expect("header"));
    out.push('\n');
    for line in lines {
        let population = line.rsplit(',').next().unwrap_or("0");
        if population.parse::<u64>().is_ok_and(|p| p > 0) {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(dst.join("places.csv"), out).expect("write trimmed places.csv");
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read dir") {
        let entry = entry.expect("entry");
        let kind = entry.file_type().expect("file type");
        let to = dst.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &to);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

/// A project: the seeds and their manifest as the corpus, the given reference directory.
fn project(reference: &Path) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    for entry in std::fs::read_dir(repo().join("seeds")).expect("seeds/") {
        let p = entry.expect("entry").path();
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        if name.ends_with(".txt") || name == "manifest.csv" {
            std::fs::copy(&p, corpus.join(&name)).expect("copy seed");
        }
    }
    std::fs::write(
        dir.path().join("pipeline.toml"),
        format!(
            "[paths]\ndata = \"data\"\nreports = \"reports\"\nreference = {:?}\n\n[ingest]\ncorpus = \"corpus\"\n\n[export]\nversion = \"1.0.0\"\nrelease_date = \"2024-09-01\"\n",
            reference.to_string_lossy()
        ),
    )
    .expect("write config");
    dir
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_concord"));
    cmd.arg("--config")
        .arg(dir.join("pipeline.toml"))
        .arg("--quiet")
        .args(args);
    cmd
}

/// Runs a command to completion, failing the test if it hangs.
fn output(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("concord starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "concord hung for {TIMEOUT:?}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn concord(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = output(command(dir, args));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("panicked"),
        "concord {args:?} panicked:\n{text}"
    );
    (out.status.code().unwrap_or(-1), text)
}

fn run_ok(dir: &Path, args: &[&str]) -> String {
    let (code, text) = concord(dir, args);
    assert_eq!(code, 0, "concord {args:?} failed:\n{text}");
    text
}

/// A temporary file of `pipeline::write_atomic`: `.<name>.tmp-<pid>`.
fn is_temp_litter(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()))
}

/// Every file below data/ and reports/ (hidden ones included) with its bytes, except the
/// data-directory lock file; temporary-file litter is left out only when `skip_litter`.
fn tree(dir: &Path, skip_litter: bool) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.join("data"), dir.join("reports")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let e = e.expect("entry");
            let p = e.path();
            let rel = p
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .into_owned();
            let name = e.file_name().to_string_lossy().into_owned();
            if rel == "data/.concord.pid"
                || rel == "data/.concord.stamps"
                || (skip_litter && is_temp_litter(&name))
            {
                continue;
            }
            if e.file_type().expect("file type").is_dir() {
                stack.push(p);
            } else if rel.starts_with("data/cache/extract/") {
                // The extract cache is not an output: which pack holds an entry depends on
                // the runs that computed it. What must match is the documents it lists.
                if name == "index" {
                    let text = std::fs::read_to_string(&p).expect("readable");
                    let keys: Vec<&str> = text
                        .lines()
                        .map(|l| l.split(' ').next().unwrap_or_default())
                        .collect();
                    out.insert(format!("{rel} (keys)"), keys.join("\n").into_bytes());
                }
            } else {
                out.insert(rel, std::fs::read(&p).expect("readable"));
            }
        }
    }
    out
}

/// Names of files that differ between two trees (missing, extra or different bytes).
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut diffs = Vec::new();
    for (k, v) in a {
        match b.get(k) {
            None => diffs.push(format!("only before: {k}")),
            Some(w) if w != v => diffs.push(format!("changed: {k}")),
            _ => {}
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        diffs.push(format!("only after: {k}"));
    }
    diffs
}

fn litter(dir: &Path) -> Vec<String> {
    let full = tree(dir, false);
    full.keys()
        .filter(|k| is_temp_litter(k.rsplit('/').next().unwrap_or(k)))
        .cloned()
        .collect()
}

/// Starts `run --force`, kills it with SIGKILL after `delay`; returns whether it had already
/// finished by then (a kill that came too late tests nothing).
fn run_and_kill(dir: &Path, delay: Duration) -> bool {
    let mut child = command(dir, &["run", "--force"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("concord starts");
    std::thread::sleep(delay);
    let finished = child.try_wait().expect("try_wait").is_some();
    if !finished {
        // Child::kill sends SIGKILL on Unix.
        child.kill().expect("SIGKILL");
    }
    let status = child.wait().expect("wait");
    if finished {
        assert_eq!(status.code(), Some(0), "the unkilled run failed");
    }
    finished
}

/// A clean reference run; returns its tree and how long it took.
fn clean_run(reference: &Path) -> (TempDir, BTreeMap<String, Vec<u8>>, Duration) {
    let clean = project(reference);
    let start = Instant::now();
    run_ok(clean.path(), &["run", "--force"]);
    let took = start.elapsed();
    let t = tree(clean.path(), false);
    assert!(t.contains_key("data/release/events.parquet"));
    assert!(t.contains_key("reports/report.md"));
    (clean, t, took)
}

/// Kill points from 5 ms to a little past the clean run's duration, evenly spaced.
fn delays(clean: Duration) -> Vec<Duration> {
    let n: u32 = if cfg!(debug_assertions) { 5 } else { 24 };
    let span = clean.mul_f64(1.1);
    (0..n)
        .map(|k| Duration::from_millis(5) + span * k / n)
        .collect()
}

fn copy_outputs(from: &Path, to: &Path) {
    for d in ["data", "reports"] {
        if from.join(d).is_dir() {
            copy_dir(&from.join(d), &to.join(d));
        }
    }
}

/// Kills `run --force` at each kill point, in a fresh project (`existing` false) or over the
/// outputs of a completed run (`existing` true), reruns `run` and compares with a clean run.
fn kill_and_recover(existing: bool) {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let (clean, want, took) = clean_run(&reference);
    let mut killed_mid_run = 0;
    let mut litter_seen = Vec::new();
    let points = delays(took);
    for delay in &points {
        let p = project(&reference);
        if existing {
            copy_outputs(clean.path(), p.path());
        }
        if !run_and_kill(p.path(), *delay) {
            killed_mid_run += 1;
        }
        // The data-directory lock died with the process: the rerun is not refused.
        let text = run_ok(p.path(), &["run"]);
        assert!(!text.contains("in use"), "{text}");
        let got = tree(p.path(), true);
        let diffs = differences(&want, &got);
        assert!(
            diffs.is_empty(),
            "killed after {delay:?} (existing outputs: {existing}), then `run`: the tree differs \
             from a clean run's:\n{}",
            diffs.join("\n")
        );
        run_ok(p.path(), &["verify"]);
        litter_seen.extend(litter(p.path()));
    }
    eprintln!(
        "{} kill points over a {took:?} run, {killed_mid_run} landed mid-run; temporary files \
         left behind: {litter_seen:?}",
        points.len()
    );
    assert!(
        killed_mid_run * 2 >= points.len(),
        "only {killed_mid_run} of {} kills landed before the run finished",
        points.len()
    );
}

#[test]
fn killed_fresh_runs_recover_to_a_clean_runs_bytes() {
    kill_and_recover(false);
}

#[test]
fn killed_forced_reruns_over_complete_outputs_recover_to_the_same_bytes() {
    kill_and_recover(true);
}

/// Right after a kill, `verify` passing must mean the outputs are complete: rerunning `run`
/// then has nothing to write.
#[test]
fn verify_passing_after_a_kill_means_run_has_nothing_left_to_do() {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let (clean, _want, took) = clean_run(&reference);
    let mut violations = Vec::new();
    for existing in [false, true] {
        for delay in delays(took) {
            let p = project(&reference);
            if existing {
                copy_outputs(clean.path(), p.path());
            }
            run_and_kill(p.path(), delay);
            let (code, _) = concord(p.path(), &["verify"]);
            if code != 0 {
                run_ok(p.path(), &["run"]);
                continue;
            }
            let before = tree(p.path(), false);
            run_ok(p.path(), &["run"]);
            let diffs = differences(&before, &tree(p.path(), false));
            if !diffs.is_empty() {
                violations.push(format!(
                    "killed after {delay:?} (existing outputs: {existing}): verify exited 0, \
                     then `run` changed {} files, e.g. {}",
                    diffs.len(),
                    diffs[..diffs.len().min(3)].join(", ")
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The state a kill during the first export leaves behind, built deterministically: some
/// release tables written, no export lock, no datapackage.json, no SHA256SUMS.
#[test]
fn verify_rejects_a_release_cut_short() {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let p = project(&reference);
    run_ok(p.path(), &["run"]);
    let data = p.path().join("data");
    std::fs::remove_file(data.join("export/stage.lock")).expect("remove export lock");
    for f in [
        "SHA256SUMS",
        "datapackage.json",
        "CHANGELOG.md",
        "CITATION.cff",
        "report.md",
        "events.csv",
        "events.parquet",
        "event_claims.csv",
        "event_claims.parquet",
        "event_documents.csv",
        "event_documents.parquet",
        "event_counts.csv",
        "event_counts.parquet",
    ] {
        std::fs::remove_file(data.join("release").join(f)).expect("remove release file");
    }
    std::fs::remove_dir_all(data.join("release/figures")).expect("remove figures");
    std::fs::remove_dir_all(data.join("releases")).expect("remove versioned copy");
    std::fs::remove_dir_all(p.path().join("reports")).expect("remove reports");
    let (code, text) = concord(p.path(), &["verify"]);
    assert_ne!(
        code, 0,
        "verify passed on a release with only documents and claims tables:\n{text}"
    );
    assert!(text.contains("data/release"), "{text}");
}

/// A kill between creating `.<name>.tmp-<pid>` and renaming it leaves that file behind: the
/// next run removes it, or else `verify` reports it.
#[test]
fn temporary_files_of_a_killed_write_do_not_outlive_the_next_run() {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let p = project(&reference);
    run_ok(p.path(), &["run"]);
    // What a SIGKILL inside write_atomic leaves: the pid is of a process that no longer exists.
    let stale = [
        "data/extract/.claims.parquet.tmp-4194301",
        "data/release/.events.csv.tmp-4194301",
    ];
    for s in stale {
        std::fs::write(p.path().join(s), b"half a table").expect("write litter");
    }
    run_ok(p.path(), &["run", "--force"]);
    let left: Vec<&str> = stale
        .iter()
        .copied()
        .filter(|s| p.path().join(s).exists())
        .collect();
    if !left.is_empty() {
        let (code, text) = concord(p.path(), &["verify"]);
        assert_ne!(
            code, 0,
            "`run --force` left {left:?} in place and verify does not report them:\n{text}"
        );
    }
}

fn is_root_like(dir: &Path) -> bool {
    // Root ignores permissions: probe by writing into the read-only directory.
    let probe = dir.join("probe-write");
    let ok = std::fs::write(&probe, b"x").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A read-only stage directory: `run --force` fails naming the path, the previous outputs stay
/// intact and `verify` still passes. As root (which ignores permissions), the commands run as
/// `nobody` through setpriv when it is available; otherwise the check is skipped.
#[test]
fn read_only_output_directory_fails_cleanly_and_keeps_previous_outputs() {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let p = project(&reference);
    let extract = p.path().join("data/extract");
    let mut as_nobody = false;
    std::fs::create_dir_all(&extract).expect("mkdir");
    set_mode(&extract, 0o555);
    let root = is_root_like(&extract);
    set_mode(&extract, 0o755);
    if root {
        let setpriv = Command::new("setpriv").arg("--version").output();
        let chown = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(p.path())
            .arg(refdir.path())
            .status();
        if setpriv.is_err() || !chown.is_ok_and(|s| s.success()) {
            eprintln!("skipped: running as root and cannot drop privileges with setpriv");
            return;
        }
        as_nobody = true;
    }
    let run = |args: &[&str]| -> (i32, String) {
        let mut cmd = if as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_concord"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_concord"))
        };
        cmd.arg("--config")
            .arg(p.path().join("pipeline.toml"))
            .arg("--quiet")
            .args(args);
        let out = output(cmd);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!text.contains("panicked"), "{text}");
        (out.status.code().unwrap_or(-1), text)
    };
    let (code, text) = run(&["run"]);
    assert_eq!(code, 0, "{text}");
    let before = tree(p.path(), false);
    set_mode(&extract, 0o555);
    if as_nobody {
        // Confirm the permission really binds the unprivileged user.
        let probe = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "touch"])
            .arg(extract.join("probe"))
            .stderr(Stdio::null())
            .status()
            .expect("setpriv touch");
        if probe.success() {
            set_mode(&extract, 0o755);
            eprintln!("skipped: the read-only directory is writable even as nobody");
            return;
        }
    }
    let (code, text) = run(&["run", "--force"]);
    let after = tree(p.path(), false);
    set_mode(&extract, 0o755);
    assert!(
        code != 0 && code != 101,
        "run --force into a read-only data/extract exited {code}:\n{text}"
    );
    assert!(
        text.contains("data/extract"),
        "the error does not name the read-only path:\n{text}"
    );
    let diffs = differences(&before, &after);
    assert!(
        diffs.is_empty(),
        "previous outputs changed: {}",
        diffs.join(", ")
    );
    let (code, text) = run(&["verify"]);
    assert_eq!(code, 0, "verify after the failed run:\n{text}");
}

/// Unmounts a tmpfs when dropped, so a failing test leaves no mount behind.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A data directory on a 2 MB tmpfs: the seeds fit; a 3 MB article added to the corpus does
/// not. `run` then fails naming the file it could not write, the previous outputs are all
/// still there and `verify` passes. Needs root to mount; skipped (and says so) otherwise.
#[test]
fn a_full_disk_fails_cleanly_and_keeps_previous_outputs() {
    let refdir = tempfile::tempdir().expect("tempdir");
    let reference = trimmed_reference(refdir.path());
    let p = project(&reference);
    let data = p.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir data");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&data)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (not root?)");
        return;
    }
    let _mount = Mount(data.clone());
    run_ok(p.path(), &["run"]);
    let before = tree(p.path(), false);
    let sentence = "Des hommes armés ont attaqué un marché près de Kaya, selon des habitants. ";
    std::fs::write(
        p.path().join("corpus/large.txt"),
        sentence.repeat(3_000_000 / sentence.len()),
    )
    .expect("write large article");
    let (code, text) = concord(p.path(), &["run"]);
    assert!(
        code != 0 && code != 101 && !text.contains("panicked"),
        "run on a full disk exited {code}:\n{text}"
    );
    assert!(
        text.contains("No space left") && text.contains("data/"),
        "the error does not say the disk is full and where:\n{text}"
    );
    let after = tree(p.path(), false);
    let diffs = differences(&before, &after);
    assert!(
        diffs.is_empty(),
        "previous outputs changed: {}",
        diffs.join(", ")
    );
    std::fs::remove_file(p.path().join("corpus/large.txt")).expect("remove large article");
    let (code, text) = concord(p.path(), &["verify"]);
    assert_eq!(code, 0, "verify after the failed run:\n{text}");
}
