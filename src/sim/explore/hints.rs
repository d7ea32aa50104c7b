//! Hints for a student who chooses the schedule: for every state reachable from the start, which
//! dangers can still happen, which must happen, which no longer can, and in how few steps.
//!
//! One search per configuration stores every reachable state (one per symmetry orbit) with its
//! successors; a backward pass then labels each state. Every run the player shows starts at the
//! initial state, so any state a student reaches is in the table and its hint is a look-up.
use super::outcome::movable;
use super::pack::Packing;
use super::symmetry::Canon;
use super::table::Table;
use super::Outcome;
use crate::sim::config::Config;
use crate::sim::model::{Choice, State};
use std::sync::Arc;

/// What the hints follow: three kinds of trouble, and the run ending with every request served.
/// A wait-for cycle counts as a deadlock even when a timer will break it: the cycle is what the
/// student is after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Deadlock,
    Crash,
    Stall,
    AllServed,
}

impl Fate {
    pub const ALL: [Fate; 4] = [Fate::Deadlock, Fate::Crash, Fate::Stall, Fate::AllServed];

    fn of(outcome: &Outcome) -> Option<Fate> {
        match outcome {
            Outcome::Deadlocked { .. } => Some(Fate::Deadlock),
            Outcome::Crashed { .. } => Some(Fate::Crash),
            Outcome::Stalled { .. } => Some(Fate::Stall),
            Outcome::Completed => Some(Fate::AllServed),
            _ => None,
        }
    }
}

/// Whether one fate can still happen from a state, and the fewest steps to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// No schedule from here leads to it.
    Never,
    /// Some schedules lead to it, others avoid it.
    Possible { steps: u32 },
    /// Every schedule from here leads to it (0 steps: it is happening now).
    Certain { steps: u32 },
}

impl Reach {
    pub fn steps(self) -> Option<u32> {
        match self {
            Reach::Never => None,
            Reach::Possible { steps } | Reach::Certain { steps } => Some(steps),
        }
    }
}

/// The hint for one state: one `Reach` per fate, in `Fate::ALL` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateHint {
    pub reach: [Reach; 4],
}

impl StateHint {
    pub fn get(&self, d: Fate) -> Reach {
        self.reach[d as usize]
    }
}

/// No edge: the successor was not stored (the search stopped at its limit).
const UNSTORED: u32 = u32::MAX;

/// The search behind the hints, run in slices: `run` visits some states, `finish` labels them.
pub struct HintSearch {
    cfg: Arc<Config>,
    limit: usize,
    canon: Option<Canon>,
    pack: Packing,
    arena: Vec<u64>,
    table: Table,
    /// Bit `f` set: the state shows fate `f` (`Fate as u8`).
    shows: Vec<u8>,
    /// Successors of state `i`: `succ[first[i]..first[i + 1]]`.
    first: Vec<u32>,
    succ: Vec<u32>,
    next: usize,
    complete: bool,
    cur: State,
    next_state: State,
    choices: Vec<Choice>,
}

impl HintSearch {
    /// A search of `cfg` that stores at most `limit` states.
    pub fn new(cfg: Arc<Config>, limit: usize) -> HintSearch {
        let pack = Packing::new(&cfg);
        let mut canon = Canon::new(&cfg);
        let mut init = cfg.init();
        if let Some(c) = &mut canon {
            c.canonicalise(&mut init);
        }
        let mut arena = vec![0; pack.stride];
        pack.encode(&init, &mut arena);
        let mut table = Table::with_capacity(1024);
        table.insert(pack.hash(&arena), 0);
        HintSearch {
            cfg,
            limit,
            canon,
            pack,
            arena,
            table,
            shows: Vec::new(),
            first: vec![0],
            succ: Vec::new(),
            next: 0,
            complete: true,
            cur: init.clone(),
            next_state: init,
            choices: Vec::new(),
        }
    }

    /// States stored so far.
    pub fn states(&self) -> usize {
        self.arena.len() / self.pack.stride
    }

    /// Visits up to `visits` more states; true when every stored state has been visited.
    pub fn run(&mut self, visits: usize) -> bool {
        let end = self.next.saturating_add(visits);
        while self.next < self.states() && self.next < end {
            self.visit();
        }
        self.next >= self.states()
    }

    fn visit(&mut self) {
        let stride = self.pack.stride;
        let i = self.next;
        self.pack
            .decode(&self.arena[i * stride..(i + 1) * stride], &mut self.cur);
        let cfg = Arc::clone(&self.cfg);
        cfg.enabled_into(&self.cur, &mut self.choices);
        let cycle = cfg.deadlocked_mask(&self.cur, movable(&self.choices)) != 0;
        let fate = if cycle || self.choices.is_empty() || self.cur.crash.is_some() {
            Fate::of(&cfg.outcome(&self.cur))
        } else {
            None
        };
        self.shows.push(fate.map_or(0, |d| 1 << d as u8));
        let mut rec = vec![0u64; stride];
        for k in 0..self.choices.len() {
            if cfg
                .step_into(&self.cur, self.choices[k], &mut self.next_state)
                .is_err()
            {
                continue;
            }
            let id = self.store(&mut rec);
            self.succ.push(id);
        }
        self.first.push(self.succ.len() as u32);
        self.next += 1;
    }

    /// The number of `next_state` (canonical), stored now if new and within the limit.
    fn store(&mut self, rec: &mut [u64]) -> u32 {
        let stride = self.pack.stride;
        if let Some(c) = &mut self.canon {
            c.canonicalise(&mut self.next_state);
        }
        self.pack.encode(&self.next_state, rec);
        let hash = self.pack.hash(rec);
        let arena = &self.arena;
        let same = |id: u32| arena[id as usize * stride..(id as usize + 1) * stride] == *rec;
        if let Some(id) = self.table.find(hash, same) {
            return id;
        }
        let id = self.states();
        if id >= self.limit {
            self.complete = false;
            return UNSTORED;
        }
        self.arena.extend_from_slice(rec);
        self.table.insert(hash, id as u32);
        id as u32
    }

