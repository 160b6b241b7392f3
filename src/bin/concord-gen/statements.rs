//! Sentences that state figures: the lead, further figures, other statements and quoted witnesses;
//! every count they write is recorded as a claim of the body.

use crate::counts::{agree, part, part_k, Out};
use crate::event::{Ev, Fig, Kind, Stmt};
use crate::french::{cap, de_np, q};
use crate::rng::Rng;
use crate::sources::Src;
use crate::truth::{fig_claims, tc, TClaim};
use crate::writer::{Body, Cx, Loc, When};

impl<'a> Cx<'a> {
    /// The lead sentence (and its follow-ups) for a statement: carries date and place.
    pub(crate) fn lead(
        &mut self,
        ev: &Ev,
        st: &Stmt,
        w: &When,
        loc: &Loc,
        body: &mut Body,
        evi: usize,
    ) {
        let figs = &st.figs;
        let f0 = &figs[0];
        let src = &st.src;
        let mut used = 1;
        let sentence: String;
        let mut claims = fig_claims(f0, src);
        let when = w.text.clone();
        let circ = self.circ(ev, loc);
        let (np0, has_sub) = self.np_with_subset(f0);
        let zero = f0.c.low == Some(0) && f0.c.high == Some(0);
        let initial_ok = !f0.c.starts_with_digit();
        // "Sept soldats ont été tués et 12 autres blessés"
        let and_others =
            |cx: &mut Self, figs: &[Fig], used: &mut usize, claims: &mut Vec<TClaim>| -> String {
                if let Some(f1) = figs.get(1) {
                    if f1.out == Out::Injured && f1.noun == f0.noun && cx.rng.chance(0.7) {
                        *used = 2;
                        claims.extend(fig_claims(f1, src));
                        let autres = if f1.c.de {
                            format!("{} d'autres", f1.c.text)
                        } else {
                            format!("{} autres", f1.c.text)
                        };
                        return format!(" et {autres} {}", agree("blessé", &f1.noun));
                    }
                }
                String::new()
            };
        if zero {
            let t = match self.rng.below(3) {
                0 => format!(
                    "{} ont visé {when} {}, sans faire de victime",
                    cap(&tir_np(&mut self.rng, ev)),
                    self.target_np(ev.target, loc)
                ),
                1 => format!(
                    "{} {when} contre {} n'ont fait aucune victime",
                    cap(&tir_np(&mut self.rng, ev)),
                    self.target_np(ev.target, loc)
                ),
                _ => format!(
                    "Aucune victime n'a été enregistrée {when} après {} {}",
                    tir_np(&mut self.rng, ev),
                    loc.at
                ),
            };
            let t = if self.has(src) {
                format!("{t}{}.", self.attr_post(src))
            } else {
                format!("{t}.")
            };
            body.claim(evi, t, claims);
            return;
        }
        let out = f0.out;
        let grp = f0.noun.group;
        let p0 = part_k(&mut self.rng, out, &f0.noun, ev.kind == Kind::CivAttack);
        let r = self.rng.below(10);
        if grp == "militants" && out == Out::Killed {
            // The army speaking of the enemy it killed.
            let t = match r {
                0..=2 if self.has(src) => format!(
                    "{} {} avoir neutralisé {np0} {when} {circ}",
                    cap(&src.text),
                    if src.pl { "affirment" } else { "affirme" }
                ),
                3 | 4 if initial_ok => format!(
                    "{} ont été neutralisés {when} {circ}{}",
                    cap(&np0),
                    self.attr_post(src)
                ),
                5 if self.has(src) => format!(
                    "{}{np0} ont été neutralisés {when} {circ}",
                    self.attr_pre(src)
                ),
                6 | 7 if initial_ok => format!(
                    "{} ont été {} {when} {circ}{}",
                    cap(&np0),
                    if self.rng.chance(0.5) {
                        "mis hors d'état de nuire"
                    } else {
                        "abattus"
                    },
                    self.attr_post(src)
                ),
                _ => format!(
                    "{}, {np0} ont été {} {circ}{}",
                    cap(&when),
                    agree(
                        ["neutralisé", "tué", "neutralisé"][self.rng.below(3)],
                        &f0.noun
                    ),
                    self.attr_post(src)
                ),
            };
            sentence = format!("{t}.");
        } else if out == Out::Captured {
            let att = ev.attacker;
            let t = match r {
                0..=2 if initial_ok => format!(
                    "{} ont été {p0} {when} {circ}{}",
                    cap(&np0),
                    self.attr_post(src)
                ),
                3 | 4 => format!(
                    "{}, {} {} {} {np0} {}{}",
                    cap(&when),
                    att.np,
                    if att.pl { "ont" } else { "a" },
                    self.rng.pick(&["enlevé", "kidnappé", "enlevé"]),
                    loc.at,
                    self.attr_post(src)
                ),
                5 if self.has(src) => format!(
                    "{}{} {} enlevé {np0} {when} {}",
                    self.attr_pre(src),
                    att.np,
                    if att.pl { "ont" } else { "a" },
                    loc.at
                ),
                _ => format!(
                    "{}, {np0} ont été {p0} {circ}{}",
                    cap(&when),
                    self.attr_post(src)
                ),
            };
            sentence = format!("{t}.");
        } else {
            let civ_like = grp != "security_forces";
            let att = ev.attacker;
            let t = match r {
                0 | 1 if initial_ok => {
                    let extra = and_others(self, figs, &mut used, &mut claims);
                    format!(
                        "{} ont été {p0}{extra} {when} {circ}{}",
                        cap(&np0),
                        self.attr_post(src)
                    )
                }
                2 if out == Out::Killed && initial_ok => {
                    let v = self
                        .rng
                        .pick(&["péri", "perdu la vie", "trouvé la mort"])
                        .to_string();
                    format!(
                        "{}{} ont {v} {when} {circ}",
                        self.attr_pre(src),
                        if self.has(src) {
                            np0.clone()
                        } else {
                            cap(&np0)
                        }
                    )
                }
                3 if out == Out::Killed && !has_sub && ev.kind != Kind::Drone => {
                    // "L'attaque ... a fait 12 morts"
                    let morts = f0.c.np_word("morts");
                    let (parmi, g) = if self.rng.chance(0.5) {
                        (format!(" parmi les {}", f0.noun.pl), grp)
                    } else {
                        (String::new(), "unknown")
                    };
                    claims = vec![tc(g, Out::Killed, &f0.c, src)];
                    let mut blesses = String::new();
                    if let Some(f1) = figs.get(1) {
                        if f1.out == Out::Injured && parmi.is_empty() {
                            used = 2;
                            claims.push(tc("unknown", Out::Injured, &f1.c, src));
                            blesses = format!(" et {}", f1.c.np_word("blessés"));
                        }
                    }
                    let head = match ev.kind {
                        Kind::Ambush => "L'embuscade",
                        Kind::Ied => "L'explosion",
                        Kind::Shelling => "Les tirs",
                        _ => "L'attaque",
                    };
                    let fait = if head == "Les tirs" {
                        "ont fait"
                    } else {
                        "a fait"
                    };
                    let survenue = if head == "Les tirs" {
                        "survenus"
                    } else if head == "L'explosion" || head == "L'attaque" || head == "L'embuscade"
                    {
                        "survenue"
                    } else {
                        "survenu"
                    };
                    format!(
                        "{head}, {survenue} {when} {}, {fait} {morts}{parmi}{blesses}{}",
                        loc.at,
                        self.attr_post(src)
                    )
                }
                4 if out == Out::Killed && civ_like && att.pl && ev.kind == Kind::CivAttack => {
                    let tnp = self.target_np(ev.target, loc);
                    format!(
                        "{} ont attaqué {when} {tnp}, tuant {np0}{}",
                        cap(att.np),
                        self.attr_post(src)
                    )
                }
                4 | 5 if out == Out::Killed && self.has(src) && src.kind != "armed_group" => {
                    let v = if src.pl {
                        "ont fait état"
                    } else {
                        "a fait état"
                    };
                    format!("{} {v} {} {p0} {when} {circ}", cap(&src.text), de_np(&np0))
                }
                5 if out == Out::Killed && self.has(src) => {
                    let v = match (src.pl, grp) {
                        (true, "security_forces") => "revendiquent",
                        (false, "security_forces") => "a revendiqué",
                        (true, _) => "dénoncent",
                        (false, _) => "a dénoncé",
                    };
                    format!(
                        "{} {v} la mort {} {when} {circ}",
                        cap(&src.text),
                        de_np(&np0)
                    )
                }
                6 if out == Out::Killed && !civ_like && ev.kind == Kind::MilAttack => {
                    let tnp = self.target_np(ev.target, loc);
                    format!(
                        "L'attaque {when} {} a coûté la vie à {np0}{}",
                        de_np(&tnp),
                        self.attr_post(src)
                    )
                }
                8 if !civ_like && out == Out::Killed && src.kind == "state" && src.named => {
                    // Army communiqués: "déplore la perte de", "tombés sur le champ d'honneur".
                    if self.rng.chance(0.5) {
                        format!(
                            "{} {} la perte {} {when} {circ}",
                            cap(&src.text),
                            if src.pl { "déplorent" } else { "déplore" },
                            de_np(&np0)
                        )
                    } else {
                        format!(
                            "{} {} que {np0} sont tombés sur le champ d'honneur {when} {circ}",
                            cap(&src.text),
                            if src.pl { "annoncent" } else { "annonce" }
                        )
                    }
                }
                9 if civ_like && out == Out::Killed && ev.kind == Kind::CivAttack && !has_sub => {
                    if self.rng.chance(0.5) && initial_ok {
                        format!(
                            "{} ont été {} {when} {circ}{}",
                            cap(&np0),
                            agree("égorgé", &f0.noun),
                            self.attr_post(src)
                        )
                    } else {
                        format!(
                            "Les corps {} ont été retrouvés {when} {}{}",
                            de_np(&np0),
                            loc.at,
                            self.attr_post(src)
                        )
                    }
                }
                6 if civ_like && att.pl && out == Out::Killed && ev.kind == Kind::CivAttack => {
                    format!(
                        "{}, {} ont tué {np0} {}{}",
                        cap(&when),
                        att.np,
                        loc.at,
                        self.attr_post(src)
                    )
                }
                _ => {
                    let extra = and_others(self, figs, &mut used, &mut claims);
                    format!(
                        "{}, {np0} ont été {p0}{extra} {circ}{}",
                        cap(&when),
                        self.attr_post(src)
                    )
                }
            };
            sentence = format!("{t}.");
        }
        body.claim(evi, sentence, claims);
        for f in &figs[used..] {
            self.extra(f, src, body, evi);
        }
    }

