//! Writing context of one article: `Body` (paragraphs and the truth of what they state), `Loc`,
//! `When` and the `Cx` methods that write places, targets, dates and attributions.

use jiff::civil::Date;

use crate::event::{Ev, Fig, Kind, Target};
use crate::french::{add_days, days_between, de, de_np, dm, wd};
use crate::geo::{admin2_np, region_np, zone_np, Anchor, Gaz, Place};
use crate::outlet::{Outlet, Style};
use crate::rng::Rng;
use crate::sources::Src;
use crate::truth::{TClaim, TEvent};

/// One article being written: paragraphs and the truth of what they state.
pub(crate) struct Body {
    pub(crate) paras: Vec<String>,
    cur: Vec<String>,
    pub(crate) events: Vec<TEvent>,
    /// (victim_group, outcome) of the claims of the previous sentence in this paragraph.
    prev: Vec<(&'static str, &'static str)>,
}

/// Typography slips of template assembly: "..., dont trois femmes,." and doubled spaces.
fn tidy(s: &str) -> String {
    s.replace(",.", ".").replace(", ,", ",").replace("  ", " ")
}

impl Body {
    pub(crate) fn new() -> Body {
        Body {
            paras: Vec::new(),
            cur: Vec::new(),
            events: Vec::new(),
            prev: Vec::new(),
        }
    }
    pub(crate) fn say(&mut self, s: String) {
        self.prev.clear();
        self.cur.push(tidy(&s));
    }
    /// A sentence stating claims. Codebook rule: a generic group ("morts", "personnes")
    /// takes the group of the previous sentence's claim in the same paragraph when the
    /// outcome is the same.
    pub(crate) fn claim(&mut self, ev: usize, s: String, claims: Vec<TClaim>) {
        let s = tidy(&s);
        let prev = std::mem::take(&mut self.prev);
        for mut c in claims {
            // "aucune victime" states that nobody was hit: it is not about the previous group.
            if c.victim_group == "unknown" && c.low != Some(0) {
                if let Some((g, _)) = prev.iter().find(|(_, o)| *o == c.outcome) {
                    c.victim_group = g;
                }
            }
            c.quote = s.clone();
            self.prev.push((c.victim_group, c.outcome));
            self.events[ev].claims.push(c);
        }
        self.cur.push(s);
    }
    pub(crate) fn end(&mut self) {
        self.prev.clear();
        if !self.cur.is_empty() {
            self.paras.push(self.cur.join(" "));
            self.cur.clear();
        }
    }
    pub(crate) fn line(&mut self, s: String) {
        self.end();
        self.paras.push(s);
    }
}

/// Writing context of one article.
pub(crate) struct Cx<'a> {
    pub(crate) rng: Rng,
    pub(crate) gaz: &'a Gaz,
    pub(crate) style: Style,
    pub(crate) outlet: &'static Outlet,
    pub(crate) pubd: Date,
}

/// Where, as written in this article, and what the truth says it is.
pub(crate) struct Loc {
    /// "à Kéra, dans la région de Mopti", "près de Djibo", "à 30 km de Kaya".
    pub(crate) at: String,
    /// "de Kéra, dans la région de Mopti" (after a target noun), or None when the article
    /// names only a nearby town.
    pub(crate) of: Option<String>,
    pub(crate) name: String,
    pub(crate) place: usize,
    pub(crate) wprec: u8,
}

/// When, as written, and its truth.
pub(crate) struct When {
    pub(crate) text: String,
    pub(crate) start: Date,
    pub(crate) end: Date,
}

