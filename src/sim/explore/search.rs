//! The breadth-first search itself: the arena of packed states, their parent links, the table
//! that finds them again, and the findings and counters it builds the `Exploration` from.
use super::outcome::movable;
use super::pack::Packing;
use super::por::{shorten, Por};
use super::symmetry::Canon;
use super::table::Table;
use super::{finding, Exploration, Finding, Outcome, Reduction, Trouble, Verdict};
use crate::sim::config::Config;
use crate::sim::model::{Choice, State};
use std::borrow::Borrow;

/// Breadth-first search of every interleaving, up to `limit` unique states. States are stored
/// once, bit-packed into fixed-size records of one flat arena (see `Packing`); an open-addressing
/// table of record numbers finds them again. Over the limit, new states are dropped and the
/// result is incomplete.
pub fn explore(cfg: &Config, limit: usize) -> Exploration {
    explore_with(cfg, limit, Reduction::PLAIN)
}

/// `explore`, storing one state per orbit of interchangeable actors when `reduction` says so.
pub fn explore_with(cfg: &Config, limit: usize, reduction: Reduction) -> Exploration {
    let mut search = Search::new(cfg, limit, reduction);
    // Breadth-first: the states are visited in the order they were found.
    while search.next < search.parent.len() {
        search.step();
    }
    search.finish()
}

/// Bytes the explorer keeps per unique state (its packed record, parent link and hash-table
/// slot at the table's maximum load), for the benchmark.
pub fn bytes_per_state(cfg: &Config) -> usize {
    Packing::new(cfg).stride * 8
        + std::mem::size_of::<Parent>()
        + std::mem::size_of::<u64>() * Table::MAX_LOAD_DEN / Table::MAX_LOAD_NUM
}

/// How a state was first reached: from which state, by which choice.
#[derive(Clone, Copy)]
struct Parent {
    state: u32,
    choice: Choice,
}

impl Parent {
    /// The initial state's link.
    const NONE: Parent = Parent {
        state: u32::MAX,
        choice: Choice::Tick,
    };
}

/// The explorer's working set: every state found so far, how it was reached, what was found.
/// `C` holds the configuration: borrowed for one call, or shared by a search that runs in
/// slices.
pub(super) struct Search<C: Borrow<Config>> {
    cfg: C,
    /// Stored states beyond which new ones are dropped (the search is then incomplete).
    limit: usize,
    /// The canonical form of states under symmetry, when reducing and there is any.
    canon: Option<Canon>,
    /// The safe-step test, when reducing partial orders.
    por: Option<Por>,
    /// The first depth at which a state was visited with a safe step alone.
    pruned_at: Option<usize>,
    pack: Packing,
    /// The next state to visit; all before it have been visited.
    pub(super) next: usize,
    /// The depth of the state `next` (its distance from the initial state), and the index where
    /// the states of the next depth begin.
    level: usize,
    level_end: usize,
    /// The unique states' records, `pack.stride` words each, numbered in the order found.
    arena: Vec<u64>,
    /// One per record.
    parent: Vec<Parent>,
    table: Table,
    findings: Vec<Finding>,
    good_end: Option<Vec<Choice>>,
    transitions: usize,
    complete: bool,
    completed_ends: usize,
    recovered_ends: usize,
    bad_ends: usize,
    // The state being visited, its choices, a successor, and the successors' records with their
    // hashes and choices: allocated once, reused for every state.
    cur: State,
    choices: Vec<Choice>,
    next_state: State,
    succ: Vec<u64>,
    hashes: Vec<u64>,
    succ_choice: Vec<Choice>,
}

impl<C: Borrow<Config>> Search<C> {
    /// A search that holds the initial state only.
    pub(super) fn new(cfg: C, limit: usize, reduction: Reduction) -> Search<C> {
        let config: &Config = cfg.borrow();
        let pack = Packing::new(config);
        let mut canon = if reduction.symmetry {
            Canon::new(config)
        } else {
            None
        };
        let por = reduction.partial_order.then(|| Por::new(config));
        let mut init = config.init();
        if let Some(c) = &mut canon {
            c.canonicalise(&mut init);
        }
        let mut arena: Vec<u64> = vec![0; pack.stride];
        pack.encode(&init, &mut arena);
        let mut table = Table::with_capacity(1024);
        table.insert(pack.hash(&arena), 0);
        Search {
            cfg,
            limit,
            canon,
            por,
            pruned_at: None,
            pack,
            next: 0,
            level: 0,
            level_end: 1,
            arena,
            parent: vec![Parent::NONE],
            table,
            findings: Vec::new(),
            good_end: None,
            transitions: 0,
            complete: true,
            completed_ends: 0,
            recovered_ends: 0,
            bad_ends: 0,
            cur: init.clone(),
            choices: Vec::new(),
            next_state: init,
            succ: Vec::new(),
            hashes: Vec::new(),
            succ_choice: Vec::new(),
        }
    }

