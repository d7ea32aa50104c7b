//! The exhaustive explorer: breadth-first search over every interleaving of a configuration
//! (`search`), with shortest traces to the first deadlock, crash or stall (`Exploration`); one
//! state per orbit of interchangeable actors (`symmetry`) when asked; in slices that can pause
//! and go on (`resume`).
mod hash;
mod hints;
mod matrix;
mod outcome;
mod pack;
mod por;
mod resume;
mod search;
mod symmetry;
mod table;

pub use hash::{FxBuild, FxHasher};
pub use hints::{Fate, HintSearch, Hints, Reach, StateHint};
pub use matrix::{fix_matrix, fix_matrix_with, MatrixCell, MatrixSearch};
pub use outcome::{Outcome, Trouble};
pub use resume::{Exploring, Phase, Progress};
pub use search::{bytes_per_state, explore, explore_with};

/// Which states the explorer leaves out. Every combination finds the same verdict and the same
/// kinds of trouble.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reduction {
    /// One state per orbit under permutations of interchangeable actors (`symmetry`): shortest
    /// traces stay shortest.
    pub symmetry: bool,
    /// Safe steps taken alone, without their interleavings (`por`): traces may get longer.
    pub partial_order: bool,
}

impl Reduction {
    /// Every reachable state.
    pub const PLAIN: Reduction = Reduction {
        symmetry: false,
        partial_order: false,
    };
    pub const SYMMETRY: Reduction = Reduction {
        symmetry: true,
        partial_order: false,
    };
    pub const FULL: Reduction = Reduction {
        symmetry: true,
        partial_order: true,
    };
}

use crate::sim::model::Choice;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// No interleaving deadlocks, crashes or stalls.
    Safe,
    /// Some interleavings go wrong, others end well.
    Possible,
    /// Every interleaving goes wrong.
    Always,
    /// The state limit was reached first: nothing bad was found within it.
    Unknown,
}

/// The shortest schedule the explorer found to one kind of trouble.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub trouble: Trouble,
    pub trace: Vec<Choice>,
    /// Whether no shorter schedule reaches this kind of trouble (false when partial-order
    /// reduction may have left a shorter one out).
    pub shortest: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exploration {
    pub states: usize,
    pub transitions: usize,
    /// False when the state limit stopped the search.
    pub complete: bool,
    /// Every state this many steps or fewer from the start was checked (when incomplete: no
    /// trouble other than `findings` happens within that many steps).
    pub depth: usize,
    /// At most one per kind of trouble, in the order found.
    pub findings: Vec<Finding>,
    /// Terminal states that completed cleanly / with failed requests / badly.
    pub completed_ends: usize,
    pub recovered_ends: usize,
    pub bad_ends: usize,
    pub verdict: Verdict,
    /// The first end found where every request was served (or failed by a timeout while the
    /// rest were): an interleaving that ends well, shortest unless partial-order reduction
    /// pruned a state before its depth.
    pub good_end: Option<Vec<Choice>>,
}

impl Exploration {
    /// The shortest schedule reaching this kind of trouble, if any does.
    pub fn shortest(&self, t: Trouble) -> Option<&[Choice]> {
        finding(&self.findings, t).map(|f| f.trace.as_slice())
    }

    pub fn found(&self, t: Trouble) -> bool {
        finding(&self.findings, t).is_some()
    }

    /// The schedule worth showing: the shortest to the first kind of trouble in `Trouble::ALL`
    /// that was found (a `Vec`, so that callers can keep a copy).
    pub fn counterexample(&self) -> Option<&Vec<Choice>> {
        Trouble::ALL
            .iter()
            .find_map(|&t| finding(&self.findings, t))
            .map(|f| &f.trace)
    }
}

/// The finding of this kind among `findings`, if any.
fn finding(findings: &[Finding], t: Trouble) -> Option<&Finding> {
    findings.iter().find(|f| f.trouble == t)
}

/// Reachable states of the built-in scenarios, for the unit tests of the explorer's parts.
#[cfg(test)]
mod test_states {
    use crate::sim::config::Config;
    use crate::sim::model::State;
    use crate::sim::spec::Settings;
    use std::collections::{HashSet, VecDeque};

    /// Every reachable state of a configuration (breadth-first, up to `limit`).
    pub(super) fn reachable(cfg: &Config, limit: usize) -> Vec<State> {
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([cfg.init()]);
        let mut out = Vec::new();
        seen.insert(cfg.init());
        while let Some(s) = queue.pop_front() {
            for c in cfg.enabled(&s) {
                if let Ok((n, _)) = cfg.step(&s, c) {
                    if out.len() + queue.len() < limit && seen.insert(n.clone()) {
                        queue.push_back(n);
                    }
                }
            }
            out.push(s);
        }
        out
    }

    /// Every built-in scenario at every switch combination, at three knob sets each.
    pub(super) fn configs() -> Vec<Config> {
        let mut out = Vec::new();
        for sc in crate::sim::scenarios::builtin().expect("built-in scenarios") {
            let mut knob_sets = vec![sc.default_settings().knobs];
            knob_sets.push(sc.knobs.iter().map(|k| k.min).collect());
            knob_sets.push(sc.knobs.iter().map(|k| (k.min + k.max) / 2).collect());
            for knobs in knob_sets {
                for bits in 0..1usize << sc.switches.len() {
                    let switches = (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect();
                    let settings = Settings {
                        switches,
                        knobs: knobs.clone(),
                    };
                    out.push(crate::sim::compile(&sc, &settings).expect("compiles"));
                }
            }
        }
        out
    }
}
