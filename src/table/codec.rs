//! Renders sorted rows as Parquet and CSV bytes, and reads CSV tables back into rows.
//!
//! Parquet files are written by arrow-rs with plain `Utf8` strings, `date32` dates, `int64`
//! integers, `float64` numbers and `bool` flags, snappy pages, and the fixed `created_by`
//! [`CREATED_BY`]: pandas, pyarrow, polars, duckdb and R read them without view or large types.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, RecordBatch,
    StringBuilder,
};
use arrow::datatypes::{DataType, Field, Schema};
use parquet::arrow::arrow_writer::{ArrowWriter, ArrowWriterOptions};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{Cell, ColumnType, Row};
use crate::error::TableError;

/// The `created_by` recorded in every Parquet footer; never a build- or time-dependent string.
pub const CREATED_BY: &str = "concord (arrow-rs parquet)";

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
    rows.sort_by(|a, b| a.key_cmp(b));
    if let Some(w) = rows.windows(2).find(|w| w[0].key_cmp(&w[1]).is_eq()) {
        return Err(TableError::DuplicateKey {
            table: T::TABLE,
            key: format!("{:?}", key_text(&w[0])),
        });
    }
    Ok(Encoded {
        table: T::TABLE,
        rows: rows.len(),
        parquet: to_parquet(rows)?,
        csv: to_csv(rows)?,
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
    match cell {
        Cell::Text(v) => v.unwrap_or_default().to_string(),
        Cell::Integer(v) => v.map(|x| x.to_string()).unwrap_or_default(),
        Cell::Number(v) => v.map(|x| x.to_string()).unwrap_or_default(),
        Cell::Boolean(v) => v.map(|x| x.to_string()).unwrap_or_default(),
        Cell::Date(v) => v.map(|x| x.to_string()).unwrap_or_default(),
    }
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
    let columns = T::columns();
    let schema = Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(c.name, arrow_type(c.kind), c.nullable))
            .collect::<Vec<_>>(),
    ));
    let cells: Vec<Vec<Cell<'_>>> = rows.iter().map(|r| r.cells()).collect();
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| column_array(c.kind, cells.iter().map(|row| row[i])))
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| TableError::Arrow {
        table: T::TABLE,
        source: e,
    })?;
    let props = WriterProperties::builder()
        .set_created_by(CREATED_BY.to_string())
        .set_compression(Compression::SNAPPY)
        .build();
    let options = ArrowWriterOptions::new().with_properties(props);
    let mut out = Vec::new();
    let parquet_err = |e| TableError::Parquet {
        table: T::TABLE,
        source: e,
    };
    let mut writer =
        ArrowWriter::try_new_with_options(&mut out, schema, options).map_err(parquet_err)?;
    writer.write(&batch).map_err(parquet_err)?;
    writer.close().map_err(parquet_err)?;
    Ok(out)
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

fn to_csv<T: Row>(rows: &[T]) -> Result<Vec<u8>, TableError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let header: Vec<&str> = T::columns().iter().map(|c| c.name).collect();
    let csv_err = |e| TableError::Csv {
        table: T::TABLE,
        source: e,
    };
    w.write_record(&header).map_err(csv_err)?;
    for row in rows {
        let record: Vec<String> = row.cells().iter().map(cell_text).collect();
        w.write_record(&record).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| TableError::Io {
        path: format!("<{} csv buffer>", T::TABLE),
        source: e.into_error(),
    })
}

/// Reads a CSV table written by [`encode`] back into rows, checking the header first.
pub fn decode_csv<T: Row>(bytes: &[u8], path: &str) -> Result<Vec<T>, TableError> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
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
    r.deserialize()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| TableError::Read {
                path: path.to_string(),
                line: e.position().map_or(i as u64 + 2, |p| p.line()),
                source: e,
            })
        })
        .collect()
}