    /// A further figure of the same statement, in its own sentence.
    fn extra(&mut self, f: &Fig, src: &Src, body: &mut Body, evi: usize) {
        let (np, _) = self.np_with_subset(f);
        let p = part(&mut self.rng, f.out, &f.noun);
        let tail = if self.has(src) {
            match self.rng.below(4) {
                0 => ", selon la même source".to_string(),
                1 => format!(", {} ajouté", src.pronoun_inv("a", "ont")),
                _ => format!(", {} précisé", src.pronoun_inv("a", "ont")),
            }
        } else {
            String::new()
        };
        let digit = f.c.starts_with_digit();
        let t = match (f.out, f.noun.group) {
            (Out::Killed, "militants") => match self.rng.below(3) {
                0 => format!("Au cours de la riposte, {np} ont été neutralisés{tail}."),
                1 if !digit => {
                    format!("{} ont été neutralisés lors de la riposte{tail}.", cap(&np))
                }
                _ => format!(
                    "Côté assaillants, le bilan fait état {} {}{tail}.",
                    de_np(&np),
                    agree("neutralisé", &f.noun)
                ),
            },
            (Out::Injured, _) => match self.rng.below(3) {
                0 if !digit => format!("{} ont également été {p}{tail}.", cap(&np)),
                1 if !digit && self.rng.chance(0.5) => {
                    format!("{} ont été grièvement {p}{tail}.", cap(&np))
                }
                1 => format!("Le bilan fait aussi état {} {p}{tail}.", de_np(&np)),
                _ => format!("On dénombre en outre {np} {p}{tail}."),
            },
            (Out::Missing, _) if !digit => format!("{} sont toujours {p}{tail}.", cap(&np)),
            (Out::Missing, _) => format!("Par ailleurs, {np} sont toujours {p}{tail}."),
            (Out::Captured, _) => match self.rng.below(2) {
                0 => format!("Les assaillants ont également enlevé {np}{tail}."),
                _ => format!("Par ailleurs, {np} ont été {p}{tail}."),
            },
            (Out::Killed, _) => format!("Le bilan fait aussi état {} {p}{tail}.", de_np(&np)),
        };
        body.claim(evi, t, fig_claims(f, src));
    }

