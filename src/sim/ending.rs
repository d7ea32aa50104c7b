//! How a stuck run ends: which timer will end a wait-for cycle and what its error path does,
//! and, for a process that a timer took down, the cycle that held it until then.
use super::config::*;
use super::graph::WaitEdge;
use super::model::*;

/// What a timeout's error path does first that matters to the story.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerAction {
    /// The whole process exits (`reason`, an interned string).
    Exit { reason: u16 },
    /// The request fails and the actor goes on.
    Fail,
    /// Neither: the actor just goes on.
    GoOn,
}

/// The timer that will end a stuck set of actors: whose it is, how long it runs, when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerEnd {
    pub actor: usize,
    /// The timer's length.
    pub ms: u64,
    /// When it fires (simulated time).
    pub at: u64,
    pub action: TimerAction,
}

/// A wait-for cycle that held a process until one of its members' timers took the process
/// down: the step of the run at which it closed, and the cycle then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleBeforeCrash {
    /// The step whose state first had this cycle (1-based, as the player counts steps).
    pub step: usize,
    /// Simulated time then.
    pub at: u64,
    pub cycle: Vec<WaitEdge>,
    /// The timer that then fired (the crashing actor's, or an earlier one of the set).
    pub timer: Option<TimerEnd>,
}

impl Config {
    /// The first timer to fire among the actors of `set` (bit per actor) blocked in `s`.
    pub fn timer_end(&self, s: &State, set: u64) -> Option<TimerEnd> {
        (0..self.actors.len())
            .filter(|&a| set >> a & 1 == 1)
            .filter_map(|a| match (self.status(s, a), self.op(s, a).timeout()) {
                (Status::Blocked { timer: Some(at) }, Some(t)) => Some(TimerEnd {
                    actor: a,
                    ms: t.ms,
                    at,
                    action: self.timer_action(a, t.handler as usize),
                }),
                _ => None,
            })
            .min_by_key(|t| (t.at, t.actor))
    }

    /// What the error path starting at `pc` does: the first exit or failure on its way, looked
    /// for along the path's straight-line code (a handler has no branches in these scenarios; a
    /// branch ends the look).
    fn timer_action(&self, a: usize, mut pc: usize) -> TimerAction {
        let code = &self.actors[a].code;
        for _ in 0..code.len() {
            match &code[pc].op {
                Op::Exit { reason } => return TimerAction::Exit { reason: *reason },
                Op::Fail => return TimerAction::Fail,
                Op::Jump { to } => pc = *to as usize,
                Op::SetReg { .. }
                | Op::Unlock { .. }
                | Op::Act { .. }
                | Op::Set { .. }
                | Op::Clear { .. }
                | Op::Sleep { .. } => pc += 1,
                _ => break,
            }
        }
        TimerAction::GoOn
    }

    /// For a run whose last state is a crash: the wait-for cycle that held the crashing actor
    /// until its timer fired, if one did (the process was deadlocked, and the timer only ended
    /// it by taking the process down). `states` is the run so far, `states[0]` the initial state.
    pub fn cycle_before_crash(&self, states: &[State]) -> Option<CycleBeforeCrash> {
        let crash = states.last()?.crash?;
        let actor = crash.actor as usize;
        let held = |s: &State| {
            let g = self.wait_graph(s);
            (g.has_cycle() && g.deadlocked >> actor & 1 == 1).then_some(g.cycle)
        };
        // The last state in which the actor was still held, then back to where that began.
        let last = (0..states.len())
            .rev()
            .find(|&i| held(&states[i]).is_some())?;
        let mut first = last;
        while first > 0 && held(&states[first - 1]).is_some() {
            first -= 1;
        }
        let deadlocked = self.wait_graph(&states[first]).deadlocked;
        Some(CycleBeforeCrash {
            step: first,
            at: states[first].now,
            cycle: held(&states[first])?,
            timer: self.timer_end(&states[first], deadlocked),
        })
    }
}
