//! Hostile inputs through the real binary: a corpus of broken, odd and oversized files, broken
//! manifests and broken configs. concord must never panic; bad documents are rows with a
//! status, not errors; bad manifests and configs are errors naming the file (and the line for
//! TOML and manifest headers); nothing outside the corpus directory is ever read; `verify`
//! passes afterwards. Big inputs are generated on the fly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use concord::table::{decode_csv, Document, NormalisedText, Sentence};
use tempfile::TempDir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const TIMEOUT: Duration = Duration::from_secs(300);

/// A marker written outside the corpus; it must never show up in any output.
const SECRET: &str = "CONCORD-SECRET-7f3a9c-do-not-read";

struct Project {
    dir: TempDir,
}

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

/// The reference data with `places.csv` reduced to the rows with a population (about 1,500
/// of 45,000): loading the whole gazetteer dominates a debug-build run, and these tests are
/// about robustness, not about place resolution.
fn trimmed_reference(dst: &Path) {
    let src = repo().join("data/reference");
    copy_dir(&src, dst);
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
}

impl Project {
    fn new(max_bytes: u64) -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = Project { dir };
        trimmed_reference(&p.path().join("reference"));
        p.config(&format!(
            "[paths]\ndata = \"data\"\nreports = \"reports\"\nreference = \"reference\"\n\n[ingest]\ncorpus = \"corpus\"\nmax_bytes = {max_bytes}\n\n[export]\nversion = \"1.0.0\"\nrelease_date = \"2024-09-01\"\n"
        ));
        std::fs::create_dir_all(p.corpus()).expect("corpus dir");
        std::fs::write(
            p.path().join("secret.txt"),
            format!("{SECRET}\nDouze civils tués à Gao.\n"),
        )
        .expect("secret");
        p
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn corpus(&self) -> PathBuf {
        self.path().join("corpus")
    }

    fn config(&self, text: &str) {
        std::fs::write(self.path().join("pipeline.toml"), text).expect("write config");
    }

    /// Writes a corpus file, creating its directories.
    fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.corpus().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write corpus file");
    }

    fn concord(&self, args: &[&str]) -> (i32, String) {
        concord_with(&self.path().join("pipeline.toml"), args)
    }

    fn run_ok(&self, args: &[&str]) -> String {
        let (code, text) = self.concord(args);
        assert_eq!(code, 0, "concord {args:?} failed:\n{text}");
        text
    }

    fn documents(&self) -> Vec<Document> {
        let bytes = std::fs::read(self.path().join("data/ingest/documents.csv")).expect("read");
        decode_csv(&bytes, "documents.csv").expect("documents.csv decodes")
    }
}

/// Runs concord with a timeout; fails the test on a hang or a panic.
fn concord_with(config: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_concord"))
        .arg("--config")
        .arg(config)
        .arg("--quiet")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("concord starts");
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("concord {args:?} hung:\n{}", text(&out));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output");
    let msg = text(&out);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code != 101 && !msg.contains("panicked"),
        "concord {args:?} panicked (exit {code}):\n{msg}"
    );
    (code, msg)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every output file below data/ and reports/ with its bytes.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.join("data"), dir.join("reports")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("below")
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&p).expect("readable"));
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Nothing from outside the corpus (the secret beside it, /etc/passwd) is in any output.
fn assert_nothing_from_outside(p: &Project) {
    let passwd_line = std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|t| t.lines().next().map(str::to_string))
        .filter(|l| l.len() > 8);
    for (name, bytes) in outputs(p.path()) {
        assert!(
            !contains(&bytes, SECRET.as_bytes()),
            "{name} holds the content of a file outside the corpus"
        );
        if let Some(line) = &passwd_line {
            assert!(
                !contains(&bytes, line.as_bytes()),
                "{name} holds the content of /etc/passwd"
            );
        }
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xfe, 0xff]
    } else {
        vec![0xff, 0xfe]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Windows-1252 bytes of text made of characters that code page has.
fn cp1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{2019}' => 0x92,
            '\u{2013}' => 0x96,
            '\u{20ac}' => 0x80,
            c if (c as u32) < 0x100 => c as u32 as u8,
            c => panic!("{c:?} is not in this test's cp1252 table"),
        })
        .collect()
}

