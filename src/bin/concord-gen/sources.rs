//! Who asserts a figure: `Src` and the generic local, state and media sources; reads nothing,
//! produces sources with the attributes the truth records.

use crate::parties::Party;

/// Who asserts a figure.
#[derive(Clone)]
pub(crate) struct Src {
    pub(crate) text: String,
    pub(crate) kind: &'static str,
    pub(crate) pl: bool,
    pub(crate) fem: bool,
    /// "de source sécuritaire": for "a-t-on appris de source sécuritaire".
    pub(crate) de_form: Option<&'static str>,
    /// A named organisation or party (not "un habitant").
    pub(crate) named: bool,
}

impl Src {
    pub(crate) fn unattributed() -> Src {
        Src {
            text: String::new(),
            kind: "unattributed",
            pl: false,
            fem: false,
            de_form: None,
            named: false,
        }
    }
    pub(crate) fn of(p: &Party) -> Src {
        Src {
            text: p.np.into(),
            kind: p.kind,
            pl: p.pl,
            fem: p.fem,
            de_form: None,
            named: true,
        }
    }
    pub(crate) fn generic(
        text: &str,
        kind: &'static str,
        pl: bool,
        fem: bool,
        de_form: Option<&'static str>,
    ) -> Src {
        Src {
            text: text.into(),
            kind,
            pl,
            fem,
            de_form,
            named: false,
        }
    }
    pub(crate) fn is_none(&self) -> bool {
        self.text.is_empty()
    }
    /// "a-t-il", "ont-elles".
    pub(crate) fn pronoun_inv(&self, verb_sg: &str, verb_pl: &str) -> String {
        match (self.pl, self.fem) {
            (false, false) => format!("{verb_sg}-t-il"),
            (false, true) => format!("{verb_sg}-t-elle"),
            (true, false) => format!("{verb_pl}-ils"),
            (true, true) => format!("{verb_pl}-elles"),
        }
    }
}

type Generic = (&'static str, bool, bool, Option<&'static str>);

pub(crate) const LOCAL_SRC: &[Generic] = &[
    ("un élu local", false, false, None),
    ("un élu de la localité", false, false, None),
    ("des élus locaux", true, false, None),
    ("un habitant", false, false, None),
    ("une habitante", false, true, None),
    ("des habitants", true, false, None),
    ("un habitant joint par téléphone", false, false, None),
    ("un notable de la zone", false, false, None),
    ("un chef de village", false, false, None),
    ("une source locale", false, true, Some("de source locale")),
    (
        "des sources locales",
        true,
        true,
        Some("de sources locales"),
    ),
    ("un responsable local", false, false, None),
    ("un rescapé", false, false, None),
    ("un membre de la société civile", false, false, None),
    ("le maire de la commune", false, false, None),
    ("un conseiller municipal", false, false, None),
    (
        "une source hospitalière",
        false,
        true,
        Some("de source hospitalière"),
    ),
    ("un agent de santé", false, false, None),
    ("un leader communautaire", false, false, None),
    ("des témoins", true, false, None),
    ("un enseignant de la localité", false, false, None),
    ("un ressortissant de la zone", false, false, None),
];

pub(crate) const STATE_SRC: &[Generic] = &[
    (
        "une source sécuritaire",
        false,
        true,
        Some("de source sécuritaire"),
    ),
    (
        "des sources sécuritaires",
        true,
        true,
        Some("de sources sécuritaires"),
    ),
    (
        "une source militaire",
        false,
        true,
        Some("de source militaire"),
    ),
    ("un officier de l'armée", false, false, None),
    ("les autorités locales", true, true, None),
    (
        "une source proche des services de sécurité",
        false,
        true,
        None,
    ),
    (
        "une source gouvernementale",
        false,
        true,
        Some("de source gouvernementale"),
    ),
];

pub(crate) const MEDIA_SRC: &[Generic] = &[
    ("des médias locaux", true, false, None),
    ("la presse locale", false, true, None),
    ("des radios communautaires", true, true, None),
];
