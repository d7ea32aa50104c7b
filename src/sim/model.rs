//! State, choices and the step function. Time is simulated: every step is instantaneous, and
//! time jumps to the next timer only when no actor can move (maximal progress), so a one-hour
//! timer costs one step, not an hour.
use super::config::*;
use serde::{Deserialize, Serialize};

/// Everything that changes while a configuration runs. Plain data: two states are equal exactly
/// when every future is the same.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct State {
    /// Simulated time in milliseconds.
    pub now: u64,
    /// Flag resources, one bit each.
    pub flags: u64,
    /// Requests that failed (a timeout's error path counted them).
    pub failed: u16,
    pub crash: Option<Crash>,
    pub actors: Vec<ActorState>,
    /// Channel contents (a length byte, then the items oldest first) and lock holders (actor + 1).
    pub mem: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActorState {
    pub pc: u16,
    /// The message this actor last received.
    pub last: u8,
    pub regs: [u16; MAX_REGS],
    /// When its sleep ends or its timer fires; 0 when it has none.
    pub deadline: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Crash {
    pub actor: u8,
    pub pc: u16,
    pub at: u64,
}

/// One possible next step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Choice {
    /// The actor performs its current operation (for a select: the case taken).
    Step { actor: u8, case: u8 },
    /// The actor's timer fires and it takes its error path.
    Timeout { actor: u8 },
    /// Nobody can move: time jumps to the next timer.
    Tick,
}

impl Choice {
    pub fn actor(self) -> Option<u8> {
        match self {
            Choice::Step { actor, .. } | Choice::Timeout { actor } => Some(actor),
            Choice::Tick => None,
        }
    }
}

/// What a step did, for animation and narration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub choice: Choice,
    pub kind: EventKind,
    pub actor: Option<u8>,
    pub res: Option<u8>,
    pub msg: Option<u8>,
    /// Narration key index (see `Config::say`).
    pub say: Option<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Sent,
    Received,
    Locked,
    Unlocked,
    Set,
    Cleared,
    /// Waited for a flag that was set.
    Passed,
    Acted {
        label: u16,
    },
    Failed,
    Exited {
        reason: u16,
    },
    TimedOut {
        waited: u64,
    },
    TimePassed {
        from: u64,
        to: u64,
        woke: u64,
    },
}

