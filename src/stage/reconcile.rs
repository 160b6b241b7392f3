//! reconcile: claims and incidents of every article -> events. (being built)

use crate::config::ReconcileConfig;
use crate::reference::Reference;
use crate::table::{Claim, Document, Event, EventClaim, EventCount, EventDocument, Incident};

pub const LOGIC_VERSION: u32 = 1;
pub const BUILT: bool = false;

pub struct Input {
    pub documents: Vec<Document>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
}

pub struct Output {
    pub events: Vec<Event>,
    pub event_claims: Vec<EventClaim>,
    pub event_documents: Vec<EventDocument>,
    pub event_counts: Vec<EventCount>,
}

pub fn run(_cfg: &ReconcileConfig, _refs: &Reference, _input: &Input) -> Output {
    Output {
        events: Vec::new(),
        event_claims: Vec::new(),
        event_documents: Vec::new(),
        event_counts: Vec::new(),
    }
}
