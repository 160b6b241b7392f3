//! Draws a whole event (`make_event`): where, when, who, and every statement about its toll;
//! consumes the PRNG in a fixed order, so one stream gives one event.

use jiff::civil::Date;

use crate::counts::{make_count, noun, sec_nouns, Count, Out, N_CIV, N_MIL, N_PERSONS, N_WOMEN, Q};
use crate::event::{
    civ_noun_for, fig, fig_with, jihad_group, jitter, killed_civ_n, killed_sec_n, local_src,
    pick_country, pick_place, state_src, with_subset, Ev, Fig, Kind, Stmt, Target, Voice,
};
use crate::geo::{anchor_for, Cty, Gaz};
use crate::parties::{ARMY, ARMY_VOICE, ATTACKERS, GOV, INTL, MILITIA, MINUSMA, NGO, REBELS};
use crate::rng::Rng;
use crate::sources::{Src, MEDIA_SRC};

/// A whole event: where, when, who, and every statement about its toll.
pub(crate) fn make_event(rng: &mut Rng, gaz: &Gaz, date: Date, cty: Option<Cty>) -> Ev {
    let cty = cty.unwrap_or_else(|| pick_country(rng));
    let kind = *rng.pick_w(&[
        (28, Kind::CivAttack),
        (17, Kind::MilAttack),
        (12, Kind::Ambush),
        (if cty == Cty::Ne { 4 } else { 10 }, Kind::Drone),
        (12, Kind::Ied),
        (12, Kind::Abduction),
        (if cty == Cty::Ml { 5 } else { 2 }, Kind::Shelling),
    ]);
    let place = pick_place(
        rng,
        gaz,
        cty,
        if kind == Kind::Shelling { 1.0 } else { 0.6 },
    );
    let anchor = anchor_for(gaz, place);
    let night = rng.chance(0.15);
    let target = match kind {
        Kind::CivAttack => *rng.pick_w(&[
            (55, Target::Village),
            (10, Target::Market),
            (8, Target::Mosque),
            (if cty == Cty::Bf { 5 } else { 1 }, Target::Church),
            (12, Target::GoldSite),
            (5, Target::Wedding),
            (8, Target::Bus),
        ]),
        Kind::MilAttack => *rng.pick_w(&[(60, Target::Camp), (40, Target::Post)]),
        Kind::Ambush => Target::Convoy,
        Kind::Drone => *rng.pick_w(&[
            (50, Target::Village),
            (25, Target::Market),
            (25, Target::Wedding),
        ]),
        Kind::Ied => *rng.pick_w(&[(35, Target::Bus), (20, Target::Cart), (45, Target::Convoy)]),
        Kind::Abduction => *rng.pick_w(&[
            (55, Target::Village),
            (30, Target::Bus),
            (15, Target::GoldSite),
        ]),
        Kind::Shelling => *rng.pick_w(&[(50, Target::Town), (50, Target::Camp)]),
    };
    let army = *rng.pick(ARMY[cty.i()]);
    let jihad = jihad_group(rng, gaz, place);
    let state_perp = kind == Kind::CivAttack && cty != Cty::Ne && rng.chance(0.1);
    let attacker = match kind {
        Kind::Drone => army,
        _ if state_perp => {
            if rng.chance(0.5) && !MILITIA[cty.i()].is_empty() {
                *rng.pick(MILITIA[cty.i()])
            } else {
                army
            }
        }
        _ if rng.chance(0.7) => *rng.pick(ATTACKERS),
        _ => jihad,
    };
    let wp_local = 0.25;
    let mut stmts = Vec::new();
    let gov_voice = |rng: &mut Rng| Src::of(rng.pick(ARMY_VOICE[cty.i()]));
    match kind {
        Kind::CivAttack => {
            let k = killed_civ_n(rng);
            let nn = civ_noun_for(rng, target);
            if state_perp {
                // Locals and NGOs say civilians were executed; the army says it killed terrorists.
                let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
                if rng.chance(0.3) {
                    f = with_subset(rng, f, k, Voice::Local);
                }
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
                let m = jitter(rng, k, 0.6, 1.2);
                let f = fig_with(
                    rng,
                    |rng| *rng.pick(N_MIL),
                    Out::Killed,
                    m,
                    Voice::Official,
                    0.4,
                );
                stmts.push(Stmt {
                    src: gov_voice(rng),
                    voice: Voice::Official,
                    figs: vec![f],
                    lag: 0,
                });
                let n2 = jitter(rng, k, 1.0, 1.6);
                stmts.push(ngo_civilians_killed(rng, cty, n2));
            } else {
                let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
                if rng.chance(0.25) {
                    f = with_subset(rng, f, k, Voice::Local);
                }
                let mut figs = vec![f];
                if rng.chance(0.35) {
                    let inj = jitter(rng, k, 0.3, 1.5);
                    figs.push(fig_with(
                        rng,
                        |rng| if rng.chance(0.5) { nn } else { N_PERSONS },
                        Out::Injured,
                        inj,
                        Voice::Local,
                        wp_local,
                    ));
                }
                if rng.chance(0.12) {
                    let cap = rng.range(3, 25);
                    figs.push(fig_with(
                        rng,
                        |rng| if rng.chance(0.5) { N_WOMEN } else { N_PERSONS },
                        Out::Captured,
                        cap,
                        Voice::Local,
                        wp_local,
                    ));
                }
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs,
                    lag: 0,
                });
                if rng.chance(0.6) {
                    let k2 = jitter(rng, k, 0.8, 1.3);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k2,
                        Voice::Local,
                        wp_local,
                    );
                    stmts.push(Stmt {
                        src: local_src(rng),
                        voice: Voice::Local,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
                if rng.chance(0.55) {
                    let k3 = jitter(rng, k, 0.5, 1.0);
                    let mut figs = vec![fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k3,
                        Voice::Official,
                        0.3,
                    )];
                    if rng.chance(0.4) {
                        let inj = jitter(rng, k3, 0.4, 1.5);
                        figs.push(fig_with(
                            rng,
                            |rng| *rng.pick(N_CIV),
                            Out::Injured,
                            inj,
                            Voice::Official,
                            0.3,
                        ));
                    }
                    if rng.chance(0.3) {
                        let m = rng.range(3, 30);
                        figs.push(fig_with(
                            rng,
                            |rng| *rng.pick(N_MIL),
                            Out::Killed,
                            m,
                            Voice::Official,
                            0.3,
                        ));
                    }
                    let src = if rng.chance(0.5) {
                        state_src(rng, gaz, place)
                    } else {
                        Src::of(rng.pick(GOV[cty.i()]))
                    };
                    stmts.push(Stmt {
                        src,
                        voice: Voice::Official,
                        figs,
                        lag: rng.range(0, 2),
                    });
                }
                if rng.chance(0.4) {
                    let k4 = jitter(rng, k, 1.0, 1.5);
                    let (src, voice) = if rng.chance(0.6) {
                        (Src::of(rng.pick(NGO[cty.i()])), Voice::Ngo)
                    } else if cty == Cty::Ml
                        && date < Date::constant(2023, 12, 1)
                        && rng.chance(0.5)
                    {
                        (Src::of(&MINUSMA), Voice::Intl)
                    } else {
                        (Src::of(rng.pick(INTL)), Voice::Intl)
                    };
                    let f = fig(
                        rng,
                        noun("civils", false, "civilians"),
                        Out::Killed,
                        k4,
                        voice,
                        0.2,
                    );
                    stmts.push(Stmt {
                        src,
                        voice,
                        figs: vec![f],
                        lag: rng.range(2, 7),
                    });
                }
                if rng.chance(0.08) {
                    let k5 = jitter(rng, k, 0.8, 1.2);
                    let &(t, pl, fem, d) = rng.pick(MEDIA_SRC);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k5,
                        Voice::Media,
                        0.3,
                    );
                    stmts.push(Stmt {
                        src: Src::generic(t, "media", pl, fem, d),
                        voice: Voice::Media,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
            }
        }
        Kind::MilAttack | Kind::Ambush => {
            let s = killed_sec_n(rng);
            let secn = *rng.pick(sec_nouns(cty));
            // The army's own figures: its losses low, the enemy's high.
            let s_army = jitter(rng, s, 0.4, 1.0);
            let mut figs = vec![fig(rng, secn, Out::Killed, s_army, Voice::Official, 0.6)];
            if rng.chance(0.5) {
                let inj = jitter(rng, s_army, 0.5, 2.0);
                figs.push(fig(rng, secn, Out::Injured, inj, Voice::Official, 0.5));
            }
            if rng.chance(0.12) {
                let mis = rng.range(2, 12);
                figs.push(fig(rng, secn, Out::Missing, mis, Voice::Official, 0.5));
            }
            if rng.chance(0.65) {
                let m = rng.range(5, 60);
                let mut f = fig_with(
                    rng,
                    |rng| *rng.pick(N_MIL),
                    Out::Killed,
                    m,
                    Voice::Official,
                    0.3,
                );
                if rng.chance(0.35) {
                    f.c = make_count(rng, m, false, Q::Vague, 0.3);
                }
                if rng.chance(0.5) {
                    figs.insert(0, f);
                } else {
                    figs.push(f);
                }
            }
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs,
                lag: rng.range(0, 1),
            });
            let secn2 = *rng.pick(sec_nouns(cty));
            let f = fig(rng, secn2, Out::Killed, s, Voice::Security, 0.4);
            let mut figs = vec![f];
            if rng.chance(0.3) {
                let inj = jitter(rng, s, 0.5, 1.5);
                figs.push(fig(rng, secn2, Out::Injured, inj, Voice::Security, 0.4));
            }
            stmts.push(Stmt {
                src: state_src(rng, gaz, place),
                voice: Voice::Security,
                figs,
                lag: 0,
            });
            if rng.chance(0.35) {
                let s2 = jitter(rng, s, 0.9, 1.4);
                let f = fig_with(
                    rng,
                    |rng| *rng.pick(sec_nouns(cty)),
                    Out::Killed,
                    s2,
                    Voice::Local,
                    wp_local,
                );
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
            }
            if rng.chance(0.4) {
                let s3 = jitter(rng, s, 1.0, 2.0);
                let mut figs = vec![fig(rng, secn, Out::Killed, s3, Voice::Claim, 0.2)];
                if rng.chance(0.3) {
                    let c = rng.range(2, 10);
                    figs.push(fig(rng, secn, Out::Captured, c, Voice::Claim, 0.4));
                }
                let claimer = if attacker.kind == "armed_group"
                    && attacker.id != "generic-unidentified"
                    && attacker.id != "generic-jihadists"
                {
                    attacker
                } else {
                    jihad
                };
                stmts.push(Stmt {
                    src: Src::of(&claimer),
                    voice: Voice::Claim,
                    figs,
                    lag: rng.range(1, 3),
                });
            }
        }
        Kind::Drone => {
            let k = killed_civ_n(rng).min(60);
            let m = rng.range(4, 40);
            let mut f = fig_with(
                rng,
                |rng| *rng.pick(N_MIL),
                Out::Killed,
                m,
                Voice::Official,
                0.3,
            );
            if rng.chance(0.4) {
                f.c = make_count(rng, m, false, Q::Vague, 0.3);
            }
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs: vec![f],
                lag: rng.range(0, 1),
            });
            let nn = if rng.chance(0.3) {
                N_PERSONS
            } else {
                *rng.pick(N_CIV)
            };
            let mut f = fig(rng, nn, Out::Killed, k, Voice::Local, wp_local);
            if rng.chance(0.3) {
                f = with_subset(rng, f, k, Voice::Local);
            }
            let mut figs = vec![f];
            if rng.chance(0.35) {
                let inj = jitter(rng, k, 0.3, 1.2);
                figs.push(fig(rng, nn, Out::Injured, inj, Voice::Local, wp_local));
            }
            stmts.push(Stmt {
                src: local_src(rng),
                voice: Voice::Local,
                figs,
                lag: 0,
            });
            let pl = &gaz.places[place];
            if cty == Cty::Ml
                && ["Kidal", "Gao", "Tombouctou", "Ménaka"].contains(&pl.admin1.as_str())
                && rng.chance(0.6)
            {
                let k2 = jitter(rng, k, 1.0, 1.6);
                let mut f = fig(
                    rng,
                    noun("civils", false, "civilians"),
                    Out::Killed,
                    k2,
                    Voice::Claim,
                    0.3,
                );
                if rng.chance(0.4) {
                    f = with_subset(rng, f, k2, Voice::Claim);
                }
                stmts.push(Stmt {
                    src: Src::of(rng.pick(REBELS)),
                    voice: Voice::Claim,
                    figs: vec![f],
                    lag: 0,
                });
            }
            if rng.chance(0.35) {
                let k3 = jitter(rng, k, 1.0, 1.4);
                stmts.push(ngo_civilians_killed(rng, cty, k3));
            }
        }
        Kind::Ied => {
            if target == Target::Convoy {
                let s = rng.range(2, 15);
                let secn = *rng.pick(sec_nouns(cty));
                let zero = rng.chance(0.12);
                let figs = if zero {
                    vec![Fig {
                        noun: N_PERSONS,
                        out: Out::Killed,
                        c: Count::zero(),
                        subset: None,
                    }]
                } else {
                    let mut v = vec![fig(rng, secn, Out::Killed, s, Voice::Security, 0.5)];
                    if rng.chance(0.5) {
                        let inj = jitter(rng, s, 0.5, 2.0);
                        v.push(fig(rng, secn, Out::Injured, inj, Voice::Security, 0.5));
                    }
                    v
                };
                stmts.push(Stmt {
                    src: state_src(rng, gaz, place),
                    voice: Voice::Security,
                    figs,
                    lag: 0,
                });
                if !zero && rng.chance(0.4) {
                    let s2 = jitter(rng, s, 0.6, 1.0);
                    let f = fig(rng, secn, Out::Killed, s2, Voice::Official, 0.6);
                    stmts.push(Stmt {
                        src: gov_voice(rng),
                        voice: Voice::Official,
                        figs: vec![f],
                        lag: rng.range(0, 2),
                    });
                }
            } else {
                let k = rng.range(2, 25);
                let nn = civ_noun_for(rng, target);
                let mut figs = vec![fig(rng, nn, Out::Killed, k, Voice::Local, wp_local)];
                if rng.chance(0.5) {
                    let inj = jitter(rng, k, 0.4, 2.0);
                    figs.push(fig(
                        rng,
                        N_PERSONS,
                        Out::Injured,
                        inj,
                        Voice::Local,
                        wp_local,
                    ));
                }
                let src = if rng.chance(0.6) {
                    local_src(rng)
                } else {
                    state_src(rng, gaz, place)
                };
                let voice = if src.kind == "local" {
                    Voice::Local
                } else {
                    Voice::Security
                };
                stmts.push(Stmt {
                    src,
                    voice,
                    figs,
                    lag: 0,
                });
                if rng.chance(0.4) {
                    let k2 = jitter(rng, k, 0.8, 1.3);
                    let f = fig_with(
                        rng,
                        |rng| *rng.pick(N_CIV),
                        Out::Killed,
                        k2,
                        Voice::Security,
                        0.4,
                    );
                    stmts.push(Stmt {
                        src: state_src(rng, gaz, place),
                        voice: Voice::Security,
                        figs: vec![f],
                        lag: rng.range(0, 1),
                    });
                }
            }
        }
        Kind::Abduction => {
            let c = match rng.below(3) {
                0 => rng.range(2, 9),
                1 => rng.range(10, 30),
                _ => rng.range(31, 120),
            };
            let nn = match target {
                Target::Bus => noun("passagers", false, "civilians"),
                Target::GoldSite => noun("orpailleurs", false, "civilians"),
                _ => *rng.pick(&[
                    N_WOMEN,
                    N_PERSONS,
                    noun("civils", false, "civilians"),
                    noun("villageois", false, "civilians"),
                    noun("habitants", false, "civilians"),
                ]),
            };
            let mut figs = vec![fig(rng, nn, Out::Captured, c, Voice::Local, wp_local)];
            if rng.chance(0.2) {
                let k = rng.range(2, 6);
                figs.push(fig(rng, N_PERSONS, Out::Killed, k, Voice::Local, 0.8));
            }
            stmts.push(Stmt {
                src: local_src(rng),
                voice: Voice::Local,
                figs,
                lag: 0,
            });
            if rng.chance(0.45) {
                let c2 = jitter(rng, c, 0.7, 1.2);
                let f = fig(rng, nn, Out::Captured, c2, Voice::Official, 0.4);
                stmts.push(Stmt {
                    src: state_src(rng, gaz, place),
                    voice: Voice::Official,
                    figs: vec![f],
                    lag: rng.range(0, 2),
                });
            }
        }
        Kind::Shelling => {
            let zero_state = rng.chance(0.5);
            let f = if zero_state {
                Fig {
                    noun: N_PERSONS,
                    out: Out::Killed,
                    c: Count::zero(),
                    subset: None,
                }
            } else {
                let inj = rng.range(2, 15);
                fig_with(
                    rng,
                    |rng| *rng.pick(N_CIV),
                    Out::Injured,
                    inj,
                    Voice::Official,
                    0.6,
                )
            };
            stmts.push(Stmt {
                src: gov_voice(rng),
                voice: Voice::Official,
                figs: vec![f],
                lag: 0,
            });
            if rng.chance(0.6) {
                let n = rng.range(2, 12);
                let out = if rng.chance(0.6) {
                    Out::Injured
                } else {
                    Out::Killed
                };
                let f = fig_with(rng, |rng| *rng.pick(N_CIV), out, n, Voice::Local, wp_local);
                stmts.push(Stmt {
                    src: local_src(rng),
                    voice: Voice::Local,
                    figs: vec![f],
                    lag: 0,
                });
            }
        }
    }
    Ev {
        kind,
        target,
        cty,
        place,
        anchor,
        date,
        night,
        attacker,
        stmts,
    }
}

/// An NGO's count of `n` civilians killed, published a few days after the event. Draws the
/// figure, then the NGO, then the lag, in that order.
fn ngo_civilians_killed(rng: &mut Rng, cty: Cty, n: i64) -> Stmt {
    let f = fig(
        rng,
        noun("civils", false, "civilians"),
        Out::Killed,
        n,
        Voice::Ngo,
        0.2,
    );
    Stmt {
        src: Src::of(rng.pick(NGO[cty.i()])),
        voice: Voice::Ngo,
        figs: vec![f],
        lag: rng.range(2, 8),
    }
}
