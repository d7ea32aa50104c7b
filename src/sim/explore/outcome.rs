//! What a state amounts to (`Outcome`), the kinds of trouble the explorer looks for (`Trouble`),
//! and the allocation-free test for a wait-for cycle that lets it skip the full classification.
use crate::sim::config::{Config, Instr, Op, MAX_ACTORS};
use crate::sim::graph::WaitEdge;
use crate::sim::model::{Choice, State, Status};
use serde::{Deserialize, Serialize};

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
    Deadlocked {
        cycle: Vec<WaitEdge>,
        timer: Option<u64>,
    },
    /// A process exited on a timeout's error path.
    Crashed { actor: u8, at: u64, reason: u16 },
    /// Nobody can move and no timer is pending, without a cycle: someone waits for an actor that
    /// has finished.
    Stalled { blocked: u64 },
}

impl Outcome {
    pub fn is_bad(&self) -> bool {
        matches!(
            self,
            Outcome::Deadlocked { .. } | Outcome::Crashed { .. } | Outcome::Stalled { .. }
        )
    }
}

/// The kinds of trouble the explorer finds a shortest schedule to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trouble {
    /// A wait-for cycle that no timer can break.
    Deadlock,
    /// A wait-for cycle that a pending timer will break.
    TimedDeadlock,
    /// A process exit.
    Crash,
    /// A stall.
    Stall,
}

impl Trouble {
    /// Every kind, in the order a counterexample is chosen: what stays broken comes first, and a
    /// cycle that a timer breaks last.
    pub const ALL: [Trouble; 4] = [
        Trouble::Deadlock,
        Trouble::Crash,
        Trouble::Stall,
        Trouble::TimedDeadlock,
    ];

    /// The kind of trouble an outcome is, if any.
    pub fn of(outcome: &Outcome) -> Option<Trouble> {
        match outcome {
            Outcome::Deadlocked { timer: None, .. } => Some(Trouble::Deadlock),
            Outcome::Deadlocked { timer: Some(_), .. } => Some(Trouble::TimedDeadlock),
            Outcome::Crashed { .. } => Some(Trouble::Crash),
            Outcome::Stalled { .. } => Some(Trouble::Stall),
            Outcome::Running | Outcome::Completed | Outcome::Recovered { .. } => None,
        }
    }
}

impl Config {
    pub fn outcome(&self, s: &State) -> Outcome {
        if let Some(c) = s.crash {
            let reason = match self.actors[c.actor as usize].code[c.pc as usize].op {
                Op::Exit { reason } => reason,
                _ => 0,
            };
            return Outcome::Crashed {
                actor: c.actor,
                at: c.at,
                reason,
            };
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
            return Outcome::Deadlocked {
                cycle: g.cycle,
                timer,
            };
        }
        if !self.enabled(s).is_empty() {
            return Outcome::Running;
        }
        let unfinished = (0..self.actors.len())
            .filter(|&a| !self.actors[a].daemon && !self.is_done(s, a))
            .fold(0u64, |m, a| m | 1 << a);
        match (unfinished, s.failed) {
            (0, 0) => Outcome::Completed,
            (0, failed) => Outcome::Recovered { failed },
            (blocked, _) => Outcome::Stalled { blocked },
        }
    }

    /// The deadlocked set of `wait_graph(s)`, computed without allocating: exactly
    /// `self.wait_graph(s).deadlocked`, so a state has a wait-for cycle exactly when it is
    /// non-zero. `movable` has a bit for each actor with a `Choice::Step` in `enabled(s)` (for a
    /// state that has not crashed, exactly the actors that can proceed).
    pub(super) fn deadlocked_mask(&self, s: &State, movable: u64) -> u64 {
        if s.crash.is_some() {
            return 0;
        }
        let n = self.actors.len();
        let ins = |b: usize| &self.actors[b].code[s.actors[b].pc as usize];
        // Without a crash nobody is dead: the alive actors are those not done.
        let alive = (0..n)
            .filter(|&b| !matches!(ins(b).op, Op::End))
            .fold(0u64, |m, b| m | 1 << b);
        let who = |res: u8, pick: fn(&Instr) -> u64| {
            (0..n)
                .filter(|&b| alive >> b & 1 == 1 && pick(ins(b)) >> res & 1 == 1)
                .fold(0u64, |m, b| m | 1 << b)
        };
        let mut release = [0u64; MAX_ACTORS];
        let mut d = 0u64;
        for (a, release_a) in release.iter_mut().enumerate().take(n) {
            // Blocked: not done, not sleeping, and unable to proceed (only these five can be).
            let by = match &ins(a).op {
                _ if movable >> a & 1 == 1 => continue,
                Op::Send { res, .. } => who(*res, |i| i.may_drain),
                Op::Recv { res, .. } => who(*res, |i| i.may_fill),
                Op::Select { cases } => cases.iter().fold(0, |m, c| m | who(c.res, |i| i.may_fill)),
                Op::Lock { res, .. } => self.holder(s, *res as usize).map_or(0, |h| 1u64 << h),
                Op::Await { res, .. } => who(*res, |i| i.may_set),
                _ => continue,
            };
            *release_a = by;
            if by != 0 {
                d |= 1 << a;
            }
        }
        // Greatest fixpoint, as in `wait_graph`.
        loop {
            let next = (0..n)
                .filter(|&a| d >> a & 1 == 1 && release[a] & !d == 0)
                .fold(0u64, |m, a| m | 1 << a);
            if next == d {
                return d;
            }
            d = next;
        }
    }
}

/// The actors with a `Choice::Step` among `choices`, as a bit set.
pub(super) fn movable(choices: &[Choice]) -> u64 {
    choices.iter().fold(0, |m, c| match c {
        Choice::Step { actor, .. } => m | 1 << actor,
        _ => m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::explore::test_states::{configs, reachable};

    #[test]
    fn deadlocked_mask_matches_the_wait_graph() {
        let mut checked = 0;
        for cfg in configs() {
            for s in &reachable(&cfg, 3000) {
                assert_eq!(
                    cfg.deadlocked_mask(s, movable(&cfg.enabled(s))),
                    cfg.wait_graph(s).deadlocked,
                    "state {s:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 10_000, "only {checked} states checked");
    }

    #[test]
    fn every_kind_of_trouble_is_listed_once() {
        for t in Trouble::ALL {
            assert_eq!(Trouble::ALL.iter().filter(|&&u| u == t).count(), 1, "{t:?}");
        }
    }
}
