//! Tables: one row type per table, one writer for all of them.
//!
//! Every table the pipeline writes is declared with [`table!`], which gives the row struct, its
//! column schema (names, types, descriptions taken from the doc comments) and its primary key.
//! [`encode`] sorts the rows by that key, refuses duplicate keys, and renders the same rows as
//! Parquet (arrow-rs, plain Utf8 / date32 / int64 / bool / float64, a fixed `created_by`) and as
//! CSV (UTF-8, no BOM, LF, RFC 4180 quoting, empty = missing). Identical rows always give
//! identical bytes: nothing here reads a clock or depends on input order.

mod codec;
mod rows;

pub use codec::{
    csv_body, csv_rows, decode_csv, encode, survives_csv, to_csv as rows_to_csv, Closed, Encoded,
    Staged, TableStream,
};
pub use rows::*;

use std::cmp::Ordering;

/// The logical type of a column, as written to Parquet and described in datapackage.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
}

impl ColumnType {
    /// The Frictionless Table Schema type name.
    pub fn frictionless(self) -> &'static str {
        match self {
            ColumnType::Text => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
        }
    }
}

/// One column of a table schema.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    pub nullable: bool,
    pub description: &'static str,
}

/// One cell value, borrowed from a row, for the writer.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(Option<&'a str>),
    Integer(Option<i64>),
    Number(Option<f64>),
    Boolean(Option<bool>),
    Date(Option<jiff::civil::Date>),
}

/// A Rust type that can be stored in a table column.
pub trait CellType {
    const KIND: ColumnType;
    const NULLABLE: bool;
    fn cell(&self) -> Cell<'_>;
}

macro_rules! cell_type {
    ($t:ty, $kind:ident, $null:expr, |$v:ident| $some:expr, |$o:ident| $opt:expr) => {
        impl CellType for $t {
            const KIND: ColumnType = ColumnType::$kind;
            const NULLABLE: bool = false;
            fn cell(&self) -> Cell<'_> {
                let $v = self;
                Cell::$kind(Some($some))
            }
        }
        impl CellType for Option<$t> {
            const KIND: ColumnType = ColumnType::$kind;
            const NULLABLE: bool = $null;
            fn cell(&self) -> Cell<'_> {
                let $o = self;
                Cell::$kind($opt)
            }
        }
    };
}

cell_type!(String, Text, true, |v| v.as_str(), |o| o.as_deref());
// Text a row may borrow for its lifetime (reference ids, fixed labels) or own.
cell_type!(
    std::borrow::Cow<'static, str>,
    Text,
    true,
    |v| v.as_ref(),
    |o| o.as_deref()
);
cell_type!(i64, Integer, true, |v| *v, |o| *o);
cell_type!(f64, Number, true, |v| *v, |o| *o);
cell_type!(bool, Boolean, true, |v| *v, |o| *o);
cell_type!(jiff::civil::Date, Date, true, |v| *v, |o| *o);

/// A table row: its schema, its cells in schema order, and its primary-key order.
pub trait Row: serde::Serialize + serde::de::DeserializeOwned + Send + Sync {
    /// The table's file stem, e.g. `documents`.
    const TABLE: &'static str;
    /// The primary key's column names, in sort order.
    const KEY: &'static [&'static str];
    fn columns() -> Vec<Column>;
    fn cells(&self) -> Vec<Cell<'_>>;
    /// Total order by primary key; the writer sorts with it and rejects ties.
    fn key_cmp(&self, other: &Self) -> Ordering;
}

/// Declares a table row struct with its schema and primary key.
///
/// Doc comments on fields become column descriptions in datapackage.json.
#[macro_export]
macro_rules! table {
    (
        $(#[doc = $sdoc:literal])*
        pub struct $name:ident in $table:literal key ($($key:ident),+) {
            $(
                #[doc = $doc:literal]
                $(#[$fattr:meta])*
                pub $field:ident : $ty:ty,
            )+
        }
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                #[doc = $doc]
                $(#[$fattr])*
                pub $field: $ty,
            )+
        }

        impl $crate::table::Row for $name {
            const TABLE: &'static str = $table;
            const KEY: &'static [&'static str] = &[$(stringify!($key)),+];
            fn columns() -> Vec<$crate::table::Column> {
                vec![$(
                    $crate::table::Column {
                        name: stringify!($field),
                        kind: <$ty as $crate::table::CellType>::KIND,
                        nullable: <$ty as $crate::table::CellType>::NULLABLE,
                        description: $doc.trim_ascii(),
                    },
                )+]
            }
            fn cells(&self) -> Vec<$crate::table::Cell<'_>> {
                vec![$($crate::table::CellType::cell(&self.$field)),+]
            }
            fn key_cmp(&self, other: &Self) -> std::cmp::Ordering {
                ($(&self.$key,)+).cmp(&($(&other.$key,)+))
            }
        }
    };
}
