//! Outlets and bylines: the news outlets with their house style, country and weight, and reporters'
//! names; picking either consumes the PRNG deterministically.

use crate::geo::Cty;
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Style {
    Afp,
    Rfi,
    Reuters,
    Aa,
    Mag,
    Local,
    StateMedia,
    Radio,
}

pub(crate) struct Outlet {
    pub(crate) name: &'static str,
    pub(crate) slug: &'static str,
    pub(crate) domain: &'static str,
    pub(crate) style: Style,
    cty: Option<Cty>,
    weight: u32,
}

pub(crate) const fn outlet(
    name: &'static str,
    slug: &'static str,
    domain: &'static str,
    style: Style,
    cty: Option<Cty>,
    weight: u32,
) -> Outlet {
    Outlet {
        name,
        slug,
        domain,
        style,
        cty,
        weight,
    }
}

const OUTLETS: &[Outlet] = &[
    outlet("AFP", "afp", "", Style::Afp, None, 22),
    outlet("RFI", "rfi", "www.rfi.fr/fr/afrique", Style::Rfi, None, 13),
    outlet(
        "Reuters",
        "reuters",
        "www.reuters.com/fr",
        Style::Reuters,
        None,
        5,
    ),
    outlet(
        "Anadolu",
        "aa",
        "www.aa.com.tr/fr/afrique",
        Style::Aa,
        None,
        3,
    ),
    outlet(
        "Jeune Afrique",
        "ja",
        "www.jeuneafrique.com",
        Style::Mag,
        None,
        3,
    ),
    outlet(
        "Le Monde Afrique",
        "lemonde",
        "www.lemonde.fr/afrique/article",
        Style::Mag,
        None,
        3,
    ),
    outlet(
        "Studio Tamani",
        "tamani",
        "www.studiotamani.org",
        Style::Radio,
        Some(Cty::Ml),
        6,
    ),
    outlet(
        "Malijet",
        "malijet",
        "malijet.com/actualite",
        Style::Local,
        Some(Cty::Ml),
        4,
    ),
    outlet(
        "Maliweb",
        "maliweb",
        "www.maliweb.net",
        Style::Local,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "Journal du Mali",
        "jdm",
        "www.journaldumali.com",
        Style::Local,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "L'Essor",
        "essor",
        "www.essor.ml",
        Style::StateMedia,
        Some(Cty::Ml),
        3,
    ),
    outlet(
        "Lefaso.net",
        "lefaso",
        "lefaso.net/spip.php",
        Style::Local,
        Some(Cty::Bf),
        6,
    ),
    outlet(
        "Burkina24",
        "b24",
        "burkina24.com",
        Style::Local,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "L'Observateur Paalga",
        "paalga",
        "www.lobservateur.bf",
        Style::Local,
        Some(Cty::Bf),
        2,
    ),
    outlet(
        "Sidwaya",
        "sidwaya",
        "www.sidwaya.info",
        Style::StateMedia,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "AIB",
        "aib",
        "www.aib.media",
        Style::StateMedia,
        Some(Cty::Bf),
        3,
    ),
    outlet(
        "Studio Yafa",
        "yafa",
        "www.studioyafa.org",
        Style::Radio,
        Some(Cty::Bf),
        2,
    ),
    outlet(
        "ActuNiger",
        "actuniger",
        "www.actuniger.com",
        Style::Local,
        Some(Cty::Ne),
        5,
    ),
    outlet(
        "Aïr Info",
        "airinfo",
        "www.airinfoagadez.com",
        Style::Local,
        Some(Cty::Ne),
        2,
    ),
    outlet(
        "Tamtaminfo",
        "tamtam",
        "www.tamtaminfo.com",
        Style::Local,
        Some(Cty::Ne),
        2,
    ),
    outlet(
        "Studio Kalangou",
        "kalangou",
        "www.studiokalangou.org",
        Style::Radio,
        Some(Cty::Ne),
        3,
    ),
    outlet(
        "Le Sahel",
        "lesahel",
        "www.lesahel.org",
        Style::StateMedia,
        Some(Cty::Ne),
        2,
    ),
];

pub(crate) fn pick_outlet(rng: &mut Rng, c: Cty, avoid: &[&str]) -> &'static Outlet {
    let cands: Vec<(u32, &'static Outlet)> = OUTLETS
        .iter()
        .filter(|o| o.cty.is_none_or(|oc| oc == c) && !avoid.contains(&o.name))
        .map(|o| (o.weight, o))
        .collect();
    if cands.is_empty() {
        return &OUTLETS[0];
    }
    let chosen: &&'static Outlet = rng.pick_w(&cands);
    chosen
}

const FIRST: &[&str] = &[
    "Moussa",
    "Aminata",
    "Boureima",
    "Mariam",
    "Ousmane",
    "Fatoumata",
    "Issa",
    "Salif",
    "Rokia",
    "Abdoulaye",
    "Habibou",
    "Seydou",
    "Kadidia",
    "Idrissa",
    "Aïssata",
    "Hamidou",
    "Adama",
    "Souleymane",
    "Zakaria",
    "Nafissatou",
    "Harouna",
    "Awa",
    "Ibrahim",
    "Djénéba",
    "Mahamadou",
    "Lassina",
    "Inoussa",
    "Boubacar",
    "Alassane",
    "Ramatou",
    "Sidiki",
    "Oumarou",
];
const LAST: &[&str] = &[
    "Traoré",
    "Diallo",
    "Ouédraogo",
    "Sawadogo",
    "Maïga",
    "Coulibaly",
    "Keïta",
    "Touré",
    "Cissé",
    "Kaboré",
    "Zongo",
    "Diarra",
    "Sanogo",
    "Issoufou",
    "Hama",
    "Koné",
    "Dembélé",
    "Compaoré",
    "Tall",
    "Sidibé",
    "Yattara",
    "Garba",
    "Mounkaïla",
    "Idé",
];
pub(crate) const FR_FIRST: &[&str] = &[
    "Claire", "Jean", "Camille", "Nicolas", "Sophie", "Benjamin", "Juliette", "Laurent", "Élise",
    "Marc", "Hélène", "Thomas",
];
pub(crate) const FR_LAST: &[&str] = &[
    "Martin", "Lefèvre", "Dubois", "Fournier", "Girard", "Mercier", "Lambert", "Bonnet", "Roux",
    "Vincent", "Morel", "Garnier",
];

pub(crate) fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}
