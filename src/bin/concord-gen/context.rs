//! Non-event text: details, place context, official and humanitarian sentences, reactions, dated
//! background, analysis and recalled past events; only recalled events add (background) truth.

use jiff::civil::Date;

use crate::counts::{agree, make_count, q_for, sec_nouns, Out, N_CIV};
use crate::event::{
    jihad_group, killed_civ_n, killed_sec_n, local_src, pick_place, Ev, Kind, Voice,
};
use crate::french::{add_days, cap, de, de_np, dm, month_end, q, MONTHS};
use crate::geo::{region_np, Cty};
use crate::layout::format_thousands;
use crate::parties::{Party, ARMY, ARMY_VOICE, GOV, JIHAD};
use crate::rng::Rng;
use crate::sources::Src;
use crate::truth::{tc, tev};
use crate::writer::{Body, Cx, Loc, When};

/// Picks `n` distinct sentences of a pool, in pool order shuffled by the PRNG.
fn say_some(rng: &mut Rng, body: &mut Body, pool: &[String], n: usize) {
    let mut idx: Vec<usize> = (0..pool.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = rng.below(i + 1);
        idx.swap(i, j);
    }
    for &i in idx.iter().take(n) {
        body.say(pool[i].clone());
    }
}

pub(crate) fn detail_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let anchor_name = ev
        .anchor
        .map(|a| cx.p(a.place).written.clone())
        .unwrap_or_else(|| cx.p(ev.place).admin1.clone());
    let hour = cx.rng.range(4, 19);
    let pool: Vec<String> = match ev.kind {
        Kind::CivAttack | Kind::Abduction => vec![
            "Les assaillants, arrivés à moto en grand nombre, ont encerclé le village avant d'ouvrir le feu.".into(),
            "Des greniers et des boutiques ont été incendiés et une partie du bétail emportée.".into(),
            "L'attaque a duré plusieurs heures, selon des témoins.".into(),
            format!("De nombreux habitants ont fui vers {anchor_name} dans les heures qui ont suivi."),
            format!("Une partie de la population a trouvé refuge à {anchor_name}, où des familles d'accueil les hébergent."),
            "Les renforts militaires ne sont arrivés sur place qu'en fin de journée.".into(),
            "Le village avait reçu des menaces des jihadistes, qui reprochent aux habitants de collaborer avec l'armée.".into(),
            "Les ravisseurs ont pris la direction de la brousse, selon des habitants.".into(),
            "Les réseaux téléphoniques sont coupés dans la zone depuis plusieurs mois, ce qui rend difficile la vérification des informations.".into(),
            format!("Les hommes armés sont arrivés vers {hour} heures, alors que de nombreux habitants se trouvaient au marché."),
            "Les assaillants ont fouillé les maisons une à une et emporté des vivres, des motos et des téléphones.".into(),
            "Les corps ont été inhumés le lendemain dans une fosse commune, selon un habitant.".into(),
            "Plusieurs maisons et la mairie ont été incendiées.".into(),
            "Les hommes du village avaient été rassemblés sur la place publique, selon un témoin.".into(),
        ],
        Kind::MilAttack | Kind::Ambush => vec![
            "Les assaillants, venus à bord de motos et de pick-up, ont attaqué aux premières heures de la matinée.".into(),
            "Des renforts aériens ont été dépêchés sur les lieux.".into(),
            "Du matériel militaire a été emporté et plusieurs véhicules incendiés.".into(),
            "Les combats ont duré plus de deux heures.".into(),
            "Une opération de ratissage était en cours dans la zone.".into(),
            "L'armée n'a pas communiqué sur ses pertes matérielles.".into(),
            format!("L'attaque a débuté vers {hour} heures et les échanges de tirs ont été entendus jusqu'à {anchor_name}, selon des habitants."),
            "Les assaillants ont utilisé des engins explosifs pour ouvrir une brèche avant de donner l'assaut.".into(),
            "Le convoi transportait des vivres et du carburant destinés à la garnison.".into(),
            "Les blessés ont été évacués par hélicoptère vers la capitale, selon une source sécuritaire.".into(),
            "Les jihadistes ont diffusé des images montrant des armes et des munitions saisies lors de l'attaque.".into(),
        ],
        Kind::Drone => vec![
            "La frappe a visé un rassemblement de personnes, selon des témoins.".into(),
            "L'armée affirme mener des opérations contre des « terroristes » dans la zone.".into(),
            "Des images partagées sur les réseaux sociaux montraient des maisons détruites.".into(),
            "L'accès à la zone est difficile et les informations y sont rarement vérifiables de manière indépendante.".into(),
            "Les drones turcs acquis ces dernières années sont devenus l'arme de prédilection de l'armée contre les groupes armés.".into(),
            "Les habitants affirment qu'aucun combattant ne se trouvait sur les lieux au moment de la frappe.".into(),
            format!("Une seconde frappe a visé les personnes venues porter secours, selon un habitant {}.", de(&anchor_name)),
        ],
        Kind::Ied => vec![
            "Les engins explosifs improvisés sont devenus l'une des principales menaces sur les routes de la région.".into(),
            format!("Le véhicule se rendait au marché {}.", de(&anchor_name)),
            "Les secours ont mis plusieurs heures à atteindre les lieux.".into(),
            "L'axe avait été rouvert à la circulation il y a quelques semaines seulement.".into(),
            "Les jihadistes posent régulièrement des mines artisanales sur les pistes empruntées par les convois.".into(),
            "Le véhicule a été entièrement détruit par la déflagration.".into(),
        ],
        Kind::Shelling => vec![
            "Des dégâts matériels ont été constatés près de l'aéroport.".into(),
            "Les tirs provenaient de l'extérieur de la ville, selon des habitants.".into(),
            "Un incendie s'est déclaré dans un quartier périphérique avant d'être maîtrisé.".into(),
            "Les habitants ont passé la nuit terrés chez eux.".into(),
            "Ce n'est pas la première fois que la ville est visée par des tirs d'obus.".into(),
        ],
    };
    let n = cx.rng.range(2, 4) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

