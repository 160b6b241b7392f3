//! Counts and victim nouns: how a number of dead or wounded is written (exact, approximate, in
//! words or digits) and the participles that agree with it; every `Count` carries the bounds its
//! text states.

use crate::event::Voice;
use crate::french::{de, words};
use crate::geo::Cty;
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Noun {
    pub(crate) pl: &'static str,
    pub(crate) fem: bool,
    pub(crate) group: &'static str,
}

pub(crate) const fn noun(pl: &'static str, fem: bool, group: &'static str) -> Noun {
    Noun { pl, fem, group }
}

pub(crate) const N_CIV: &[Noun] = &[
    noun("civils", false, "civilians"),
    noun("civils", false, "civilians"),
    noun("villageois", false, "civilians"),
    noun("habitants", false, "civilians"),
];
pub(crate) const N_PERSONS: Noun = noun("personnes", true, "unknown");
pub(crate) const N_CHILDREN: &[Noun] = &[
    noun("enfants", false, "children"),
    noun("enfants", false, "children"),
    noun("élèves", false, "children"),
];
pub(crate) const N_WOMEN: Noun = noun("femmes", true, "women");
pub(crate) const N_MIL: &[Noun] = &[
    noun("terroristes", false, "militants"),
    noun("terroristes", false, "militants"),
    noun("assaillants", false, "militants"),
    noun("jihadistes", false, "militants"),
    noun("combattants jihadistes", false, "militants"),
    noun("éléments terroristes", false, "militants"),
];

const SEC_ML: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats maliens", false, "security_forces"),
    noun("militaires maliens", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
];
const SEC_BF: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats burkinabè", false, "security_forces"),
    noun("VDP", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
    noun("policiers", false, "security_forces"),
];
const SEC_NE: &[Noun] = &[
    noun("soldats", false, "security_forces"),
    noun("militaires", false, "security_forces"),
    noun("soldats nigériens", false, "security_forces"),
    noun("gardes nationaux", false, "security_forces"),
    noun("gendarmes", false, "security_forces"),
];

pub(crate) fn sec_nouns(c: Cty) -> &'static [Noun] {
    match c {
        Cty::Ml => SEC_ML,
        Cty::Bf => SEC_BF,
        Cty::Ne => SEC_NE,
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Out {
    Killed,
    Injured,
    Captured,
    Missing,
}

impl Out {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Out::Killed => "killed",
            Out::Injured => "injured",
            Out::Captured => "captured",
            Out::Missing => "missing",
        }
    }
}

/// How a count is written.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Q {
    Exact,
    AtLeast,
    PasMoins,
    PlusDe,
    Approx,
    Environ,
    Range,
    Vague,
    AtMost,
    MoinsDe,
}

#[derive(Clone)]
pub(crate) struct Count {
    pub(crate) text: String,
    /// "une vingtaine" and "des dizaines" take "de" before the noun.
    pub(crate) de: bool,
    pub(crate) low: Option<i64>,
    pub(crate) high: Option<i64>,
    pub(crate) qual: &'static str,
}

impl Count {
    pub(crate) fn np(&self, n: &Noun) -> String {
        if self.de {
            format!("{} {}", self.text, de(n.pl))
        } else {
            format!("{} {}", self.text, n.pl)
        }
    }
    pub(crate) fn np_word(&self, w: &str) -> String {
        if self.de {
            format!("{} {}", self.text, de(w))
        } else {
            format!("{} {w}", self.text)
        }
    }
    pub(crate) fn starts_with_digit(&self) -> bool {
        self.text.starts_with(|c: char| c.is_ascii_digit())
    }
    pub(crate) fn zero() -> Count {
        Count {
            text: String::new(),
            de: false,
            low: Some(0),
            high: Some(0),
            qual: "exact",
        }
    }
}