    /// Visits the next state.
    pub(super) fn step(&mut self) {
        if self.next == self.level_end {
            self.level += 1;
            self.level_end = self.parent.len();
        }
        self.visit(self.next);
        self.next += 1;
    }

    /// Stored states so far.
    pub(super) fn states(&self) -> usize {
        self.parent.len()
    }

    /// The greatest depth to which every state has been visited: no schedule of that many steps
    /// or fewer goes wrong in a way not already in `findings`.
    pub(super) fn depth_checked(&self) -> usize {
        if self.next >= self.parent.len() {
            self.level
        } else {
            self.level.saturating_sub(1)
        }
    }

    pub(super) fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Classifies state `i`, records what it shows, and adds its new successors.
    fn visit(&mut self, i: usize) {
        let stride = self.pack.stride;
        self.pack
            .decode(&self.arena[i * stride..(i + 1) * stride], &mut self.cur);
        self.cfg.borrow().enabled_into(&self.cur, &mut self.choices);
        let out = self.outcome();
        if let Some(t) = Trouble::of(&out) {
            if finding(&self.findings, t).is_none() {
                self.found(i, t);
            }
        }
        if self.choices.is_empty() {
            if self.good_end.is_none() && !out.is_bad() {
                self.good_end = Some(self.trace(i));
            }
            self.record_end(&out);
        } else {
            self.prune();
            let k = self.successors();
            self.admit(i, k);
        }
    }

    /// Records the first state of a kind of trouble: a shortest trace to it, unless partial-order
    /// reduction left out a state before its depth, when the trace is shortened instead.
    fn found(&mut self, i: usize, t: Trouble) {
        let mut trace = self.trace(i);
        let shortest = self.pruned_at.is_none_or(|d| d >= self.level);
        if !shortest {
            trace = shorten(self.cfg.borrow(), &trace, t);
        }
        self.findings.push(Finding {
            trouble: t,
            trace,
            shortest,
        });
    }

    /// Keeps only a safe choice, or a persistent set's, of the current state (`por`).
    fn prune(&mut self) {
        let Some(por) = &self.por else {
            return;
        };
        if por.reduce(self.cfg.borrow(), &self.cur, &mut self.choices) {
            self.pruned_at.get_or_insert(self.level);
        }
    }

    /// The current state's outcome where it matters: for an end state, or for a state with a
    /// wait-for cycle while a kind of deadlock is still unseen; any other state is running.
    fn outcome(&self) -> Outcome {
        let cfg: &Config = self.cfg.borrow();
        let cycles_unseen = finding(&self.findings, Trouble::Deadlock).is_none()
            || finding(&self.findings, Trouble::TimedDeadlock).is_none();
        let wanted = self.choices.is_empty()
            || (cycles_unseen && cfg.deadlocked_mask(&self.cur, movable(&self.choices)) != 0);
        if wanted {
            cfg.outcome(&self.cur)
        } else {
            Outcome::Running
        }
    }

    fn record_end(&mut self, out: &Outcome) {
        match out {
            Outcome::Completed => self.completed_ends += 1,
            Outcome::Recovered { .. } => self.recovered_ends += 1,
            _ => self.bad_ends += 1,
        }
    }

    /// Packs and hashes the current state's successors into `succ`/`hashes`/`succ_choice`;
    /// returns how many there are. They are all computed before any lookup so that the
    /// independent lookups overlap their cache misses.
    fn successors(&mut self) -> usize {
        let stride = self.pack.stride;
        let cfg: &Config = self.cfg.borrow();
        let mut k = 0;
        for &c in &self.choices {
            if cfg.step_into(&self.cur, c, &mut self.next_state).is_err() {
                continue;
            }
            if let Some(canon) = &mut self.canon {
                canon.canonicalise(&mut self.next_state);
            }
            self.transitions += 1;
            if self.succ.len() < (k + 1) * stride {
                self.succ.resize((k + 1) * stride, 0);
                self.hashes.push(0);
                self.succ_choice.push(c);
            }
            let rec = &mut self.succ[k * stride..(k + 1) * stride];
            self.pack.encode(&self.next_state, rec);
            self.hashes[k] = self.pack.hash(rec);
            self.succ_choice[k] = c;
            k += 1;
        }
        k
    }

