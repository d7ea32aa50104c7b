//! The breadth-first search itself: the arena of packed states, their parent links, the table
//! that finds them again, and the findings and counters it builds the `Exploration` from.
use super::outcome::movable;
use super::pack::Packing;
use super::table::Table;
use super::{finding, Exploration, Finding, Outcome, Trouble, Verdict};
use crate::sim::config::Config;
use crate::sim::model::{Choice, State};

/// Breadth-first search of every interleaving, up to `limit` unique states. States are stored
/// once, bit-packed into fixed-size records of one flat arena (see `Packing`); an open-addressing
/// table of record numbers finds them again.
pub fn explore(cfg: &Config, limit: usize) -> Exploration {
    let mut search = Search::new(cfg, limit);
    let mut next = 0;
    // Breadth-first: the states are visited in the order they were found.
    while next < search.parent.len() {
        search.visit(next);
        next += 1;
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
struct Search<'a> {
    cfg: &'a Config,
    limit: usize,
    pack: Packing,
    /// The unique states' records, `pack.stride` words each, numbered in the order found.
    arena: Vec<u64>,
    /// One per record.
    parent: Vec<Parent>,
    table: Table,
    findings: Vec<Finding>,
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

impl<'a> Search<'a> {
    /// A search that holds the initial state only.
    fn new(cfg: &'a Config, limit: usize) -> Search<'a> {
        let pack = Packing::new(cfg);
        let init = cfg.init();
        let mut arena: Vec<u64> = vec![0; pack.stride];
        pack.encode(&init, &mut arena);
        let mut table = Table::with_capacity(1024);
        table.insert(pack.hash(&arena), 0);
        Search {
            cfg,
            limit,
            pack,
            arena,
            parent: vec![Parent::NONE],
            table,
            findings: Vec::new(),
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

    /// Classifies state `i`, records what it shows, and adds its new successors.
    fn visit(&mut self, i: usize) {
        let stride = self.pack.stride;
        self.pack
            .decode(&self.arena[i * stride..(i + 1) * stride], &mut self.cur);
        self.cfg.enabled_into(&self.cur, &mut self.choices);
        let out = self.outcome();
        if let Some(t) = Trouble::of(&out) {
            if finding(&self.findings, t).is_none() {
                let trace = self.trace(i);
                self.findings.push(Finding { trouble: t, trace });
            }
        }
        if self.choices.is_empty() {
            self.record_end(&out);
        } else {
            let k = self.successors();
            self.admit(i, k);
        }
    }

    /// The current state's outcome where it matters: for an end state, or for a state with a
    /// wait-for cycle while a kind of deadlock is still unseen; any other state is running.
    fn outcome(&self) -> Outcome {
        let cycles_unseen = finding(&self.findings, Trouble::Deadlock).is_none()
            || finding(&self.findings, Trouble::TimedDeadlock).is_none();
        let wanted = self.choices.is_empty()
            || (cycles_unseen && self.cfg.deadlocked_mask(&self.cur, movable(&self.choices)) != 0);
        if wanted {
            self.cfg.outcome(&self.cur)
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
        let mut k = 0;
        for &c in &self.choices {
            if self
                .cfg
                .step_into(&self.cur, c, &mut self.next_state)
                .is_err()
            {
                continue;
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

    /// The choices from the initial state to state `i`.
    fn trace(&self, mut i: usize) -> Vec<Choice> {
        let mut t = Vec::new();
        while self.parent[i].state != u32::MAX {
            t.push(self.parent[i].choice);
            i = self.parent[i].state as usize;
        }
        t.reverse();
        t
    }

    fn finish(self) -> Exploration {
        // A timer breaks a timed deadlock and the run goes on: alone, it is not a bad verdict.
        let bad = self
            .findings
            .iter()
            .any(|f| f.trouble != Trouble::TimedDeadlock);
        let verdict = match (
            self.complete,
            bad,
            self.completed_ends + self.recovered_ends,
        ) {
            (_, true, 0) if self.complete => Verdict::Always,
            (_, true, _) => Verdict::Possible,
            (true, false, _) => Verdict::Safe,
            (false, false, _) => Verdict::Unknown,
        };
        Exploration {
            states: self.parent.len(),
            transitions: self.transitions,
            complete: self.complete,
            findings: self.findings,
            completed_ends: self.completed_ends,
            recovered_ends: self.recovered_ends,
            bad_ends: self.bad_ends,
            verdict,
        }
    }
}
