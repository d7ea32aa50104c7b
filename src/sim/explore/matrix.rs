//! The fix matrix: the explorer run for every combination of a scenario's switches, in one go
//! (`fix_matrix`) or cell by cell in slices (`MatrixSearch`), with what each verdict is told
//! with: the deadlock a timer's crash ended, and an interleaving that ends well where others go
//! wrong.
use super::{explore_with, Exploration, Exploring, Phase, Reduction, Trouble, Verdict};
use crate::sim::config::{Actor, Config, Instr};
use crate::sim::model::Choice;
use crate::sim::spec::{Scenario, ScenarioError, Settings};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One cell of the fix matrix: the switch values and what the explorer found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub switches: Vec<bool>,
    /// Whether the search is still going, paused at its state budget, or done.
    pub phase: Phase,
    /// What was found so far (complete once the phase is `Done`).
    pub exploration: Exploration,
    /// When the shortest crash was a deadlock that a timer ended by taking the process down:
    /// the step of that trace at which the cycle closed.
    pub crash_after_cycle: Option<usize>,
    /// When some interleavings go wrong and others end well: a shortest one that ends well
    /// (every request served, or failed by a timeout while the rest was served).
    pub good_end: Option<Vec<Choice>>,
}

impl MatrixCell {
    /// A cell with the facts its verdict is told with: the example that ends well is kept only
    /// where some interleavings go wrong and others do not.
    fn new(
        switches: Vec<bool>,
        phase: Phase,
        exploration: Exploration,
        crash_after_cycle: Option<usize>,
    ) -> MatrixCell {
        let good_end = match exploration.verdict {
            Verdict::Possible => exploration.good_end.clone(),
            _ => None,
        };
        MatrixCell {
            switches,
            phase,
            exploration,
            crash_after_cycle,
            good_end,
        }
    }
}

/// When the shortest crash is a deadlock that a timer ended by taking the process down: the
/// step of that trace at which the cycle closed (a replay of the one trace, not a search).
fn crash_after_cycle(cfg: &Config, exploration: &Exploration) -> Option<usize> {
    let trace = exploration.shortest(Trouble::Crash)?;
    let run = crate::sim::run::replay(cfg, trace).ok()?;
    Some(cfg.cycle_before_crash(&run.states)?.step)
}

/// The fix matrix being explored a slice at a time: each cell's search, started when its turn
/// comes.
pub struct MatrixSearch {
    cells: Vec<Cell>,
    reduction: Reduction,
}

struct Cell {
    switches: Vec<bool>,
    /// An earlier cell whose configuration behaves the same (the switches differ only where
    /// these knobs make them change nothing): its search stands for this one's.
    same_as: Option<usize>,
    cfg: Arc<Config>,
    budget: usize,
    search: Option<Exploring>,
    /// Worked out once, when the cell's search is done.
    crash_after_cycle: Option<usize>,
}

impl MatrixSearch {
    /// Every switch combination at these knobs, each to pause at `budget` stored states.
    pub fn new(
        sc: &Scenario,
        knobs: &[i64],
        budget: usize,
        reduction: Reduction,
    ) -> Result<MatrixSearch, ScenarioError> {
        let n = sc.switches.len();
        let mut cells = (0..1usize << n)
            .map(|bits| {
                let switches: Vec<bool> = (0..n).map(|j| bits >> j & 1 == 1).collect();
                let settings = Settings {
                    switches: switches.clone(),
                    knobs: knobs.to_vec(),
                };
                let cfg = Arc::new(crate::sim::compile(sc, &settings)?);
                Ok(Cell {
                    switches,
                    same_as: None,
                    cfg,
                    budget,
                    search: None,
                    crash_after_cycle: None,
                })
            })
            .collect::<Result<Vec<Cell>, ScenarioError>>()?;
        for j in 0..cells.len() {
            cells[j].same_as = (0..j).find(|&i| same_behaviour(&cells[i].cfg, &cells[j].cfg));
        }
        Ok(MatrixSearch { cells, reduction })
    }

    /// The cell whose search stands for cell `i`'s.
    fn source(&self, i: usize) -> usize {
        self.cells.get(i).and_then(|c| c.same_as).unwrap_or(i)
    }