    /// Adds the first `k` successors of state `i` that are new, within the state limit.
    fn admit(&mut self, i: usize, k: usize) {
        let stride = self.pack.stride;
        for j in 0..k {
            let rec = &self.succ[j * stride..(j + 1) * stride];
            let arena = &self.arena;
            let same = |id: u32| arena[id as usize * stride..(id as usize + 1) * stride] == *rec;
            if self.table.find(self.hashes[j], same).is_some() {
                continue;
            }
            let count = self.parent.len();
            if count >= self.limit {
                self.complete = false;
                continue;
            }
            self.arena.extend_from_slice(rec);
            self.parent.push(Parent {
                state: i as u32,
                choice: self.succ_choice[j],
            });
            self.table.insert(self.hashes[j], count as u32);
        }
    }

    /// The choices from the initial state to state `i`: those stored along its parent links,
    /// or under symmetry the concrete choices that lead to the same orbits (`concrete`).
    fn trace(&mut self, mut i: usize) -> Vec<Choice> {
        let mut t = Vec::new();
        let mut path = vec![i as u32];
        while self.parent[i].state != u32::MAX {
            t.push(self.parent[i].choice);
            i = self.parent[i].state as usize;
            path.push(i as u32);
        }
        if self.canon.is_none() {
            t.reverse();
            return t;
        }
        path.reverse();
        self.concrete(&path)
    }

    /// A schedule from the (concrete) initial state through states whose canonical forms are the
    /// records `path`: at each step the first enabled choice whose successor canonicalises to
    /// the next record. One exists, since permuting interchangeable actors maps the stored
    /// representative's choice to one of the concrete state's.
    fn concrete(&mut self, path: &[u32]) -> Vec<Choice> {
        let cfg: &Config = self.cfg.borrow();
        let stride = self.pack.stride;
        let mut rec = vec![0u64; stride];
        let mut at = cfg.init();
        let mut next = at.clone();
        let mut choices = Vec::new();
        let mut out = Vec::new();
        for &id in &path[1..] {
            let want = &self.arena[id as usize * stride..(id as usize + 1) * stride];
            cfg.enabled_into(&at, &mut choices);
            let found = choices.iter().copied().find(|&c| {
                if cfg.step_into(&at, c, &mut next).is_err() {
                    return false;
                }
                let mut canonical = next.clone();
                if let Some(canon) = &mut self.canon {
                    canon.canonicalise(&mut canonical);
                }
                self.pack.encode(&canonical, &mut rec);
                rec == want
            });
            let Some(c) = found else {
                // Unreachable by the argument above; a shorter trace is still a true one.
                break;
            };
            cfg.step_into(&at, c, &mut next).ok();
            std::mem::swap(&mut at, &mut next);
            out.push(c);
        }
        out
    }

    /// What the search has found so far, as an exploration: complete only when nothing is left
    /// to visit and no state was dropped.
    pub(super) fn snapshot(&self) -> Exploration {
        self.result(self.findings.clone())
    }

    pub(super) fn finish(mut self) -> Exploration {
        let findings = std::mem::take(&mut self.findings);
        self.result(findings)
    }

    fn result(&self, findings: Vec<Finding>) -> Exploration {
        let complete = self.complete && self.next >= self.parent.len();
        // A timer breaks a timed deadlock and the run goes on: alone, it is not a bad verdict.
        let bad = findings.iter().any(|f| f.trouble != Trouble::TimedDeadlock);
        let verdict = match (complete, bad, self.completed_ends + self.recovered_ends) {
            (_, true, 0) if complete => Verdict::Always,
            (_, true, _) => Verdict::Possible,
            (true, false, _) => Verdict::Safe,
            (false, false, _) => Verdict::Unknown,
        };
        Exploration {
            states: self.parent.len(),
            transitions: self.transitions,
            complete,
            depth: self.depth_checked(),
            findings,
            completed_ends: self.completed_ends,
            recovered_ends: self.recovered_ends,
            bad_ends: self.bad_ends,
            verdict,
            good_end: self.good_end.clone(),
        }
    }
}
