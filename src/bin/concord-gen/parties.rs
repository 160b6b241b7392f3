//! Named parties (armies, governments, armed groups, militias, NGOs, state media) as reports write
//! them; `check_parties` reads `actors.toml` and fails if any alias used here is missing there.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

#[derive(Clone, Copy)]
pub(crate) struct Party {
    pub(crate) np: &'static str,
    pub(crate) id: &'static str,
    pub(crate) alias: &'static str,
    pub(crate) pl: bool,
    pub(crate) fem: bool,
    pub(crate) kind: &'static str,
}

const fn party(
    np: &'static str,
    id: &'static str,
    alias: &'static str,
    pl: bool,
    fem: bool,
    kind: &'static str,
) -> Party {
    Party {
        np,
        id,
        alias,
        pl,
        fem,
        kind,
    }
}

pub(crate) const ARMY: [&[Party]; 3] = [
    &[
        party(
            "l'armée malienne",
            "mli-fama",
            "armée malienne",
            false,
            true,
            "state",
        ),
        party(
            "les Forces armées maliennes (FAMa)",
            "mli-fama",
            "forces armées maliennes",
            true,
            true,
            "state",
        ),
        party("les FAMa", "mli-fama", "FAMa", true, true, "state"),
    ],
    &[
        party(
            "l'armée burkinabè",
            "bfa-military",
            "armée burkinabè",
            false,
            true,
            "state",
        ),
        party(
            "les forces armées burkinabè",
            "bfa-military",
            "forces armées burkinabè",
            true,
            true,
            "state",
        ),
        party(
            "les Forces de défense et de sécurité (FDS)",
            "bfa-military",
            "forces de défense et de sécurité",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "l'armée nigérienne",
            "ner-fan",
            "armée nigérienne",
            false,
            true,
            "state",
        ),
        party(
            "les Forces armées nigériennes (FAN)",
            "ner-fan",
            "forces armées nigériennes",
            true,
            true,
            "state",
        ),
        party(
            "les forces de défense et de sécurité nigériennes",
            "ner-fan",
            "forces de défense et de sécurité nigériennes",
            true,
            true,
            "state",
        ),
    ],
];

pub(crate) const ARMY_VOICE: [&[Party]; 3] = [
    &[
        party(
            "l'état-major général des armées",
            "mli-fama",
            "état-major général des armées",
            false,
            false,
            "state",
        ),
        party(
            "la Direction de l'information et des relations publiques des armées (DIRPA)",
            "mli-fama",
            "Direction de l'information et des relations publiques des armées",
            false,
            true,
            "state",
        ),
    ],
    &[
        party(
            "l'état-major général des armées burkinabè",
            "bfa-military",
            "état-major général des armées burkinabè",
            false,
            false,
            "state",
        ),
        party(
            "le ministère burkinabè de la Défense",
            "bfa-military",
            "ministère burkinabè de la Défense",
            false,
            false,
            "state",
        ),
    ],
    &[
        party(
            "le ministère nigérien de la Défense",
            "ner-fan",
            "ministère nigérien de la Défense",
            false,
            false,
            "state",
        ),
        party(
            "l'état-major des armées nigériennes",
            "ner-fan",
            "état-major des armées nigériennes",
            false,
            false,
            "state",
        ),
    ],
];

pub(crate) const GOV: [&[Party]; 3] = [
    &[
        party(
            "le gouvernement de transition",
            "mli-government",
            "gouvernement de transition",
            false,
            false,
            "state",
        ),
        party(
            "les autorités maliennes",
            "mli-government",
            "autorités maliennes",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "le gouvernement burkinabè",
            "bfa-government",
            "gouvernement burkinabè",
            false,
            false,
            "state",
        ),
        party(
            "les autorités burkinabè",
            "bfa-government",
            "autorités burkinabè",
            true,
            true,
            "state",
        ),
    ],
    &[
        party(
            "le gouvernement nigérien",
            "ner-government",
            "gouvernement nigérien",
            false,
            false,
            "state",
        ),
        party(
            "le régime militaire nigérien",
            "ner-government",
            "régime militaire nigérien",
            false,
            false,
            "state",
        ),
    ],
];

