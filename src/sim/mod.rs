//! The pure simulation core: scenarios as data, their compiled configurations, the step function,
//! wait-for graphs, outcomes, the exhaustive explorer, and text projections (narration, dumps).
//!
//! Architecture invariant: nothing in this module touches a browser, a UI framework, a clock or
//! randomness. Given the same scenario, settings and choices it computes the same results,
//! natively and in wasm. (`tests/core_purity.rs` fails if a forbidden crate appears here.)
pub mod challenge;
pub mod config;
pub mod dump;
pub mod ending;
pub mod explore;
pub mod graph;
pub mod json;
pub mod lesson;
pub mod minify;
pub mod model;
pub mod narrate;
pub mod read;
pub mod run;
pub mod scenarios;
pub mod spec;
pub mod verdict;

pub use config::{compile, Config};
pub use explore::{explore, fix_matrix, Exploration, MatrixCell, Outcome, Trouble, Verdict};
pub use graph::{Reason, WaitEdge, WaitGraph};
pub use model::{Choice, Event, EventKind, State, Status};
pub use run::{guided_run, replay, Run};
pub use spec::{Scenario, ScenarioError, Settings};

/// Adds `item` to `seen` and says whether it was new. For the short lists the core and the UI keep
/// instead of set types (each set or map type adds its own code to the wasm).
pub fn first_time<T: PartialEq>(seen: &mut Vec<T>, item: T) -> bool {
    let new = !seen.contains(&item);
    if new {
        seen.push(item);
    }
    new
}
