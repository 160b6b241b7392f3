//! Whole articles: headline, choice of lead, the article about an event story and the non-event
//! filler article, each returned with its manifest fields and truth line.

use jiff::civil::Date;

use crate::context::{
    analysis, background, context_paragraphs, detail_sentences, humanitarian_sentences,
    official_sentences, place_context, quote_plain, reaction,
};
use crate::counts::{agree, part, Count, Out};
use crate::event::{Ev, Kind, Stmt, Voice};
use crate::french::{add_days, cap, days_between, de, dm, wd, words};
use crate::geo::{Cty, Gaz};
use crate::layout::{afp_heading, apostrophes, format_thousands, layout, rfi_heading, url_for};
use crate::make_event::make_event;
use crate::outlet::{Outlet, Style};
use crate::parties::GOV;
use crate::rng::Rng;
use crate::sources::Src;
use crate::truth::{old_news, tc, tev, TClaim, TDoc};
use crate::writer::{Body, Cx, Loc};

pub(crate) struct Article {
    pub(crate) file: String,
    pub(crate) text: String,
    pub(crate) url: String,
    pub(crate) publisher: &'static str,
    pub(crate) published: String,
    pub(crate) title: String,
    pub(crate) truth: String,
}

fn headline(cx: &mut Cx, ev: &Ev, st: &Stmt, loc: &Loc) -> (String, Option<TClaim>) {
    let short = ev.cty.info().short;
    let f0 = &st.figs[0];
    let where_ = if loc.wprec == 1 && cx.rng.chance(0.6) {
        format!("à {}", loc.name)
    } else {
        format!("près {}", de(&loc.name))
    };
    let with_count = f0.c.low != Some(0) && f0.subset.is_none() && cx.rng.chance(0.6);
    if with_count {
        let p = match (f0.out, f0.noun.group) {
            (Out::Killed, "militants") => agree("neutralisé", &f0.noun),
            (o, _) => part(&mut cx.rng, o, &f0.noun),
        };
        let what = match ev.kind {
            Kind::CivAttack => "dans une attaque",
            Kind::MilAttack => "dans une attaque contre l'armée",
            Kind::Ambush => "dans une embuscade",
            Kind::Drone => "dans des frappes de drone",
            Kind::Ied => "dans l'explosion d'un engin explosif",
            Kind::Abduction => "par des hommes armés",
            Kind::Shelling => "par des tirs d'obus",
        };
        let t = format!("{short} : {} {p} {what} {where_}", f0.c.np(&f0.noun));
        let src = Src::unattributed();
        return (t, Some(tc(f0.noun.group, f0.out, &f0.c, &src)));
    }
    let t = match ev.kind {
        Kind::CivAttack => format!("{short} : attaque meurtrière {where_}"),
        Kind::MilAttack => format!("{short} : une position de l'armée attaquée {where_}"),
        Kind::Ambush => format!("{short} : des militaires pris dans une embuscade {where_}"),
        Kind::Drone => {
            // "des victimes civiles": civilians said to be hit, no count, per the residents.
            let t =
                format!("Frappes de drone {where_} : les habitants dénoncent des victimes civiles");
            let src = Src::generic("les habitants", "local", true, false, None);
            let none = Count {
                text: "des".into(),
                de: false,
                low: None,
                high: None,
                qual: "none",
            };
            return (t, Some(tc("civilians", Out::Killed, &none, &src)));
        }
        Kind::Ied => format!("{short} : un engin explosif sème la mort {where_}"),
        Kind::Abduction => format!("{short} : enlèvements en série {where_}"),
        Kind::Shelling => format!("{short} : {} visée par des tirs d'obus", loc.name),
    };
    (t, None)
}

fn choose_lead(rng: &mut Rng, style: Style, avail: &[&Stmt]) -> usize {
    let pref = |v: Voice| -> u32 {
        match (style, v) {
            (Style::StateMedia, Voice::Official) => 20,
            (Style::StateMedia, Voice::Security) => 3,
            (Style::StateMedia, _) => 1,
            (Style::Radio, Voice::Local) => 8,
            (Style::Afp, Voice::Local | Voice::Security) => 5,
            (Style::Reuters, Voice::Security | Voice::Official) => 5,
            (Style::Mag, Voice::Ngo | Voice::Intl) => 6,
            (Style::Rfi, Voice::Local | Voice::Security) => 4,
            _ => 2,
        }
    };
    let w: Vec<(u32, usize)> = avail
        .iter()
        .enumerate()
        .map(|(i, s)| (pref(s.voice), i))
        .collect();
    *rng.pick_w(&w)
}

