//! Per-document tables stored in parts: the rows of the documents whose ids begin alike, one
//! pair of files (Parquet, CSV) per part, so that a run in which few documents changed writes
//! few parts and keeps the others as they are (the driver's side is in `pipeline/`, which
//! records each part's signature in the stage lock and checks kept files against it).
//!
//! Guarantees: every document belongs to exactly one part; the ids of one part are
//! consecutive in id order, so a table's parts concatenated in name order are the whole table
//! in key order (for ids that begin with two hex digits, as ingest gives them); a part's
//! signature is a digest of everything its rows are a function of.

use std::ops::Range;

use crate::error::TableError;

/// How many leading characters of the ids name a part, for a table of `documents` documents:
/// one (16 parts) below 16,384 documents, two (256 parts) from there on, so that a part holds
/// hundreds of documents or more. Each part's files are created and synced on their own, and
/// 256 parts of a 1,000-article corpus, four documents each, doubled its fresh run (0.74 s
/// without parts, 1.37-1.57 s; 0.68-0.76 s with 16). A corpus that grows past the threshold
/// has its parts written anew once.
pub fn digits_for(documents: usize) -> usize {
    if documents < 16_384 {
        1
    } else {
        2
    }
}

/// The part a document's rows go to: the first `digits` characters of its id when they are
/// lower-case hex digits (every id ingest gives), else `x` and the hex of its first `digits`
/// bytes. Either way the ids of one part are consecutive in id order, so parts are written
/// one after the other.
pub fn part_of(doc_id: &str, digits: usize) -> String {
    let b = doc_id.as_bytes();
    let hex = |c: &u8| matches!(c, b'0'..=b'9' | b'a'..=b'f');
    if b.len() >= digits && b[..digits].iter().all(hex) {
        return doc_id[..digits].to_string();
    }
    std::iter::once("x".to_string())
        .chain(b.iter().take(digits).map(|c| format!("{c:02x}")))
        .collect()
}

/// The number of leading id characters part `name` was named by ([`part_of`]'s `digits`):
/// its length for a name of hex digits, half the length after `x` for the others (an id
/// shorter than the parts' digits names a shorter part; ids ingest gives are 16 hex digits).
pub fn digits_of(name: &str) -> usize {
    match name.strip_prefix('x') {
        Some(hex) => hex.len() / 2,
        None => name.len(),
    }
}

/// The order of parts that follows their documents' ids: a part's id prefix (its name, or the
/// bytes after `x`). Parts named by hex digits alone sort the same by name.
pub fn order_key(name: &str) -> Vec<u8> {
    match name.strip_prefix('x') {
        Some(hex) => (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
            .collect(),
        None => name.as_bytes().to_vec(),
    }
}

/// One part of a producer's table stored in parts, as its consumer knows it before reading
/// it: normalise parts its tables as ingest's `texts`, part for part, and extract reads the
/// parts of `sentences` only where its keys are not remembered.
#[derive(Debug, Clone)]
pub struct PartFile {
    /// The part's name ([`part_of`] its documents' ids).
    pub name: String,
    /// Its CSV file as errors show it.
    pub file: String,
    /// The digest of that file, which its rows are a function of.
    pub digest: String,
}

/// One part of a table stored in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The part's file stem, [`part_of`] its documents' ids.
    pub name: String,
    /// A digest of everything the part's rows are a function of (the stage says what).
    pub signature: String,
    /// Whether the part's files were kept from the previous run instead of written.
    pub kept: bool,
}

/// A part's signature from the digests (or any strings) that determine its rows, in id order.
pub fn signature<S: AsRef<[u8]>>(items: impl IntoIterator<Item = S>) -> String {
    let mut h = blake3::Hasher::new();
    for item in items {
        h.update(item.as_ref());
        h.update(b"\n");
    }
    crate::digest::Algo::Blake3.named(h.finalize().to_hex())
}

/// The parts, and the ranges of the documents (their ids, sorted) each holds, parts named by
/// [`digits_for`] the number of documents. A part met twice would mean ids out of order: an
/// error, never a part written twice.
pub fn ranges<'a>(
    table: &'static str,
    ids: impl ExactSizeIterator<Item = &'a str>,
) -> Result<Vec<(String, Range<usize>)>, TableError> {
    let digits = digits_for(ids.len());
    let mut parts: Vec<(String, Range<usize>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        let name = part_of(id, digits);
        match parts.last_mut() {
            Some((last, range)) if *last == name => range.end = i + 1,
            _ => {
                if !seen.insert(name.clone()) {
                    return Err(TableError::DuplicateKey {
                        table,
                        key: format!("part {name} met twice (document ids out of order)"),
                    });
                }
                parts.push((name, i..i + 1));
            }
        }
    }
    Ok(parts)
}

