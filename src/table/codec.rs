//! Renders sorted rows as Parquet and CSV bytes, and reads CSV tables back into rows.
//!
//! Parquet files are written by arrow-rs with plain `Utf8` strings, `date32` dates, `int64`
//! integers, `float64` numbers and `bool` flags, snappy pages, and the fixed `created_by`
//! [`CREATED_BY`]: pandas, pyarrow, polars, duckdb and R read them without view or large types.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, RecordBatch,
    StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema};
use parquet::arrow::arrow_writer::{ArrowWriter, ArrowWriterOptions};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;

use super::{Cell, ColumnType, Row};
use crate::error::TableError;

/// The `created_by` recorded in every Parquet footer; never a build- or time-dependent string.
pub const CREATED_BY: &str = "concord (arrow-rs parquet)";

/// Rows per Arrow batch handed to the Parquet writer.
const BATCH_ROWS: usize = 65_536;

/// One table rendered in both formats.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub table: &'static str,
    pub rows: usize,
    pub parquet: Vec<u8>,
    pub csv: Vec<u8>,
}

/// Sorts `rows` by the table's primary key and renders them as Parquet and CSV.
///
/// Fails when two rows share a primary key: that is a bug in the stage that made them, and
/// writing either row silently would lose data.
pub fn encode<T: Row>(rows: &mut [T]) -> Result<Encoded, TableError> {
    // Unstable: primary keys are unique (two equal ones are refused below), so the order is
    // the stable sort's; a merge sort moved every row (hundreds of bytes of a claim) at each
    // level, and sorting 335,000 claims took both cores for half a second.
    rows.par_sort_unstable_by(|a, b| a.key_cmp(b));
    if let Some(w) = rows.windows(2).find(|w| w[0].key_cmp(&w[1]).is_eq()) {
        return Err(TableError::DuplicateKey {
            table: T::TABLE,
            key: format!("{:?}", key_text(&w[0])),
        });
    }
    // The two renderings are independent: one per core.
    let rows: &[T] = rows;
    let (parquet, csv) = rayon::join(|| to_parquet(rows), || to_csv(rows));
    Ok(Encoded {
        table: T::TABLE,
        rows: rows.len(),
        parquet: parquet?,
        csv: csv?,
    })
}

fn key_text<T: Row>(row: &T) -> Vec<String> {
    let columns = T::columns();
    let cells = row.cells();
    T::KEY
        .iter()
        .filter_map(|k| columns.iter().position(|c| c.name == *k))
        .map(|i| cell_text(&cells[i]))
        .collect()
}

fn cell_text(cell: &Cell<'_>) -> String {
    let mut s = String::new();
    push_cell(cell, &mut s);
    s
}

/// Appends a cell's CSV text: empty for a null, else the value as written.
fn push_cell(cell: &Cell<'_>, out: &mut String) {
    use std::fmt::Write as _;
    let _ = match cell {
        Cell::Text(v) => {
            out.push_str(v.unwrap_or_default());
            Ok(())
        }
        Cell::Integer(Some(x)) => {
            // Tens of millions of offsets and indexes: itoa, not the formatting machinery.
            out.push_str(itoa::Buffer::new().format(*x));
            Ok(())
        }
        Cell::Number(Some(x)) => write!(out, "{x}"),
        Cell::Boolean(Some(x)) => write!(out, "{x}"),
        Cell::Date(Some(x)) => write!(out, "{x}"),
        Cell::Integer(None) | Cell::Number(None) | Cell::Boolean(None) | Cell::Date(None) => Ok(()),
    };
}

fn arrow_type(kind: ColumnType) -> DataType {
    match kind {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Integer => DataType::Int64,
        ColumnType::Number => DataType::Float64,
        ColumnType::Boolean => DataType::Boolean,
        ColumnType::Date => DataType::Date32,
    }
}