fn number(rng: &mut Rng, n: i64, fem: bool, words_p: f64) -> String {
    let p = if n <= 10 {
        words_p + (1.0 - words_p) * 0.6
    } else if n <= 20 {
        words_p
    } else {
        words_p * 0.4
    };
    if n < 200 && rng.chance(p) {
        words(n, fem)
    } else {
        n.to_string()
    }
}

pub(crate) fn make_count(rng: &mut Rng, n: i64, fem: bool, q: Q, words_p: f64) -> Count {
    let n = n.max(2);
    let exact = |t: String, v: i64| Count {
        text: t,
        de: false,
        low: Some(v),
        high: Some(v),
        qual: "exact",
    };
    match q {
        Q::Exact => exact(number(rng, n, fem, words_p), n),
        Q::AtLeast => Count {
            text: format!("au moins {}", number(rng, n, fem, words_p)),
            de: false,
            low: Some(n),
            high: None,
            qual: "at_least",
        },
        Q::PasMoins => Count {
            text: format!("pas moins de {}", number(rng, n, fem, words_p)),
            de: false,
            low: Some(n),
            high: None,
            qual: "at_least",
        },
        Q::PlusDe => {
            let step = if n >= 20 { 10 } else { 5 };
            let m = ((n / step) * step).max(5);
            Count {
                text: format!("plus de {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: Some(m + 1),
                high: None,
                qual: "at_least",
            }
        }
        Q::Approx => {
            const APPROX: [(i64, &str); 9] = [
                (10, "une dizaine"),
                (12, "une douzaine"),
                (15, "une quinzaine"),
                (20, "une vingtaine"),
                (30, "une trentaine"),
                (40, "une quarantaine"),
                (50, "une cinquantaine"),
                (60, "une soixantaine"),
                (100, "une centaine"),
            ];
            let &(v, t) = APPROX
                .iter()
                .min_by_key(|(v, _)| (v - n).abs())
                .expect("non-empty table");
            Count {
                text: t.into(),
                de: true,
                low: Some(v),
                high: Some(v),
                qual: "approx",
            }
        }
        Q::Environ => {
            let m = if n >= 20 { (n + 2) / 5 * 5 } else { n };
            let w = *rng.pick(&["environ", "environ", "près de", "quelque"]);
            Count {
                text: format!("{w} {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: Some(m),
                high: Some(m),
                qual: "approx",
            }
        }
        Q::Range => {
            let (a, b) = if n < 10 {
                (n, n + rng.range(1, 3))
            } else {
                let a = (n / 5 * 5).max(5);
                (a, a + *rng.pick(&[5, 5, 10]))
            };
            let text = if rng.chance(0.7) {
                if b <= 20 && rng.chance(words_p) {
                    format!("entre {} et {}", words(a, fem), words(b, fem))
                } else {
                    format!("entre {a} et {b}")
                }
            } else {
                format!("{a} à {b}")
            };
            Count {
                text,
                de: false,
                low: Some(a),
                high: Some(b),
                qual: "range",
            }
        }
        Q::Vague => {
            if n >= 200 && rng.chance(0.7) {
                Count {
                    text: "des centaines".into(),
                    de: true,
                    low: Some(200),
                    high: None,
                    qual: "vague",
                }
            } else if n >= 20 && rng.chance(0.75) {
                Count {
                    text: "des dizaines".into(),
                    de: true,
                    low: Some(20),
                    high: None,
                    qual: "vague",
                }
            } else {
                let t = match rng.below(4) {
                    0 | 1 => "plusieurs",
                    2 if fem => "de nombreuses",
                    2 => "de nombreux",
                    _ => "quelques",
                };
                Count {
                    text: t.into(),
                    de: false,
                    low: Some(2),
                    high: None,
                    qual: "vague",
                }
            }
        }
        Q::AtMost => {
            let w = *rng.pick(&["jusqu'à", "jusqu'à", "au plus"]);
            Count {
                text: format!("{w} {}", number(rng, n, fem, words_p)),
                de: false,
                low: None,
                high: Some(n),
                qual: "at_most",
            }
        }
        Q::MoinsDe => {
            let m = ((n + 9) / 10 * 10).max(10);
            Count {
                text: format!("moins de {}", number(rng, m, fem, words_p * 0.5)),
                de: false,
                low: None,
                high: Some(m - 1),
                qual: "at_most",
            }
        }
    }
}

/// A count style typical of who speaks.
pub(crate) fn q_for(rng: &mut Rng, voice: Voice, n: i64) -> Q {
    let big = n >= 15;
    match voice {
        Voice::Official => *rng.pick_w(&[
            (70, Q::Exact),
            (12, Q::AtLeast),
            (8, Q::Vague),
            (6, if big { Q::Approx } else { Q::Exact }),
            (4, Q::PlusDe),
        ]),
        Voice::Security => *rng.pick_w(&[
            (30, Q::AtLeast),
            (30, Q::Exact),
            (12, if big { Q::Approx } else { Q::Exact }),
            (8, Q::PlusDe),
            (8, Q::Range),
            (6, Q::Environ),
            (4, Q::Vague),
            (2, Q::MoinsDe),
        ]),
        Voice::Local => *rng.pick_w(&[
            (32, Q::AtLeast),
            (22, Q::Exact),
            (14, if big { Q::Approx } else { Q::AtLeast }),
            (7, Q::PlusDe),
            (7, Q::Range),
            (6, Q::Environ),
            (5, Q::Vague),
            (3, Q::PasMoins),
            (2, Q::AtMost),
            (2, Q::MoinsDe),
        ]),
        Voice::Claim => *rng.pick_w(&[(75, Q::Exact), (15, Q::Vague), (10, Q::PlusDe)]),
        Voice::Ngo | Voice::Intl => *rng.pick_w(&[
            (40, Q::AtLeast),
            (25, Q::Exact),
            (20, Q::PlusDe),
            (10, if big { Q::Approx } else { Q::Exact }),
            (5, Q::Range),
        ]),
        Voice::Media | Voice::Unattr => *rng.pick_w(&[
            (35, Q::AtLeast),
            (35, Q::Exact),
            (15, if big { Q::Approx } else { Q::Exact }),
            (10, Q::Vague),
            (5, Q::Environ),
        ]),
    }
}

fn part_killed(rng: &mut Rng, n: &Noun, civ: bool) -> String {
    let w = if civ {
        *rng.pick(&["tué", "tué", "tué", "tué", "abattu", "exécuté", "massacré"])
    } else {
        *rng.pick(&["tué", "tué", "tué", "abattu"])
    };
    agree(w, n)
}

pub(crate) fn agree(w: &str, n: &Noun) -> String {
    if n.fem {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

pub(crate) fn part(rng: &mut Rng, out: Out, n: &Noun) -> String {
    part_k(rng, out, n, false)
}

/// `massacre`: the event is an attack on civilians, where "exécutés", "massacrés" fit.
pub(crate) fn part_k(rng: &mut Rng, out: Out, n: &Noun, massacre: bool) -> String {
    match out {
        Out::Killed => part_killed(
            rng,
            n,
            massacre && n.group != "security_forces" && n.group != "militants",
        ),
        Out::Injured => agree("blessé", n),
        Out::Captured if n.group == "security_forces" || n.group == "militants" => {
            if rng.chance(0.5) {
                agree("capturé", n)
            } else if n.fem {
                "faites prisonnières".into()
            } else {
                "faits prisonniers".into()
            }
        }
        Out::Captured => match rng.below(4) {
            3 if n.fem => "prises en otage".into(),
            3 => "pris en otage".into(),
            2 => agree("kidnappé", n),
            _ => agree("enlevé", n),
        },
        Out::Missing => {
            if n.fem {
                "portées disparues".into()
            } else {
                "portés disparus".into()
            }
        }
    }
}