/// A deterministic pseudo-random generator (xorshift), so big inputs need no fixtures.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// French newswire-like prose of about `bytes` bytes, in paragraphs of short sentences; one
/// sentence in `claim_every` reports casualties.
fn prose(bytes: usize, seed: u64, claim_every: u64) -> String {
    let mut rng = Rng(seed | 1);
    let subjects = [
        "Des hommes armés",
        "L'armée malienne",
        "Un élu local",
        "Les habitants",
        "La Minusma",
        "Des jihadistes",
    ];
    let verbs = [
        "ont attaqué le village de",
        "ont signalé des tirs près de",
        "a démenti toute présence à",
        "ont fui vers",
        "ont tenu une réunion à",
    ];
    let places = [
        "Gao", "Djibo", "Ménaka", "Kidal", "Tessit", "Boni", "Ansongo",
    ];
    let tails = [
        ", selon des sources concordantes.",
        " dimanche.",
        ", a-t-on appris de source sécuritaire.",
        ". Le bilan n'est pas connu.",
    ];
    let mut out = String::with_capacity(bytes + 200);
    while out.len() < bytes {
        out.push_str(rng.pick(&subjects));
        out.push(' ');
        out.push_str(rng.pick(&verbs));
        out.push(' ');
        out.push_str(rng.pick(&places));
        if rng.next().is_multiple_of(claim_every) {
            out.push_str(", où trois civils ont été tués.");
        } else {
            out.push_str(rng.pick(&tails));
        }
        out.push_str(if rng.next().is_multiple_of(6) {
            "\n\n"
        } else {
            " "
        });
    }
    out
}

