//! The wait-for graph, derived from state for every primitive, and deadlock detection.
//!
//! An actor blocked on a lock waits for its holder; on a full channel for the actors that may
//! still drain it; on an empty channel for those that may still fill it; on a flag for those that
//! may still set it. "May still" comes from the static reachability computed when compiling.
//! Timers are not edges: a timed wait is blocked like any other, and the outcome says separately
//! that a timer will break it.
use super::config::*;
use super::model::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// The lock is held by the other actor.
    LockHeld,
    /// The channel is full and the other actor may drain it.
    ChannelFull,
    /// The channel is empty and the other actor may fill it.
    ChannelEmpty,
    /// The flag is not set and the other actor may set it.
    FlagUnset,
}

/// `from` cannot move until `to` acts on `res`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaitEdge {
    pub from: u8,
    pub to: u8,
    pub res: u8,
    pub reason: Reason,
}

/// What a blocked actor is waiting on, with the actors that could release it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    pub res: u8,
    pub reason: Reason,
    /// Alive actors that could release it (bit per actor). Empty: nobody ever will.
    pub by: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct WaitGraph {
    pub edges: Vec<WaitEdge>,
    /// Blocked actors (bit per actor).
    pub blocked: u64,
    /// The deadlocked set: blocked actors all of whose possible releasers are themselves in it.
    pub deadlocked: u64,
    /// One cycle inside the deadlocked set, as consecutive edges; empty when there is none.
    pub cycle: Vec<WaitEdge>,
}

impl WaitGraph {
    pub fn has_cycle(&self) -> bool {
        !self.cycle.is_empty()
    }
    pub fn in_cycle(&self, actor: usize) -> bool {
        self.cycle.iter().any(|e| e.from as usize == actor)
    }
    pub fn edge_in_cycle(&self, e: &WaitEdge) -> bool {
        self.cycle.contains(e)
    }
}

impl Config {
    /// What actor `a` waits on, if it is blocked (not sleeping, done or dead).
    pub fn waits(&self, s: &State, a: usize) -> Vec<Wait> {
        if !matches!(self.status(s, a), Status::Blocked { .. }) {
            return Vec::new();
        }
        let alive = |b: usize| !self.is_done(s, b) && !matches!(self.status(s, b), Status::Dead);
        let who = |pick: &dyn Fn(&Instr) -> u64, res: u8| -> u64 {
            (0..self.actors.len())
                .filter(|&b| {
                    alive(b) && pick(&self.actors[b].code[s.actors[b].pc as usize]) >> res & 1 == 1
                })
                .fold(0, |m, b| m | 1 << b)
        };
        match self.op(s, a) {
            Op::Send { res, .. } => vec![Wait {
                res: *res,
                reason: Reason::ChannelFull,
                by: who(&|i| i.may_drain, *res),
            }],
            Op::Recv { res, .. } => vec![Wait {
                res: *res,
                reason: Reason::ChannelEmpty,
                by: who(&|i| i.may_fill, *res),
            }],
            Op::Select { cases } => cases
                .iter()
                .map(|c| Wait {
                    res: c.res,
                    reason: Reason::ChannelEmpty,
                    by: who(&|i| i.may_fill, c.res),
                })
                .collect(),
            Op::Lock { res, .. } => {
                let by = self.holder(s, *res as usize).map_or(0, |h| 1u64 << h);
                vec![Wait {
                    res: *res,
                    reason: Reason::LockHeld,
                    by,
                }]
            }
            Op::Await { res, .. } => vec![Wait {
                res: *res,
                reason: Reason::FlagUnset,
                by: who(&|i| i.may_set, *res),
            }],
            _ => Vec::new(),
        }
    }

    /// The wait-for graph of a state, its deadlocked set and one cycle.
    pub fn wait_graph(&self, s: &State) -> WaitGraph {
        let n = self.actors.len();
        let mut g = WaitGraph::default();
        let mut release = vec![0u64; n];
        for (a, release_a) in release.iter_mut().enumerate() {
            let waits = self.waits(s, a);
            if waits.is_empty() {
                continue;
            }
            g.blocked |= 1 << a;
            for w in waits {
                *release_a |= w.by;
                for b in 0..n {
                    if w.by >> b & 1 == 1 {
                        g.edges.push(WaitEdge {
                            from: a as u8,
                            to: b as u8,
                            res: w.res,
                            reason: w.reason,
                        });
                    }
                }
            }
        }
        if s.crash.is_some() {
            return g;
        }
        // Greatest fixpoint: start from every blocked actor that someone could release, drop any
        // actor that some actor outside the set could release, until nothing changes.
        let mut d = (0..n)
            .filter(|&a| g.blocked >> a & 1 == 1 && release[a] != 0)
            .fold(0u64, |m, a| m | 1 << a);
        loop {
            let next = (0..n)
                .filter(|&a| d >> a & 1 == 1 && release[a] & !d == 0)
                .fold(0u64, |m, a| m | 1 << a);
            if next == d {
                break;
            }
            d = next;
        }
        g.deadlocked = d;
        if d != 0 {
            g.cycle = find_cycle(&g.edges, d);
        }
        g
    }
}

/// Walks edges inside `set` from its lowest member until an actor repeats; every member has an
/// edge inside the set, so the walk closes a cycle.
fn find_cycle(edges: &[WaitEdge], set: u64) -> Vec<WaitEdge> {
    let mut path: Vec<WaitEdge> = Vec::new();
    let mut at = set.trailing_zeros() as u8;
    let mut seen = vec![at];
    for _ in 0..64 {
        let Some(e) = edges.iter().find(|e| e.from == at && set >> e.to & 1 == 1) else {
            return Vec::new();
        };
        path.push(*e);
        if let Some(pos) = seen.iter().position(|&x| x == e.to) {
            return path.split_off(pos);
        }
        seen.push(e.to);
        at = e.to;
    }
    Vec::new()
}
