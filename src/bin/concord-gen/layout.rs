//! House style of outlets: headings, apostrophes, slugs, URLs, thousands separators and the layout
//! of paragraphs with datelines, titles and bylines.

use jiff::civil::Date;

use crate::french::dm;
use crate::geo::Cty;
use crate::outlet::{person, Outlet, Style, FR_FIRST, FR_LAST};
use crate::rng::Rng;
use crate::truth::{TClaim, TEvent};
use crate::writer::{Body, Cx};

pub(crate) fn afp_heading(rng: &mut Rng) -> String {
    let h = *rng.pick(&[
        "Regain de violences",
        "Zone des trois frontières",
        "Spirale",
        "Représailles",
        "Pression jihadiste",
        "Blocus",
        "Exode",
        "Junte",
        "Souveraineté",
        "Axes routiers",
        "Menace persistante",
    ]);
    format!("- {h} -")
}

pub(crate) fn rfi_heading(rng: &mut Rng, place: &str) -> String {
    rng.pick(&[
        format!("Inquiétude à {place}"),
        "Des sources locales évoquent un bilan plus lourd".to_string(),
        "L'armée sous pression".to_string(),
        "Des populations livrées à elles-mêmes".to_string(),
        "Un conflit qui s'enlise".to_string(),
    ])
    .clone()
}

pub(crate) fn apostrophes(style: Style, s: &str) -> String {
    match style {
        Style::Afp | Style::Reuters => s
            .replace("«\u{a0}", "\"")
            .replace("\u{a0}»", "\"")
            .replace("« ", "\"")
            .replace(" »", "\""),
        Style::Rfi | Style::Mag | Style::Radio => s
            .replace('\'', "’")
            .replace("« ", "«\u{a0}")
            .replace(" »", "\u{a0}»"),
        _ => s.to_string(),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(70).collect()
}

pub(crate) fn url_for(o: &Outlet, pubd: Date, title: &str, id: u64) -> String {
    if o.domain.is_empty() {
        return String::new();
    }
    format!(
        "https://{}/{}/{:02}/{:02}/{}-{id}",
        o.domain,
        pubd.year(),
        pubd.month(),
        pubd.day(),
        slugify(title)
    )
}

/// Lays out paragraphs in the outlet's house style, with its datelines, titles and bylines.
pub(crate) fn layout(
    cx: &mut Cx,
    body: Body,
    title: &str,
    title_claim: Option<(usize, TClaim)>,
    events: &mut [TEvent],
    place_cty: Cty,
) -> String {
    let mut paras = body.paras;
    let style = cx.style;
    let o = cx.outlet;
    let pubd = cx.pubd;
    let capital = place_cty.info().capital;
    let mut head: Vec<String> = Vec::new();
    let mut tail: Vec<String> = Vec::new();
    let mut title_in_body = false;
    match style {
        Style::Afp => {
            let city = if cx.rng.chance(0.85) {
                capital.to_uppercase()
            } else {
                "DAKAR".into()
            };
            if let Some(first) = paras.first_mut() {
                *first = format!("{city} (AFP) - {first}");
            }
            if cx.rng.chance(0.3) {
                tail.push(format!(
                    "{}/{}",
                    cx.rng.pick(&["bb", "fal", "sd", "cl", "mrb", "pid"]),
                    cx.rng.pick(&["ial", "jpc", "thm", "cls"])
                ));
            }
        }
        Style::Reuters => {
            let city = if cx.rng.chance(0.8) {
                capital.to_uppercase()
            } else {
                "DAKAR".into()
            };
            if let Some(first) = paras.first_mut() {
                *first = format!("{city}, {} (Reuters) - {first}", dm(pubd));
            }
            tail.push(format!(
                "(Reportage {} à {capital}, rédigé par {} {}; version française {} {}, édité par {} {})",
                person(&mut cx.rng),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST),
                cx.rng.pick(FR_FIRST),
                cx.rng.pick(FR_LAST)
            ));
        }
        Style::Rfi => {
            if cx.rng.chance(0.4) {
                head.push(format!(
                    "Avec notre correspondant à {capital}, {}",
                    person(&mut cx.rng)
                ));
            }
        }
        Style::Aa => {
            if cx.rng.chance(0.5) {
                head.push(format!(
                    "{} | {} {}",
                    person(&mut cx.rng),
                    dm(pubd),
                    pubd.year()
                ));
            }
        }
        Style::Mag => {
            title_in_body = true;
            head.push(title.to_string());
            head.push(format!(
                "Par {}",
                if cx.rng.chance(0.5) {
                    person(&mut cx.rng)
                } else {
                    format!("{} {}", cx.rng.pick(FR_FIRST), cx.rng.pick(FR_LAST))
                }
            ));
            head.push(format!(
                "Publié le {} {} à {}h{:02}",
                dm(pubd),
                pubd.year(),
                cx.rng.range(6, 22),
                cx.rng.range(0, 59)
            ));
        }
        Style::Local | Style::StateMedia => {
            title_in_body = cx.rng.chance(0.8);
            if title_in_body {
                head.push(title.to_string());
            }
            if cx.rng.chance(0.5) {
                head.push(format!(
                    "Publié le {:02}/{:02}/{}",
                    pubd.day(),
                    pubd.month(),
                    pubd.year()
                ));
            }
            if cx.rng.chance(0.6) {
                tail.push(person(&mut cx.rng));
            } else {
                tail.push(o.name.to_string());
            }
            if o.name == "AIB" {
                tail.push("Agence d'information du Burkina".into());
            }
        }
        Style::Radio => {
            title_in_body = cx.rng.chance(0.5);
            if title_in_body {
                head.push(title.to_string());
            }
        }
    }
    if title_in_body {
        if let Some((evi, mut c)) = title_claim {
            c.quote = title.to_string();
            events[evi].claims.insert(0, c);
        }
    }
    let sep = match style {
        Style::Rfi | Style::Radio => "\n",
        _ => "\n\n",
    };
    let mut all = head;
    all.append(&mut paras);
    all.append(&mut tail);
    let text = all.join(sep) + "\n";
    let text = apostrophes(style, &text);
    for e in events.iter_mut() {
        for c in &mut e.claims {
            c.quote = apostrophes(style, &c.quote);
        }
    }
    text
}

pub(crate) fn format_thousands(n: i64, style: Style) -> String {
    let s = n.to_string();
    let sep = if style == Style::Afp { "." } else { "\u{a0}" };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}