/// One expected `documents` row: path, status, encoding.
type Expect = (&'static str, &'static str, Option<&'static str>);

#[test]
fn hostile_corpus_is_fully_accounted_for_and_verifies() {
    let p = Project::new(10_000_000);
    let mut expect: Vec<Expect> = Vec::new();

    // Encodings.
    p.file(
        "encodings/invalid_utf8.txt",
        b"Au moins 12 civils ont \xc3\xa9t\xc3\xa9 tu\xe9s \xe0 Gao \xff\xfe\xfd, selon un \xe9lu.\n",
    );
    expect.push(("encodings/invalid_utf8.txt", "ok", Some("windows-1252")));
    p.file(
        "encodings/windows1252.txt",
        cp1252("Au moins 15 civils ont été tués à Ménaka, selon l\u{2019}armée \u{2013} « bilan provisoire ».\n"),
    );
    expect.push(("encodings/windows1252.txt", "ok", Some("windows-1252")));
    p.file(
        "encodings/utf16le.txt",
        utf16("Au moins sept soldats ont été tués à Kidal.\n", false),
    );
    expect.push(("encodings/utf16le.txt", "ok", Some("utf-16le")));
    p.file(
        "encodings/utf16be.txt",
        utf16("Huit gendarmes ont été blessés à Djibo.\n", true),
    );
    expect.push(("encodings/utf16be.txt", "ok", Some("utf-16be")));
    p.file(
        "encodings/utf8_bom.txt",
        "\u{feff}Neuf civils ont été enlevés près de Boni.\n",
    );
    expect.push(("encodings/utf8_bom.txt", "ok", Some("utf-8-bom")));

    // Unusable files.
    p.file("empty.txt", b"");
    expect.push(("empty.txt", "empty", None));
    p.file("blank.txt", " \t\r\n\u{a0}\u{200b}\n\n   \u{2060}\r\n");
    expect.push(("blank.txt", "whitespace_only", Some("utf-8")));
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0..=255u8).cycle().take(4096));
    p.file("image.png", &png);
    expect.push(("image.png", "binary", None));
    let controls: Vec<u8> = (0..2000u32)
        .map(|i| [0x01, 0x02, b'a', 0x1b, 0x07][(i % 5) as usize])
        .collect();
    p.file("controls.bin", &controls);
    expect.push(("controls.bin", "binary", None));
    // 50 MB: over the 10 MB limit, hashed by streaming and never decoded.
    {
        let path = p.corpus().join("huge/fifty_mb.txt");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let chunk = "Trois civils ont été tués à Gao. ".repeat(32 * 1024);
        let mut f = std::fs::File::create(&path).expect("create");
        let mut written = 0;
        while written < 50 * 1024 * 1024 {
            std::io::Write::write_all(&mut f, chunk.as_bytes()).expect("write");
            written += chunk.len();
        }
    }
    expect.push(("huge/fifty_mb.txt", "too_large", None));

    // Pathological text.
    let mut one_line = String::from("Au moins onze civils ont été tués à Gao, a déclaré un élu. ");
    let mut rng = Rng(0x5eed);
    // A base64-like blob (dense in short tokens), then a run of letters with no space to cut
    // at, then prose: one line of a million bytes.
    while one_line.len() < 60_000 {
        let c = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            [(rng.next() % 64) as usize];
        one_line.push(c as char);
    }
    while one_line.len() < 940_000 {
        one_line.push_str("Wagadougoudjibogaokidalmenakatessit");
    }
    one_line.push(' ');
    one_line.push_str(&prose(60_000, 7, 5).replace('\n', " "));
    one_line.push_str(" Quatre soldats ont été blessés à Kidal.");
    assert!(one_line.len() >= 1_000_000 && !one_line.contains('\n'));
    p.file("one_line.txt", &one_line);
    expect.push(("one_line.txt", "ok", Some("utf-8")));
    p.file(
        "quotes.txt",
        format!(
            "{}Dix civils ont été tués. Selon l'armée, {}vingt{} assaillants neutralisés.{}\n\n{}Fin.",
            "« ".repeat(3000),
            "“".repeat(500),
            "”".repeat(499),
            " »".repeat(2500),
            "« \" ( [ ".repeat(500)
        ),
    );
    expect.push(("quotes.txt", "ok", Some("utf-8")));
    p.file(
        "invisible.txt",
        "Au\u{200b} moins\u{200e} 20\u{202e} civils\u{2066} ont\u{2069} été\u{feff} tués\u{00ad} à\u{200d} Djibo\u{202c}.\n\
         \u{202b}\u{200f}Trois\u{200c} soldats blessés.\u{2064}\n",
    );
    expect.push(("invisible.txt", "ok", Some("utf-8")));
    p.file(
        "scripts.txt",
        "قُتل 12 مدنيا في غاو يوم الأحد. ⵜⴰⵎⴰⵣⵉⵖⵜ ⵏ ⵜⵉⵏⵣⴰⵡⴰⵜⵉⵏ 7. \
         Убиты 14 мирных жителей в Гао. Au moins 12 civils tués à Gao, selon الجيش. \
         Ménaka ⵎⵉⵏⴰⴽⴰ Менака: 5 morts.\n",
    );
    expect.push(("scripts.txt", "ok", Some("utf-8")));
    p.file(
        "absurd.txt",
        "999999999999 civils ont été tués à Gao. Vingt-vingt-vingt morts à Djibo. \
         9223372036854775808 soldats blessés. -5 morts. 1e309 blessés. 0,5 civil tué. \
         Un milliard de milliards de morts. Mille milliards de civils enlevés. \
         Entre 300000 et 10 civils tués. Plus de 100000 morts. Moins de 1 soldat blessé. \
         1 000 000 000 civils tués. Des dizaines de centaines de milliers de morts.\n",
    );
    expect.push(("absurd.txt", "ok", Some("utf-8")));

    // Paths: duplicates, deep nesting, spaces and accents, a non-UTF-8 name, a newline.
    let twin = "Cinq civils ont été tués à Djibo, selon un élu local.\n";
    p.file("dup/a.txt", twin);
    p.file("dup/deeper/still/b.txt", twin);
    expect.push(("dup/a.txt", "ok", Some("utf-8")));
    p.file(
        "deep/a/b/c/d/e/f/g/h/i/j/nested.txt",
        "Six soldats tués à Tessit.\n",
    );
    expect.push(("deep/a/b/c/d/e/f/g/h/i/j/nested.txt", "ok", Some("utf-8")));
    p.file(
        "Rapport d’été – Ménaka (copie) #2.txt",
        "title: Rapport d'été\ndate 2024-08\nSept civils ont été tués à Ménaka.\n",
    );
    expect.push(("Rapport d’été – Ménaka (copie) #2.txt", "ok", Some("utf-8")));
    p.file("line\nbreak, \"quoted\".txt", "Deux civils tués à Gao.\n");
    expect.push(("line\nbreak, \"quoted\".txt", "ok", Some("utf-8")));
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
        std::fs::write(p.corpus().join(name), "Un civil tué à Gao.\n").expect("write");
    }
    // Bytes that are not UTF-8 are recorded as %XX (docs/CODEBOOK.md, documents.path).
    expect.push(("caf%E9.txt", "ok", Some("utf-8")));

    // Things that are not inputs: a hidden file, symbolic links (to a file outside the corpus
    // and to a parent directory, a cycle), a FIFO that would block a reader forever.
    p.file(".hidden.txt", "Caché.\n");
    std::os::unix::fs::symlink(
        p.path().join("secret.txt"),
        p.corpus().join("secret_link.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(p.path(), p.corpus().join("parent_link")).expect("symlink");
    let fifo = Command::new("mkfifo")
        .arg(p.corpus().join("pipe.fifo"))
        .status()
        .is_ok_and(|s| s.success());

    let (code, msg) = p.concord(&["run"]);
    assert_eq!(code, 0, "a hostile corpus is not an error:\n{msg}");

    let docs = p.documents();
    let by_path: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.path.as_str(), d)).collect();
    for (path, status, encoding) in &expect {
        let d = by_path
            .get(path)
            .unwrap_or_else(|| panic!("{path:?} has no documents row; rows: {:?}", by_path.keys()));
        assert_eq!(&d.status, status, "{path:?}");
        assert_eq!(d.encoding.as_deref(), *encoding, "{path:?}");
    }
    let twin_row = by_path["dup/a.txt"];
    assert_eq!(
        twin_row.other_paths.as_deref(),
        Some("dup/deeper/still/b.txt")
    );
    let heading = by_path["Rapport d’été – Ménaka (copie) #2.txt"];
    assert_eq!(heading.title.as_deref(), Some("Rapport d'été"));
    assert_eq!(heading.published_source.as_deref(), Some("header"));

    // Every regular file below the corpus appears once, as a path or another path.
    let listed: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            std::iter::once(d.path.clone()).chain(
                d.other_paths
                    .iter()
                    .flat_map(|o| o.split('|').map(str::to_string))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let mut files = Vec::new();
    let mut stack = vec![p.corpus()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read corpus") {
            let e = e.expect("entry");
            let kind = e.file_type().expect("type");
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() {
                let rel = concord::config::escaped_path(
                    e.path().strip_prefix(p.corpus()).expect("below"),
                );
                let bytes_len = e.metadata().expect("metadata").len();
                files.push((rel, bytes_len, e.path()));
            }
        }
    }
    for (rel, len, _) in &files {
        let hits = listed.iter().filter(|l| *l == rel).count();
        assert_eq!(hits, 1, "{rel:?} appears {hits} times in documents.csv");
        let d = docs
            .iter()
            .find(|d| {
                &d.path == rel
                    || d.other_paths
                        .as_deref()
                        .is_some_and(|o| o.split('|').any(|x| x == rel))
            })
            .expect("row");
        assert_eq!(d.bytes as u64, *len, "{rel:?} bytes");
        assert_eq!(&d.doc_id, &d.sha256[..16], "{rel:?} doc_id");
    }
    assert_eq!(
        listed.len(),
        files.len(),
        "documents list paths that are not files: {listed:?}"
    );
    for skipped in [".hidden.txt", "secret_link.txt", "pipe.fifo"] {
        assert!(
            !listed.iter().any(|l| l.contains(skipped)),
            "{skipped} was read"
        );
    }
    assert!(
        !listed.iter().any(|l| l.starts_with("parent_link")),
        "followed a symlinked directory"
    );
    let _ = fifo;

    // Small files' digests are the digests of their bytes.
    for (rel, len, path) in &files {
        if *len < 2_000_000 {
            let bytes = std::fs::read(path).expect("read corpus file");
            if let Some(d) = docs.iter().find(|d| &d.path == rel) {
                assert_eq!(d.sha256, concord::pipeline::sha256_hex(&bytes), "{rel:?}");
            }
        }
    }

    // Normalised text: no invisible or control characters; sentences cut exactly and bounded.
    let read = |rel: &str| std::fs::read(p.path().join(rel)).expect("read output");
    let texts: Vec<NormalisedText> = read_parts(p.path(), "data/normalise/normalised");
    let sentences: Vec<Sentence> = read_parts(p.path(), "data/normalise/sentences");
    let ok_ids: Vec<&str> = docs
        .iter()
        .filter(|d| d.status == "ok")
        .map(|d| d.doc_id.as_str())
        .collect();
    assert_eq!(
        texts.iter().map(|t| t.doc_id.as_str()).collect::<Vec<_>>(),
        {
            let mut ids = ok_ids.clone();
            ids.sort();
            ids
        },
        "exactly the ok documents have a normalised text"
    );
    let chars: BTreeMap<&str, Vec<char>> = texts
        .iter()
        .map(|t| (t.doc_id.as_str(), t.text.chars().collect()))
        .collect();
    for t in &texts {
        let bad = t
            .text
            .chars()
            .find(|&c| concord::stage::ingest::is_invisible(c) || (c.is_control() && c != '\n'));
        assert!(
            bad.is_none(),
            "{}: {bad:?} survived normalisation",
            t.doc_id
        );
    }
    for s in &sentences {
        let c = &chars[s.doc_id.as_str()];
        let cut: String = c[s.char_start as usize..s.char_end as usize]
            .iter()
            .collect();
        assert_eq!(cut, s.text, "sentence {} of {}", s.index, s.doc_id);
        assert!(s.text.chars().count() <= 2000, "sentence over the limit");
    }

    // Claims: quotes are their sentences, counts are sane.
    let claims = read("data/extract/claims.csv");
    let mut r = csv::Reader::from_reader(claims.as_slice());
    let headers = r.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (low, high, quote, doc, sent) = (
        col("count_low"),
        col("count_high"),
        col("quote"),
        col("doc_id"),
        col("sentence"),
    );
    let by_key: BTreeMap<(&str, i64), &Sentence> = sentences
        .iter()
        .map(|s| ((s.doc_id.as_str(), s.index), s))
        .collect();
    let mut n = 0;
    for rec in r.records() {
        let rec = rec.expect("claims row");
        n += 1;
        for i in [low, high] {
            if !rec[i].is_empty() {
                let v: i64 = rec[i].parse().expect("integer count");
                assert!((0..=100_000).contains(&v), "count {v} in {:?}", &rec[quote]);
            }
        }
        if !rec[low].is_empty() && !rec[high].is_empty() {
            assert!(rec[low].parse::<i64>().ok() <= rec[high].parse::<i64>().ok());
        }
        let s = by_key[&(&rec[doc], rec[sent].parse::<i64>().expect("index"))];
        assert_eq!(s.text, &rec[quote]);
    }
    assert!(n > 0, "the hostile corpus yielded no claims at all");

    assert_nothing_from_outside(&p);
    let (code, msg) = p.concord(&["verify"]);
    assert_eq!(code, 0, "verify after the hostile run:\n{msg}");
}

