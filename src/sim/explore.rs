//! Outcomes, and the exhaustive explorer: breadth-first search over every interleaving of a
//! configuration, with shortest traces to the first deadlock, crash or stall.
use super::config::*;
use super::graph::WaitEdge;
use super::model::*;
use super::spec::{Scenario, ScenarioError, Settings};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Some actor can still move.
    Running,
    /// Every non-daemon actor finished and no request failed.
    Completed,
    /// Every non-daemon actor finished, but timeouts failed some requests.
    Recovered { failed: u16 },
    /// A wait-for cycle: its actors can never move again unless a timer fires (`timer`, the
    /// earliest one pending among them).
    Deadlocked { cycle: Vec<WaitEdge>, timer: Option<u64> },
    /// A process exited on a timeout's error path.
    Crashed { actor: u8, at: u64, reason: u16 },
    /// Nobody can move and no timer is pending, without a cycle: someone waits for an actor that
    /// has finished.
    Stalled { blocked: u64 },
}

impl Outcome {
    pub fn is_bad(&self) -> bool {
        matches!(self, Outcome::Deadlocked { .. } | Outcome::Crashed { .. } | Outcome::Stalled { .. })
    }
}

impl Config {
    pub fn outcome(&self, s: &State) -> Outcome {
        if let Some(c) = s.crash {
            let reason = match self.actors[c.actor as usize].code[c.pc as usize].op {
                Op::Exit { reason } => reason,
                _ => 0,
            };
            return Outcome::Crashed { actor: c.actor, at: c.at, reason };
        }
        let g = self.wait_graph(s);
        if g.has_cycle() {
            let timer = (0..self.actors.len())
                .filter(|&a| g.deadlocked >> a & 1 == 1)
                .filter_map(|a| match self.status(s, a) {
                    Status::Blocked { timer } => timer,
                    _ => None,
                })
                .min();
            return Outcome::Deadlocked { cycle: g.cycle, timer };
        }
        if !self.enabled(s).is_empty() {
            return Outcome::Running;
        }
        let unfinished = (0..self.actors.len()).filter(|&a| !self.actors[a].daemon && !self.is_done(s, a)).fold(0u64, |m, a| m | 1 << a);
        match (unfinished, s.failed) {
            (0, 0) => Outcome::Completed,
            (0, failed) => Outcome::Recovered { failed },
            (blocked, _) => Outcome::Stalled { blocked },
        }
    }
}

/// FxHash: a fast, deterministic hasher (no random seed, so runs repeat exactly).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64)
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(i as u64)
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64)
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64)
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

fn fx(s: &State) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exploration {
    pub states: usize,
    pub transitions: usize,
    /// False when the state limit stopped the search.
    pub complete: bool,
    /// Shortest schedule reaching a wait-for cycle that no timer can break.
    pub deadlock: Option<Vec<Choice>>,
    /// Shortest schedule reaching a wait-for cycle that a pending timer will break.
    pub timed_deadlock: Option<Vec<Choice>>,
    /// Shortest schedule reaching a process exit.
    pub crash: Option<Vec<Choice>>,
    /// Shortest schedule reaching a stall.
    pub stall: Option<Vec<Choice>>,
    /// Terminal states that completed cleanly / with failed requests / badly.
    pub completed_ends: usize,
    pub recovered_ends: usize,
    pub bad_ends: usize,
    pub verdict: Verdict,
}

impl Exploration {
    /// The schedule worth showing: the shortest to a permanent deadlock, else to a crash, else
    /// to a stall, else to a cycle that a timer breaks.
    pub fn counterexample(&self) -> Option<&Vec<Choice>> {
        self.deadlock.as_ref().or(self.crash.as_ref()).or(self.stall.as_ref()).or(self.timed_deadlock.as_ref())
    }
}