/// What an actor is doing, derived from state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Done,
    /// Its process exited.
    Dead,
    Ready,
    Sleeping {
        until: u64,
    },
    Blocked {
        timer: Option<u64>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError(pub String);

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    pub fn init(&self) -> State {
        let mut s = State {
            now: 0,
            flags: 0,
            failed: 0,
            crash: None,
            actors: vec![
                ActorState {
                    pc: 0,
                    last: 0,
                    regs: [0; MAX_REGS],
                    deadline: 0
                };
                self.actors.len()
            ],
            mem: vec![0; self.mem_len],
        };
        for (i, r) in self.resources.iter().enumerate() {
            if let ResKind::Flag { initial: true } = r.kind {
                s.flags |= 1 << i;
            }
        }
        for a in 0..self.actors.len() {
            self.settle(&mut s, a);
        }
        s
    }

    #[inline]
    pub fn op(&self, s: &State, a: usize) -> &Op {
        &self.actors[a].code[s.actors[a].pc as usize].op
    }

    #[inline]
    pub fn chan_len(&self, s: &State, res: usize) -> usize {
        s.mem[self.resources[res].off] as usize
    }
    pub fn chan_items<'s>(&self, s: &'s State, res: usize) -> &'s [u8] {
        let off = self.resources[res].off;
        &s.mem[off + 1..off + 1 + s.mem[off] as usize]
    }
    #[inline]
    pub fn capacity(&self, res: usize) -> usize {
        match self.resources[res].kind {
            ResKind::Channel { cap } => cap as usize,
            _ => 0,
        }
    }
    /// The actor holding a lock.
    #[inline]
    pub fn holder(&self, s: &State, res: usize) -> Option<usize> {
        match s.mem[self.resources[res].off] {
            0 => None,
            h => Some(h as usize - 1),
        }
    }
    #[inline]
    pub fn flag(&self, s: &State, res: usize) -> bool {
        s.flags >> res & 1 == 1
    }
    #[inline]
    pub fn is_done(&self, s: &State, a: usize) -> bool {
        matches!(self.op(s, a), Op::End)
    }

    /// Whether the actor's current operation could complete now (ignoring its timer).
    #[inline]
    pub fn can_proceed(&self, s: &State, a: usize) -> bool {
        match self.op(s, a) {
            Op::Send { res, .. } => self.chan_len(s, *res as usize) < self.capacity(*res as usize),
            Op::Recv { res, .. } => self.chan_len(s, *res as usize) > 0,
            Op::Select { cases } => cases.iter().any(|c| self.chan_len(s, c.res as usize) > 0),
            Op::Lock { res, .. } => self.holder(s, *res as usize).is_none(),
            Op::Await { res, .. } => self.flag(s, *res as usize),
            Op::Sleep { .. } | Op::End => false,
            _ => true,
        }
    }

    pub fn status(&self, s: &State, a: usize) -> Status {
        if self.is_done(s, a) {
            return Status::Done;
        }
        if let Some(c) = s.crash {
            if self.actors[c.actor as usize].process == self.actors[a].process {
                return Status::Dead;
            }
        }
        let op = self.op(s, a);
        if let Op::Sleep { .. } = op {
            return Status::Sleeping {
                until: s.actors[a].deadline,
            };
        }
        if self.can_proceed(s, a) {
            Status::Ready
        } else {
            Status::Blocked {
                timer: op.timeout().map(|_| s.actors[a].deadline),
            }
        }
    }

    /// The possible next steps, in a fixed order: actors in declaration order (select cases in
    /// order, then a due timeout), and a time jump only when nothing else can happen.
    pub fn enabled(&self, s: &State) -> Vec<Choice> {
        let mut out = Vec::new();
        self.enabled_into(s, &mut out);
        out
    }

    pub fn enabled_into(&self, s: &State, out: &mut Vec<Choice>) {
        out.clear();
        if s.crash.is_some() {
            return;
        }
        for a in 0..self.actors.len() {
            let actor = a as u8;
            let op = self.op(s, a);
            match op {
                Op::Select { cases } => {
                    for (i, c) in cases.iter().enumerate() {
                        if self.chan_len(s, c.res as usize) > 0 {
                            out.push(Choice::Step {
                                actor,
                                case: i as u8,
                            });
                        }
                    }
                }
                _ => {
                    if self.can_proceed(s, a) {
                        out.push(Choice::Step { actor, case: 0 });
                    }
                }
            }
            if op.timeout().is_some() && s.now >= s.actors[a].deadline {
                out.push(Choice::Timeout { actor });
            }
        }
        if out.is_empty() && self.next_deadline(s).is_some() {
            out.push(Choice::Tick);
        }
    }

    /// The earliest pending timer or sleep end after now.
    pub fn next_deadline(&self, s: &State) -> Option<u64> {
        (0..self.actors.len())
            .filter(|&a| {
                matches!(self.op(s, a), Op::Sleep { .. }) || self.op(s, a).timeout().is_some()
            })
            .map(|a| s.actors[a].deadline)
            .filter(|&d| d > s.now)
            .min()
    }

    /// Runs control flow until the actor stands on a visible operation, then arms its timer.
    fn settle(&self, s: &mut State, a: usize) {
        let code = &self.actors[a].code;
        let st = &mut s.actors[a];
        // Control flow has no loop without a step (checked when compiling), so this ends.
        for _ in 0..=code.len() {
            match &code[st.pc as usize].op {
                Op::Jump { to } => st.pc = *to,
                Op::SetReg { reg, value } => {
                    st.regs[*reg as usize] = *value;
                    st.pc += 1;
                }
                Op::LoopTest { reg, exit } => {
                    if st.regs[*reg as usize] == 0 {
                        st.pc = *exit;
                    } else {
                        st.regs[*reg as usize] -= 1;
                        st.pc += 1;
                    }
                }
                Op::IfMsg { msg, otherwise } => {
                    st.pc = if st.last == *msg {
                        st.pc + 1
                    } else {
                        *otherwise
                    }
                }
                Op::IfFlag { res, otherwise } => {
                    st.pc = if s.flags >> res & 1 == 1 {
                        st.pc + 1
                    } else {
                        *otherwise
                    }
                }
                _ => break,
            }
        }
        let op = &code[st.pc as usize].op;
        // Saturating: a scenario may ask for absurdly long times (a knob or `ms` up to i64::MAX);
        // the clock then stops at u64::MAX instead of overflowing.
        st.deadline = match (op, op.timeout()) {
            (Op::Sleep { ms }, _) => s.now.saturating_add(*ms),
            (_, Some(t)) => s.now.saturating_add(t.ms),
            _ => 0,
        };
    }

    fn push(&self, s: &mut State, res: usize, item: u8) {
        let off = self.resources[res].off;
        let len = s.mem[off] as usize;
        s.mem[off + 1 + len] = item;
        s.mem[off] += 1;
    }

    fn pop(&self, s: &mut State, res: usize) -> u8 {
        let off = self.resources[res].off;
        let len = s.mem[off] as usize;
        let item = s.mem[off + 1];
        s.mem.copy_within(off + 2..off + 1 + len, off + 1);
        s.mem[off + len] = 0;
        s.mem[off] -= 1;
        item
    }

    /// Whether some actor could step or time out now, i.e. `enabled(s)` holds more than a time
    /// jump (for a state that has not crashed). Allocation-free, for the explorer's hot path.
    fn anyone_can_move(&self, s: &State) -> bool {
        // For a select, `can_proceed` is exactly "some case is ready", as in `enabled_into`.
        (0..self.actors.len()).any(|a| {
            self.can_proceed(s, a)
                || (self.op(s, a).timeout().is_some() && s.now >= s.actors[a].deadline)
        })
    }

    /// Applies one choice. A choice that is not enabled is an error, never a panic.
    pub fn step(&self, s: &State, choice: Choice) -> Result<(State, Event), StepError> {
        let mut n = s.clone();
        let ev = self.step_into(s, choice, &mut n)?;
        Ok((n, ev))
    }

    /// `step`, writing the next state into `n` (whose allocations are reused) instead of
    /// returning a new one. On error `n` holds an unspecified state.
    pub(crate) fn step_into(
        &self,
        s: &State,
        choice: Choice,
        n: &mut State,
    ) -> Result<Event, StepError> {
        if s.crash.is_some() {
            return Err(StepError("the run has ended: a process exited".into()));
        }
        copy_state(n, s);
        match choice {
            Choice::Tick => self.tick(s, n),
            Choice::Timeout { actor } => self.time_out(s, actor, n),
            Choice::Step { actor, case } => self.step_actor(s, actor, case, n),
        }
    }

    /// Time jumps to the next deadline, waking the sleepers whose sleep ends by then.
    fn tick(&self, s: &State, n: &mut State) -> Result<Event, StepError> {
        // `enabled(s) == [Tick]`: a time jump is the only possible step.
        let Some(to) = self.next_deadline(s).filter(|_| !self.anyone_can_move(s)) else {
            return Err(StepError("time can only jump when nobody can move".into()));
        };
        n.now = to;
        let mut woke = 0u64;
        for a in 0..self.actors.len() {
            if matches!(self.op(n, a), Op::Sleep { .. }) && n.actors[a].deadline <= to {
                n.actors[a].pc += 1;
                self.settle(n, a);
                woke |= 1 << a;
            }
        }
        Ok(Event {
            choice: Choice::Tick,
            kind: EventKind::TimePassed {
                from: s.now,
                to,
                woke,
            },
            actor: None,
            res: None,
            msg: None,
            say: None,
        })
    }

    /// The actor's timer fires: it goes to its operation's error path.
    fn time_out(&self, s: &State, actor: u8, n: &mut State) -> Result<Event, StepError> {
        let a = actor as usize;
        let t = self.actors.get(a).and_then(|_| self.op(s, a).timeout());
        let Some(t) = t.filter(|_| s.now >= s.actors[a].deadline) else {
            return Err(StepError(format!("actor {a} has no timer due")));
        };
        let res = match self.op(s, a) {
            Op::Send { res, .. }
            | Op::Recv { res, .. }
            | Op::Lock { res, .. }
            | Op::Await { res, .. } => Some(*res),
            _ => None,
        };
        n.actors[a].pc = t.handler;
        self.settle(n, a);
        let effect = Effect {
            kind: EventKind::TimedOut { waited: t.ms },
            res,
            msg: None,
            say: t.say,
        };
        Ok(effect.event(Choice::Timeout { actor }, actor))
    }

    /// The actor performs its current operation (for a select, case `case`).
    fn step_actor(
        &self,
        s: &State,
        actor: u8,
        case: u8,
        n: &mut State,
    ) -> Result<Event, StepError> {
        let a = actor as usize;
        if a >= self.actors.len() || !self.can_proceed(s, a) {
            return Err(StepError(format!("actor {a} cannot move now")));
        }
        let ins = &self.actors[a].code[s.actors[a].pc as usize];
        if case != 0 && !matches!(ins.op, Op::Select { .. }) {
            return Err(StepError(format!("actor {a} has no select here")));
        }
        let choice = Choice::Step { actor, case };
        let effect = match &ins.op {
            Op::Send { res, msg, .. } => self.send(s, a, *res, *msg, ins, n),
            Op::Recv { res, .. } => self.recv(a, *res, ins.say, n),
            Op::Select { cases } => self.select_case(s, a, cases, case, n)?,
            Op::Exit { reason } => {
                // The run ends here: the actor stays on its `exit`, where the crash points.
                n.crash = Some(Crash {
                    actor,
                    pc: s.actors[a].pc,
                    at: s.now,
                });
                let kind = EventKind::Exited { reason: *reason };
                return Ok(Effect::of(kind, None, ins).event(choice, actor));
            }
            _ => self.touch(a, ins, n)?,
        };
        n.actors[a].pc = match &ins.op {
            // `select_case` checked that the case exists.
            Op::Select { cases } => cases[case as usize].target,
            _ => s.actors[a].pc + 1,
        };
        self.settle(n, a);
        Ok(effect.event(choice, actor))
    }

    /// Send: one item into the channel.
    fn send(&self, s: &State, a: usize, res: u8, msg: Msg, ins: &Instr, n: &mut State) -> Effect {
        let item = match msg {
            Msg::Tag(t) => t,
            Msg::Last => s.actors[a].last,
        };
        self.push(n, res as usize, item);
        Effect::moved(EventKind::Sent, res, item, ins.say)
    }

    /// Receive: the oldest item out of the channel, remembered as the actor's last message.
    fn recv(&self, a: usize, res: u8, say: Option<u16>, n: &mut State) -> Effect {
        let item = self.pop(n, res as usize);
        n.actors[a].last = item;
        Effect::moved(EventKind::Received, res, item, say)
    }

    /// A select's case: a receive from that case's channel, which must hold something.
    fn select_case(
        &self,
        s: &State,
        a: usize,
        cases: &[Case],
        case: u8,
        n: &mut State,
    ) -> Result<Effect, StepError> {
        let Some(c) = cases
            .get(case as usize)
            .filter(|c| self.chan_len(s, c.res as usize) > 0)
        else {
            return Err(StepError(format!("case {case} of actor {a} is not ready")));
        };
        Ok(self.recv(a, c.res, c.say, n))
    }

    /// The other visible operations: locks, flags, acts and failures.
    fn touch(&self, a: usize, ins: &Instr, n: &mut State) -> Result<Effect, StepError> {
        let (kind, res) = match &ins.op {
            Op::Lock { res, .. } => {
                n.mem[self.resources[*res as usize].off] = a as u8 + 1;
                (EventKind::Locked, Some(*res))
            }
            Op::Unlock { res } => {
                let off = self.resources[*res as usize].off;
                if n.mem[off] == a as u8 + 1 {
                    n.mem[off] = 0;
                }
                (EventKind::Unlocked, Some(*res))
            }
            Op::Set { res } => {
                n.flags |= 1 << res;
                (EventKind::Set, Some(*res))
            }
            Op::Clear { res } => {
                n.flags &= !(1 << res);
                (EventKind::Cleared, Some(*res))
            }
            Op::Await { res, .. } => (EventKind::Passed, Some(*res)),
            Op::Act { label } => (EventKind::Acted { label: *label }, None),
            Op::Fail => {
                n.failed = n.failed.saturating_add(1);
                (EventKind::Failed, None)
            }
            _ => return Err(StepError(format!("actor {a} cannot move now"))),
        };
        Ok(Effect::of(kind, res, ins))
    }
}