/// A 12 MB article is under a 20 MB limit: decoded, normalised, extracted, released.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "12 MB through every stage takes minutes unoptimised; runs under cargo test --release"
)]
fn a_twelve_megabyte_article_is_accepted_and_the_run_finishes() {
    let p = Project::new(20_000_000);
    let big = prose(12 * 1024 * 1024, 12, 100);
    p.file("big.txt", &big);
    p.file("small.txt", "Trois civils ont été tués à Gao dimanche.\n");
    let start = Instant::now();
    p.run_ok(&["run"]);
    eprintln!("12 MB article: run took {:?}", start.elapsed());
    let docs = p.documents();
    let d = docs
        .iter()
        .find(|d| d.path == "big.txt")
        .expect("big.txt row");
    assert_eq!(d.status, "ok");
    assert_eq!(d.encoding.as_deref(), Some("utf-8"));
    assert_eq!(d.bytes as usize, big.len());
    let sentences: Vec<Sentence> = read_parts(p.path(), "data/normalise/sentences");
    assert!(sentences.iter().filter(|s| s.doc_id == d.doc_id).count() > 10_000);
    p.run_ok(&["verify"]);
}

/// The rows of a table stored in parts (`dir` relative to `root`), the CSV parts in name order.
fn read_parts<T: concord::table::Row>(root: &Path, dir: &str) -> Vec<T> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .expect("parts directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            decode_csv::<T>(&std::fs::read(p).expect("read"), &p.display().to_string())
                .expect("decode")
        })
        .collect()
}