fn days_since_epoch(d: jiff::civil::Date) -> i32 {
    let epoch = jiff::civil::date(1970, 1, 1);
    // civil dates are within +-9999 years, so the day count always fits in i32.
    d.since(epoch)
        .map(|span| span.get_days())
        .unwrap_or_default()
}

fn to_parquet<T: Row>(rows: &[T]) -> Result<Vec<u8>, TableError> {
    let schema = arrow_schema::<T>();
    let options = writer_options();
    let mut out = Vec::new();
    let parquet_err = |e| TableError::Parquet {
        table: T::TABLE,
        source: e,
    };
    let mut writer = ArrowWriter::try_new_with_options(&mut out, schema.clone(), options)
        .map_err(parquet_err)?;
    // Fixed-size batches: memory stays bounded for tables of millions of rows, and the page
    // layout depends only on the rows, never on how they reached the writer.
    for chunk in rows.chunks(BATCH_ROWS) {
        writer
            .write(&record_batch(&schema, chunk)?)
            .map_err(parquet_err)?;
    }
    writer.close().map_err(parquet_err)?;
    Ok(out)
}

fn arrow_schema<T: Row>() -> Arc<Schema> {
    Arc::new(Schema::new(
        T::columns()
            .iter()
            .map(|c| Field::new(c.name, arrow_type(c.kind), c.nullable))
            .collect::<Vec<_>>(),
    ))
}

fn writer_options() -> ArrowWriterOptions {
    let props = WriterProperties::builder()
        .set_created_by(CREATED_BY.to_string())
        .set_compression(Compression::SNAPPY)
        .build();
    ArrowWriterOptions::new().with_properties(props)
}

fn record_batch<T: Row>(schema: &Arc<Schema>, rows: &[T]) -> Result<RecordBatch, TableError> {
    let cells: Vec<Vec<Cell<'_>>> = rows.iter().map(|r| r.cells()).collect();
    let arrays: Vec<ArrayRef> = T::columns()
        .iter()
        .enumerate()
        .map(|(i, c)| column_array(c.kind, cells.iter().map(|row| row[i])))
        .collect();
    RecordBatch::try_new(schema.clone(), arrays).map_err(|e| TableError::Arrow {
        table: T::TABLE,
        source: e,
    })
}

/// A table file written by [`TableStream`] to a temporary path, to be renamed into place.
#[derive(Debug, Clone)]
pub struct Staged {
    pub tmp: PathBuf,
    pub path: PathBuf,
    pub bytes: u64,
    /// Digest string of the file (see [`crate::digest`]).
    pub digest: String,
    pub rows: u64,
}

/// Writes a table whose rows arrive in primary-key order straight to temporary Parquet and
/// CSV files, for tables too large to hold in memory. The bytes are exactly those [`encode`]
/// gives for the same rows (same batches, same writer settings).
pub struct TableStream<T: Row> {
    schema: Arc<Schema>,
    parquet: ArrowWriter<BufWriter<File>>,
    csv: BufWriter<File>,
    buffer: Vec<T>,
    last: Option<T>,
    rows: u64,
    files: [(PathBuf, PathBuf); 2],
}

impl<T: Row> TableStream<T> {
    /// Opens `.<table>.{parquet,csv}.tmp-<pid>` in `dir`.
    pub fn create(dir: &Path) -> Result<TableStream<T>, TableError> {
        Self::create_as(dir, T::TABLE)
    }

