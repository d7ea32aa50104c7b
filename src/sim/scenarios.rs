//! The built-in incidents, embedded at build time from `assets/scenarios/`.
use super::spec::{Scenario, ScenarioError};

/// The text of a built-in scenario: in wasm without its layout (`build.rs`), natively as written.
#[cfg(target_arch = "wasm32")]
macro_rules! builtin_text {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name))
    };
}
#[cfg(not(target_arch = "wasm32"))]
macro_rules! builtin_text {
    ($name:literal) => {
        include_str!(concat!("../../assets/scenarios/", $name))
    };
}

/// (file name, text) of each built-in scenario, in picker order.
pub const BUILTIN: [(&str, &str); 2] = [
    ("grpc-shim.json", builtin_text!("grpc-shim.json")),
    ("template-cache.json", builtin_text!("template-cache.json")),
];

/// Parses every built-in scenario. `Scenario::check` (compiling the defaults and replaying the
/// narrative) is left to the tests (`tests/core_tables.rs`, `builtin_scenarios_pass_their_checks`),
/// so start-up does not pay for it; an error here is a bug in a file under `assets/scenarios/`,
/// reported with its file name rather than a panic.
pub fn builtin() -> Result<Vec<Scenario>, ScenarioError> {
    BUILTIN
        .iter()
        .map(|(name, text)| {
            Scenario::parse_json(text).map_err(|e| ScenarioError {
                place: format!("{name}: {}", e.place),
                problem: e.problem,
            })
        })
        .collect()
}