    /// Visits up to `visits` states of one cell that still has work: cell `first` if it has,
    /// else the first such cell. Returns false when no cell has work left (each is done or at
    /// its budget).
    pub fn run(&mut self, visits: usize, first: usize) -> bool {
        let reduction = self.reduction;
        let pending = |c: &Cell| {
            c.same_as.is_none() && (c.search.as_ref()).is_none_or(|s| s.phase() == Phase::Running)
        };
        let first = self.source(first);
        let at = match self.cells.get(first).filter(|c| pending(c)) {
            Some(_) => first,
            None => match self.cells.iter().position(pending) {
                Some(i) => i,
                None => return false,
            },
        };
        let cell = &mut self.cells[at];
        let (cfg, budget) = (cell.cfg.clone(), cell.budget);
        let search = cell
            .search
            .get_or_insert_with(|| Exploring::new(cfg, budget, reduction));
        search.run(visits);
        if search.phase() == Phase::Done {
            cell.crash_after_cycle = crash_after_cycle(&cell.cfg, &search.result());
        }
        true
    }

    /// Lets a cell that reached its budget go on, to `budget` stored states.
    pub fn raise_budget(&mut self, cell: usize, budget: usize) {
        let cell = self.source(cell);
        if let Some(c) = self.cells.get_mut(cell) {
            c.budget = c.budget.max(budget);
            if let Some(s) = &mut c.search {
                s.raise_budget(budget);
            }
        }
    }

    /// Each cell's phase (a cell not started yet is running).
    pub fn phases(&self) -> Vec<Phase> {
        let phase = |i| {
            let c: &Cell = &self.cells[self.source(i)];
            c.search.as_ref().map_or(Phase::Running, Exploring::phase)
        };
        (0..self.cells.len()).map(phase).collect()
    }

    /// Every cell as it stands: cells not started yet are running with nothing found.
    pub fn cells(&self) -> Vec<MatrixCell> {
        self.cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let from = &self.cells[self.source(i)];
                let (phase, exploration) = match &from.search {
                    Some(s) => (s.phase(), s.result()),
                    None => (Phase::Running, not_started()),
                };
                let crash = from.crash_after_cycle;
                MatrixCell::new(c.switches.clone(), phase, exploration, crash)
            })
            .collect()
    }
}

/// Whether two configurations explore alike: the same actors running the same operations on
/// the same resources.
fn same_behaviour(a: &Config, b: &Config) -> bool {
    let res = |c: &Config| {
        c.resources
            .iter()
            .map(|r| (r.kind, r.off))
            .collect::<Vec<_>>()
    };
    let instr = |i: &Instr, j: &Instr| {
        i.op == j.op && (i.may_fill, i.may_drain, i.may_set) == (j.may_fill, j.may_drain, j.may_set)
    };
    let actor = |x: &Actor, y: &Actor| {
        (x.daemon, x.class, x.process, x.code.len()) == (y.daemon, y.class, y.process, y.code.len())
            && x.code.iter().zip(&y.code).all(|(i, j)| instr(i, j))
    };
    a.mem_len == b.mem_len
        && res(a) == res(b)
        && a.actors.len() == b.actors.len()
        && a.actors.iter().zip(&b.actors).all(|(x, y)| actor(x, y))
}

/// A cell whose search has not started: nothing stored, nothing known.
fn not_started() -> Exploration {
    Exploration {
        states: 0,
        transitions: 0,
        complete: false,
        depth: 0,
        findings: Vec::new(),
        completed_ends: 0,
        recovered_ends: 0,
        bad_ends: 0,
        verdict: Verdict::Unknown,
        good_end: None,
    }
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
            let exploration = explore_with(&cfg, limit, reduction);
            let phase = if exploration.complete {
                Phase::Done
            } else {
                Phase::AtBudget
            };
            let crash_after_cycle = crash_after_cycle(&cfg, &exploration);
            Ok(MatrixCell::new(
                switches,
                phase,
                exploration,
                crash_after_cycle,
            ))
        })
        .collect()
}
