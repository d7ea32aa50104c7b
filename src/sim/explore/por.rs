//! Partial-order reduction: in a state where some actor's next step is *safe*, the explorer
//! takes that step alone instead of every enabled choice (a persistent set of one transition).
//!
//! A step `t` of actor `a` is safe when:
//! 1. it is an `act` or a `fail` (touches no resource, no timer; a `fail` only adds to a
//!    counter, and additions commute) and it is `a`'s only choice;
//! 2. its pc lies on no loop of `a`'s code, so a chain of safe steps always ends;
//! 3. control flow after it only jumps (no branch), so what `a` may still fill, drain or set
//!    is the same before and after it;
//! 4. no other actor may still reach an `exit` (a crash would disable `t`);
//! 5. where `a` lands is no timed wait, and if it is an untimed wait, then either no other actor
//!    may still wait on a resource `a` may still fill, drain or set or on a lock `a` holds, or
//!    no other actor may still reach a timed wait.
//!
//! Why every deadlock, crash and stall survives. By 1 and 4 nothing another actor does can
//! enable, disable or reorder around `t` (and time cannot jump while `t` is enabled), so `{t}`
//! is a persistent set: every end state (crash, stall, clean or failed end) the full search
//! reaches is still reached. A wait-for cycle is a property of states that are not ends: let `u`
//! be reached from the current state `s` by other actors' steps. In `t(u)`, `a`'s releasers and
//! the lock holders are those of `u` (3), so the deadlocked set of `u` is still deadlocked; the
//! only actor that can join it is `a` itself, blocked where it lands, and then only untimed (5):
//! another actor joins only through a release `a` could give it, which 5 rules out when that
//! actor could have a timer. So `t(u)` has a cycle of the same kind (permanent or timer-broken)
//! as `u`. Induction on (steps to the trouble, then the actors' remaining acyclic code, which
//! 2 makes decrease) shows some explored state has each kind of trouble any reachable state has.
//! The same holds with symmetry, since these conditions treat interchangeable actors alike.
//! Traces can get longer (safe steps are taken first), so they are shortened afterwards and the
//! exploration says they may not be the shortest.
//!
//! Where no step is safe, a *persistent set of actors* may still be: grow a set from one movable
//! actor by adding every other actor that may ever touch a resource the next step of a member
//! touches (two tests of a flag do not count: reads commute), and explore only the members'
//! choices. No step of an actor outside the set can touch what the members' next steps touch, so
//! it can neither enable, disable nor reorder around them, and time cannot jump while a member
//! can move: the set is persistent, and a persistent-set search reaches every end state, and
//! every state where only time can move, of the full search. It is used only when no actor's
//! code loops and none may still `exit`: every run then ends, a permanent wait-for cycle stays to
//! the end (so some end state shows it), and a cycle a timer will break stays until the state
//! where only time can move, which is kept.
use crate::sim::config::{successors, Config, Op, ResKind};
use crate::sim::model::{Choice, State};

/// What the safety test needs of each actor's code, per pc.
struct Code {
    /// Where the actor stands after a safe step from here, or `None` when the step here is not
    /// safe whatever the state (not an act or fail, on a loop, or followed by a branch).
    landing: Vec<Option<u16>>,
    /// Resources it may still wait on (send, receive, select, lock, await).
    waits: Vec<u64>,
    /// Whether it may still reach a timed wait, and an `exit`.
    timed: Vec<bool>,
    exits: Vec<bool>,
    /// Resources the step from here touches, with the flags its control flow tests after it.
    next: Vec<Touch>,
    /// Resources it may still touch from here on.
    touches: Vec<Touch>,
}

pub(super) struct Por {
    code: Vec<Code>,
    /// Bit per lock resource.
    locks: u64,
    /// No actor's code has a loop, so persistent sets of actors may be used.
    acyclic: bool,
}