/// Sentences about the place and its surroundings: distances, blockade, earlier attacks.
pub(crate) fn place_context(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let p = cx.p(ev.place);
    let name = p.written.clone();
    let region = region_np(p);
    let group = jihad_group(&mut cx.rng, cx.gaz, ev.place).np;
    let mut pool: Vec<String> = vec![
        format!("{name} avait déjà été visée par des attaques ces derniers mois."),
        format!("Le secteur est régulièrement le théâtre d'attaques attribuées à des groupes jihadistes, notamment {group}."),
        "Dans cette zone, les jihadistes imposent un blocus à plusieurs localités, empêchant l'approvisionnement en vivres.".into(),
        "De nombreux villages des environs se sont vidés de leurs habitants ces dernières années.".into(),
        "Les habitants avaient conclu un accord local avec les jihadistes, qui les autorisait à cultiver leurs champs moyennant le paiement de la zakat.".into(),
        "La zone est aussi le théâtre de violences intercommunautaires entre éleveurs et agriculteurs.".into(),
        "Les communications téléphoniques y sont perturbées depuis la destruction de plusieurs antennes-relais.".into(),
        format!("{} concentre une grande partie des violences enregistrées dans le pays depuis le début de l'année.", cap(&region)),
        format!("La localité accueille des milliers de déplacés ayant fui les villages environnants."),
    ];
    if let Some(a) = ev.anchor {
        let an = cx.p(a.place).written.clone();
        pool.push(format!(
            "{name} se trouve à environ {} km {} {}.",
            a.km,
            a.dir,
            de(&an)
        ));
        pool.push(format!(
            "La route reliant {name} à {an} est régulièrement minée."
        ));
    }
    let n = cx.rng.range(1, 3) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

/// What officials say or do, without figures.
pub(crate) fn official_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let c = ev.cty;
    let armyp = *cx.rng.pick(ARMY[c.i()]);
    let voicep = *cx.rng.pick(ARMY_VOICE[c.i()]);
    let (army, voice) = (armyp.np, voicep.np);
    let (affirme, sa) = if armyp.pl {
        ("affirment", "leur")
    } else {
        ("affirme", "sa")
    };
    let contacte = if voicep.fem {
        "Contactée"
    } else {
        "Contacté"
    };
    let pool: Vec<String> = vec![
        format!("{} {affirme} avoir renforcé {sa} présence dans la zone et mener des opérations de ratissage.", cap(army)),
        "Les autorités n'avaient pas communiqué officiellement sur l'attaque dans l'immédiat.".into(),
        format!("{contacte}, {voice} n'a pas donné suite aux sollicitations."),
        "Des moyens aériens ont été engagés pour traquer les assaillants en fuite, selon une source sécuritaire.".into(),
        "Le gouvernement présente ses condoléances aux familles des victimes et souhaite un prompt rétablissement aux blessés.".into(),
        format!("{} invite les populations à signaler tout mouvement suspect aux forces de défense et de sécurité.", cap(voice)),
        "Les opérations de sécurisation se poursuivent dans la zone.".into(),
        "Le ministre de la Défense s'est rendu sur place pour apporter le soutien du gouvernement aux unités engagées.".into(),
    ];
    let n = cx.rng.range(1, 2) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

pub(crate) fn humanitarian_sentences(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let anchor_name = ev
        .anchor
        .map(|a| cx.p(a.place).written.clone())
        .unwrap_or_else(|| cx.p(ev.place).written.clone());
    let pool: Vec<String> = vec![
        format!("Plusieurs centaines de familles ont fui vers {anchor_name} dans les jours qui ont suivi."),
        "Les organisations humanitaires peinent à accéder à la zone, en raison de l'insécurité et du mauvais état des routes.".into(),
        "Des vivres ont été acheminés par hélicoptère vers la localité, sous blocus depuis des mois.".into(),
        format!("Le centre de santé {} manque de médicaments et de personnel pour faire face à l'afflux de patients.", de(&anchor_name)),
        "Les écoles de la commune sont fermées depuis la rentrée.".into(),
        "Les prix des denrées de base ont fortement augmenté depuis que les routes sont coupées.".into(),
    ];
    let n = cx.rng.range(1, 3) as usize;
    say_some(&mut cx.rng, body, &pool, n);
}

pub(crate) fn quote_plain(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let src = local_src(&mut cx.rng);
    let inner = *cx.rng.pick(&[
        "Nous vivons dans la peur. Ils viennent quand ils veulent et repartent sans être inquiétés",
        "Il n'y a presque plus personne au village, tout le monde est parti",
        "L'armée est arrivée trop tard, les assaillants étaient déjà repartis",
        "Nous demandons aux autorités de nous protéger",
        "Personne ne peut plus aller aux champs",
        "Les routes sont coupées, nous ne pouvons plus rien acheminer",
    ]);
    let verb = if src.pl {
        "ont déploré"
    } else {
        *cx.rng
            .pick(&["a déploré", "confie", "a expliqué", "raconte"])
    };
    let _ = ev;
    body.say(format!("{}, {verb} {}.", q(inner), src.text));
}

pub(crate) fn reaction(cx: &mut Cx, ev: &Ev, body: &mut Body, n: usize) {
    let c = ev.cty;
    let mut govs: Vec<Party> = GOV[c.i()].to_vec();
    if c == Cty::Ne && cx.pubd < Date::constant(2023, 8, 1) {
        govs.retain(|p| p.alias != "régime militaire nigérien");
    }
    let govp = *cx.rng.pick(&govs);
    let armyp = *cx.rng.pick(ARMY[c.i()]);
    let jihad = cx.rng.pick(JIHAD[c.i()]).np;
    let v = |p: &Party, sg: &'static str, pl: &'static str| if p.pl { pl } else { sg };
    let mut pool: Vec<String> = vec![
        format!("{} {} pas réagi dans l'immédiat.", cap(armyp.np), v(&armyp, "n'a", "n'ont")),
        "Une enquête a été ouverte, selon une source judiciaire.".into(),
        format!("Des renforts ont été envoyés dans la zone et des opérations de sécurisation sont en cours, selon {}.", armyp.np),
    ];
    if ev.kind != Kind::Drone {
        let days = *cx
            .rng
            .pick(&["de trois jours", "de deux jours", "de 72 heures"]);
        pool.push(format!("Un deuil national {days} a été décrété."));
        pool.push(format!(
            "{} {} une « attaque lâche et barbare » et promis que les auteurs seraient retrouvés.",
            cap(govp.np),
            v(&govp, "a condamné", "ont condamné")
        ));
        pool.push(format!(
            "L'attaque n'avait pas été revendiquée {}, mais la zone est un bastion {}.",
            if cx.rng.chance(0.5) {
                "dans l'immédiat"
            } else {
                "au moment de la publication de cet article"
            },
            de_np(jihad).replacen("de le ", "du ", 1)
        ));
    } else {
        pool.push(format!(
            "{} {} pas commenté les accusations de victimes civiles.",
            cap(govp.np),
            v(&govp, "n'a", "n'ont")
        ));
    }
    say_some(&mut cx.rng, body, &pool, n);
}

/// Background sentences valid at the publication date (`from`..`until`, year and month).
type Dated = ((i16, i8), (i16, i8), &'static str);

const CTX_ML: &[Dated] = &[
    ((2021, 1), (2099, 1), "Le Mali est confronté depuis 2012 à la propagation de groupes jihadistes affiliés à Al-Qaïda et à l'organisation État islamique, ainsi qu'à des violences communautaires et de bandes criminelles."),
    ((2022, 9), (2099, 1), "Les colonels arrivés au pouvoir par la force en 2020 ont rompu avec la France, ancienne puissance coloniale, et se sont tournés militairement et politiquement vers la Russie."),
    ((2021, 1), (2022, 8), "Les colonels arrivés au pouvoir par la force en 2020 ont poussé la France à retirer ses soldats de la force Barkhane, et se sont tournés vers la Russie."),
    ((2021, 1), (2099, 1), "Le centre et le nord du pays échappent en grande partie au contrôle de l'État, malgré les affirmations de la junte selon lesquelles la situation sécuritaire s'améliore."),
    ((2024, 1), (2099, 1), "La mission de l'ONU, la Minusma, a quitté le pays fin 2023 à la demande des autorités de transition."),
    ((2021, 1), (2023, 6), "La mission de l'ONU, la Minusma, compte quelque 12.000 militaires et policiers déployés dans le pays."),
    ((2021, 1), (2099, 1), "Les autorités communiquent rarement sur les pertes de l'armée et l'accès des journalistes aux zones de combat est très limité."),
    ((2021, 1), (2099, 1), "Les violences ont fait des milliers de morts, civils et militaires, depuis 2012, selon les organisations qui suivent le conflit."),
    ((2023, 12), (2099, 1), "La reprise de Kidal par l'armée et ses alliés russes, fin 2023, a été présentée par la junte comme un tournant, mais les attaques se sont poursuivies dans le nord."),
    ((2023, 10), (2099, 1), "Les rebelles à dominante touareg, qui avaient signé un accord de paix en 2015, ont repris les armes contre l'État central en 2023."),
    ((2022, 4), (2099, 1), "L'armée et les paramilitaires russes sont accusés par des organisations de défense des droits humains d'exactions contre des civils, ce que Bamako dément."),
    ((2025, 6), (2099, 1), "La junte a dissous les partis politiques et repoussé à plusieurs reprises le retour des civils au pouvoir."),
    ((2021, 1), (2025, 5), "La junte a repoussé à plusieurs reprises l'échéance du retour des civils au pouvoir."),
    ((2021, 1), (2099, 1), "Le centre du pays est l'un des principaux foyers de violences, où opèrent les jihadistes de la katiba Macina d'Amadou Koufa."),
];

const CTX_BF: &[Dated] = &[
    ((2021, 1), (2099, 1), "Le Burkina Faso est pris depuis 2015 dans une spirale de violences jihadistes qui ont fait des milliers de morts et plus de deux millions de déplacés internes."),
    ((2022, 10), (2099, 1), "Le capitaine Ibrahim Traoré, arrivé au pouvoir par un coup d'État en septembre 2022, a fait de la reconquête du territoire sa priorité."),
    ((2022, 2), (2022, 9), "Le lieutenant-colonel Paul-Henri Sandaogo Damiba, arrivé au pouvoir par un coup d'État en janvier 2022, avait promis de faire de la sécurité sa priorité."),
    ((2021, 1), (2099, 1), "Près de la moitié du territoire échappe au contrôle de l'État, selon des estimations d'organisations humanitaires."),
    ((2023, 1), (2099, 1), "La junte a recruté des dizaines de milliers de supplétifs civils, les Volontaires pour la défense de la patrie (VDP), pour épauler l'armée."),
    ((2023, 6), (2099, 1), "Les autorités communiquent peu sur les attaques et des journalistes critiques ont été réquisitionnés pour aller combattre au front."),
    ((2021, 1), (2099, 1), "Les VDP et l'armée sont régulièrement accusés par des ONG d'exactions contre des civils, notamment de la communauté peule."),
    ((2021, 1), (2099, 1), "Les jihadistes imposent un blocus à plusieurs dizaines de localités du nord et de l'est, ravitaillées par convois escortés ou par voie aérienne."),
    ((2023, 2), (2099, 1), "Le pays a rompu sa coopération militaire avec la France et s'est rapproché de la Russie."),
];

const CTX_NE: &[Dated] = &[
    ((2023, 8), (2099, 1), "Le Niger est dirigé depuis le coup d'État de juillet 2023 par le général Abdourahamane Tiani, qui a fait de la sécurité sa priorité."),
    ((2021, 4), (2023, 7), "Le président Mohamed Bazoum, élu en 2021, a fait de la lutte contre les groupes jihadistes et du dialogue avec certains de leurs combattants des priorités."),
    ((2021, 1), (2099, 1), "L'ouest du pays, dans la zone dite des « trois frontières » avec le Mali et le Burkina Faso, est régulièrement frappé par des groupes jihadistes."),
    ((2021, 1), (2099, 1), "Dans le sud-est, près du lac Tchad, l'armée fait face à Boko Haram et à l'État islamique en Afrique de l'Ouest (ISWAP)."),
    ((2024, 9), (2099, 1), "Les militaires au pouvoir ont exigé et obtenu le départ des soldats français et américains déployés dans le pays."),
    ((2021, 1), (2023, 7), "Le Niger accueille des soldats français et américains engagés contre les groupes jihadistes."),
    ((2021, 1), (2099, 1), "Les violences jihadistes ont fait des centaines de morts parmi les civils et les militaires ces dernières années."),
    ((2024, 11), (2099, 1), "Un nouveau groupe armé, Lakurawa, est apparu dans les régions frontalières du Nigeria."),
    ((2023, 8), (2099, 1), "Les autorités ont suspendu plusieurs médias étrangers, accusés de relayer la propagande des groupes armés."),
];

const CTX_ALL: &[Dated] = &[
    ((2024, 1), (2099, 1), "Le Mali, le Burkina Faso et le Niger, tous trois dirigés par des militaires, se sont regroupés au sein de l'Alliance des États du Sahel (AES) et ont annoncé leur retrait de la Communauté économique des États de l'Afrique de l'Ouest (Cédéao)."),
    ((2024, 3), (2099, 1), "Les trois pays de l'AES ont annoncé la création d'une force unifiée pour lutter contre les jihadistes."),
    ((2021, 1), (2099, 1), "Le Sahel central est devenu l'un des principaux foyers du jihadisme dans le monde, selon plusieurs centres de recherche."),
    ((2021, 1), (2099, 1), "Les groupes jihadistes ont étendu leur présence vers les pays côtiers du golfe de Guinée, notamment le Bénin et le Togo."),
    ((2021, 1), (2099, 1), "Le JNIM, affilié à Al-Qaïda, et l'État islamique au Sahel se disputent le contrôle de plusieurs zones, en particulier dans la région des trois frontières."),
    ((2021, 1), (2099, 1), "Les économies locales sont asphyxiées par les blocus, la fermeture des marchés et l'interdiction de circuler à moto décrétée par les autorités dans plusieurs zones."),
    ((2021, 1), (2099, 1), "Les gouvernements militaires de la région justifient leur prise du pouvoir par la dégradation de la situation sécuritaire."),
];

/// Analysis sentences of magazines and long dispatches.
const ANALYSIS: &[&str] = &[
    "Depuis le départ des forces françaises, les armées de la région s'appuient sur des drones et sur des partenaires russes, une stratégie dont l'efficacité est contestée.",
    "Selon plusieurs analystes, les jihadistes profitent des tensions entre communautés pour recruter, en particulier parmi les jeunes éleveurs.",
    "Des milliers de jeunes ont été recrutés dans les armées nationales ces dernières années, dont les effectifs ont considérablement augmenté.",
    "Les exactions attribuées aux forces armées alimentent un sentiment d'abandon et de défiance dans certaines communautés, estiment des chercheurs.",
    "Les négociations locales avec les groupes armés, longtemps encouragées par des chefs traditionnels, sont désormais découragées par les autorités.",
    "Le recours aux drones armés a permis à l'armée de frapper des cibles éloignées, mais s'est accompagné de nombreuses bavures, selon des ONG.",
    "La Russie a livré des avions, des hélicoptères et des blindés aux armées de la région.",
    "Dans les zones rurales, les groupes jihadistes lèvent l'impôt, rendent la justice et règlent les conflits fonciers, se substituant à un État absent.",
    "Les routes commerciales vers les ports côtiers sont de plus en plus ciblées, ce qui renchérit le coût des produits importés.",
    "Les autorités présentent chaque semaine un bilan des opérations militaires, mais ces chiffres sont invérifiables de manière indépendante.",
    "Pour de nombreux observateurs, la réponse exclusivement militaire ne suffira pas à enrayer la progression des groupes armés.",
    "Les femmes et les enfants paient un lourd tribut à la crise, privés d'écoles, de centres de santé et de moyens de subsistance.",
];

fn dated_pool(pool: &[Dated], pubd: Date) -> Vec<String> {
    let ym = (pubd.year(), pubd.month());
    pool.iter()
        .filter(|(from, until, _)| *from <= ym && ym <= *until)
        .map(|(_, _, t)| t.to_string())
        .collect()
}

pub(crate) fn context_paragraphs(cx: &mut Cx, c: Cty, body: &mut Body, n: usize) {
    let mut all = dated_pool(
        match c {
            Cty::Ml => CTX_ML,
            Cty::Bf => CTX_BF,
            Cty::Ne => CTX_NE,
        },
        cx.pubd,
    );
    all.extend(dated_pool(CTX_ALL, cx.pubd));
    all.push(format!(
        "Selon l'ONU, plus de {} écoles restent fermées dans la région en raison de l'insécurité.",
        format_thousands(cx.rng.range(12, 60) * 100, cx.style)
    ));
    let mut idx: Vec<usize> = (0..all.len()).collect();
    for i in (1..idx.len()).rev() {
        let j = cx.rng.below(i + 1);
        idx.swap(i, j);
    }
    for &i in idx.iter().take(n) {
        body.say(all[i].clone());
        if cx.rng.chance(0.6) {
            body.end();
        }
    }
    body.end();
}

pub(crate) fn analysis(cx: &mut Cx, body: &mut Body, n: usize) {
    let pool: Vec<String> = ANALYSIS.iter().map(|s| s.to_string()).collect();
    say_some(&mut cx.rng, body, &pool, n);
    body.end();
}

/// A past event recalled as background, told in the pluperfect.
pub(crate) fn background(cx: &mut Cx, ev: &Ev, body: &mut Body) {
    let gaz = cx.gaz;
    let c = ev.cty;
    let bplace = pick_place(&mut cx.rng, gaz, c, 0.9);
    let back = cx.rng.range(15, 300);
    let bdate = add_days(cx.pubd, -back);
    let military = cx.rng.chance(0.45);
    let kind = if military {
        Kind::MilAttack
    } else {
        Kind::CivAttack
    };
    let n = if military {
        killed_sec_n(&mut cx.rng)
    } else {
        killed_civ_n(&mut cx.rng)
    };
    let nn = if military {
        *cx.rng.pick(sec_nouns(c))
    } else {
        *cx.rng.pick(N_CIV)
    };
    let voice = if cx.rng.chance(0.5) {
        Voice::Unattr
    } else if military {
        Voice::Official
    } else {
        Voice::Local
    };
    let src = match voice {
        Voice::Official => Src::of(cx.rng.pick(ARMY_VOICE[c.i()])),
        Voice::Local => local_src(&mut cx.rng),
        _ => Src::unattributed(),
    };
    let qq = q_for(&mut cx.rng, voice, n);
    let count = make_count(&mut cx.rng, n, nn.fem, qq, 0.3);
    let name = cx.p(bplace).written.clone();
    // Month-level ("en mars") or day-level ("le 12 mars") date.
    let month_level = cx.rng.chance(0.45);
    let (wtext, start, end) = if month_level {
        let first = Date::new(bdate.year(), bdate.month(), 1).expect("valid month");
        let m = MONTHS[bdate.month() as usize - 1];
        let t = if bdate.year() != cx.pubd.year() {
            format!("en {m} {}", bdate.year())
        } else {
            format!("en {m}")
        };
        (t, first, month_end(bdate))
    } else {
        let t = if bdate.year() != cx.pubd.year() {
            format!("le {} {}", dm(bdate), bdate.year())
        } else {
            format!("le {}", dm(bdate))
        };
        (t, bdate, bdate)
    };
    let w = When {
        text: wtext.clone(),
        start,
        end,
    };
    let near = cx.rng.chance(0.2);
    let loc = Loc {
        at: if near {
            format!("près {}", de(&name))
        } else {
            format!("à {name}")
        },
        of: None,
        name: name.clone(),
        place: bplace,
        wprec: if near { 2 } else { 1 },
    };
    let evi = body.events.len();
    body.events
        .push(tev(gaz, kind, &loc, Some(&w), true, !military));
    let np = count.np(&nn);
    let target = if military {
        "le camp militaire"
    } else {
        "le village"
    };
    let selon = if src.is_none() {
        String::new()
    } else {
        format!(", selon {}", src.text)
    };
    let (s, claims) = match cx.rng.below(5) {
        0 if !near => {
            let morts = count.np_word("morts");
            (format!("{}, une attaque contre {target} {} avait fait {morts} parmi les {}{selon}.", cap(&wtext), de(&name), nn.pl), vec![tc(nn.group, Out::Killed, &count, &src)])
        }
        1 if !near => (
            format!("{name} avait déjà été la cible d'une attaque {wtext}, au cours de laquelle {np} avaient été {}{selon}.", agree("tué", &nn)),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        2 => (
            format!("{}, {np} avaient péri dans une {} {}{selon}.", cap(&wtext), if military { "embuscade" } else { "attaque" }, loc.at),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        3 if !near => (
            format!("Cette attaque survient après celle {} contre {target} {}, qui avait coûté la vie à {np}{selon}.", if month_level { format!("survenue {wtext}") } else { format!("du {}", wtext.trim_start_matches("le ")) }, de(&name), ),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
        _ => (
            format!("{} déjà, {np} avaient été {} {}{selon}.", cap(&wtext), agree("tué", &nn), loc.at),
            vec![tc(nn.group, Out::Killed, &count, &src)],
        ),
    };
    body.claim(evi, s, claims);
    body.end();
}
