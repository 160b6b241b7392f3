//! `datapackage.json`: a Frictionless Data Package describing every table file of the release
//! with its size, sha256 and Table Schema (types, descriptions from the row types' doc
//! comments, enum constraints for the codebook's value sets, primary and foreign keys).

use serde_json::{json, Map, Value};

use crate::config::Config;
use crate::pipeline::OutputFile;
use crate::table::{Claim, Column, Document, Event, EventClaim, EventCount, EventDocument, Row};

const VICTIM_GROUPS: [&str; 6] = [
    "civilians",
    "children",
    "women",
    "security_forces",
    "militants",
    "unknown",
];
const OUTCOMES: [&str; 4] = ["killed", "injured", "captured", "missing"];

/// Value sets of the codebook, by column name.
fn value_set(column: &str) -> Option<Vec<&'static str>> {
    Some(match column {
        "victim_group" => VICTIM_GROUPS.to_vec(),
        "outcome" => OUTCOMES.to_vec(),
        "qualifier" => vec![
            "exact", "at_least", "at_most", "approx", "range", "vague", "none",
        ],
        "source_kind" => vec![
            "state",
            "armed_group",
            "local",
            "ngo",
            "international",
            "media",
            "unattributed",
        ],
        "stance" => vec!["asserts", "denies"],
        "grade" => vec!["confirmed", "fair", "weak", "contested", "discounted"],
        "status" => vec!["ok", "empty", "whitespace_only", "binary", "too_large"],
        "published_source" => vec!["manifest", "header", "inferred"],
        "event_type" => vec![
            "Battles",
            "Explosions/Remote violence",
            "Violence against civilians",
            "Protests",
            "Riots",
            "Strategic developments",
        ],
        _ => return None,
    })
}

fn fields(columns: &[Column]) -> Value {
    Value::Array(
        columns
            .iter()
            .map(|c| {
                let mut f = Map::new();
                f.insert("name".into(), json!(c.name));
                f.insert("type".into(), json!(c.kind.frictionless()));
                f.insert("description".into(), json!(c.description));
                let mut constraints = Map::new();
                if !c.nullable {
                    constraints.insert("required".into(), json!(true));
                }
                if let Some(set) = value_set(c.name) {
                    constraints.insert("enum".into(), json!(set));
                }
                if !constraints.is_empty() {
                    f.insert("constraints".into(), Value::Object(constraints));
                }
                Value::Object(f)
            })
            .collect(),
    )
}

fn fk(fields: &[&str], resource: &str, ref_fields: &[&str]) -> Value {
    json!({"fields": fields, "reference": {"resource": resource, "fields": ref_fields}})
}

fn schema<T: Row>(foreign_keys: Vec<Value>) -> Value {
    json!({
        "fields": fields(&T::columns()),
        "primaryKey": T::KEY,
        "foreignKeys": foreign_keys,
        "missingValues": [""],
    })
}

/// The Table Schema of each release table, by table name.
pub fn schemas() -> Vec<(&'static str, Value)> {
    vec![
        (Document::TABLE, schema::<Document>(vec![])),
        (
            Claim::TABLE,
            schema::<Claim>(vec![fk(&["doc_id"], "documents", &["doc_id"])]),
        ),
        (Event::TABLE, schema::<Event>(vec![])),
        (
            EventClaim::TABLE,
            schema::<EventClaim>(vec![
                fk(&["event_id"], "events", &["event_id"]),
                fk(&["claim_id"], "claims", &["claim_id"]),
            ]),
        ),
        (
            EventDocument::TABLE,
            schema::<EventDocument>(vec![
                fk(&["event_id"], "events", &["event_id"]),
                fk(&["doc_id"], "documents", &["doc_id"]),
            ]),
        ),
        (
            EventCount::TABLE,
            schema::<EventCount>(vec![fk(&["event_id"], "events", &["event_id"])]),
        ),
    ]
}

/// Renders datapackage.json for the release files built so far.
pub fn build(cfg: &Config, files: &[OutputFile], content_id: &str) -> String {
    let e = &cfg.raw.export;
    let schemas = schemas();
    let mut resources = Vec::new();
    for (table, schema) in &schemas {
        for (format, mediatype) in [
            ("csv", "text/csv"),
            ("parquet", "application/vnd.apache.parquet"),
        ] {
            let name = format!("{table}.{format}");
            let Some(f) = files.iter().find(|f| {
                f.path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy() == name)
            }) else {
                continue;
            };
            let mut r = Map::new();
            // CSV resources keep the table's name so that foreign keys resolve in validators.
            r.insert(
                "name".into(),
                json!(if format == "csv" {
                    table.to_string()
                } else {
                    format!("{table}-parquet")
                }),
            );
            r.insert("path".into(), json!(name));
            r.insert("format".into(), json!(format));
            r.insert("mediatype".into(), json!(mediatype));
            if format == "csv" {
                r.insert("encoding".into(), json!("utf-8"));
                r.insert("dialect".into(), json!({"delimiter": ",", "lineTerminator": "\n", "quoteChar": "\"", "header": true}));
                r.insert("schema".into(), schema.clone());
            } else {
                r.insert("profile".into(), json!("data-resource"));
            }
            r.insert("bytes".into(), json!(f.bytes.len()));
            r.insert("hash".into(), json!(format!("sha256:{}", f.sha256())));
            r.insert("rows".into(), json!(f.rows));
            resources.push(Value::Object(r));
        }
    }
    let mut dp = json!({
        "profile": "data-package",
        "name": e.name,
        "title": e.title,
        "version": e.version,
        "content_id": content_id,
        "licenses": [{"name": e.licence, "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "sources": [
            {"title": "News reports in the corpus (see documents.csv)", "path": "documents.csv"},
            {"title": "GeoNames gazetteer (CC BY 4.0): Contains data from GeoNames, https://www.geonames.org", "path": "https://www.geonames.org"},
            {"title": "Natural Earth 1:110m country outlines (public domain), used in the report's map", "path": "https://www.naturalearthdata.com"}
        ],
        "contributors": e.authors.iter().map(|a| json!({"title": a, "role": "author"})).collect::<Vec<_>>(),
        "resources": resources,
    });
    if let Some(d) = &e.release_date {
        dp["created"] = json!(format!("{d}T00:00:00Z"));
    }
    let mut text = serde_json::to_string_pretty(&dp).expect("a JSON value always serialises");
    text.push('\n');
    text
}
