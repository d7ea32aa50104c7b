//! The fix matrix: the explorer run for every combination of a scenario's switches, with what
//! its verdict is told with: the deadlock a timer's crash ended, and an interleaving that ends
//! well where others go wrong.
use super::{explore, Exploration, Trouble, Verdict};
use crate::sim::config::Config;
use crate::sim::model::{Choice, State};
use crate::sim::spec::{Scenario, ScenarioError, Settings};
use serde::{Deserialize, Serialize};
use std::collections::{HashSet, VecDeque};

/// One cell of the fix matrix: the switch values and what the explorer found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub switches: Vec<bool>,
    pub exploration: Exploration,
    /// When the shortest crash was a deadlock that a timer ended by taking the process down:
    /// the step of that trace at which the cycle closed.
    pub crash_after_cycle: Option<usize>,
    /// When some interleavings go wrong and others end well: a shortest one that ends well
    /// (every request served, or failed by a timeout while the rest was served).
    pub good_end: Option<Vec<Choice>>,
}

impl MatrixCell {
    /// The explorer's findings for one configuration, with the facts its verdict is told with.
    pub fn of(cfg: &Config, switches: Vec<bool>, limit: usize) -> MatrixCell {
        let exploration = explore(cfg, limit);
        let crash_after_cycle = exploration.shortest(Trouble::Crash).and_then(|t| {
            let run = crate::sim::run::replay(cfg, t).ok()?;
            Some(cfg.cycle_before_crash(&run.states)?.step)
        });
        let good_end = (exploration.verdict == Verdict::Possible)
            .then(|| shortest_good_end(cfg, limit))
            .flatten();
        MatrixCell {
            switches,
            exploration,
            crash_after_cycle,
            good_end,
        }
    }
}

/// The explorer run for every combination of a scenario's switches, knobs held fixed. Cell `i`
/// has switch `j` on when bit `j` of `i` is set.
pub fn fix_matrix(
    sc: &Scenario,
    knobs: &[i64],
    limit: usize,
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
            Ok(MatrixCell::of(&cfg, switches, limit))
        })
        .collect()
}

/// A shortest schedule to an end state that completed or recovered, searched breadth-first
/// within `limit` states (the explorer keeps only the traces to trouble).
pub fn shortest_good_end(cfg: &Config, limit: usize) -> Option<Vec<Choice>> {
    let init = cfg.init();
    let mut parent: Vec<(usize, Choice)> = vec![(usize::MAX, Choice::Tick)];
    let mut states: Vec<State> = vec![init.clone()];
    let mut seen: HashSet<State, super::FxBuild> = HashSet::default();
    seen.insert(init);
    let mut queue = VecDeque::from([0usize]);
    while let Some(i) = queue.pop_front() {
        let choices = cfg.enabled(&states[i]);
        if choices.is_empty() {
            if !cfg.outcome(&states[i]).is_bad() {
                return Some(trace(&parent, i));
            }
            continue;
        }
        for c in choices {
            let Ok((n, _)) = cfg.step(&states[i], c) else {
                continue;
            };
            if states.len() < limit && seen.insert(n.clone()) {
                parent.push((i, c));
                states.push(n);
                queue.push_back(states.len() - 1);
            }
        }
    }
    None
}

fn trace(parent: &[(usize, Choice)], mut i: usize) -> Vec<Choice> {
    let mut t = Vec::new();
    while parent[i].0 != usize::MAX {
        t.push(parent[i].1);
        i = parent[i].0;
    }
    t.reverse();
    t
}