    /// Labels every state; `None` when the limit cut the search short (a hint could be wrong).
    pub fn finish(mut self) -> Option<Hints> {
        while !self.run(usize::MAX) {}
        if !self.complete {
            return None;
        }
        let preds = self.predecessors();
        let reach = Fate::ALL.map(|d| self.label(1 << d as u8, &preds));
        Some(Hints {
            cfg: self.cfg,
            canon: self.canon,
            pack: self.pack,
            arena: self.arena,
            table: self.table,
            reach,
        })
    }

    /// For every state, its `Reach` for the fate with bit `bit`.
    fn label(&self, bit: u8, preds: &Csr) -> Vec<Reach> {
        let n = self.states();
        let dist = self.distances(bit, preds);
        let avoid = self.avoiders(bit, preds);
        (0..n)
            .map(|i| match dist[i] {
                UNSTORED => Reach::Never,
                steps if avoid[i] => Reach::Possible { steps },
                steps => Reach::Certain { steps },
            })
            .collect()
    }

    /// The reversed edges: predecessors of `i` are `preds.list[preds.first[i]..preds.first[i+1]]`.
    fn predecessors(&self) -> Csr {
        let n = self.states();
        let mut first = vec![0u32; n + 1];
        for &j in &self.succ {
            first[j as usize + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut fill = first.clone();
        let mut list = vec![0u32; self.succ.len()];
        for i in 0..n {
            for &j in self.successors(i) {
                list[fill[j as usize] as usize] = i as u32;
                fill[j as usize] += 1;
            }
        }
        Csr { first, list }
    }

    fn successors(&self, i: usize) -> &[u32] {
        &self.succ[self.first[i] as usize..self.first[i + 1] as usize]
    }

    /// Fewest steps from each state to one that shows the fate (`UNSTORED`: none), by a
    /// breadth-first search backwards from all of those at once.
    fn distances(&self, bit: u8, preds: &Csr) -> Vec<u32> {
        let n = self.states();
        let mut dist = vec![UNSTORED; n];
        let mut queue: Vec<u32> = (0..n as u32)
            .filter(|&i| self.shows[i as usize] & bit != 0)
            .collect();
        for &i in &queue {
            dist[i as usize] = 0;
        }
        let mut at = 0;
        while at < queue.len() {
            let i = queue[at] as usize;
            at += 1;
            for &p in preds.of(i) {
                if dist[p as usize] == UNSTORED {
                    dist[p as usize] = dist[i] + 1;
                    queue.push(p);
                }
            }
        }
        dist
    }

    /// Whether some schedule from each state never shows the fate: a greatest fixpoint that
    /// starts from every state that does not show it and drops those whose every successor was
    /// dropped (an end state that does not show it keeps avoiding; so does a loop).
    fn avoiders(&self, bit: u8, preds: &Csr) -> Vec<bool> {
        let n = self.states();
        let mut avoid: Vec<bool> = (0..n).map(|i| self.shows[i] & bit == 0).collect();
        let mut left: Vec<u32> = (0..n).map(|i| self.successors(i).len() as u32).collect();
        let mut queue: Vec<usize> = (0..n).filter(|&i| !avoid[i]).collect();
        while let Some(i) = queue.pop() {
            for &p in preds.of(i) {
                let p = p as usize;
                left[p] -= 1;
                if left[p] == 0 && avoid[p] {
                    avoid[p] = false;
                    queue.push(p);
                }
            }
        }
        avoid
    }
}

/// Adjacency lists in one array.
struct Csr {
    first: Vec<u32>,
    list: Vec<u32>,
}

impl Csr {
    fn of(&self, i: usize) -> &[u32] {
        &self.list[self.first[i] as usize..self.first[i + 1] as usize]
    }
}

/// Every reachable state's hint, for one configuration.
pub struct Hints {
    cfg: Arc<Config>,
    canon: Option<Canon>,
    pack: Packing,
    arena: Vec<u64>,
    table: Table,
    reach: [Vec<Reach>; 4],
}

impl Hints {
    /// The search and the labelling at once (for tests and small configurations).
    pub fn build(cfg: Arc<Config>, limit: usize) -> Option<Hints> {
        HintSearch::new(cfg, limit).finish()
    }

    /// States stored (one per symmetry orbit).
    pub fn states(&self) -> usize {
        self.arena.len() / self.pack.stride
    }

    /// The configuration these hints are for.
    pub fn config(&self) -> &Arc<Config> {
        &self.cfg
    }

    /// The hint for `s`; `None` for a state not reachable from the start of this configuration.
    pub fn at(&self, s: &State) -> Option<StateHint> {
        let mut s = s.clone();
        if let Some(c) = &self.canon {
            c.clone().canonicalise(&mut s);
        }
        let stride = self.pack.stride;
        let mut rec = vec![0u64; stride];
        self.pack.encode(&s, &mut rec);
        let arena = &self.arena;
        let same = |id: u32| arena[id as usize * stride..(id as usize + 1) * stride] == *rec;
        let id = self.table.find(self.pack.hash(&rec), same)? as usize;
        Some(StateHint {
            reach: std::array::from_fn(|d| self.reach[d][id]),
        })
    }

    /// The hint for the state `choice` leads to from `s`.
    pub fn after(&self, s: &State, choice: Choice) -> Option<StateHint> {
        let (next, _) = self.cfg.step(s, choice).ok()?;
        self.at(&next)
    }
}
