//! The fix matrix: the explorer run for every combination of a scenario's switches.
use super::{explore_with, Exploration, Reduction};
use crate::sim::spec::{Scenario, ScenarioError, Settings};
use serde::{Deserialize, Serialize};

/// One cell of the fix matrix: the switch values and what the explorer found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub switches: Vec<bool>,
    pub exploration: Exploration,
}

/// The explorer run for every combination of a scenario's switches, knobs held fixed. Cell `i`
/// has switch `j` on when bit `j` of `i` is set.
pub fn fix_matrix(
    sc: &Scenario,
    knobs: &[i64],
    limit: usize,
) -> Result<Vec<MatrixCell>, ScenarioError> {
    fix_matrix_with(sc, knobs, limit, Reduction::PLAIN)
}

/// `fix_matrix` with the explorer reducing as `reduction` says.
pub fn fix_matrix_with(
    sc: &Scenario,
    knobs: &[i64],
    limit: usize,
    reduction: Reduction,
) -> Result<Vec<MatrixCell>, ScenarioError> {
    let n = sc.switches.len();
    (0..1usize << n)
        .map(|bits| {
            let switches: Vec<bool> = (0..n).map(|j| bits >> j & 1 == 1).collect();
            let cfg = crate::sim::compile(
                sc,
                &Settings {
                    switches: switches.clone(),
                    knobs: knobs.to_vec(),
                },
            )?;
            Ok(MatrixCell {
                switches,
                exploration: explore_with(&cfg, limit, reduction),
            })
        })
        .collect()
}
