//! The sentences extract reads: normalise's `sentences` table in parts, each part read and
//! decoded only when some document needs it (its documents' keys not remembered, or one of
//! them to be extracted), and handed out one document at a time in `doc_id` order.
//!
//! Guarantees: rows out of key order, within a part or across the parts read, are an error
//! naming the part's file; a part skipped is neither read nor decoded; a part is listed as
//! read to its end only when every row of it was, so that the memo never lists a part's
//! documents partly.

use super::memo;
use crate::error::TableError;
use crate::stage::parts::PartFile;
use crate::table::{csv_rows, Sentence};

/// The sentences table as normalise wrote it: its parts in id order, unread. A part is read
/// (by the stage's loader, which checks it against normalise's lock) and decoded while
/// documents are extracted rather than all before, and only if some document needs its
/// sentences: the keys of a part's documents are remembered by the part's digest ([`memo`]).
pub struct Sentences {
    pub parts: Vec<PartFile>,
}

/// One document's sentences as [`Sentences::by_document`] sends them: its id and its rows.
pub(super) type Group = (String, Vec<Sentence>);

impl Sentences {
    /// Sends each document's sentences (rows in key order, grouped by `doc_id`) from every
    /// part not in `skip`, each part's CSV bytes given by `read`, until the parts end or
    /// `send` refuses; a row out of key order, within a part or across the parts read, is an
    /// error, as it would be for any table. Returns, for each part read to its end, its index
    /// and the ids of the documents it holds rows of.
    pub(super) fn by_document<E: From<TableError>>(
        &self,
        skip: &[bool],
        read: impl Fn(&PartFile) -> Result<Vec<u8>, E>,
        mut send: impl FnMut(Result<Group, E>) -> bool,
    ) -> Vec<(usize, Vec<String>)> {
        let mut finished = Vec::new();
        let mut current: Option<Group> = None;
        for (index, part) in self.parts.iter().enumerate() {
            if skip.get(index).copied().unwrap_or(false) {
                continue;
            }
            let rows = read(part).and_then(|csv| {
                csv_rows::<Sentence>(&csv, &part.file)
                    .map(|rows| rows.collect::<Vec<_>>())
                    .map_err(E::from)
            });
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => {
                    send(Err(e));
                    return finished;
                }
            };
            let mut ids: Vec<String> = Vec::new();
            for (n, row) in rows.into_iter().enumerate() {
                let row = match row {
                    Ok(row) => row,
                    Err(e) => {
                        send(Err(e.into()));
                        return finished;
                    }
                };
                if ids.last() != Some(&row.doc_id) {
                    ids.push(row.doc_id.clone());
                }
                match &mut current {
                    Some((id, group)) if *id == row.doc_id => group.push(row),
                    Some((id, _)) if *id > row.doc_id => {
                        send(Err(TableError::OutOfOrder {
                            path: part.file.clone(),
                            row: n as u64 + 1,
                            key: format!("{:?}", row.doc_id),
                            previous: format!("{id:?}"),
                        }
                        .into()));
                        return finished;
                    }
                    _ => {
                        let id = row.doc_id.clone();
                        if let Some(done) = current.replace((id, vec![row])) {
                            if !send(Ok(done)) {
                                return finished;
                            }
                        }
                    }
                }
            }
            finished.push((index, ids));
        }
        if let Some(done) = current {
            send(Ok(done));
        }
        finished
    }
}

/// What the memo lets a run skip: the sentences parts whose documents' keys are all
/// remembered, and those keys with the index of the part each document's rows are in.
pub(super) struct Recalled {
    pub(super) skip: Vec<bool>,
    pub(super) keys: std::collections::HashMap<String, (String, usize)>,
    /// Per part, its documents as the memo lists them when it is skipped.
    pub(super) listed: Vec<Option<Vec<memo::Listed>>>,
}

impl Recalled {
    /// A part is skipped when the memo lists its digest and `holds` every document listed.
    pub(super) fn new(
        sentences: &Sentences,
        memo: &memo::Memo,
        holds: impl Fn(&memo::Listed) -> bool,
    ) -> Recalled {
        let mut r = Recalled {
            skip: vec![false; sentences.parts.len()],
            keys: std::collections::HashMap::new(),
            listed: vec![None; sentences.parts.len()],
        };
        for (index, part) in sentences.parts.iter().enumerate() {
            let Some(docs) = memo.part(&part.digest) else {
                continue;
            };
            if !docs.iter().all(&holds) {
                continue;
            }
            r.skip[index] = true;
            for d in docs {
                if let Some((_, key)) = &d.known {
                    r.keys.insert(d.doc_id.clone(), (key.clone(), index));
                }
            }
            r.listed[index] = Some(docs.to_vec());
        }
        r
    }

