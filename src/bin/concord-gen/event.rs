//! The event model: kinds, targets, voices, figures, statements and events, and the PRNG draws they
//! are built from; produces values only, no text.

use jiff::civil::Date;

use crate::counts::{
    make_count, noun, q_for, Count, Noun, Out, N_CHILDREN, N_CIV, N_PERSONS, N_WOMEN, Q,
};
use crate::french::de;
use crate::geo::{region_np, Anchor, Cty, Gaz};
use crate::parties::{Party, JIHAD, JIHAD_DIFFA, REBELS};
use crate::rng::Rng;
use crate::sources::{Src, LOCAL_SRC, STATE_SRC};

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Kind {
    CivAttack,
    MilAttack,
    Ambush,
    Drone,
    Ied,
    Abduction,
    Shelling,
}

impl Kind {
    pub(crate) fn types(self, civ_target: bool) -> (&'static str, &'static str) {
        match self {
            Kind::CivAttack => ("Violence against civilians", "Attack"),
            Kind::MilAttack | Kind::Ambush => ("Battles", "Armed clash"),
            Kind::Drone => ("Explosions/Remote violence", "Air/drone strike"),
            Kind::Ied => (
                "Explosions/Remote violence",
                "Remote explosive/landmine/IED",
            ),
            Kind::Abduction => (
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            Kind::Shelling if civ_target => (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            Kind::Shelling => (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Target {
    Village,
    Market,
    Mosque,
    Church,
    GoldSite,
    Wedding,
    Camp,
    Post,
    Convoy,
    Bus,
    Cart,
    Town,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Voice {
    Official,
    Security,
    Local,
    Claim,
    Ngo,
    Intl,
    Media,
    Unattr,
}

#[derive(Clone)]
pub(crate) struct Fig {
    pub(crate) noun: Noun,
    pub(crate) out: Out,
    pub(crate) c: Count,
    pub(crate) subset: Option<(Noun, Count)>,
}

#[derive(Clone)]
pub(crate) struct Stmt {
    pub(crate) src: Src,
    pub(crate) voice: Voice,
    pub(crate) figs: Vec<Fig>,
    /// Days after the event before this statement is public.
    pub(crate) lag: i64,
}

pub(crate) struct Ev {
    pub(crate) kind: Kind,
    pub(crate) target: Target,
    pub(crate) cty: Cty,
    pub(crate) place: usize,
    pub(crate) anchor: Option<Anchor>,
    pub(crate) date: Date,
    pub(crate) night: bool,
    /// Who acted, as an indefinite noun phrase ("des hommes armés") or a named group.
    pub(crate) attacker: Party,
    pub(crate) stmts: Vec<Stmt>,
}

pub(crate) fn pick_country(rng: &mut Rng) -> Cty {
    *rng.pick_w(&[(40, Cty::Ml), (35, Cty::Bf), (25, Cty::Ne)])
}

pub(crate) fn pick_place(rng: &mut Rng, gaz: &Gaz, c: Cty, major_p: f64) -> usize {
    let regions = &gaz.regions[c.i()];
    let w: Vec<(u32, usize)> = regions.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
    let (_, towns, villages) = &regions[*rng.pick_w(&w)];
    if villages.is_empty() || rng.chance(major_p) {
        *rng.pick(towns)
    } else {
        *rng.pick(villages)
    }
}

pub(crate) fn killed_civ_n(rng: &mut Rng) -> i64 {
    match rng.pick_w(&[(30, 0), (40, 1), (22, 2), (8, 3)]) {
        0 => rng.range(3, 9),
        1 => rng.range(10, 25),
        2 => rng.range(26, 60),
        _ => rng.range(61, 160),
    }
}

pub(crate) fn killed_sec_n(rng: &mut Rng) -> i64 {
    match rng.pick_w(&[(45, 0), (40, 1), (15, 2)]) {
        0 => rng.range(2, 9),
        1 => rng.range(10, 30),
        _ => rng.range(31, 80),
    }
}

pub(crate) fn jitter(rng: &mut Rng, n: i64, lo: f64, hi: f64) -> i64 {
    let f = lo + (hi - lo) * (rng.below(1001) as f64 / 1000.0);
    ((n as f64 * f).round() as i64).max(2)
}

pub(crate) fn local_src(rng: &mut Rng) -> Src {
    let &(t, pl, fem, d) = rng.pick(LOCAL_SRC);
    Src::generic(t, "local", pl, fem, d)
}

pub(crate) fn state_src(rng: &mut Rng, gaz: &Gaz, p: usize) -> Src {
    let pl = &gaz.places[p];
    match rng.below(10) {
        0 | 1 => Src::generic(
            &format!("le gouverneur de {}", region_np(pl)),
            "state",
            false,
            false,
            None,
        ),
        2 if pl.cty == Cty::Bf => Src::generic(
            "le haut-commissaire de la province",
            "state",
            false,
            false,
            None,
        ),
        2 if pl.cty == Cty::Ne && !pl.admin2.is_empty() => Src::generic(
            &format!("le préfet {}", de(&pl.admin2)),
            "state",
            false,
            false,
            None,
        ),
        _ => {
            let &(t, plu, fem, d) = rng.pick(STATE_SRC);
            Src::generic(t, "state", plu, fem, d)
        }
    }
}

pub(crate) fn jihad_group(rng: &mut Rng, gaz: &Gaz, p: usize) -> Party {
    let pl = &gaz.places[p];
    if pl.cty == Cty::Ne && pl.admin1 == "Diffa" {
        *rng.pick(JIHAD_DIFFA)
    } else if pl.cty == Cty::Ml
        && ["Kidal", "Gao", "Tombouctou", "Ménaka"].contains(&pl.admin1.as_str())
        && rng.chance(0.3)
    {
        *rng.pick(REBELS)
    } else {
        *rng.pick(JIHAD[pl.cty.i()])
    }
}

pub(crate) fn fig_with(
    rng: &mut Rng,
    noun: impl FnOnce(&mut Rng) -> Noun,
    out: Out,
    n: i64,
    voice: Voice,
    words_p: f64,
) -> Fig {
    let nn = noun(rng);
    fig(rng, nn, out, n, voice, words_p)
}

pub(crate) fn fig(rng: &mut Rng, noun: Noun, out: Out, n: i64, voice: Voice, words_p: f64) -> Fig {
    let q = q_for(rng, voice, n);
    let c = make_count(rng, n, noun.fem, q, words_p);
    Fig {
        noun,
        out,
        c,
        subset: None,
    }
}

pub(crate) fn with_subset(rng: &mut Rng, mut f: Fig, n_parent: i64, voice: Voice) -> Fig {
    if ![
        "civils",
        "villageois",
        "habitants",
        "personnes",
        "fidèles",
        "passagers",
    ]
    .contains(&f.noun.pl)
    {
        return f;
    }
    let sub_noun = if rng.chance(0.6) {
        *rng.pick(N_CHILDREN)
    } else {
        N_WOMEN
    };
    let k = (n_parent / rng.range(2, 5)).max(2);
    let c = if rng.chance(0.2) {
        Count {
            text: "des".into(),
            de: false,
            low: Some(2),
            high: None,
            qual: "vague",
        }
    } else {
        let q = if voice == Voice::Local && rng.chance(0.3) {
            Q::Vague
        } else {
            Q::Exact
        };
        make_count(rng, k, sub_noun.fem, q, 0.5)
    };
    // "dont des enfants" under "plusieurs civils" is fine; "dont 11 enfants" under "une dizaine"
    // must stay below the parent's lower bound.
    if c.low.unwrap_or(0) < f.c.low.unwrap_or(i64::MAX) || c.qual == "vague" {
        f.subset = Some((sub_noun, c));
    }
    f
}

pub(crate) fn civ_noun_for(rng: &mut Rng, t: Target) -> Noun {
    match t {
        Target::GoldSite if rng.chance(0.7) => noun("orpailleurs", false, "civilians"),
        Target::Market if rng.chance(0.5) => noun("commerçants", false, "civilians"),
        Target::Mosque if rng.chance(0.6) => noun("fidèles", false, "civilians"),
        Target::Church if rng.chance(0.6) => noun("fidèles", false, "civilians"),
        Target::Bus if rng.chance(0.7) => noun("passagers", false, "civilians"),
        _ if rng.chance(0.25) => N_PERSONS,
        _ => *rng.pick(N_CIV),
    }
}
