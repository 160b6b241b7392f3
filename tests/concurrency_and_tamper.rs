//! Two processes on one data directory, and outputs tampered with after a clean run.
//!
//! (a) While one `concord run --force` holds the data directory, a second `run` (or a single
//! stage) must not write: it exits 5 naming the holder ("pid N"), and both leave a tree that
//! `verify` accepts. (b) Every kind of tampering (a flipped byte, a truncated, deleted or extra
//! file, an edited release file) makes `verify` exit 4 naming the file, and `run` heals what it
//! produced.
//!
//! The runs use the real lexicons with a gazetteer trimmed to places with a known population,
//! so that a run takes about a second in a debug build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const TIMEOUT: Duration = Duration::from_secs(180);

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create dir");
    for entry in std::fs::read_dir(src).expect("read dir") {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

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

fn seeds() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("seeds")).expect("seeds/") {
        let p = entry.expect("entry").path();
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        if name.ends_with(".txt") {
            out.push((name, std::fs::read_to_string(&p).expect("seed is UTF-8")));
        }
    }
    out.sort();
    out
}

struct Project {
    dir: TempDir,
    _refdir: TempDir,
}

impl Project {
    /// The seeds, each written `copies` times with a small variation so that no two files
    /// are byte-identical.
    fn new(copies: usize) -> Project {
        let refdir = tempfile::tempdir().expect("tempdir");
        let reference = trimmed_reference(refdir.path());
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).expect("corpus");
        let villages = ["Djibo", "Gao", "Kidal", "Ménaka", "Tessit", "Ansongo"];
        for (i, (name, text)) in seeds().iter().enumerate() {
            for c in 0..copies {
                let text = if c == 0 {
                    text.clone()
                } else {
                    format!(
                        "{text}\n\nDépêche {c}. Selon un élu local, {} civils ont été tués près de {} le {} août.\n",
                        2 + (c * 7 + i) % 40,
                        villages[(c + i) % villages.len()],
                        1 + c % 28
                    )
                };
                let file = if c == 0 {
                    name.clone()
                } else {
                    format!("copies/{c:03}/{name}")
                };
                let path = corpus.join(&file);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, text).expect("write corpus file");
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
        Project {
            dir,
            _refdir: refdir,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_concord"));
        cmd.arg("--config")
            .arg(self.path().join("pipeline.toml"))
            .arg("--quiet")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn concord(&self, args: &[&str]) -> (i32, String) {
        let child = self.command(args).spawn().expect("concord starts");
        let out = wait(child);
        let text = text(&out);
        assert!(
            !text.contains("panicked"),
            "concord {args:?} panicked:\n{text}"
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn run_ok(&self, args: &[&str]) {
        let (code, text) = self.concord(args);
        assert_eq!(code, 0, "concord {args:?} failed:\n{text}");
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Waits for a child, failing the test if it hangs.
fn wait(mut child: std::process::Child) -> Output {
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("concord hung for {TIMEOUT:?}:\n{}", text(&out));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().expect("output")
}

/// Every file below data/ and reports/ with its bytes, but the data-directory lock file.
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
            if rel == "data/.concord.pid" || rel == "data/.concord.stamps" {
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

/// Waits until the data-directory lock file names `pid`.
fn wait_for_holder(p: &Project, pid: u32) -> bool {
    let want = format!("pid {pid}");
    let pid_file = p.file("data/.concord.pid");
    let start = Instant::now();
    while start.elapsed() < TIMEOUT {
        if std::fs::read_to_string(&pid_file).is_ok_and(|s| s.trim() == want) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

/// Starts `run --force` and returns once it holds the data directory (its pid is in the lock
/// file), with the child still running.
fn start_holder(p: &Project) -> std::process::Child {
    let mut child = p
        .command(&["run", "--force"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("concord starts");
    if !wait_for_holder(p, child.id()) {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the first run never wrote its pid");
    }
    child
}

#[test]
fn a_second_process_is_refused_while_the_first_holds_the_data_directory() {
    // Big enough that the first run takes a second or more (the contender needs a few
    // milliseconds to be refused).
    let copies = if cfg!(debug_assertions) { 3 } else { 60 };
    let p = Project::new(copies);
    // A first complete run, so that the second contender also has a previous state to spoil.
    p.run_ok(&["run"]);
    let before = tree(p.path());
    let mut refused = 0;
    for contender in [&["run"][..], &["extract", "--force"][..], &["export"][..]] {
        let mut first = start_holder(&p);
        let holder = first.id();
        let second = p.command(contender).spawn().expect("second concord starts");
        let out = wait(second);
        let first_still_running = first.try_wait().expect("try_wait").is_none();
        let code = out.status.code().unwrap_or(-1);
        let msg = text(&out);
        assert!(!msg.contains("panicked"), "{msg}");
        match code {
            5 => {
                refused += 1;
                assert!(
                    msg.contains(&format!("pid {holder}")),
                    "exit 5 without naming the holder (pid {holder}):\n{msg}"
                );
                assert!(msg.contains("data"), "does not name the directory:\n{msg}");
            }
            0 => assert!(
                !first_still_running,
                "concord {contender:?} succeeded while pid {holder} held the data directory"
            ),
            _ => panic!("concord {contender:?} exited {code} while pid {holder} held the data directory:\n{msg}"),
        }
        let first_out = wait(first);
        assert_eq!(first_out.status.code(), Some(0), "{}", text(&first_out));
        p.run_ok(&["verify"]);
    }
    assert!(refused > 0, "no contender ever met the lock");
    // Same corpus, same config: the contention left the same bytes as before. The extract
    // cache is not an output: `extract --force` rewrites it into a new pack file.
    let not_cache = |t: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        t.into_iter()
            .filter(|(k, _)| !k.starts_with("data/cache/"))
            .collect()
    };
    let before = not_cache(before);
    let after = not_cache(tree(p.path()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (k, v) in &before {
        assert!(v == &after[k], "{k} changed");
    }
}

#[test]
fn two_runs_started_together_leave_a_verified_tree() {
    let p = Project::new(3);
    let a = p.command(&["run"]).spawn().expect("first starts");
    let b = p.command(&["run"]).spawn().expect("second starts");
    let (a, b) = (wait(a), wait(b));
    for out in [&a, &b] {
        let code = out.status.code().unwrap_or(-1);
        assert!(code == 0 || code == 5, "exit {code}:\n{}", text(out));
        if code == 5 {
            assert!(text(out).contains("in use"), "{}", text(out));
        }
    }
    assert!(
        a.status.success() || b.status.success(),
        "neither run succeeded:\n{}\n{}",
        text(&a),
        text(&b)
    );
    p.run_ok(&["verify"]);
    p.run_ok(&["run"]);
    p.run_ok(&["verify"]);
}

/// Runs verify and checks it exits 4 and names `rel` (and `also`, when given).
#[track_caller]
/// The first CSV part, by name, of a table stored in parts (`dir` relative to the project).
fn first_part(p: &Project, dir: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(p.file(dir))
        .expect("parts directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    format!("{dir}/{}", names.first().expect("a part"))
}

fn assert_verify_names(p: &Project, rel: &str, also: Option<&str>) {
    let (code, msg) = p.concord(&["verify"]);
    assert_eq!(code, 4, "verify after tampering with {rel}:\n{msg}");
    assert!(msg.contains(rel), "verify does not name {rel}:\n{msg}");
    if let Some(a) = also {
        assert!(msg.contains(a), "verify does not mention {a}:\n{msg}");
    }
}

#[test]
fn verify_names_every_tampered_file_and_run_heals_it() {
    let p = Project::new(1);
    p.run_ok(&["run"]);
    p.run_ok(&["verify"]);
    let clean = tree(p.path());

    // A flipped byte in a Parquet file.
    let rel = "data/extract/claims.parquet";
    let original = std::fs::read(p.file(rel)).expect("read");
    let mut flipped = original.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    std::fs::write(p.file(rel), &flipped).expect("write");
    assert_verify_names(&p, rel, None);
    std::fs::write(p.file(rel), &original).expect("restore");
    p.run_ok(&["verify"]);

    // A truncated CSV: one part of a table stored in parts.
    let part = first_part(&p, "data/normalise/sentences");
    let rel = part.as_str();
    let original = std::fs::read(p.file(rel)).expect("read");
    std::fs::write(p.file(rel), &original[..original.len() / 2]).expect("truncate");
    assert_verify_names(&p, rel, None);
    std::fs::write(p.file(rel), &original).expect("restore");
    p.run_ok(&["verify"]);

    // A deleted table.
    let rel = "data/reconcile/events.csv";
    let original = std::fs::read(p.file(rel)).expect("read");
    std::fs::remove_file(p.file(rel)).expect("delete");
    assert_verify_names(&p, rel, None);
    std::fs::write(p.file(rel), &original).expect("restore");
    p.run_ok(&["verify"]);

    // A file no lock lists.
    let rel = "data/extract/extra.csv";
    std::fs::write(p.file(rel), "a,b\n1,2\n").expect("write");
    assert_verify_names(&p, rel, None);
    std::fs::remove_file(p.file(rel)).expect("remove");
    p.run_ok(&["verify"]);

    // A file added at the top of the data directory.
    let rel = "data/notes.txt";
    std::fs::write(p.file(rel), "unvouched\n").expect("write");
    assert_verify_names(&p, rel, None);
    std::fs::remove_file(p.file(rel)).expect("remove");
    p.run_ok(&["verify"]);

    // An edited release file, checked against SHA256SUMS.
    let rel = "data/release/report.md";
    let original = std::fs::read(p.file(rel)).expect("read");
    let mut edited = original.clone();
    edited.extend_from_slice(b"\nAll figures revised upwards.\n");
    std::fs::write(p.file(rel), &edited).expect("write");
    assert_verify_names(&p, rel, Some("SHA256SUMS"));
    std::fs::write(p.file(rel), &original).expect("restore");
    p.run_ok(&["verify"]);

    // An edited release file with SHA256SUMS forged to match: the export lock still knows.
    let sums_rel = "data/release/SHA256SUMS";
    let sums = std::fs::read_to_string(p.file(sums_rel)).expect("read sums");
    let old_digest = concord::pipeline::sha256_hex(&original);
    let new_digest = concord::pipeline::sha256_hex(&edited);
    assert!(sums.contains(&old_digest), "SHA256SUMS lacks report.md");
    std::fs::write(p.file(rel), &edited).expect("write");
    std::fs::write(p.file(sums_rel), sums.replace(&old_digest, &new_digest)).expect("forge");
    assert_verify_names(&p, rel, None);
    std::fs::write(p.file(rel), &original).expect("restore");
    std::fs::write(p.file(sums_rel), &sums).expect("restore sums");
    p.run_ok(&["verify"]);

    // The versioned copy, the report outside data/, and a file added to the release.
    for rel in [
        "data/releases/1.0.0/events.csv",
        "reports/report.md",
        "data/release/figures/map.svg",
    ] {
        let original = std::fs::read(p.file(rel)).expect("read");
        std::fs::write(p.file(rel), b"tampered").expect("write");
        assert_verify_names(&p, rel, None);
        std::fs::write(p.file(rel), &original).expect("restore");
    }
    let rel = "data/release/notes.txt";
    std::fs::write(p.file(rel), "unlisted").expect("write");
    assert_verify_names(&p, rel, Some("SHA256SUMS"));
    std::fs::remove_file(p.file(rel)).expect("remove");
    p.run_ok(&["verify"]);

    // A stage lock that is not JSON: an error naming the lock, never a pass.
    let rel = "data/reconcile/stage.lock";
    let original = std::fs::read(p.file(rel)).expect("read");
    std::fs::write(p.file(rel), b"{ not json").expect("write");
    let (code, msg) = p.concord(&["verify"]);
    assert!(code != 0 && code != 101, "verify exited {code}:\n{msg}");
    assert!(msg.contains(rel), "does not name {rel}:\n{msg}");
    std::fs::write(p.file(rel), &original).expect("restore");
    p.run_ok(&["verify"]);

    // `run` (without --force) rebuilds what it produced after each kind of damage.
    let flip = |rel: &str| {
        let mut b = std::fs::read(p.file(rel)).expect("read");
        let mid = b.len() / 2;
        b[mid] ^= 0x20;
        std::fs::write(p.file(rel), b).expect("write");
    };
    flip("data/extract/claims.parquet");
    let s = std::fs::read(p.file(&part)).expect("read");
    std::fs::write(p.file(&part), &s[..s.len() / 3]).expect("truncate");
    std::fs::remove_file(p.file("data/reconcile/events.csv")).expect("delete");
    flip("data/release/report.md");
    flip("reports/report.md");
    p.run_ok(&["run"]);
    p.run_ok(&["verify"]);
    let healed = tree(p.path());
    assert_eq!(
        clean.keys().collect::<Vec<_>>(),
        healed.keys().collect::<Vec<_>>()
    );
    for (k, v) in &clean {
        assert!(v == &healed[k], "`run` did not restore {k}");
    }
}

/// Two runs started at the same moment: the refused one must still name the holder. The holder
/// writes its pid just after taking the lock, so a contender arriving in between reads the
/// previous content (empty, `finished`, or a dead process's pid) and must wait for the new one.
#[test]
fn a_run_refused_at_the_same_instant_still_names_the_holder() {
    let p = Project::new(1);
    p.run_ok(&["run"]);
    let mut anonymous = Vec::new();
    for _ in 0..30 {
        if !anonymous.is_empty() {
            break;
        }
        let a = p
            .command(&["run", "--force"])
            .spawn()
            .expect("first starts");
        let b = p
            .command(&["run", "--force"])
            .spawn()
            .expect("second starts");
        let ids = [a.id(), b.id()];
        for out in [wait(a), wait(b)] {
            let code = out.status.code().unwrap_or(-1);
            let msg = text(&out);
            assert!(code == 0 || code == 5, "exit {code}:\n{msg}");
            if code == 5 && !ids.iter().any(|id| msg.contains(&format!("pid {id}"))) {
                anonymous.push(msg);
            }
        }
    }
    assert!(
        anonymous.is_empty(),
        "{} refusals did not name the holder, e.g.:\n{}",
        anonymous.len(),
        anonymous[0]
    );
}
