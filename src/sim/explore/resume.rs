//! The explorer in slices: a search that visits a given number of states at a time and can be
//! resumed, so that a caller with a clock (the UI) can keep each slice short; and a state budget
//! that pauses the search instead of ending it.
use super::search::Search;
use super::{Exploration, Reduction, Trouble};
use crate::sim::config::Config;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A search in progress over a shared configuration.
pub struct Exploring {
    search: Search<Arc<Config>>,
    /// Stored states at which the search pauses until `raise_budget`.
    budget: usize,
}

/// Where a search stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// More to visit within the budget.
    Running,
    /// The state budget is reached: the search pauses, and can go on once it is raised.
    AtBudget,
    /// Every reachable state was visited.
    Done,
}

/// What a search has shown so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    /// States stored so far.
    pub states: usize,
    /// Every state this many steps or fewer from the start has been checked.
    pub depth: usize,
    /// The kinds of trouble found so far.
    pub found: Vec<Trouble>,
}

impl Exploring {
    /// A search of `cfg` that pauses at `budget` stored states.
    pub fn new(cfg: Arc<Config>, budget: usize, reduction: Reduction) -> Exploring {
        Exploring {
            // Nothing is dropped: the budget pauses the search before the table is full.
            search: Search::new(cfg, u32::MAX as usize - 1, reduction),
            budget,
        }
    }

    /// Visits up to `visits` more states (at least one when there is one to visit), stopping
    /// early at the budget or the end.
    pub fn run(&mut self, visits: usize) -> Progress {
        let end = self.search.next.saturating_add(visits.max(1));
        while self.phase() == Phase::Running && self.search.next < end {
            self.search.step();
        }
        self.progress()
    }

    pub fn phase(&self) -> Phase {
        if self.search.next >= self.search.states() {
            Phase::Done
        } else if self.search.states() >= self.budget {
            Phase::AtBudget
        } else {
            Phase::Running
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            phase: self.phase(),
            states: self.search.states(),
            depth: self.search.depth_checked(),
            found: self.search.findings().iter().map(|f| f.trouble).collect(),
        }
    }

    /// Lets a paused search go on, to `budget` stored states.
    pub fn raise_budget(&mut self, budget: usize) {
        self.budget = self.budget.max(budget);
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// What was found so far: an exploration that is complete once the phase is `Done`.
    pub fn result(&self) -> Exploration {
        self.search.snapshot()
    }

    /// Runs to the end or the budget.
    pub fn finish(mut self) -> Exploration {
        while self.phase() == Phase::Running {
            self.search.step();
        }
        self.search.finish()
    }
}