fn manifest_project(manifest: &[u8]) -> Project {
    let p = Project::new(10_000_000);
    p.file("a.txt", "Trois civils ont été tués à Gao.\n");
    p.file("sub/b.txt", "Quatre soldats ont été blessés à Kidal.\n");
    p.file("manifest.csv", manifest);
    p
}

#[test]
fn manifest_rows_naming_missing_or_outside_files_are_warned_about_and_ignored() {
    let p = manifest_project(
        "file,url,publisher,published,language,title\n\
         a.txt,https://x.example/a,AFP,2024-08-26,fr,Attaque\n\
         missing.txt,,,2024-01-01,fr,Absent\n\
         ../../etc/passwd,,,,,Passwd\n\
         /etc/passwd,,,,,Absolute\n\
         ../secret.txt,,,,,Secret\n\
         sub/../../secret.txt,,,,,Sneaky\n\
         C:\\Windows\\win.ini,,,,,Drive\n\
         a.txt,,Reuters,,,Second row\n\
         sub\\b.txt,,,2024-13-45,fr,Bad date\n\
         ,,,,,No file\n"
            .as_bytes(),
    );
    let (code, msg) = p.concord(&["ingest"]);
    assert_eq!(code, 0, "bad manifest rows are warnings:\n{msg}");
    for (line, what) in [
        (3, "missing.txt"),
        (4, "../../etc/passwd"),
        (5, "/etc/passwd"),
        (6, "../secret.txt"),
        (7, "sub/../../secret.txt"),
        (8, "C:/Windows/win.ini"),
        (9, "a.txt"),
        (10, "2024-13-45"),
        (11, "empty `file`"),
    ] {
        assert!(msg.contains(what), "no warning about {what}:\n{msg}");
        if what != "missing.txt" {
            assert!(
                msg.contains(&format!("manifest.csv:{line}:")),
                "the warning about {what} does not name manifest.csv:{line}:\n{msg}"
            );
        }
    }
    let docs = p.documents();
    let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    let a = docs.iter().find(|d| d.path == "a.txt").expect("a.txt");
    assert_eq!(a.title.as_deref(), Some("Attaque"), "the first row is kept");
    assert_eq!(a.publisher.as_deref(), Some("AFP"));
    let b = docs
        .iter()
        .find(|d| d.path == "sub/b.txt")
        .expect("sub/b.txt");
    assert_eq!(b.published, None, "an invalid date is dropped");
    assert_eq!(b.title.as_deref(), Some("Bad date"));
    assert_nothing_from_outside(&p);
    p.run_ok(&["verify"]);
}