/// One article about an event story.
#[allow(clippy::too_many_arguments)]
pub(crate) fn event_article(
    gaz: &Gaz,
    ev: &Ev,
    seed: u64,
    story: u64,
    j: usize,
    pubd: Date,
    outlet: &'static Outlet,
    file: String,
) -> Article {
    let mut cx = Cx {
        rng: Rng::new(seed, 2, story * 16 + j as u64),
        gaz,
        style: outlet.style,
        outlet,
        pubd,
    };
    let lag = days_between(ev.date, pubd);
    let avail: Vec<&Stmt> = ev.stmts.iter().filter(|s| s.lag <= lag).collect();
    let avail: Vec<&Stmt> = if avail.is_empty() {
        vec![&ev.stmts[0]]
    } else {
        avail
    };
    let li = choose_lead(&mut cx.rng, cx.style, &avail);
    let lead = avail[li];
    let mut others: Vec<&Stmt> = avail
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != li)
        .map(|(_, s)| *s)
        .collect();
    // Later articles and long formats report more voices; state media mostly one.
    let max_follow = match cx.style {
        Style::StateMedia => usize::from(cx.rng.chance(0.2)),
        Style::Aa | Style::Radio | Style::Local => cx.rng.range(0, 2) as usize,
        _ => cx.rng.range(1, 3) as usize,
    };
    let mut body = Body::new();
    let loc = cx.loc(ev.place, ev.anchor);
    let w = cx.when(ev.date, ev.night);
    let civ = ev.kind != Kind::MilAttack && ev.kind != Kind::Ambush;
    body.events
        .push(tev(gaz, ev.kind, &loc, Some(&w), old_news(&w, pubd), civ));
    let (title, title_claim) = headline(&mut cx, ev, lead, &loc);

    // RFI and radios often open with the country.
    if matches!(cx.style, Style::Rfi | Style::Radio) && cx.rng.chance(0.3) {
        body.say(format!(
            "{}, la situation sécuritaire reste préoccupante.",
            cap(ev.cty.info().au)
        ));
    }
    cx.lead(ev, lead, &w, &loc, &mut body, 0);
    if cx.rng.chance(0.5) {
        body.end();
    }
    let mut n_follow = 0;
    let mut quoted = false;
    while n_follow < max_follow && !others.is_empty() {
        let i = cx.rng.below(others.len());
        let st = others.remove(i);
        if !quoted
            && st.src.kind == "local"
            && matches!(
                cx.style,
                Style::Afp | Style::Rfi | Style::Mag | Style::Local
            )
            && cx.rng.chance(0.35)
        {
            body.end();
            if cx.quote_fig(st, &mut body, 0) {
                quoted = true;
                n_follow += 1;
                body.end();
                continue;
            }
        }
        cx.follow(st, &mut body, 0);
        n_follow += 1;
        if cx.rng.chance(0.5) {
            body.end();
        }
    }
    body.end();
    let long = matches!(
        cx.style,
        Style::Afp | Style::Mag | Style::Rfi | Style::Reuters
    );
    if cx.rng.chance(if long { 0.95 } else { 0.8 }) {
        detail_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(if long { 0.8 } else { 0.6 }) {
        place_context(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(if cx.style == Style::StateMedia {
        0.95
    } else {
        0.5
    }) {
        official_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if ev.kind != Kind::MilAttack
        && ev.kind != Kind::Ambush
        && cx.rng.chance(if long { 0.5 } else { 0.3 })
    {
        humanitarian_sentences(&mut cx, ev, &mut body);
        body.end();
    }
    if !quoted && cx.rng.chance(0.3) && cx.style != Style::StateMedia {
        quote_plain(&mut cx, ev, &mut body);
        body.end();
    }
    if cx.rng.chance(0.6) {
        let n = cx.rng.range(1, 2) as usize;
        reaction(&mut cx, ev, &mut body, n);
        body.end();
    }
    // A second, unrelated incident in a round-up.
    if matches!(cx.style, Style::Rfi | Style::Radio | Style::Local) && cx.rng.chance(0.18) {
        let d2 = add_days(pubd, -cx.rng.range(1, 5));
        let mut erng = Rng::new(seed, 3, story * 16 + j as u64);
        let ev2 = make_event(&mut erng, gaz, d2, Some(ev.cty));
        if cx.style == Style::Rfi {
            let pname = cx.p(ev2.place).written.clone();
            let h = rfi_heading(&mut cx.rng, &pname);
            body.line(h);
        }
        let loc2 = cx.loc(ev2.place, ev2.anchor);
        let w2 = cx.when(ev2.date, ev2.night);
        let civ2 = ev2.kind != Kind::MilAttack && ev2.kind != Kind::Ambush;
        let evi = body.events.len();
        body.events.push(tev(
            gaz,
            ev2.kind,
            &loc2,
            Some(&w2),
            old_news(&w2, pubd),
            civ2,
        ));
        let st2 = ev2.stmts[0].clone();
        if cx.rng.chance(0.5) {
            let s = *cx.rng.pick(&[
                "Ailleurs dans le pays, les violences ne faiblissent pas.",
                "Un autre incident a été signalé ces derniers jours.",
                "La situation reste également tendue dans d'autres localités.",
            ]);
            body.say(s.to_string());
        }
        cx.lead(&ev2, &st2, &w2, &loc2, &mut body, evi);
        body.end();
    }
    let bg_p = match cx.style {
        Style::Afp | Style::Mag => 0.6,
        Style::Rfi | Style::Reuters => 0.4,
        _ => 0.2,
    };
    let n_ctx = match cx.style {
        Style::Afp => cx.rng.range(4, 7) as usize,
        Style::Mag => cx.rng.range(6, 9) as usize,
        Style::Reuters | Style::Rfi => cx.rng.range(3, 5) as usize,
        Style::Aa => cx.rng.range(2, 3) as usize,
        _ => cx.rng.range(2, 4) as usize,
    };
    if cx.rng.chance(bg_p) || n_ctx > 0 {
        match cx.style {
            Style::Afp if cx.rng.chance(0.6) => body.line(afp_heading(&mut cx.rng)),
            Style::Mag | Style::Rfi if cx.rng.chance(0.4) => {
                let h = rfi_heading(&mut cx.rng, &loc.name);
                body.line(h);
            }
            _ => {}
        }
    }
    if cx.rng.chance(bg_p) {
        background(&mut cx, ev, &mut body);
        if cx.rng.chance(0.3) {
            background(&mut cx, ev, &mut body);
        }
    }
    if cx.style == Style::Mag && cx.rng.chance(0.6) {
        let s = *cx.rng.pick(&[
            "« Les groupes armés cherchent à asphyxier les villes en s'attaquant aux axes de ravitaillement »",
            "« La stratégie du tout-militaire a montré ses limites »",
            "« Les représailles contre les civils nourrissent le recrutement des jihadistes »",
            "« Les jihadistes gouvernent désormais de larges zones rurales »",
        ]);
        let who = *cx.rng.pick(&[
            "estime un chercheur spécialiste du Sahel",
            "analyse un expert en sécurité basé à Dakar",
            "juge un diplomate en poste dans la région",
            "résume un ancien officier",
        ]);
        body.say(format!("{s}, {who}."));
        body.end();
    }
    let n_analysis = match cx.style {
        Style::Mag => cx.rng.range(4, 7) as usize,
        Style::Afp | Style::Rfi => cx.rng.range(1, 3) as usize,
        Style::Local | Style::Reuters => cx.rng.range(0, 2) as usize,
        _ => 0,
    };
    if n_analysis > 0 {
        analysis(&mut cx, &mut body, n_analysis);
    }
    context_paragraphs(&mut cx, ev.cty, &mut body, n_ctx);
    let title_claim = title_claim.map(|c| (0usize, c));
    let mut events = std::mem::take(&mut body.events);
    let text = layout(&mut cx, body, &title, title_claim, &mut events, ev.cty);
    let title = apostrophes(cx.style, &title);
    let id = story * 16 + j as u64;
    let url = url_for(outlet, pubd, &title, 100_000 + id);
    let truth = TDoc {
        file: file.clone(),
        publisher: outlet.name,
        published: pubd.to_string(),
        story,
        events,
    };
    Article {
        file,
        text,
        url,
        publisher: outlet.name,
        published: pubd.to_string(),
        title,
        truth: serde_json::to_string(&truth).expect("truth serialises"),
    }
}

/// A non-event article: politics, economy, humanitarian, justice, accidents.
pub(crate) fn filler_article(
    gaz: &Gaz,
    seed: u64,
    story: u64,
    pubd: Date,
    outlet: &'static Outlet,
    cty: Cty,
    file: String,
) -> Article {
    let mut cx = Cx {
        rng: Rng::new(seed, 4, story),
        gaz,
        style: outlet.style,
        outlet,
        pubd,
    };
    let info = cty.info();
    let town = gaz.places[*cx.rng.pick(&gaz.major[cty.i()])]
        .written
        .clone();
    let mut body = Body::new();
    let when = match cx.rng.below(3) {
        0 => wd(add_days(pubd, -1)).to_string(),
        1 => format!("ce {}", wd(pubd)),
        _ => format!("le {}", dm(add_days(pubd, -cx.rng.range(1, 4)))),
    };
    let topic = cx.rng.below(7);
    let title;
    match topic {
        0 => {
            title = format!(
                "{} : la production d'or en hausse en {}",
                info.short,
                pubd.year() - 1
            );
            let t = cx.rng.range(40, 110);
            body.say(format!("La production industrielle d'or {} a atteint {t} tonnes en {}, en hausse de {} % sur un an, a annoncé {when} le ministère des Mines.", info.du, pubd.year() - 1, cx.rng.range(2, 15)));
            body.say(format!(
                "L'or représente plus de {} % des recettes d'exportation du pays.",
                cx.rng.range(5, 8) * 10
            ));
            body.end();
            body.say(format!("Le nouveau code minier, adopté en {}, porte à {} % la part de l'État dans les nouvelles mines.", pubd.year() - 2, cx.rng.range(3, 4) * 10));
            body.say("Les autorités de transition ont engagé un bras de fer avec plusieurs compagnies étrangères pour renégocier les conventions.".into());
            body.end();
            body.say(format!("Des milliers d'orpailleurs travaillent par ailleurs sur des sites artisanaux, notamment autour {}, souvent dans des conditions dangereuses.", de(&town)));
        }
        1 => {
            title = format!(
                "{} : le gouvernement annonce un nouveau calendrier de la transition",
                info.short
            );
            body.say(format!("{} a annoncé {when} la tenue d'un dialogue national à {}, étape présentée comme préalable au retour à l'ordre constitutionnel.", cap(cx.rng.pick(GOV[cty.i()]).np), info.capital));
            body.say(format!("Les partis politiques, dont les activités ont été suspendues en {}, n'ont pas été associés à la préparation des assises.", pubd.year() - 1));
            body.end();
            body.say(format!("Le porte-parole du gouvernement a assuré que les élections se tiendraient « dès que les conditions sécuritaires le permettront », sans avancer de date. Quelque {} délégués sont attendus.", cx.rng.range(3, 12) * 100));
            body.end();
            body.say("L'opposition en exil dénonce une « confiscation du pouvoir ».".into());
        }
        2 => {
            title = format!(
                "{} : plus de {} déplacés selon les Nations unies",
                info.short,
                cx.rng.range(3, 20) * 100_000
            );
            let n = cx.rng.range(3, 20) * 100_000;
            body.say(format!("Le nombre de personnes déplacées internes {} dépasse désormais {} selon le dernier rapport du Bureau de la coordination des affaires humanitaires de l'ONU (OCHA), publié {when}.", info.au, format_thousands(n, cx.style)));
            body.say(format!("Quelque {} millions de personnes ont besoin d'une aide humanitaire, et le plan de réponse n'est financé qu'à {} %.", cx.rng.range(2, 8), cx.rng.range(15, 45)));
            body.end();
            body.say(format!("À {town}, les familles arrivées ces derniers mois vivent dans des abris de fortune, sans accès suffisant à l'eau potable."));
            body.end();
            body.say(format!("Plus de {} écoles restent fermées en raison de l'insécurité, privant des centaines de milliers d'enfants d'enseignement.", cx.rng.range(10, 60) * 100));
        }
        3 => {
            let n = cx.rng.range(3, 30);
            title = format!("{} : {n} personnes condamnées pour terrorisme", info.short);
            body.say(format!("La chambre criminelle spécialisée de {} a condamné {when} {} à des peines allant de {} à {} ans de prison pour « association de malfaiteurs en relation avec une entreprise terroriste ».", info.capital, if n < 17 { format!("{} personnes", words(n, true)) } else { format!("{n} personnes") }, cx.rng.range(2, 5), cx.rng.range(10, 20)));
            body.say(format!(
                "Les accusés avaient été interpellés en {} dans la région {}.",
                pubd.year() - 2,
                de(&gaz.places[*cx.rng.pick(&gaz.major[cty.i()])].admin1)
            ));
            body.end();
            body.say("Leurs avocats ont annoncé leur intention de faire appel.".into());
        }
        4 => {
            let k = cx.rng.range(3, 25);
            title = format!(
                "{} : un accident de la route fait {k} morts près {}",
                info.short,
                de(&town)
            );
            body.say(format!("Un accident de la circulation impliquant un car de transport et un camion a fait {k} morts et {} blessés {when} près {}, a indiqué la protection civile.", cx.rng.range(5, 40), de(&town)));
            body.say("L'excès de vitesse et le mauvais état de la route seraient en cause.".into());
            body.end();
            body.say("Les accidents de la route font chaque année des centaines de victimes dans le pays.".into());
        }
        5 => {
            title = format!("Coton : {} vise une récolte record", info.le);
            body.say(format!("La compagnie cotonnière nationale prévoit une production de {} tonnes de coton graine pour la campagne {}-{}, a-t-elle annoncé {when}.", format_thousands(cx.rng.range(40, 80) * 10_000, cx.style), pubd.year(), pubd.year() + 1));
            body.say(format!(
                "Le prix d'achat au producteur a été fixé à {} francs CFA le kilo.",
                cx.rng.range(28, 32) * 10
            ));
            body.end();
            body.say("L'insécurité a toutefois contraint de nombreux producteurs à abandonner leurs champs dans plusieurs zones.".into());
        }
        _ => {
            title = format!("AES : les chefs d'État réunis à {}", info.capital);
            body.say(format!("Les chefs d'État de l'Alliance des États du Sahel (AES) se sont réunis {when} à {} pour leur sommet annuel, consacré à la sécurité et à l'intégration économique.", info.capital));
            body.say(format!("Ils ont annoncé la création d'une banque d'investissement commune et d'une force unifiée de {} hommes.", format_thousands(cx.rng.range(3, 10) * 1000, cx.style)));
            body.end();
            body.say("Le Mali, le Burkina Faso et le Niger ont annoncé leur retrait de la Cédéao, qu'ils accusent d'être instrumentalisée par la France.".into());
        }
    }
    body.end();
    // Economic and political news from the region carries the security backdrop too.
    let quote = *cx.rng.pick(&[
        "« C'est une question de souveraineté »",
        "« Les populations attendent des résultats concrets »",
        "« Nous devons compter d'abord sur nos propres forces »",
        "« La situation reste difficile, mais nous avançons »",
    ]);
    let who = *cx.rng.pick(&[
        "a déclaré un responsable du ministère",
        "a commenté un économiste joint par téléphone",
        "estime un membre de la société civile",
        "a affirmé le porte-parole du gouvernement",
    ]);
    body.say(format!("{quote}, {who}."));
    body.end();
    let n_ctx = cx.rng.range(2, 4) as usize;
    context_paragraphs(&mut cx, cty, &mut body, n_ctx);
    let mut events = Vec::new();
    let text = layout(&mut cx, body, &title, None, &mut events, cty);
    let title = apostrophes(cx.style, &title);
    let url = url_for(outlet, pubd, &title, 900_000 + story);
    let truth = TDoc {
        file: file.clone(),
        publisher: outlet.name,
        published: pubd.to_string(),
        story,
        events,
    };
    Article {
        file,
        text,
        url,
        publisher: outlet.name,
        published: pubd.to_string(),
        title,
        truth: serde_json::to_string(&truth).expect("truth serialises"),
    }
}