/// Parts grouped into chunks of whole parts, each of at least `documents` documents (the last
/// may hold fewer).
pub fn chunks(
    parts: &[(String, Range<usize>)],
    documents: usize,
) -> impl Iterator<Item = &[(String, Range<usize>)]> {
    let mut rest = parts;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let first = rest[0].1.start;
        let n = rest
            .iter()
            .position(|(_, r)| r.end - first >= documents)
            .map_or(rest.len(), |i| i + 1);
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        Some(chunk)
    })
}

/// Decides the parts of one chunk (of [`chunks`]): each part's signature is `sign` of its
/// documents' range within the chunk, and it is kept when `keep(name, signature, range)` says
/// so. Returns the parts with their ranges within the chunk, and for each of the chunk's
/// documents whether it must be built (its part is not kept). Signatures are computed on
/// every core (each reads its part's documents: for ingest, every file's manifest row);
/// `keep` is asked in part order.
pub fn decide(
    chunk: &[(String, Range<usize>)],
    sign: impl Fn(Range<usize>) -> String + Sync,
    keep: impl Fn(&str, &str, Range<usize>) -> bool,
) -> (Vec<(Range<usize>, Part)>, Vec<bool>) {
    use rayon::prelude::*;
    let first = chunk.first().map_or(0, |(_, r)| r.start);
    let local = |range: &Range<usize>| range.start - first..range.end - first;
    let signatures: Vec<String> = chunk
        .par_iter()
        .map(|(_, range)| sign(local(range)))
        .collect();
    let mut build = Vec::new();
    let parts = chunk
        .iter()
        .zip(signatures)
        .map(|((name, range), signature)| {
            let local = local(range);
            let kept = keep(name, &signature, local.clone());
            build.resize(local.end, !kept);
            let part = Part {
                name: name.clone(),
                signature,
                kept,
            };
            (local, part)
        })
        .collect();
    (parts, build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hold_ids_that_begin_alike_and_follow_one_another_in_id_order() {
        assert_eq!(part_of("3fa0c2d1e4b59687", 2), "3f");
        assert_eq!(part_of("3fa0c2d1e4b59687", 1), "3");
        assert_eq!(part_of("0Zab", 2), "x305a");
        assert_eq!(part_of("0Zab", 1), "0");
        assert_eq!(part_of("é", 2), "xc3a9");
        assert_eq!(part_of("a", 2), "x61");
        assert_eq!(part_of("", 2), "x");
        assert_eq!((digits_for(16_383), digits_for(16_384)), (1, 2));
        // Ids of one part are consecutive in id order, whatever the ids: parts are written
        // one after the other, never reopened.
        let mut ids: Vec<String> = [
            "00", "0Z", "0Zz", "0a", "09", "a", "aa", "ab1", "ZZ", "é", "0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        ids.sort();
        let parts = ranges("t", ids.iter().map(String::as_str)).expect("consecutive");
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["0", "x5a", "a", "xc3"]);
        // Two characters, as a large table has them.
        let mut parts: Vec<(String, Range<usize>)> = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            match parts.last_mut() {
                Some((n, r)) if *n == part_of(id, 2) => r.end = i + 1,
                _ => parts.push((part_of(id, 2), i..i + 1)),
            }
        }
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["x30", "00", "09", "x305a", "0a", "x5a5a", "x61", "aa", "ab", "xc3a9"],
            "each part met once, in id order"
        );
        assert_eq!(parts.iter().map(|(_, r)| r.len()).sum::<usize>(), ids.len());
        // Sorted by their order key, parts come in id order, whatever their names.
        let mut by_key = names.clone();
        by_key.sort_by_key(|n| order_key(n));
        assert_eq!(by_key, names);
        // Chunks hold whole parts, in order, each of at least the size asked unless last.
        let sizes: Vec<usize> = chunks(&parts, 3)
            .map(|c| c.iter().map(|(_, r)| r.len()).sum())
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), ids.len());
        assert!(
            sizes[..sizes.len() - 1].iter().all(|n| *n >= 3),
            "{sizes:?}"
        );
        // Out of order, a part would be met twice: refused.
        assert!(ranges("t", ["3f01", "40aa", "3f02"].into_iter()).is_err());
        // A chunk's parts decided: signatures from their own documents, build flags per
        // document of the chunk.
        let chunk = [("3".to_string(), 4..6), ("4".to_string(), 6..9)];
        let (decided, build) = decide(
            &chunk,
            |local| format!("{}-{}", local.start, local.end),
            |name, signature, _| name == "4" && signature == "2-5",
        );
        assert_eq!(build, [true, true, false, false, false]);
        assert_eq!(decided[0].0, 0..2);
        assert!(!decided[0].1.kept && decided[1].1.kept && decided[1].1.signature == "2-5");
        // Ids of either length sort as their parts' order keys.
        assert!(order_key("3") < order_key("3f") && order_key("3f") < order_key("4"));
    }
}