#[test]
fn manifest_header_problems_fail_naming_the_file_and_line() {
    for (manifest, want) in [
        (&b"file,title,title\na.txt,A,B\n"[..], "manifest.csv:1:"),
        (b"file,colour\na.txt,red\n", "manifest.csv:1:"),
        (b"url,title\nhttps://x.example,A\n", "manifest.csv:1:"),
        (b"", "manifest.csv:1:"),
        (
            b"file,title\na.txt,A\nsub/b.txt,B,extra\n",
            "manifest.csv:3",
        ),
        (b"file,title\na.txt,\xff\xfe broken\n", "manifest.csv:2"),
    ] {
        let p = manifest_project(manifest);
        let (code, msg) = p.concord(&["run"]);
        assert_eq!(
            code,
            1,
            "manifest {:?}: exit {code}:\n{msg}",
            String::from_utf8_lossy(manifest)
        );
        assert!(
            msg.contains(want),
            "manifest {:?}: the error does not name {want}:\n{msg}",
            String::from_utf8_lossy(manifest)
        );
        assert!(
            !p.path().join("data/ingest/stage.lock").exists(),
            "ingest completed on a broken manifest"
        );
        p.run_ok(&["verify"]);
    }
}

#[test]
fn manifest_with_bom_and_crlf_is_read() {
    let p = manifest_project(
        "\u{feff}file,publisher,published,title\r\na.txt,AFP,2024-08-26,Attaque\r\nsub/b.txt,RFI,2024-03,Embuscade\r\n"
            .as_bytes(),
    );
    let (code, msg) = p.concord(&["ingest"]);
    assert_eq!(code, 0, "{msg}");
    let docs = p.documents();
    let a = docs.iter().find(|d| d.path == "a.txt").expect("a.txt");
    assert_eq!(a.publisher.as_deref(), Some("AFP"));
    assert_eq!(a.published_source.as_deref(), Some("manifest"));
    let b = docs.iter().find(|d| d.path == "sub/b.txt").expect("b");
    assert_eq!(b.title.as_deref(), Some("Embuscade"));
    assert_eq!(b.published_prec, Some(4));
}

