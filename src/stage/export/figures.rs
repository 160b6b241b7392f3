//! The report's figures as SVG, written by hand from the events (no plotting dependency, and
//! every coordinate printed with fixed precision so that the bytes never vary): a timeline of
//! events by type with their fatality ranges, and a map of event locations over Natural Earth
//! country outlines.

use std::fmt::Write as _;

use jiff::civil::Date;
use serde_json::Value;

use crate::table::Event;

const TYPES: [(&str, &str); 6] = [
    ("Battles", "#1b9e77"),
    ("Explosions/Remote violence", "#d95f02"),
    ("Violence against civilians", "#7570b3"),
    ("Strategic developments", "#e7298a"),
    ("Protests", "#66a61e"),
    ("Riots", "#e6ab02"),
];

fn colour(t: &str) -> &'static str {
    TYPES
        .iter()
        .find(|(n, _)| *n == t)
        .map_or("#666666", |(_, c)| c)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn days(d: Date) -> i64 {
    d.since(jiff::civil::date(1970, 1, 1))
        .map(|s| s.get_days() as i64)
        .unwrap_or(0)
}

/// Events over time: one lane per event type, a vertical bar from low to high fatalities and a
/// dot at the best estimate.
pub fn timeline(events: &[Event]) -> String {
    let (w, h, left, right, top, bottom) = (900.0, 420.0, 70.0, 20.0, 40.0, 60.0);
    let dated: Vec<&Event> = events
        .iter()
        .filter(|e| e.event_date.is_some() && !e.background)
        .collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{left}" y="20" font-size="14">Events by date and type, fatalities low-best-high (background events excluded)</text>"#
    );
    if dated.is_empty() {
        let _ = writeln!(
            s,
            r#"<text x="{left}" y="{}">No dated events.</text>"#,
            h / 2.0
        );
        s.push_str("</svg>\n");
        return s;
    }
    let d0 = dated
        .iter()
        .filter_map(|e| e.event_date)
        .map(days)
        .min()
        .unwrap_or(0)
        - 1;
    let d1 = dated
        .iter()
        .filter_map(|e| e.event_date_end.or(e.event_date))
        .map(days)
        .max()
        .unwrap_or(0)
        + 1;
    let ymax = dated
        .iter()
        .filter_map(|e| e.fatalities_high.or(e.fatalities_best).or(e.fatalities_low))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let x = |d: i64| left + (d - d0) as f64 / (d1 - d0).max(1) as f64 * (w - left - right);
    let y = |v: f64| h - bottom - v / ymax * (h - top - bottom);
    let _ = writeln!(
        s,
        r#"<line x1="{left:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="black"/>"#,
        h - bottom,
        w - right,
        h - bottom
    );
    let _ = writeln!(
        s,
        r#"<line x1="{left:.1}" y1="{top:.1}" x2="{left:.1}" y2="{:.1}" stroke="black"/>"#,
        h - bottom
    );
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{:.0}</text>"#,
            left - 6.0,
            y(v) + 4.0,
            v
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="14" y="{:.1}" transform="rotate(-90 14 {:.1})">killed</text>"#,
        h / 2.0,
        h / 2.0
    );
    for (label, d) in [(true, d0 + 1), (false, d1 - 1)] {
        let date = jiff::civil::date(1970, 1, 1)
            .checked_add(jiff::Span::new().days(d))
            .map(|d| d.to_string())
            .unwrap_or_default();
        let anchor = if label { "start" } else { "end" };
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}">{date}</text>"#,
            x(d),
            h - bottom + 16.0
        );
    }
    let mut sorted = dated.clone();
    sorted.sort_by(|a, b| (a.event_date, &a.event_id).cmp(&(b.event_date, &b.event_id)));
    for e in sorted {
        let d = e.event_date.map(days).unwrap_or(d0);
        let c = colour(&e.event_type);
        let low = e.fatalities_low.unwrap_or(0) as f64;
        let high = e.fatalities_high.or(e.fatalities_best).unwrap_or(0) as f64;
        let best = e.fatalities_best.unwrap_or(0) as f64;
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{c}" stroke-width="3"/>"#,
            x(d),
            y(low),
            x(d),
            y(high)
        );
        let _ = writeln!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{c}"><title>{} {}: {}</title></circle>"#,
            x(d),
            y(best),
            escape(e.location.as_deref().unwrap_or("?")),
            e.event_date.map(|d| d.to_string()).unwrap_or_default(),
            escape(&e.sub_event_type)
        );
    }
    for (i, (t, c)) in TYPES.iter().take(3).enumerate() {
        let lx = left + i as f64 * 250.0;
        let _ = writeln!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="10" height="10" fill="{c}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            h - 22.0,
            lx + 14.0,
            h - 13.0,
            escape(t)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Event locations over country outlines (Natural Earth), within the Sahel's bounding box.
pub fn map(events: &[Event], boundaries: &Value) -> String {
    let (lon0, lon1, lat0, lat1) = (-18.0f64, 25.0f64, 2.0f64, 28.0f64);
    let (w, h) = (860.0f64, 520.0f64);
    let px = |lon: f64| (lon - lon0) / (lon1 - lon0) * w;
    let py = |lat: f64| (lat1 - lat) / (lat1 - lat0) * h;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" viewBox="0 0 {w} {}" font-family="sans-serif" font-size="11">"#,
        h + 30.0,
        h + 30.0
    );
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#eef4f8"/>"##);
    let features = boundaries
        .get("features")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for f in &features {
        let name = f
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let geom = f.get("geometry").cloned().unwrap_or(Value::Null);
        let polys: Vec<Value> = match geom.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![geom.get("coordinates").cloned().unwrap_or(Value::Null)],
            Some("MultiPolygon") => geom
                .get("coordinates")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => vec![],
        };
        let mut d = String::new();
        let mut visible = false;
        for poly in polys {
            for ring in poly.as_array().cloned().unwrap_or_default() {
                let pts: Vec<(f64, f64)> = ring
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                    .collect();
                if pts
                    .iter()
                    .any(|(lo, la)| (lon0..=lon1).contains(lo) && (lat0..=lat1).contains(la))
                {
                    visible = true;
                }
                for (i, (lo, la)) in pts.iter().enumerate() {
                    let _ = write!(
                        d,
                        "{}{:.1},{:.1}",
                        if i == 0 { "M" } else { "L" },
                        px(*lo),
                        py(*la)
                    );
                }
                d.push('Z');
            }
        }
        if visible {
            let _ = writeln!(
                s,
                r##"<path d="{d}" fill="#fbfbf5" stroke="#888" stroke-width="0.8"><title>{}</title></path>"##,
                escape(name)
            );
        }
    }
    let mut placed: Vec<&Event> = events
        .iter()
        .filter(|e| e.latitude.is_some() && e.longitude.is_some())
        .collect();
    placed.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    for e in placed {
        let (la, lo) = (e.latitude.unwrap_or(0.0), e.longitude.unwrap_or(0.0));
        let r = 3.0 + (e.fatalities_best.unwrap_or(0) as f64).sqrt().min(12.0);
        let _ = writeln!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{r:.1}" fill="{}" fill-opacity="{}" stroke="black" stroke-width="0.5"><title>{} {}</title></circle>"#,
            px(lo),
            py(la),
            colour(&e.event_type),
            if e.background { "0.35" } else { "0.8" },
            escape(e.location.as_deref().unwrap_or("?")),
            e.event_date.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="6" y="{:.1}">Event locations (size: best fatality estimate; faint: background events). Made with Natural Earth.</text>"#,
        h + 20.0
    );
    s.push_str("</svg>\n");
    s
}