    /// The sentences of a document whose key was remembered, read from its part, with that
    /// part's index; `None` for a document whose key was not remembered.
    pub(super) fn sentences<E: From<TableError>>(
        &self,
        sentences: &Sentences,
        doc_id: &str,
        read: impl Fn(&PartFile) -> Result<Vec<u8>, E>,
    ) -> Result<Option<(usize, Vec<Sentence>)>, E> {
        let Some(&(_, index)) = self.keys.get(doc_id) else {
            return Ok(None);
        };
        let part = &sentences.parts[index];
        let csv = read(part)?;
        let mut rows = Vec::new();
        for row in csv_rows::<Sentence>(&csv, &part.file)? {
            let row = row?;
            if row.doc_id == doc_id {
                rows.push(row);
            }
        }
        rows.sort_by_key(|s| s.index);
        Ok(Some((index, rows)))
    }
}

/// The sentences of document `doc_id`, taken from `groups` (each document's sentences, in
/// doc_id order, as [`Sentences::by_document`] sends them) and asked for in doc_id order too.
/// Sentences of documents not asked for are skipped, as they always were.
pub(super) fn sentences_of<E>(
    groups: &mut std::iter::Peekable<impl Iterator<Item = Result<Group, E>>>,
    doc_id: &str,
) -> Result<Vec<Sentence>, E> {
    let before = |g: &Result<Group, E>| matches!(g, Ok((id, _)) if id.as_str() < doc_id);
    let after = |g: &Result<Group, E>| matches!(g, Ok((id, _)) if id.as_str() > doc_id);
    while groups.next_if(before).is_some() {}
    // What is left is this document's group, an error, a later document's group, or nothing.
    match groups.next_if(|g| !after(g)) {
        Some(Ok((_, rows))) => Ok(rows),
        Some(Err(e)) => Err(e),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sentences table in parts, held in memory: its parts, and each part's CSV bytes.
    struct Table {
        sentences: Sentences,
        csv: Vec<Vec<u8>>,
        reads: std::cell::Cell<usize>,
    }

    impl Table {
        /// One part per group of rows, encoded as the table would hold them.
        fn from_parts(parts: &[&[Sentence]]) -> Table {
            let csv: Vec<Vec<u8>> = parts
                .iter()
                .map(|rows| crate::table::rows_to_csv(rows).expect("encode"))
                .collect();
            Table::from_csv(csv)
        }

        fn from_csv(csv: Vec<Vec<u8>>) -> Table {
            let parts = csv
                .iter()
                .enumerate()
                .map(|(i, bytes)| PartFile {
                    name: format!("p{i}"),
                    file: format!("p{i}.csv"),
                    digest: blake3::hash(bytes).to_hex().to_string(),
                })
                .collect();
            Table {
                sentences: Sentences { parts },
                csv,
                reads: std::cell::Cell::new(0),
            }
        }

        fn from_rows(rows: &[Sentence]) -> Table {
            Self::from_parts(&[rows])
        }

        /// Each document's sentence indexes as sent, reading the parts not in `skip`, until
        /// `limit` groups; and the parts read to their end.
        fn groups(&self, limit: usize, skip: &[bool]) -> (Vec<Result<Sent, String>>, Vec<usize>) {
            let mut got = Vec::new();
            let read = |p: &PartFile| -> Result<Vec<u8>, TableError> {
                self.reads.set(self.reads.get() + 1);
                let i = self.sentences.parts.iter().position(|q| q.name == p.name);
                Ok(self.csv[i.expect("a part of the table")].clone())
            };
            let finished = self.sentences.by_document(skip, read, |g| {
                got.push(
                    g.map(|(id, rows)| (id, rows.iter().map(|r| r.index).collect()))
                        .map_err(|e| e.to_string()),
                );
                got.len() < limit
            });
            (got, finished.into_iter().map(|(i, _)| i).collect())
        }
    }

    /// A document's sentences as sent: its id and its sentences' indexes.
    type Sent = (String, Vec<i64>);

    fn sentence(doc: &str, index: i64) -> Sentence {
        Sentence {
            doc_id: doc.into(),
            index,
            paragraph: 0,
            char_start: index * 10,
            char_end: index * 10 + 9,
            text: format!("Phrase {index}, \"citée\"\nsur deux lignes."),
        }
    }

    fn groups(t: &Table, limit: usize) -> Vec<Result<Sent, String>> {
        t.groups(limit, &[]).0
    }

    #[test]
    fn sentences_are_decoded_one_document_at_a_time_in_key_order() {
        let rows = [
            sentence("a1", 0),
            sentence("a1", 1),
            sentence("b2", 0),
            sentence("c3", 0),
            sentence("c3", 1),
        ];
        let s = Table::from_rows(&rows);
        let want: Vec<Result<Sent, String>> = vec![
            Ok(("a1".into(), vec![0, 1])),
            Ok(("b2".into(), vec![0])),
            Ok(("c3".into(), vec![0, 1])),
        ];
        assert_eq!(groups(&s, usize::MAX), want);
        // A receiver that stops is not sent more.
        assert_eq!(groups(&s, 1), want[..1].to_vec());
        // An empty table sends nothing.
        assert!(groups(&Table::from_rows(&[]), usize::MAX).is_empty());
        // The same rows in parts, an empty part among them: the same groups, and every part
        // read to its end.
        let parted = Table::from_parts(&[&rows[..2], &[], &rows[2..]]);
        let (got, finished) = parted.groups(usize::MAX, &[]);
        assert_eq!(got, want);
        assert_eq!(finished, vec![0, 1, 2]);
    }

    #[test]
    fn skipped_parts_are_neither_read_nor_sent() {
        let t = Table::from_parts(&[
            &[sentence("a1", 0)],
            &[sentence("b2", 0), sentence("b2", 1)],
            &[sentence("c3", 0)],
        ]);
        let (got, finished) = t.groups(usize::MAX, &[false, true, false]);
        assert_eq!(
            got,
            vec![Ok(("a1".into(), vec![0])), Ok(("c3".into(), vec![0]))]
        );
        assert_eq!(finished, vec![0, 2]);
        assert_eq!(t.reads.get(), 2, "the skipped part was read");
    }

    #[test]
    fn a_sentences_table_out_of_order_or_malformed_is_an_error_naming_it() {
        let mut s = Table::from_rows(&[sentence("b2", 0), sentence("a1", 0)]);
        s.sentences.parts[0].file = "data/normalise/sentences.csv".into();
        let got = groups(&s, usize::MAX);
        assert!(
            matches!(&got[..], [Err(e)] if e.starts_with("data/normalise/sentences.csv: data row 2: key \"a1\" comes after \"b2\"")),
            "{got:?}"
        );
        let mut bad = Table::from_csv(vec![
            b"doc_id,index,paragraph,char_start,char_end,text\na1,zero,0,0,1,x\n".to_vec(),
        ]);
        bad.sentences.parts[0].file = "data/normalise/sentences.csv".into();
        let got = groups(&bad, usize::MAX);
        assert!(
            matches!(&got[..], [Err(e)] if e.starts_with("data/normalise/sentences.csv:2")),
            "{got:?}"
        );
        // Out of order across parts: the error names the later part.
        let s = Table::from_parts(&[&[sentence("b2", 0)], &[sentence("a1", 0)]]);
        let got = groups(&s, usize::MAX);
        assert!(
            matches!(&got[..], [Err(e)] if e.starts_with("p1.csv: data row 1: key \"a1\" comes after \"b2\"")),
            "{got:?}"
        );
    }

    #[test]
    fn each_document_gets_its_own_sentences_and_no_other() {
        let bad = || TableError::OutOfOrder {
            path: "s.csv".into(),
            row: 3,
            key: "\"a\"".into(),
            previous: "\"c\"".into(),
        };
        let sent: Vec<Result<Group, TableError>> = vec![
            Ok(("a".into(), vec![sentence("a", 0)])),
            Ok(("c".into(), vec![sentence("c", 0), sentence("c", 1)])),
            Err(bad()),
        ];
        let mut groups = sent.into_iter().peekable();
        let indexes = |r: Result<Vec<Sentence>, TableError>| {
            r.map(|rows| rows.iter().map(|s| s.index).collect::<Vec<_>>())
        };
        // "a" is skipped (no document asks for it), "b" has none, "c" gets its two.
        assert_eq!(indexes(sentences_of(&mut groups, "b")).ok(), Some(vec![]));
        assert_eq!(
            indexes(sentences_of(&mut groups, "c")).ok(),
            Some(vec![0, 1])
        );
        assert!(matches!(
            sentences_of(&mut groups, "d"),
            Err(TableError::OutOfOrder { .. })
        ));
        assert_eq!(indexes(sentences_of(&mut groups, "e")).ok(), Some(vec![]));
    }
}