impl<'a> Cx<'a> {
    pub(crate) fn p(&self, i: usize) -> &'a Place {
        &self.gaz.places[i]
    }

    fn km_text(&mut self, km: i64) -> String {
        if km >= 15 && self.rng.chance(0.35) {
            let w = match km {
                15..=17 => "une quinzaine",
                18..=24 => "une vingtaine",
                25..=34 => "une trentaine",
                35..=44 => "une quarantaine",
                45..=54 => "une cinquantaine",
                55..=69 => "une soixantaine",
                _ => "une centaine",
            };
            format!("{w} de kilomètres")
        } else if self.style == Style::Afp || self.style == Style::Reuters {
            format!("{km} km")
        } else {
            format!("{km} kilomètres")
        }
    }

    /// A locative phrase for an event place, in one of the ways reports write it.
    pub(crate) fn loc(&mut self, place: usize, anchor: Option<Anchor>) -> Loc {
        let p = self.p(place);
        let name = p.written.clone();
        let region = region_np(p);
        let a2 = admin2_np(p);
        let mode = *self.rng.pick_w(&[
            (14, 0u8),
            (26, 1),
            (if a2.is_some() { 10 } else { 0 }, 2),
            (7, 3),
            (6, 4),
            (if anchor.is_some() { 13 } else { 0 }, 5),
            (8, 6),
            (if anchor.is_some() { 8 } else { 0 }, 7),
        ]);
        let mk = |at: String, of: Option<String>, place: usize, wprec: u8, name: String| Loc {
            at,
            of,
            name,
            place,
            wprec,
        };
        match mode {
            0 => mk(format!("à {name}"), Some(de(&name)), place, 1, name),
            1 => {
                let suffix = format!(", dans {region}");
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            2 => {
                let suffix = format!(", dans {}", a2.expect("mode 2 needs admin2"));
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            3 => {
                let z = zone_np(p, &mut self.rng);
                let suffix = format!(", dans {z}");
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            4 => mk(
                format!("dans la localité {}, dans {region}", de(&name)),
                Some(format!("{}, une localité de {region}", de(&name))),
                place,
                1,
                name,
            ),
            5 => {
                let a = anchor.expect("mode 5 needs an anchor");
                let an = self.p(a.place).written.clone();
                let km = self.km_text(a.km);
                let suffix = format!(", à {km} {} {}", a.dir, de(&an));
                mk(
                    format!("à {name}{suffix}"),
                    Some(format!("{}{suffix}", de(&name))),
                    place,
                    1,
                    name,
                )
            }
            6 => mk(format!("près {}", de(&name)), None, place, 2, name),
            _ => {
                let a = anchor.expect("mode 7 needs an anchor");
                let an = self.p(a.place).written.clone();
                let km = self.km_text(a.km);
                let dir = if self.rng.chance(0.5) {
                    format!(" {}", a.dir)
                } else {
                    String::new()
                };
                mk(format!("à {km}{dir} {}", de(&an)), None, a.place, 2, an)
            }
        }
    }

    /// "le camp militaire de X, dans la région de Y" or "un camp militaire situé près de X".
    pub(crate) fn target_np(&mut self, t: Target, loc: &Loc) -> String {
        let (def, indef, fem) = match t {
            Target::Village => ("le village", "un village", false),
            Target::Market => ("le marché", "le marché hebdomadaire d'un village", false),
            Target::Mosque => ("la mosquée", "une mosquée", true),
            Target::Church => ("l'église", "une église", true),
            Target::GoldSite => ("le site d'orpaillage", "un site d'orpaillage", false),
            Target::Wedding => ("une cérémonie de mariage", "une cérémonie de mariage", true),
            Target::Camp => {
                let &(d, i) = self.rng.pick(&[
                    ("le camp militaire", "un camp militaire"),
                    ("le poste militaire", "un poste militaire"),
                    ("le détachement militaire", "un détachement militaire"),
                    ("la base militaire", "une base militaire"),
                ]);
                (d, i, d.starts_with("la "))
            }
            Target::Post => {
                let &(d, i) = self.rng.pick(&[
                    ("le poste de gendarmerie", "un poste de gendarmerie"),
                    ("la brigade de gendarmerie", "une brigade de gendarmerie"),
                    ("le commissariat", "un commissariat"),
                    ("le poste de police", "un poste de police"),
                ]);
                (d, i, d.starts_with("la "))
            }
            Target::Convoy => ("un convoi militaire", "un convoi militaire", false),
            Target::Bus => (
                "un car de transport en commun",
                "un car de transport en commun",
                false,
            ),
            Target::Cart => ("une charrette", "une charrette", true),
            Target::Town => ("la ville", "la ville", true),
        };
        match (&loc.of, t) {
            (_, Target::Wedding | Target::Convoy | Target::Bus | Target::Cart) => {
                format!("{def} {}", loc.at)
            }
            (Some(of), _) if t == Target::Mosque || t == Target::Church => {
                if self.rng.chance(0.5) {
                    format!("{def} {of}")
                } else {
                    format!("{indef} {}", loc.at)
                }
            }
            (Some(of), _) => format!("{def} {of}"),
            (None, _) => {
                let situe = if fem { "située" } else { "situé" };
                if t == Target::Market || t == Target::Town {
                    format!("{def} {}", loc.at)
                } else {
                    format!("{indef} {situe} {}", loc.at)
                }
            }
        }
    }

    /// The event date written relative to the publication date.
    pub(crate) fn when(&mut self, start: Date, night: bool) -> When {
        let d = days_between(start, self.pubd);
        let year_suffix = |s: &mut Self, x: Date| -> String {
            if x.year() != s.pubd.year() {
                format!(" {}", x.year())
            } else {
                String::new()
            }
        };
        if night && d >= 1 {
            let end = add_days(start, 1);
            let text = if d <= 6 && self.rng.chance(0.7) {
                format!("dans la nuit de {} à {}", wd(start), wd(end))
            } else if start.month() == end.month() {
                format!(
                    "dans la nuit du {} au {}{}",
                    if start.day() == 1 {
                        "1er".into()
                    } else {
                        start.day().to_string()
                    },
                    dm(end),
                    year_suffix(self, end)
                )
            } else {
                format!(
                    "dans la nuit du {} au {}{}",
                    dm(start),
                    dm(end),
                    year_suffix(self, end)
                )
            };
            return When { text, start, end };
        }
        let local = matches!(self.style, Style::Local | Style::Radio | Style::StateMedia);
        let text = match d {
            0 => {
                if self.rng.chance(0.5) {
                    format!("ce {}", wd(start))
                } else {
                    format!("ce {} matin", wd(start))
                }
            }
            1 => match self.rng.below(7) {
                0 if local => "hier".into(),
                1 => format!("{} soir", wd(start)),
                2 => format!("{} matin", wd(start)),
                3 if local => format!("le {} {}", wd(start), dm(start)),
                4 => format!("dans la journée de {}", wd(start)),
                _ => wd(start).into(),
            },
            2..=6 => match self.rng.below(6) {
                0 => format!("{} dernier", wd(start)),
                1 => format!("le {} {}", wd(start), dm(start)),
                2 => format!("le {}{}", dm(start), year_suffix(self, start)),
                3 => format!("{} soir", wd(start)),
                _ => wd(start).into(),
            },
            _ => match self.rng.below(4) {
                0 => format!("le {} {}{}", wd(start), dm(start), year_suffix(self, start)),
                1 if start.year() == self.pubd.year() => format!("le {} dernier", dm(start)),
                _ => format!("le {}{}", dm(start), year_suffix(self, start)),
            },
        };
        When {
            text,
            start,
            end: start,
        }
    }

    fn src_np(&self, s: &Src) -> String {
        s.text.clone()
    }

    /// ", a indiqué un élu local" / ", selon des sources sécuritaires" / "" when unattributed.
    pub(crate) fn attr_post(&mut self, s: &Src) -> String {
        if s.is_none() {
            return String::new();
        }
        let np = self.src_np(s);
        let speech_sg: &[&str] = match s.kind {
            "local" => &[
                "a indiqué",
                "a affirmé",
                "a déclaré",
                "a raconté",
                "a témoigné",
                "a confié",
                "indique",
                "affirme",
                "a rapporté",
            ],
            "state" => &[
                "a indiqué",
                "a annoncé",
                "a affirmé",
                "a précisé",
                "indique",
                "affirme",
                "a déclaré",
            ],
            "armed_group" => &["affirme", "a affirmé", "a revendiqué", "assure", "a assuré"],
            _ => &[
                "a indiqué",
                "a affirmé",
                "rapporte",
                "a dénoncé",
                "a déclaré",
                "indique",
            ],
        };
        let speech_pl: &[&str] = &[
            "ont indiqué",
            "ont affirmé",
            "ont rapporté",
            "affirment",
            "indiquent",
            "ont déclaré",
            "rapportent",
        ];
        let r = self.rng.below(10);
        if r < 3 {
            return format!(", selon {np}");
        }
        if r == 3 && s.kind != "armed_group" {
            return format!(", d'après {np}");
        }
        if let Some(d) = s.de_form {
            if r == 4 {
                return match self.style {
                    Style::Afp => format!(", a appris l'AFP {d}"),
                    Style::Rfi => format!(", a appris RFI {d}"),
                    _ => format!(", a-t-on appris {d}"),
                };
            }
            if r == 5 {
                return format!(", a-t-on appris {d}");
            }
        }
        let verb = if s.pl {
            *self.rng.pick(speech_pl)
        } else {
            *self.rng.pick(speech_sg)
        };
        let extra = match self.style {
            Style::Afp if !s.named && self.rng.chance(0.5) => {
                if self.rng.chance(0.5) {
                    (" à l'AFP", " sous couvert d'anonymat")
                } else {
                    (" à l'AFP", "")
                }
            }
            Style::Rfi if !s.named && self.rng.chance(0.3) => {
                let j = match (s.pl, s.fem) {
                    (false, false) => " joint par RFI",
                    (false, true) => " jointe par RFI",
                    (true, false) => " joints par RFI",
                    (true, true) => " jointes par RFI",
                };
                ("", j)
            }
            _ => ("", ""),
        };
        if s.kind == "state" && s.named && self.rng.chance(0.3) {
            return format!(", {verb}{} {np} dans un communiqué", extra.0);
        }
        format!(", {verb}{} {np}{}", extra.0, extra.1)
    }

    /// "Selon un élu local, " / "" when unattributed.
    pub(crate) fn attr_pre(&mut self, s: &Src) -> String {
        if s.is_none() {
            return String::new();
        }
        let np = self.src_np(s);
        match self.rng.below(5) {
            0 if s.kind != "armed_group" => format!("D'après {np}, "),
            1 if s.kind == "state" && s.named => format!("Dans un communiqué, {np} indique que "),
            _ => format!("Selon {np}, "),
        }
    }

    pub(crate) fn has(&self, s: &Src) -> bool {
        !s.is_none()
    }

    pub(crate) fn circ(&mut self, ev: &Ev, loc: &Loc) -> String {
        let r = self.rng.below(4);
        match ev.kind {
            Kind::CivAttack => {
                let tnp = self.target_np(ev.target, loc);
                match (ev.target, r) {
                    (Target::Village, 0) => format!("lors d'une attaque jihadiste {}", loc.at),
                    (Target::Village, 1) if loc.at.starts_with(&format!("à {}", loc.name)) => {
                        format!(
                            "dans l'attaque de leur village, {}",
                            loc.at.trim_start_matches("à ")
                        )
                    }
                    (Target::Village, 2) => format!("lors d'une attaque {}", loc.at),
                    (Target::Bus, _) => {
                        format!("lors de l'attaque d'{}", tnp.trim_start_matches("un "))
                    }
                    (Target::Wedding, _) => {
                        format!("lors de l'attaque d'{}", tnp.trim_start_matches("une "))
                    }
                    _ => format!("lors d'une attaque contre {tnp}"),
                }
            }
            Kind::MilAttack => {
                let tnp = self.target_np(ev.target, loc);
                match r {
                    0 => format!("dans une attaque contre {tnp}"),
                    1 => format!("lors de l'attaque {}", de_np(&tnp)),
                    2 => format!("dans l'assaut lancé par des jihadistes contre {tnp}"),
                    _ => format!("lors d'une attaque terroriste contre {tnp}"),
                }
            }
            Kind::Ambush => match r {
                0 => format!("dans une embuscade {}", loc.at),
                1 => format!("dans une embuscade tendue par des jihadistes {}", loc.at),
                2 => format!("lors d'une embuscade contre leur convoi {}", loc.at),
                _ => format!(
                    "lorsque leur patrouille est tombée dans une embuscade {}",
                    loc.at
                ),
            },
            Kind::Drone => match r {
                0 => format!("par une frappe de drone {}", loc.at),
                1 => format!("dans des frappes de drone {}", loc.at),
                2 => format!("lors d'un bombardement aérien {}", loc.at),
                _ => format!("par des tirs de drone {}", loc.at),
            },
            Kind::Ied => {
                if ev.target == Target::Convoy {
                    match r {
                        0 => format!("dans l'explosion d'un engin explosif improvisé au passage de leur convoi {}", loc.at),
                        1 => format!("lorsque leur véhicule a sauté sur une mine {}", loc.at),
                        _ => format!("par l'explosion d'une mine artisanale {}", loc.at),
                    }
                } else {
                    let veh = if ev.target == Target::Cart {
                        "leur charrette"
                    } else {
                        "leur véhicule"
                    };
                    match r {
                        0 => format!(
                            "lorsque {veh} a sauté sur un engin explosif improvisé {}",
                            loc.at
                        ),
                        1 => format!("dans l'explosion d'une mine au passage de {veh} {}", loc.at),
                        _ => format!("lorsque {veh} a heurté un engin explosif {}", loc.at),
                    }
                }
            }
            Kind::Abduction => match r {
                0 => format!("par des hommes armés {}", loc.at),
                1 => loc.at.clone(),
                _ => format!("lors d'une incursion d'hommes armés {}", loc.at),
            },
            Kind::Shelling => match r {
                0 => format!("par des tirs d'obus {}", loc.at),
                1 => format!("lors de tirs de roquettes {}", loc.at),
                _ => format!("par des tirs de mortier {}", loc.at),
            },
        }
    }

    /// The counted noun phrase of a figure, with its subset: "au moins 20 civils, dont cinq
    /// enfants,".
    pub(crate) fn np_with_subset(&self, f: &Fig) -> (String, bool) {
        let base = f.c.np(&f.noun);
        match &f.subset {
            Some((n, c)) => (format!("{base}, dont {},", c.np(n)), true),
            None => (base, false),
        }
    }
}