#[test]
fn malformed_pipeline_toml_fails_naming_the_file_and_line() {
    let p = Project::new(10_000_000);
    p.file("a.txt", "Trois civils ont été tués à Gao.\n");
    let reference = repo().join("data/reference");
    let head = format!("[paths]\nreference = {:?}\n", reference.to_string_lossy());
    for (body, want) in [
        // unknown key, line 5
        (
            "[ingest]\ncorpus = \"corpus\"\nmax_bites = 3\n",
            "pipeline.toml:5:",
        ),
        // unknown section
        ("[extrakt]\nlanguages = [\"fr\"]\n", "pipeline.toml:3:"),
        // wrong types
        ("[ingest]\nmax_bytes = \"big\"\n", "pipeline.toml:4:"),
        ("[ingest]\nmax_bytes = -1\n", "pipeline.toml:4:"),
        (
            "[reconcile]\nmax_distance_km = \"far\"\n",
            "pipeline.toml:4:",
        ),
        ("[extract]\nlanguages = \"fr\"\n", "pipeline.toml:4:"),
        // TOML syntax
        ("[ingest\ncorpus = \"corpus\"\n", "pipeline.toml:3:"),
        ("[ingest]\ncorpus = \"unterminated\n", "pipeline.toml:4:"),
        // duplicate key
        (
            "[ingest]\ncorpus = \"a\"\ncorpus = \"b\"\n",
            "pipeline.toml:5:",
        ),
        // values out of range name the key
        ("[ingest]\nmax_bytes = 0\n", "ingest.max_bytes"),
        (
            "[normalise]\nmax_sentence_chars = 3\n",
            "normalise.max_sentence_chars",
        ),
        ("[export]\nversion = \"latest\"\n", "export.version"),
        (
            "[export]\nrelease_date = \"yesterday\"\n",
            "export.release_date",
        ),
    ] {
        p.config(&format!("{head}{body}"));
        for cmd in ["run", "verify", "status"] {
            let (code, msg) = p.concord(&[cmd]);
            assert_eq!(code, 1, "config {body:?}, `{cmd}`: exit {code}:\n{msg}");
            assert!(
                msg.contains(want),
                "config {body:?}, `{cmd}`: the error does not name {want}:\n{msg}"
            );
        }
    }
    // Not UTF-8, a directory, a missing file: the error names the path.
    std::fs::write(
        p.path().join("pipeline.toml"),
        b"[ingest]\ncorpus = \"\xff\"\n",
    )
    .expect("write");
    let (code, msg) = p.concord(&["run"]);
    assert_eq!(code, 1, "{msg}");
    assert!(msg.contains("pipeline.toml"), "{msg}");
    for missing in [p.path().join("nope/pipeline.toml"), p.corpus()] {
        let (code, msg) = concord_with(&missing, &["run"]);
        assert_eq!(code, 1, "{msg}");
        assert!(msg.contains(&*missing.to_string_lossy()), "{msg}");
    }
    assert!(
        !p.path().join("data/ingest").exists(),
        "a broken config wrote outputs"
    );
}

#[test]
fn missing_corpus_or_reference_fails_naming_the_path() {
    let p = Project::new(10_000_000);
    p.file("a.txt", "Trois civils ont été tués à Gao.\n");
    // The corpus is missing.
    p.config("[ingest]\ncorpus = \"no_such_corpus\"\n");
    let (code, msg) = p.concord(&["run"]);
    assert_eq!(code, 1, "{msg}");
    assert!(msg.contains("no_such_corpus"), "{msg}");
    // The corpus is a file.
    p.config("[ingest]\ncorpus = \"corpus/a.txt\"\n");
    let (code, msg) = p.concord(&["run"]);
    assert_eq!(code, 1, "{msg}");
    assert!(msg.contains("a.txt"), "{msg}");
    // The reference directory is missing: ingest runs, normalise fails naming the file.
    p.config("[paths]\nreference = \"no_such_reference\"\n[ingest]\ncorpus = \"corpus\"\n");
    let (code, msg) = p.concord(&["run"]);
    assert_eq!(code, 1, "{msg}");
    assert!(msg.contains("no_such_reference"), "{msg}");
    p.run_ok(&["verify"]);
}