pub(crate) const JIHAD: [&[Party]; 3] = [
    &[
        party(
            "le Groupe de soutien à l'islam et aux musulmans (GSIM, JNIM en arabe)",
            "jnim",
            "Groupe de soutien à l'islam et aux musulmans",
            false,
            false,
            "armed_group",
        ),
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
        party("le GSIM", "jnim", "GSIM", false, false, "armed_group"),
        party(
            "la katiba Macina",
            "katiba-macina",
            "katiba Macina",
            false,
            true,
            "armed_group",
        ),
        party(
            "l'État islamique au Sahel (EIS)",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
    ],
    &[
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
        party("le GSIM", "jnim", "GSIM", false, false, "armed_group"),
        party(
            "Ansaroul Islam",
            "ansaroul-islam",
            "Ansaroul Islam",
            false,
            false,
            "armed_group",
        ),
        party(
            "l'État islamique au Sahel",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
    ],
    &[
        party(
            "l'État islamique au Sahel (EIS)",
            "issp",
            "État islamique au Sahel",
            false,
            false,
            "armed_group",
        ),
        party("l'EIGS", "issp", "EIGS", false, false, "armed_group"),
        party("le JNIM", "jnim", "JNIM", false, false, "armed_group"),
    ],
];

pub(crate) const JIHAD_DIFFA: &[Party] = &[
    party(
        "Boko Haram",
        "boko-haram-jas",
        "Boko Haram",
        false,
        false,
        "armed_group",
    ),
    party("l'ISWAP", "iswap", "ISWAP", false, false, "armed_group"),
];

pub(crate) const ATTACKERS: &[Party] = &[
    party(
        "des hommes armés",
        "generic-unidentified",
        "hommes armés",
        true,
        false,
        "armed_group",
    ),
    party(
        "des individus armés non identifiés",
        "generic-unidentified",
        "individus armés non identifiés",
        true,
        false,
        "armed_group",
    ),
    party(
        "des assaillants",
        "generic-unidentified",
        "assaillants",
        true,
        false,
        "armed_group",
    ),
    party(
        "des hommes armés à moto",
        "generic-unidentified",
        "hommes armés à moto",
        true,
        false,
        "armed_group",
    ),
    party(
        "des jihadistes",
        "generic-jihadists",
        "jihadistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des jihadistes présumés",
        "generic-jihadists",
        "jihadistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des terroristes",
        "generic-jihadists",
        "terroristes",
        true,
        false,
        "armed_group",
    ),
    party(
        "des éléments terroristes",
        "generic-jihadists",
        "éléments terroristes",
        true,
        false,
        "armed_group",
    ),
];

pub(crate) const REBELS: &[Party] = &[
    party(
        "le Front de libération de l'Azawad (FLA)",
        "fla",
        "Front de libération de l'Azawad",
        false,
        false,
        "armed_group",
    ),
    party(
        "les rebelles du FLA",
        "fla",
        "FLA",
        true,
        false,
        "armed_group",
    ),
    party(
        "les séparatistes",
        "generic-separatists",
        "séparatistes",
        true,
        false,
        "armed_group",
    ),
    party(
        "les rebelles touareg",
        "generic-separatists",
        "rebelles touareg",
        true,
        false,
        "armed_group",
    ),
];

const RUSSIANS: &[Party] = &[
    party(
        "le groupe paramilitaire russe Wagner",
        "rus-wagner",
        "groupe paramilitaire russe",
        false,
        false,
        "state",
    ),
    party(
        "Africa Corps",
        "rus-wagner",
        "Africa Corps",
        false,
        false,
        "state",
    ),
    party(
        "ses alliés russes",
        "rus-wagner",
        "alliés russes",
        true,
        false,
        "state",
    ),
];

pub(crate) const MILITIA: [&[Party]; 3] = [
    &[
        party(
            "des chasseurs dozos",
            "dozo-militia",
            "chasseurs dozos",
            true,
            false,
            "armed_group",
        ),
        party(
            "des miliciens dogons",
            "mli-dan-na-ambassagou",
            "miliciens dogons",
            true,
            false,
            "armed_group",
        ),
    ],
    &[
        party(
            "des Volontaires pour la défense de la patrie (VDP)",
            "bfa-vdp",
            "Volontaires pour la défense de la patrie",
            true,
            false,
            "state",
        ),
        party("des VDP", "bfa-vdp", "VDP", true, false, "state"),
    ],
    &[],
];

pub(crate) const NGO: [&[Party]; 3] = [
    &[
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
        party(
            "Amnesty International",
            "ngo-amnesty",
            "Amnesty International",
            false,
            false,
            "ngo",
        ),
        party(
            "l'association Tabital Pulaaku",
            "ngo-tabital-pulaaku",
            "Tabital Pulaaku",
            false,
            true,
            "ngo",
        ),
        party(
            "l'Association malienne des droits de l'homme (AMDH)",
            "ngo-amdh",
            "Association malienne des droits de l'homme",
            false,
            true,
            "ngo",
        ),
    ],
    &[
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
        party(
            "le Collectif contre l'impunité et la stigmatisation des communautés (CISC)",
            "ngo-cisc",
            "Collectif contre l'impunité et la stigmatisation des communautés",
            false,
            false,
            "ngo",
        ),
        party(
            "le Mouvement burkinabè des droits de l'homme et des peuples (MBDHP)",
            "ngo-mbdhp",
            "Mouvement burkinabè des droits de l'homme et des peuples",
            false,
            false,
            "ngo",
        ),
    ],
    &[
        party(
            "Amnesty International",
            "ngo-amnesty",
            "Amnesty International",
            false,
            false,
            "ngo",
        ),
        party(
            "Médecins sans frontières (MSF)",
            "ngo-msf",
            "Médecins sans frontières",
            false,
            false,
            "ngo",
        ),
        party(
            "Human Rights Watch (HRW)",
            "ngo-hrw",
            "Human Rights Watch",
            false,
            false,
            "ngo",
        ),
    ],
];

pub(crate) const INTL: &[Party] = &[
    party(
        "le Bureau de la coordination des affaires humanitaires de l'ONU (OCHA)",
        "int-ocha",
        "OCHA",
        false,
        false,
        "international",
    ),
    party("l'ONU", "int-un", "ONU", false, true, "international"),
    party(
        "le Haut-Commissariat des Nations unies pour les réfugiés (HCR)",
        "int-unhcr",
        "Haut-Commissariat des Nations unies pour les réfugiés",
        false,
        false,
        "international",
    ),
];

pub(crate) const MINUSMA: Party = party(
    "la Minusma",
    "int-minusma",
    "MINUSMA",
    false,
    true,
    "international",
);

const STATE_MEDIA: [&[Party]; 3] = [
    &[party(
        "la télévision publique malienne ORTM",
        "media-ortm",
        "ORTM",
        false,
        true,
        "media",
    )],
    &[
        party(
            "la Radiodiffusion télévision du Burkina (RTB)",
            "media-rtb",
            "Radiodiffusion télévision du Burkina",
            false,
            true,
            "media",
        ),
        party(
            "l'Agence d'information du Burkina (AIB)",
            "media-aib",
            "Agence d'information du Burkina",
            false,
            true,
            "media",
        ),
    ],
    &[
        party(
            "la télévision publique Télé Sahel",
            "media-ortn",
            "Télé Sahel",
            false,
            true,
            "media",
        ),
        party(
            "l'Agence nigérienne de presse (ANP)",
            "media-anp",
            "Agence nigérienne de presse",
            false,
            true,
            "media",
        ),
    ],
];

/// Every party table, for the start-up check against actors.toml.
fn all_parties() -> Vec<Party> {
    let mut v = Vec::new();
    for c in 0..3 {
        for t in [
            ARMY[c],
            ARMY_VOICE[c],
            GOV[c],
            JIHAD[c],
            MILITIA[c],
            NGO[c],
            STATE_MEDIA[c],
        ] {
            v.extend_from_slice(t);
        }
    }
    for t in [JIHAD_DIFFA, ATTACKERS, REBELS, RUSSIANS, INTL] {
        v.extend_from_slice(t);
    }
    v.push(MINUSMA);
    v
}

fn fold(s: &str) -> String {
    s.to_lowercase().replace(['’', '\''], "'")
}

pub(crate) fn check_parties(dir: &Path) -> Result<(), String> {
    let path = dir.join("actors.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: toml::Value = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut aliases: HashMap<String, BTreeSet<String>> = HashMap::new();
    for a in doc
        .get("actor")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        let Some(id) = a.get("id").and_then(|v| v.as_str()) else {
            continue;
        };
        let set = aliases.entry(id.to_string()).or_default();
        for al in a
            .get("aliases")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(s) = al.as_str() {
                set.insert(fold(s));
            }
        }
    }
    let missing: Vec<String> = all_parties()
        .iter()
        .filter(|p| {
            !aliases
                .get(p.id)
                .is_some_and(|s| s.contains(&fold(p.alias)))
        })
        .map(|p| format!("{} ({})", p.alias, p.id))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: aliases used by concord-gen are missing: {}",
            path.display(),
            missing.join(", ")
        ))
    }
}
