//! extract: sentences -> mentions, incidents and claims. (being built)

use crate::config::ExtractConfig;
use crate::progress::Progress;
use crate::reference::Reference;
use crate::table::{Claim, Document, Incident, Mention, NormalisedText, Sentence};

pub const LOGIC_VERSION: u32 = 1;

pub struct Input {
    pub documents: Vec<Document>,
    pub texts: Vec<NormalisedText>,
    pub sentences: Vec<Sentence>,
}

pub struct Output {
    pub documents: Vec<Document>,
    pub mentions: Vec<Mention>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
}

pub fn run(_cfg: &ExtractConfig, _refs: &Reference, input: &Input, _progress: &Progress) -> Output {
    Output {
        documents: input.documents.clone(),
        mentions: Vec::new(),
        incidents: Vec::new(),
        claims: Vec::new(),
    }
}
