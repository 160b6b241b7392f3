//! French helpers: elision, capitals, quotes, number words (traditional spelling) and day and month
//! phrasing; pure functions of their arguments.

use jiff::civil::Date;
use jiff::ToSpan;

pub(crate) fn elides(w: &str) -> bool {
    let lw = w.to_lowercase();
    if ["onze", "huit", "hauts", "hameau", "hui"]
        .iter()
        .any(|p| lw.starts_with(p))
    {
        return false;
    }
    lw.chars()
        .next()
        .is_some_and(|c| "aeéèêëiîïoôuûùyhœ".contains(c))
}

/// "de X" / "d'X".
pub(crate) fn de(w: &str) -> String {
    if elides(w) {
        format!("d'{w}")
    } else {
        format!("de {w}")
    }
}

/// "de" before a counted noun phrase: "de 12 soldats", "d'au moins 12", "de nombreux civils",
/// "de dizaines de civils".
pub(crate) fn de_np(np: &str) -> String {
    if let Some(rest) = np.strip_prefix("des ") {
        format!("de {rest}")
    } else if np.starts_with("de ") {
        np.to_string()
    } else {
        de(np)
    }
}

pub(crate) fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A quotation, written with French guillemets; AFP style turns them into straight quotes.
pub(crate) fn q(s: &str) -> String {
    format!("«\u{a0}{s}\u{a0}»")
}

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

fn words_below_100(n: i64) -> String {
    let n = n as usize;
    match n {
        0..=16 => UNITS[n].into(),
        17..=19 => format!("dix-{}", UNITS[n - 10]),
        _ => {
            let (t, u) = (n / 10, n % 10);
            match t {
                2..=6 => {
                    let tw = [
                        "",
                        "",
                        "vingt",
                        "trente",
                        "quarante",
                        "cinquante",
                        "soixante",
                    ][t];
                    match u {
                        0 => tw.into(),
                        1 => format!("{tw} et un"),
                        _ => format!("{tw}-{}", UNITS[u]),
                    }
                }
                7 => {
                    if n == 71 {
                        "soixante et onze".into()
                    } else {
                        format!("soixante-{}", words_below_100(n as i64 - 60))
                    }
                }
                8 => {
                    if u == 0 {
                        "quatre-vingts".into()
                    } else {
                        format!("quatre-vingt-{}", UNITS[u])
                    }
                }
                _ => format!("quatre-vingt-{}", words_below_100(n as i64 - 80)),
            }
        }
    }
}

/// French number words, traditional spelling ("vingt et un", "quatre-vingts", "deux cents").
pub(crate) fn words(n: i64, fem: bool) -> String {
    let (h, r) = (n / 100, n % 100);
    let mut s = match h {
        0 => words_below_100(r),
        1 if r == 0 => "cent".into(),
        1 => format!("cent {}", words_below_100(r)),
        _ if r == 0 => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent {}", UNITS[h as usize], words_below_100(r)),
    };
    if fem && (s == "un" || s.ends_with(" un") || s.ends_with("-un")) {
        s.push('e');
    }
    s
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub(crate) const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub(crate) fn wd(d: Date) -> &'static str {
    WEEKDAYS[d.weekday().to_monday_zero_offset() as usize]
}

pub(crate) fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days())
        .expect("dates stay within 2021-2026")
}

pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    i64::from(a.until(b).expect("dates stay within 2021-2026").get_days())
}

/// "12 mars", "1er avril".
pub(crate) fn dm(d: Date) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {}", MONTHS[d.month() as usize - 1])
}

pub(crate) fn month_end(d: Date) -> Date {
    let first = Date::new(d.year(), d.month(), 1).expect("valid month start");
    add_days(first.checked_add(1.month()).expect("valid month"), -1)
}