    /// Another statement about the same event, without restating date and place.
    pub(crate) fn follow(&mut self, st: &Stmt, body: &mut Body, evi: usize) {
        let src = &st.src;
        let f0 = &st.figs[0];
        let (np0, has_sub) = self.np_with_subset(f0);
        let mut claims = fig_claims(f0, src);
        if f0.c.low == Some(0) && f0.c.high == Some(0) {
            let t = format!("Aucune victime n'est à déplorer{}.", self.attr_post(src));
            body.claim(evi, t, claims);
            return;
        }
        let p0 = part(&mut self.rng, f0.out, &f0.noun);
        let pl = src.pl;
        // Verb agreement with the source: v("affirme", "affirment").
        let v = |sg: &'static str, plu: &'static str| if pl { plu } else { sg };
        let sp = v("sa", "leur");
        let son = v("son", "leur");
        let named = src.text.clone();
        let src_cap = cap(&named);
        let r = self.rng.below(7);
        let t = match (f0.out, f0.noun.group, src.kind) {
            (Out::Killed, "militants", _) => match r {
                0..=2 => format!("{src_cap} {} de {son} côté avoir neutralisé {np0}.", v("affirme", "affirment")),
                3 | 4 => format!("{src_cap} {} pour {sp} part avoir « neutralisé » {np0} lors de la riposte.", v("assure", "assurent")),
                _ => format!("Selon {named}, {np0} ont été neutralisés."),
            },
            (Out::Killed, "security_forces", "armed_group") => match r {
                0..=2 => format!("{src_cap} {} l'attaque, affirmant avoir tué {np0}.", v("a revendiqué", "ont revendiqué")),
                3 | 4 => format!(
                    "Dans un communiqué diffusé par {} canaux de propagande, {named} {} la mort {}.",
                    v("ses", "leurs"),
                    v("revendique", "revendiquent"),
                    de_np(&np0)
                ),
                _ => format!("{src_cap} {} pour {sp} part avoir tué {np0}.", v("affirme", "affirment")),
            },
            (Out::Killed, _, "armed_group") => match r {
                // Rebels accusing the army of killing civilians.
                0..=2 => format!("{src_cap} {} l'armée d'avoir tué {np0}.", v("accuse", "accusent")),
                3 | 4 => format!("{src_cap} {} pour {sp} part état {} {p0}.", v("fait", "font"), de_np(&np0)),
                _ => format!("Selon {named}, {np0} ont été {p0}."),
            },
            (Out::Killed, g, _) => match r {
                0 if !has_sub => {
                    let (parmi, gg) = if g != "unknown" && self.rng.chance(0.5) {
                        (format!(" parmi les {}", f0.noun.pl), g)
                    } else {
                        (String::new(), "unknown")
                    };
                    claims = vec![tc(gg, Out::Killed, &f0.c, src)];
                    format!("{src_cap}, de {son} côté, {} {}{parmi}.", v("évoque", "évoquent"), f0.c.np_word("morts"))
                }
                1 if !has_sub && self.rng.chance(0.5) => {
                    claims = vec![tc("unknown", Out::Killed, &f0.c, src)];
                    format!("Selon {named}, le bilan s'élève à {}.", f0.c.np_word("morts"))
                }
                1 => format!("Selon {named}, le bilan est {} {p0}.", de_np(&np0)),
                2 => format!("{src_cap} {} pour {sp} part fait état {} {p0}.", v("a", "ont"), de_np(&np0)),
                3 if !has_sub => {
                    claims = vec![tc("unknown", Out::Killed, &f0.c, src)];
                    format!("Un autre bilan, fourni par {named}, fait état {}.", de_np(&f0.c.np_word("morts")))
                }
                4 if !f0.c.starts_with_digit() => format!("{} ont été {p0}, selon {named}.", cap(&np0)),
                5 => format!("{src_cap} {} de {son} côté la mort {}.", v("annonce", "annoncent"), de_np(&np0)),
                _ => format!("D'après {named}, {np0} ont été {p0}."),
            },
            (Out::Captured, _, _) => match r {
                0..=2 => format!("{src_cap} {} pour {sp} part {np0} {p0}.", v("évoque", "évoquent")),
                3 | 4 => format!("Selon {named}, {np0} ont été {} par les ravisseurs.", agree("emmené", &f0.noun)),
                _ => format!("D'après {named}, {np0} ont été {p0}."),
            },
            (Out::Injured, _, _) => format!("Selon {named}, {np0} ont été {p0}."),
            (Out::Missing, _, _) => format!("Selon {named}, {np0} sont {p0}."),
        };
        body.claim(evi, t, claims);
        for f in &st.figs[1..] {
            self.extra(f, src, body, evi);
        }
    }