impl Por {
    pub(super) fn new(cfg: &Config) -> Por {
        let locks = cfg
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == ResKind::Lock)
            .fold(0u64, |m, (i, _)| m | 1 << i);
        let code = cfg.actors.iter().map(|a| code(&a.code)).collect();
        // Control flow that only goes forward cannot loop.
        let acyclic = cfg
            .actors
            .iter()
            .all(|a| (0..a.code.len()).all(|pc| successors(&a.code, pc).iter().all(|&m| m > pc)));
        Por {
            code,
            locks,
            acyclic,
        }
    }

    /// Cuts `choices` (enabled in `s`) down to a safe one or a persistent set's; returns whether
    /// any were left out.
    pub(super) fn reduce(&self, cfg: &Config, s: &State, choices: &mut Vec<Choice>) -> bool {
        if let Some(c) = self.pick(cfg, s, choices) {
            choices.clear();
            choices.push(c);
            return true;
        }
        let Some(set) = self.persistent(s, choices) else {
            return false;
        };
        choices.retain(|c| movable_in(c, set));
        true
    }

    /// The persistent set of actors grown from one movable actor that keeps the fewest movable,
    /// if it leaves one out.
    fn persistent(&self, s: &State, choices: &[Choice]) -> Option<u64> {
        let pc = |b: usize| s.actors[b].pc as usize;
        let n = self.code.len();
        if !self.acyclic || (0..n).any(|b| self.code[b].exits[pc(b)]) {
            return None;
        }
        // Every actor with a choice, a timer's included: its time-out is one of its transitions.
        let movable = (choices.iter()).fold(0u64, |m, c| m | c.actor().map_or(0, |a| 1 << a));
        let mut best = movable;
        for a in (0..n).filter(|&a| movable >> a & 1 == 1) {
            let (mut set, mut need) = (1u64 << a, self.code[a].next[pc(a)]);
            loop {
                let more = (0..n)
                    .filter(|&b| set >> b & 1 == 0 && self.code[b].touches[pc(b)].meets(need))
                    .fold(0u64, |m, b| m | 1 << b);
                if more == 0 {
                    break;
                }
                set |= more;
                need = (0..n)
                    .filter(|&b| more >> b & 1 == 1)
                    .fold(need, |m, b| m.or(self.code[b].next[pc(b)]));
            }
            if (set & movable).count_ones() < (best & movable).count_ones() {
                best = set;
            }
        }
        (best & movable != movable).then_some(best)
    }

    /// A safe choice among `choices` (enabled in `s`), if there is one.
    fn pick(&self, cfg: &Config, s: &State, choices: &[Choice]) -> Option<Choice> {
        if choices.len() < 2 {
            return None;
        }
        let pc = |b: usize| s.actors[b].pc as usize;
        let exiting = (0..self.code.len())
            .filter(|&b| self.code[b].exits[pc(b)])
            .fold(0u64, |m, b| m | 1 << b);
        choices.iter().copied().find(|&c| {
            let Choice::Step { actor, .. } = c else {
                return false;
            };
            let a = actor as usize;
            let Some(land) = self.code[a].landing[pc(a)] else {
                return false;
            };
            exiting & !(1u64 << a) == 0 && self.lands_well(cfg, s, a, land as usize)
        })
    }

    /// Condition 5 for actor `a` landing on `land`.
    fn lands_well(&self, cfg: &Config, s: &State, a: usize, land: usize) -> bool {
        let code = &cfg.actors[a].code;
        let op = &code[land].op;
        let waits = matches!(
            op,
            Op::Send { .. }
                | Op::Recv { .. }
                | Op::Select { .. }
                | Op::Lock { .. }
                | Op::Await { .. }
        );
        if !waits {
            return true;
        }
        if op.timeout().is_some() {
            return false;
        }
        let here = &code[s.actors[a].pc as usize];
        let held = (0..cfg.resources.len())
            .filter(|&r| self.locks >> r & 1 == 1 && cfg.holder(s, r) == Some(a))
            .fold(0u64, |m, r| m | 1 << r);
        let releases = here.may_fill | here.may_drain | here.may_set | held;
        let others = (0..self.code.len()).filter(|&b| b != a);
        let pc = |b: usize| s.actors[b].pc as usize;
        let nobody_waits = others
            .clone()
            .all(|b| self.code[b].waits[pc(b)] & releases == 0);
        nobody_waits || others.clone().all(|b| !self.code[b].timed[pc(b)])
    }
}

/// The per-pc facts of one actor's code.
fn code(code: &[crate::sim::config::Instr]) -> Code {
    let n = code.len();
    let own: Vec<Touch> = code.iter().map(|i| resources(&i.op)).collect();
    let mut waits = vec![0u64; n];
    let mut timed = vec![false; n];
    let mut exits = vec![false; n];
    for (pc, ins) in code.iter().enumerate() {
        waits[pc] = match &ins.op {
            Op::Send { res, .. } | Op::Recv { res, .. } | Op::Lock { res, .. } => 1 << res,
            Op::Await { res, .. } => 1 << res,
            Op::Select { cases } => cases.iter().fold(0, |m, c| m | 1 << c.res),
            _ => 0,
        };
        timed[pc] = ins.op.timeout().is_some();
        exits[pc] = matches!(ins.op, Op::Exit { .. });
    }
    let mut touches = own.clone();
    // What is reachable, propagated backwards to a fixpoint (programs are small).
    loop {
        let mut changed = false;
        for pc in (0..n).rev() {
            for m in successors(code, pc) {
                let was = (waits[pc], timed[pc], exits[pc], touches[pc]);
                waits[pc] |= waits[m];
                timed[pc] |= timed[m];
                exits[pc] |= exits[m];
                touches[pc] = touches[pc].or(touches[m]);
                changed |= was != (waits[pc], timed[pc], exits[pc], touches[pc]);
            }
        }
        if !changed {
            break;
        }
    }
    let next = (0..n)
        .map(|pc| own[pc].or(tested_after(code, &own, pc)))
        .collect();
    let landing = (0..n)
        .map(|pc| {
            let quiet = matches!(code[pc].op, Op::Act { .. } | Op::Fail);
            (quiet && !on_loop(code, pc))
                .then(|| straight_to(code, pc + 1))
                .flatten()
        })
        .collect();
    Code {
        landing,
        waits,
        timed,
        exits,
        next,
        touches,
    }
}