/// Breadth-first search of every interleaving, up to `limit` unique states. States are stored
/// once; the index maps a hash to a chain of state numbers.
pub fn explore(cfg: &Config, limit: usize) -> Exploration {
    let mut states: Vec<State> = vec![cfg.init()];
    let mut parent: Vec<(u32, Choice)> = vec![(u32::MAX, Choice::Tick)];
    let mut chain: Vec<u32> = vec![u32::MAX];
    let mut index: HashMap<u64, u32, FxBuild> = HashMap::default();
    index.insert(fx(&states[0]), 0);
    let (mut deadlock, mut timed_deadlock, mut crash, mut stall) = (None, None, None, None);
    let (mut completed_ends, mut recovered_ends, mut bad_ends, mut transitions) = (0, 0, 0, 0);
    let mut complete = true;
    let mut choices = Vec::new();
    let trace = |parent: &[(u32, Choice)], mut i: u32| {
        let mut t = Vec::new();
        while parent[i as usize].0 != u32::MAX {
            t.push(parent[i as usize].1);
            i = parent[i as usize].0;
        }
        t.reverse();
        t
    };
    let mut next = 0usize;
    while next < states.len() {
        let i = next;
        next += 1;
        cfg.enabled_into(&states[i], &mut choices);
        let out = cfg.outcome(&states[i]);
        match &out {
            Outcome::Deadlocked { timer: None, .. } if deadlock.is_none() => deadlock = Some(trace(&parent, i as u32)),
            Outcome::Deadlocked { timer: Some(_), .. } if timed_deadlock.is_none() => timed_deadlock = Some(trace(&parent, i as u32)),
            Outcome::Crashed { .. } if crash.is_none() => crash = Some(trace(&parent, i as u32)),
            Outcome::Stalled { .. } if stall.is_none() => stall = Some(trace(&parent, i as u32)),
            _ => {}
        }
        if choices.is_empty() {
            match out {
                Outcome::Completed => completed_ends += 1,
                Outcome::Recovered { .. } => recovered_ends += 1,
                _ => bad_ends += 1,
            }
            continue;
        }
        for &c in &choices {
            let Ok((s, _)) = cfg.step(&states[i], c) else { continue };
            transitions += 1;
            let h = fx(&s);
            let head = index.get(&h).copied().unwrap_or(u32::MAX);
            let mut at = head;
            let mut known = false;
            while at != u32::MAX {
                if states[at as usize] == s {
                    known = true;
                    break;
                }
                at = chain[at as usize];
            }
            if known {
                continue;
            }
            if states.len() >= limit {
                complete = false;
                continue;
            }
            let id = states.len() as u32;
            states.push(s);
            parent.push((i as u32, c));
            chain.push(head);
            index.insert(h, id);
        }
    }
    let bad = deadlock.is_some() || crash.is_some() || stall.is_some();
    let verdict = match (complete, bad, completed_ends + recovered_ends) {
        (_, true, 0) if complete => Verdict::Always,
        (_, true, _) => Verdict::Possible,
        (true, false, _) => Verdict::Safe,
        (false, false, _) => Verdict::Unknown,
    };
    Exploration { states: states.len(), transitions, complete, deadlock, timed_deadlock, crash, stall, completed_ends, recovered_ends, bad_ends, verdict }
}

/// Bytes the explorer keeps per unique state (the state, its heap parts, parent link, chain link
/// and index entry), for the benchmark.
pub fn bytes_per_state(cfg: &Config) -> usize {
    let s = cfg.init();
    std::mem::size_of::<State>()
        + s.actors.len() * std::mem::size_of::<ActorState>()
        + s.mem.len()
        + std::mem::size_of::<(u32, Choice)>()
        + std::mem::size_of::<u32>()
        + std::mem::size_of::<(u64, u32)>() * 8 / 7 // hash map entry at its maximum load
}

/// One cell of the fix matrix: the switch values and what the explorer found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub switches: Vec<bool>,
    pub exploration: Exploration,
}

/// The explorer run for every combination of a scenario's switches, knobs held fixed. Cell `i`
/// has switch `j` on when bit `j` of `i` is set.
pub fn fix_matrix(sc: &Scenario, knobs: &[i64], limit: usize) -> Result<Vec<MatrixCell>, ScenarioError> {
    let n = sc.switches.len();
    (0..1usize << n)
        .map(|bits| {
            let switches: Vec<bool> = (0..n).map(|j| bits >> j & 1 == 1).collect();
            let cfg = super::compile(sc, &Settings { switches: switches.clone(), knobs: knobs.to_vec() })?;
            Ok(MatrixCell { switches, exploration: explore(&cfg, limit) })
        })
        .collect()
}