    /// A quotation of a local witness carrying a figure.
    pub(crate) fn quote_fig(&mut self, st: &Stmt, body: &mut Body, evi: usize) -> bool {
        let f0 = &st.figs[0];
        if st.src.kind != "local"
            || f0.out != Out::Killed
            || f0.subset.is_some()
            || f0.c.low == Some(0)
        {
            return false;
        }
        let src = &st.src;
        let c = &f0.c;
        let (inner, claims) = match self.rng.below(5) {
            0 => (
                format!("Nous avons enterré {} ce matin", c.np(&f0.noun)),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
            1 => (
                format!(
                    "Ils ont tué {} sous nos yeux. Ils tiraient sur tout ce qui bougeait",
                    c.np(&f0.noun)
                ),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
            2 => (
                format!("Il y a eu {}, c'est un carnage", c.np_word("morts")),
                vec![tc("unknown", Out::Killed, c, src)],
            ),
            3 => (
                format!("Nous avons retrouvé {} dans le village", c.np_word("corps")),
                vec![tc("unknown", Out::Killed, c, src)],
            ),
            _ => (
                format!(
                    "On compte {} tués, et les assaillants ont tout brûlé",
                    c.np(&f0.noun)
                ),
                vec![tc(f0.noun.group, Out::Killed, c, src)],
            ),
        };
        let verb = *self
            .rng
            .pick(&["a raconté", "a confié", "témoigne", "a expliqué"]);
        let verb = if src.pl {
            verb.replace("a ", "ont ").replace("témoigne", "témoignent")
        } else {
            verb.to_string()
        };
        let t = format!("{}, {verb} {}.", q(&cap(&inner)), src.text);
        body.claim(evi, t, claims);
        true
    }
}

fn tir_np(rng: &mut Rng, ev: &Ev) -> String {
    match ev.kind {
        Kind::Shelling => rng
            .pick(&[
                "des tirs d'obus",
                "des tirs de roquettes",
                "des obus de mortier",
            ])
            .to_string(),
        Kind::Ied => "l'explosion d'un engin explosif".into(),
        _ => "des tirs".into(),
    }
}