/// Resources read (flags tested or awaited) and written (everything else), a bit each.
#[derive(Clone, Copy, Default, PartialEq)]
struct Touch {
    read: u64,
    write: u64,
}

impl Touch {
    fn or(self, o: Touch) -> Touch {
        Touch {
            read: self.read | o.read,
            write: self.write | o.write,
        }
    }

    /// Whether some order of the two matters: one writes what the other reads or writes.
    fn meets(self, o: Touch) -> bool {
        self.write & (o.read | o.write) | self.read & o.write != 0
    }
}

/// The resources an instruction touches: those of a visible operation, or the flag a branch
/// tests.
fn resources(op: &Op) -> Touch {
    let write = match op {
        Op::Send { res, .. }
        | Op::Recv { res, .. }
        | Op::Lock { res, .. }
        | Op::Unlock { res }
        | Op::Set { res }
        | Op::Clear { res } => 1 << res,
        Op::Select { cases } => cases.iter().fold(0, |m, c| m | 1 << c.res),
        _ => 0,
    };
    let read = match op {
        Op::Await { res, .. } | Op::IfFlag { res, .. } => 1 << res,
        _ => 0,
    };
    Touch { read, write }
}

/// The flags tested by the control flow that a step from `pc` runs through before it stops at
/// the next visible operation (control flow never loops by itself).
fn tested_after(code: &[crate::sim::config::Instr], own: &[Touch], pc: usize) -> Touch {
    let mut out = Touch::default();
    let mut stack = successors(code, pc);
    while let Some(p) = stack.pop() {
        if code[p].op.is_control() {
            out = out.or(own[p]);
            stack.extend(successors(code, p));
        }
    }
    out
}

/// Whether `c` is a step or a time-out of an actor in `set`.
fn movable_in(c: &Choice, set: u64) -> bool {
    c.actor().is_some_and(|a| set >> a & 1 == 1)
}

/// The visible operation control flow reaches from `pc` by jumps and register writes alone, or
/// `None` if it meets a branch first.
fn straight_to(code: &[crate::sim::config::Instr], mut pc: usize) -> Option<u16> {
    for _ in 0..=code.len() {
        match code.get(pc)?.op {
            Op::Jump { to } => pc = to as usize,
            Op::SetReg { .. } => pc += 1,
            Op::LoopTest { .. } | Op::IfMsg { .. } | Op::IfFlag { .. } => return None,
            _ => return Some(pc as u16),
        }
    }
    None
}

/// Whether `pc` can reach itself.
fn on_loop(code: &[crate::sim::config::Instr], pc: usize) -> bool {
    let mut seen = vec![false; code.len()];
    let mut stack = successors(code, pc);
    while let Some(p) = stack.pop() {
        if p == pc {
            return true;
        }
        if !std::mem::replace(&mut seen[p], true) {
            stack.extend(successors(code, p));
        }
    }
    false
}

/// A schedule to trouble of kind `kind`, shortened: steps are left out one at a time, last
/// first, while the rest still replays and still ends in that kind of trouble; then it is cut at
/// the first state showing it.
pub(super) fn shorten(cfg: &Config, trace: &[Choice], kind: super::Trouble) -> Vec<Choice> {
    let ends_in = |t: &[Choice]| {
        let mut s = cfg.init();
        for &c in t {
            match cfg.step(&s, c) {
                Ok((n, _)) => s = n,
                Err(_) => return false,
            }
        }
        super::Trouble::of(&cfg.outcome(&s)) == Some(kind)
    };
    let mut t = trace.to_vec();
    let mut i = t.len();
    while i > 0 {
        i -= 1;
        let mut shorter = t.clone();
        shorter.remove(i);
        if ends_in(&shorter) {
            t = shorter;
        }
    }
    // Cut at the first state of that kind.
    let mut s = cfg.init();
    for (k, &c) in t.iter().enumerate() {
        if super::Trouble::of(&cfg.outcome(&s)) == Some(kind) {
            t.truncate(k);
            break;
        }
        s = match cfg.step(&s, c) {
            Ok((n, _)) => n,
            Err(_) => break,
        };
    }
    t
}