/// Two file names that differ only in bytes that are not UTF-8 ("caf\xe8.txt", "caf\xe9.txt")
/// must stay two inputs: distinct paths in `documents`, and a change to either reruns ingest.
#[test]
fn names_differing_only_in_non_utf8_bytes_stay_distinct_inputs() {
    use std::os::unix::ffi::OsStrExt;
    let p = Project::new(10_000_000);
    let first = p.corpus().join(std::ffi::OsStr::from_bytes(b"caf\xe8.txt"));
    let second = p.corpus().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&first, "Trois civils tués à Gao.\n").expect("write");
    std::fs::write(&second, "Quatre soldats blessés à Kidal.\n").expect("write");
    p.run_ok(&["ingest"]);
    let docs = p.documents();
    assert_eq!(docs.len(), 2);
    assert_ne!(
        docs[0].path, docs[1].path,
        "two different files share one path in documents.csv"
    );
    let edited = "Cent civils tués à Gao.\n";
    std::fs::write(&first, edited).expect("edit");
    p.run_ok(&["ingest"]);
    let want = concord::pipeline::sha256_hex(edited.as_bytes());
    assert!(
        p.documents().iter().any(|d| d.sha256 == want),
        "the edited file was not re-ingested: `ingest` thought the corpus unchanged"
    );
}

/// `ingest.corpus = "."` puts the data and reports directories inside the corpus. concord must
/// not read its own outputs back as articles: a second `run` with nothing changed is a no-op.
#[test]
fn a_corpus_containing_the_data_directory_does_not_ingest_its_outputs() {
    let p = Project::new(10_000_000);
    std::fs::write(p.path().join("a.txt"), "Trois civils ont été tués à Gao.\n").expect("write");
    std::fs::remove_dir_all(p.path().join("reference")).expect("remove reference");
    std::fs::remove_file(p.path().join("secret.txt")).expect("remove secret");
    p.config(&format!(
        "[paths]\nreference = {:?}\n\n[ingest]\ncorpus = \".\"\n",
        repo().join("data/reference").to_string_lossy()
    ));
    p.run_ok(&["run"]);
    let first = outputs(p.path());
    let docs = p.documents();
    let own: Vec<&str> = docs
        .iter()
        .map(|d| d.path.as_str())
        .filter(|x| x.starts_with("data/") || x.starts_with("reports/"))
        .collect();
    assert!(own.is_empty(), "ingested its own outputs: {own:?}");
    p.run_ok(&["run"]);
    let second = outputs(p.path());
    let changed: Vec<&String> = second
        .iter()
        .filter(|(k, v)| {
            !matches!(k.as_str(), "data/.concord.pid" | "data/.concord.stamps")
                && first.get(*k) != Some(*v)
        })
        .map(|(k, _)| k)
        .collect();
    assert!(changed.is_empty(), "a second run changed {changed:?}");
}

/// A quoted manifest field may span lines; warnings about later rows must still name the line
/// the row is on.
#[test]
fn manifest_warnings_name_the_right_line_after_a_multi_line_field() {
    let p =
        manifest_project(b"file,title\na.txt,\"Titre\nsur\ntrois lignes\"\n../secret.txt,Dehors\n");
    let (code, msg) = p.concord(&["ingest"]);
    assert_eq!(code, 0, "{msg}");
    assert!(
        msg.contains("manifest.csv:5:"),
        "the row on line 5 is reported elsewhere:\n{msg}"
    );
}

/// An empty corpus, then one with only unusable files: both run to a release and verify.
#[test]
fn a_corpus_with_nothing_usable_still_runs_and_verifies() {
    let p = Project::new(10_000_000);
    p.run_ok(&["run"]);
    p.run_ok(&["verify"]);
    p.file("empty.txt", b"");
    p.file("bin.dat", b"\x00\x01\x02");
    p.file("blank.txt", "\u{200b}\n \n");
    p.run_ok(&["run"]);
    p.run_ok(&["verify"]);
    let statuses: Vec<String> = p.documents().into_iter().map(|d| d.status).collect();
    assert_eq!(statuses.len(), 3);
    assert!(statuses.iter().all(|s| s != "ok"), "{statuses:?}");
    assert!(p.path().join("data/release/SHA256SUMS").is_file());
}
