//! concord: reproducible coding of French news reports of armed violence into a conflict-event
//! dataset. The library holds every stage as a pure function (`stage`), the table types and
//! their one writer (`table`), and the driver that reads, writes and caches (`pipeline`), holds
//! the data directory (`lock`) and checks it (`verify`); the binary is a thin command line
//! over it.

pub mod config;
pub mod corpus;
pub mod diff;
pub mod digest;
pub mod error;
pub mod lock;
pub mod pipeline;
pub mod progress;
pub mod reference;
pub mod stage;
pub mod table;
pub mod verify;