    /// Opens `.<stem>.{parquet,csv}.tmp-<pid>` in `dir`: one part of a table stored in parts
    /// (see `pipeline::parts`), whose files are named by the part, not the table.
    pub fn create_as(dir: &Path, stem: &str) -> Result<TableStream<T>, TableError> {
        let io = |path: &Path| {
            let shown = path.display().to_string();
            move |e| TableError::Io {
                path: shown,
                source: e,
            }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let pid = std::process::id();
        let file = |ext: &str| {
            let path = dir.join(format!("{stem}.{ext}"));
            let tmp = dir.join(format!(".{stem}.{ext}.tmp-{pid}"));
            (tmp, path)
        };
        let files = [file("parquet"), file("csv")];
        let open = |p: &Path| File::create(p).map(BufWriter::new).map_err(io(p));
        let schema = arrow_schema::<T>();
        let parquet =
            ArrowWriter::try_new_with_options(open(&files[0].0)?, schema.clone(), writer_options())
                .map_err(|e| TableError::Parquet {
                    table: T::TABLE,
                    source: e,
                })?;
        let csv = open(&files[1].0)?;
        let mut stream = TableStream {
            schema,
            parquet,
            csv,
            buffer: Vec::with_capacity(BATCH_ROWS),
            last: None,
            rows: 0,
            files,
        };
        stream.write_csv(&to_csv::<T>(&[])?)?;
        Ok(stream)
    }

    /// Appends encoded CSV lines to the CSV file.
    fn write_csv(&mut self, csv: &[u8]) -> Result<(), TableError> {
        self.csv.write_all(csv).map_err(|e| TableError::Io {
            path: self.files[1].0.display().to_string(),
            source: e,
        })
    }

    /// Appends rows; together with everything pushed before they must be in strictly
    /// increasing key order (a tie or a step back is the producing stage's bug).
    pub fn push(&mut self, rows: Vec<T>) -> Result<(), TableError> {
        let csv = csv_body(&rows)?;
        self.push_encoded(rows, &csv)
    }

    /// [`push`](Self::push) for rows already encoded: `csv` must be exactly
    /// [`csv_body`]`(&rows)` (the extractor encodes a document's rows once, for its cache
    /// entry and for this table).
    pub fn push_encoded(&mut self, rows: Vec<T>, csv: &[u8]) -> Result<(), TableError> {
        self.write_csv(csv)?;
        self.push_rows(rows)
    }

    /// Checks the key order and buffers rows for the Parquet file.
    fn push_rows(&mut self, rows: Vec<T>) -> Result<(), TableError> {
        for row in rows {
            // The row before is the buffer's last, or the one kept from the batch flushed.
            if let Some(last) = self.buffer.last().or(self.last.as_ref()) {
                if last.key_cmp(&row).is_ge() {
                    return Err(TableError::DuplicateKey {
                        table: T::TABLE,
                        key: format!("{:?} (or out of order)", key_text(&row)),
                    });
                }
            }
            self.buffer.push(row);
            self.rows += 1;
            if self.buffer.len() == BATCH_ROWS {
                self.flush_batch()?;
            }
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> Result<(), TableError> {
        let batch = record_batch(&self.schema, &self.buffer)?;
        self.parquet
            .write(&batch)
            .map_err(|e| TableError::Parquet {
                table: T::TABLE,
                source: e,
            })?;
        self.last = self.buffer.pop();
        self.buffer.clear();
        Ok(())
    }

    /// Closes both files (flushed and synced) and returns them, Parquet first.
    pub fn finish(self) -> Result<[Staged; 2], TableError> {
        self.close()?.finish()
    }

    /// Closes both files, flushed but not yet synced: [`Closed::finish`] syncs and hashes them,
    /// possibly on another thread while the next table is written.
    pub fn close(mut self) -> Result<Closed, TableError> {
        if !self.buffer.is_empty() {
            self.flush_batch()?;
        }
        let parquet_err = |e| TableError::Parquet {
            table: T::TABLE,
            source: e,
        };
        let pq = self.parquet.into_inner().map_err(parquet_err)?;
        let [(pq_tmp, pq_path), (csv_tmp, csv_path)] = self.files;
        let flushed = |w: BufWriter<File>, tmp: &Path| {
            w.into_inner().map_err(|e| TableError::Io {
                path: tmp.display().to_string(),
                source: e.into_error(),
            })
        };
        Ok(Closed {
            files: [
                (flushed(pq, &pq_tmp)?, pq_tmp, pq_path),
                (flushed(self.csv, &csv_tmp)?, csv_tmp, csv_path),
            ],
            rows: self.rows,
        })
    }
}

/// A [`TableStream`]'s two files, written and flushed, not yet synced.
pub struct Closed {
    files: [(File, PathBuf, PathBuf); 2],
    rows: u64,
}

impl Closed {
    /// Syncs both files and hashes them; returns them, Parquet first.
    pub fn finish(self) -> Result<[Staged; 2], TableError> {
        let rows = self.rows;
        let staged = |(f, tmp, path): (File, PathBuf, PathBuf)| -> Result<Staged, TableError> {
            let io = |e| TableError::Io {
                path: tmp.display().to_string(),
                source: e,
            };
            f.sync_all().map_err(io)?;
            let (bytes, digest) =
                crate::digest::hash_file(&tmp, crate::digest::Algo::Blake3).map_err(io)?;
            Ok(Staged {
                tmp,
                path,
                bytes,
                digest,
                rows,
            })
        };
        let [pq, csv] = self.files;
        let (pq, csv) = rayon::join(|| staged(pq), || staged(csv));
        Ok([pq?, csv?])
    }
}

fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(w)
}

fn write_header<T: Row, W: Write>(w: &mut csv::Writer<W>) -> Result<(), TableError> {
    let header: Vec<&str> = T::columns().iter().map(|c| c.name).collect();
    w.write_record(&header).map_err(|e| TableError::Csv {
        table: T::TABLE,
        source: e,
    })
}

fn write_csv_row<T: Row, W: Write>(w: &mut csv::Writer<W>, row: &T) -> Result<(), TableError> {
    let err = |e| TableError::Csv {
        table: T::TABLE,
        source: e,
    };
    // Field by field through one buffer, then the terminator: the same bytes as
    // `write_record` of the cells' texts, without a String per cell (tens of millions of
    // them for the mentions table).
    let mut buf = String::new();
    for cell in row.cells() {
        buf.clear();
        push_cell(&cell, &mut buf);
        w.write_field(&buf).map_err(err)?;
    }
    w.write_record(None::<&[u8]>).map_err(err)
}

fn column_array<'a>(kind: ColumnType, cells: impl Iterator<Item = Cell<'a>>) -> ArrayRef {
    match kind {
        ColumnType::Text => {
            let mut b = StringBuilder::new();
            cells.for_each(|c| b.append_option(if let Cell::Text(v) = c { v } else { None }));
            Arc::new(b.finish())
        }
        ColumnType::Integer => {
            let mut b = Int64Builder::new();
            cells.for_each(|c| b.append_option(if let Cell::Integer(v) = c { v } else { None }));
            Arc::new(b.finish())
        }
        ColumnType::Number => {
            let mut b = Float64Builder::new();
            cells.for_each(|c| b.append_option(if let Cell::Number(v) = c { v } else { None }));
            Arc::new(b.finish())
        }
        ColumnType::Boolean => {
            let mut b = BooleanBuilder::new();
            cells.for_each(|c| b.append_option(if let Cell::Boolean(v) = c { v } else { None }));
            Arc::new(b.finish())
        }
        ColumnType::Date => {
            let mut b = Date32Builder::new();
            cells.for_each(|c| {
                b.append_option(if let Cell::Date(v) = c {
                    v.map(days_since_epoch)
                } else {
                    None
                })
            });
            Arc::new(b.finish())
        }
    }
}

/// Renders rows, in the order given, as CSV (header first). A CSV line depends on its row
/// alone, so runs of rows are rendered on every core and joined in order.
pub fn to_csv<T: Row>(rows: &[T]) -> Result<Vec<u8>, TableError> {
    let header = write_csv::<T>(&[], true)?;
    let pieces = rows
        .par_chunks(BATCH_ROWS)
        .map(csv_body)
        .collect::<Result<Vec<Vec<u8>>, TableError>>()?;
    // Sized once: a large table is not copied again as the buffer grows.
    let mut out = Vec::with_capacity(header.len() + pieces.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&header);
    for piece in pieces {
        out.extend_from_slice(&piece);
    }
    Ok(out)
}

/// The CSV lines of `rows` without the header: [`to_csv`] is the header line and then these
/// bytes.
pub fn csv_body<T: Row>(rows: &[T]) -> Result<Vec<u8>, TableError> {
    write_csv(rows, false)
}

fn write_csv<T: Row>(rows: &[T], header: bool) -> Result<Vec<u8>, TableError> {
    let mut w = csv_writer(Vec::new());
    if header {
        write_header::<T, _>(&mut w)?;
    }
    for row in rows {
        write_csv_row(&mut w, row)?;
    }
    w.into_inner().map_err(|e| TableError::Io {
        path: format!("<{} csv buffer>", T::TABLE),
        source: e.into_error(),
    })
}

/// Whether `rows`, written by [`encode`] and read back by [`decode_csv`], come back equal to
/// themselves: true unless a nullable text cell holds an empty string (written as an empty
/// field, read back as null) or a number is NaN (never equal to itself). Every other value
/// is written exactly: integers and dates as they are, numbers in the shortest form that
/// parses back to the same bits, text quoted where it must be.
pub fn survives_csv<T: Row>(rows: &[T]) -> bool {
    let columns = T::columns();
    rows.par_iter().all(|row| {
        row.cells()
            .iter()
            .zip(&columns)
            .all(|(cell, column)| match cell {
                Cell::Text(Some("")) => !column.nullable,
                Cell::Number(Some(x)) => !x.is_nan(),
                _ => true,
            })
    })
}

/// Reads a CSV table written by [`encode`] back into rows, checking the header first.
///
/// The body is cut at record boundaries into pieces decoded in parallel and joined in order:
/// the rows, and the first error with its line, are those a single pass would give.
pub fn decode_csv<T: Row>(bytes: &[u8], path: &str) -> Result<Vec<T>, TableError> {
    decode_csv_in_pieces(bytes, path, DECODE_PIECE_BYTES)
}

/// Bytes of CSV decoded as one piece by [`decode_csv`].
const DECODE_PIECE_BYTES: usize = 4 << 20;

fn decode_csv_in_pieces<T: Row>(
    bytes: &[u8],
    path: &str,
    piece_bytes: usize,
) -> Result<Vec<T>, TableError> {
    let body = checked_reader::<T, _>(bytes, path)?.position().byte() as usize;
    let pieces = record_pieces(bytes, body, piece_bytes);
    let decoded: Vec<Result<Vec<T>, TableError>> = pieces
        .par_iter()
        .map(|piece| {
            // Each piece is read after the header, so that fields are matched by name.
            let reader = std::io::Read::chain(&bytes[..body], &bytes[piece.range.clone()]);
            let mut r = csv::ReaderBuilder::new().from_reader(reader);
            r.deserialize()
                .enumerate()
                .map(|(i, row)| {
                    row.map_err(|e| TableError::Read {
                        path: path.to_string(),
                        // Line 1 of this reader is the header; its line 2, the piece's first.
                        line: piece.first_line
                            + e.position()
                                .map_or(i as u64, |p| p.line().saturating_sub(2)),
                        source: e,
                    })
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::with_capacity(decoded.iter().flatten().map(Vec::len).sum());
    for piece in decoded {
        rows.extend(piece?);
    }
    Ok(rows)
}

/// A run of whole records of a CSV body and the file line it starts on.
struct Piece {
    range: std::ops::Range<usize>,
    first_line: u64,
}

/// Cuts `bytes[start..]` into runs of whole records of about `piece_bytes` each: a cut is a
/// line break outside quotes (a quoted field may hold line breaks; a doubled quote inside one
/// toggles twice). Line numbers count every line break, as the csv reader does.
fn record_pieces(bytes: &[u8], start: usize, piece_bytes: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut quoted = false;
    let mut from = start;
    let mut lines = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
    let mut first_line = lines;
    for at in memchr::memchr2_iter(b'"', b'\n', &bytes[start..]).map(|i| start + i) {
        if bytes[at] == b'"' {
            quoted = !quoted;
            continue;
        }
        lines += 1;
        if !quoted && at + 1 - from >= piece_bytes {
            pieces.push(Piece {
                range: from..at + 1,
                first_line,
            });
            from = at + 1;
            first_line = lines;
        }
    }
    if from < bytes.len() {
        pieces.push(Piece {
            range: from..bytes.len(),
            first_line,
        });
    }
    pieces
}

/// The rows of a CSV table written by [`encode`], one at a time, after checking the header:
/// for a table decoded while its rows are used rather than all before.
pub fn csv_rows<'a, T: Row + 'a>(
    bytes: &'a [u8],
    path: &'a str,
) -> Result<impl Iterator<Item = Result<T, TableError>> + 'a, TableError> {
    let r = checked_reader::<T, _>(bytes, path)?;
    Ok(r.into_deserialize().enumerate().map(move |(i, row)| {
        row.map_err(|e| TableError::Read {
            path: path.to_string(),
            line: e.position().map_or(i as u64 + 2, |p| p.line()),
            source: e,
        })
    }))
}

/// A CSV reader over `input` whose header has been read and found to be `T`'s columns.
fn checked_reader<T: Row, R: std::io::Read>(
    input: R,
    path: &str,
) -> Result<csv::Reader<R>, TableError> {
    let mut r = csv::ReaderBuilder::new().from_reader(input);
    let want: Vec<&str> = T::columns().iter().map(|c| c.name).collect();
    let got: Vec<String> = r
        .headers()
        .map_err(|e| TableError::Read {
            path: path.to_string(),
            line: 1,
            source: e,
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if got != want {
        return Err(TableError::Header {
            path: path.to_string(),
            want: want.join(","),
            got: got.join(","),
        });
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::NormalisedText;

    crate::table! {
        /// A table with a column of each kind the check looks at.
        pub struct Probe in "probe" key (id) {
            /// Key.
            pub id: String,
            /// Never null.
            pub text: String,
            /// Nullable text.
            pub note: Option<String>,
            /// Nullable number.
            pub x: Option<f64>,
        }
    }

    #[test]
    fn rows_said_to_survive_csv_read_back_equal_and_the_others_are_named() {
        let probe = |id: &str, text: &str, note: Option<&str>, x: Option<f64>| Probe {
            id: id.into(),
            text: text.into(),
            note: note.map(str::to_string),
            x,
        };
        let mut rows = vec![
            probe("a", "", Some(" lead, \"quoted\"\nline\r\n"), Some(0.1)),
            probe("b", "  ", None, Some(-0.0)),
            probe("c", "x", Some("é"), Some(1e300)),
            probe("d", "\"", Some(","), Some(f64::MIN_POSITIVE)),
            probe("e", "y", Some("NA"), Some(f64::INFINITY)),
            probe("f", "z", Some("null"), None),
        ];
        assert!(survives_csv(&rows));
        let csv = encode(&mut rows).expect("encodes").csv;
        let back: Vec<Probe> = decode_csv(&csv, "probe.csv").expect("decodes");
        assert_eq!(back, rows);
        let bits = |r: &[Probe]| r.iter().map(|p| p.x.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&rows), "numbers come back bit for bit");
        // An empty nullable text reads back as null, NaN is never equal: not said to survive.
        let empty = vec![probe("a", "x", Some(""), None)];
        assert!(!survives_csv(&empty));
        let csv = encode(&mut empty.clone()).expect("encodes").csv;
        let back: Vec<Probe> = decode_csv(&csv, "probe.csv").expect("decodes");
        assert_ne!(back, empty);
        assert!(!survives_csv(&[probe("a", "x", None, Some(f64::NAN))]));
    }

    fn row(i: usize) -> NormalisedText {
        NormalisedText {
            doc_id: format!("{i:08}"),
            text: format!("text {i}"),
        }
    }

    #[test]
    fn a_streamed_table_equals_the_encoded_one_and_refuses_a_step_back_across_batches() {
        let dir = tempfile::tempdir().expect("tempdir");
        let rows: Vec<NormalisedText> = (0..BATCH_ROWS + 10).map(row).collect();
        let mut stream = TableStream::<NormalisedText>::create(dir.path()).expect("create");
        stream
            .push(rows[..BATCH_ROWS].to_vec())
            .expect("first batch");
        let (middle, rest) = rows[BATCH_ROWS..].split_at(4);
        let encoded_middle = csv_body(middle).expect("csv body");
        stream
            .push_encoded(middle.to_vec(), &encoded_middle)
            .expect("rows encoded by the caller");
        stream.push(rest.to_vec()).expect("the rest");
        let staged = stream.finish().expect("finish");
        let mut again = rows.clone();
        let encoded = encode(&mut again).expect("encode");
        assert_eq!(
            std::fs::read(&staged[0].tmp).expect("parquet"),
            encoded.parquet
        );
        assert_eq!(std::fs::read(&staged[1].tmp).expect("csv"), encoded.csv);

        // The first row after a flushed batch is checked against that batch's last row.
        let dir = tempfile::tempdir().expect("tempdir");
        let mut stream = TableStream::<NormalisedText>::create(dir.path()).expect("create");
        stream
            .push(rows[..BATCH_ROWS].to_vec())
            .expect("first batch");
        let repeated = rows[BATCH_ROWS - 1].clone();
        assert!(matches!(
            stream.push(vec![repeated]),
            Err(TableError::DuplicateKey { .. })
        ));
    }

    #[test]
    fn a_table_decoded_in_pieces_equals_one_read_in_one_pass_and_names_the_same_bad_line() {
        // Quoted fields with line breaks, doubled quotes and commas: a cut inside one of them
        // would split a record.
        let texts = [
            "plain",
            "deux\n\nparagraphes",
            "« cité, \"dit-il\" »",
            "",
            "a\nb\nc",
        ];
        let mut rows: Vec<NormalisedText> = (0..40)
            .map(|i| NormalisedText {
                doc_id: format!("{i:04}"),
                text: texts[i % texts.len()].to_string(),
            })
            .collect();
        let csv = encode(&mut rows).expect("encode").csv;
        let whole: Vec<NormalisedText> = csv_rows(&csv, "t.csv")
            .expect("header")
            .collect::<Result<_, _>>()
            .expect("one pass");
        assert_eq!(whole, rows);
        for piece_bytes in [1, 7, 64, 1 << 20] {
            let pieces: Vec<NormalisedText> =
                decode_csv_in_pieces(&csv, "t.csv", piece_bytes).expect("in pieces");
            assert_eq!(pieces, rows, "pieces of {piece_bytes} bytes");
        }
        assert_eq!(record_pieces(&csv, 0, 1).len(), rows.len() + 1);

        // A malformed record late in the file: the same error line either way.
        let mut bad = String::from_utf8(csv).expect("utf-8");
        bad.push_str("0040\n");
        bad.push_str("0041,\"x\ny\",extra\n");
        let line = |e: TableError| match e {
            TableError::Read { line, .. } => line,
            other => panic!("unexpected error {other}"),
        };
        let one_pass = csv_rows::<NormalisedText>(bad.as_bytes(), "t.csv")
            .expect("header")
            .collect::<Result<Vec<_>, _>>()
            .map(|_| ())
            .expect_err("a short record");
        let want = line(one_pass);
        for piece_bytes in [1, 7, 64, 1 << 20] {
            let got = decode_csv_in_pieces::<NormalisedText>(bad.as_bytes(), "t.csv", piece_bytes)
                .map(|_| ())
                .expect_err("a short record");
            assert_eq!(line(got), want, "pieces of {piece_bytes} bytes");
        }
    }
}