/// What a step of an actor did, before it becomes an `Event` (which adds the choice and actor).
struct Effect {
    kind: EventKind,
    res: Option<u8>,
    msg: Option<u8>,
    say: Option<u16>,
}

impl Effect {
    /// An item into or out of a channel.
    fn moved(kind: EventKind, res: u8, item: u8, say: Option<u16>) -> Effect {
        Effect {
            kind,
            res: Some(res),
            msg: Some(item),
            say,
        }
    }
    /// An effect on at most a resource, narrated by the instruction's own `say`.
    fn of(kind: EventKind, res: Option<u8>, ins: &Instr) -> Effect {
        Effect {
            kind,
            res,
            msg: None,
            say: ins.say,
        }
    }
    fn event(self, choice: Choice, actor: u8) -> Event {
        Event {
            choice,
            kind: self.kind,
            actor: Some(actor),
            res: self.res,
            msg: self.msg,
            say: self.say,
        }
    }
}

/// `*dst = src.clone()`, reusing `dst`'s allocations.
fn copy_state(dst: &mut State, src: &State) {
    dst.now = src.now;
    dst.flags = src.flags;
    dst.failed = src.failed;
    dst.crash = src.crash;
    dst.actors.clone_from(&src.actors);
    dst.mem.clone_from(&src.mem);
}
