//! Plain-language narration, derived from events and states. The scenario supplies the "why"
//! sentences; the "what" sentences and every deadlock explanation are built here from the model.
use super::config::*;
use super::ending::{TimerAction, TimerEnd};
use super::explore::Outcome;
use super::graph::{Reason, WaitEdge};
use super::model::*;

/// Simulated time for people: `0 ms`, `230 ms`, `4.2 s`, `1 h 0 min 0.2 s`.
pub fn fmt_time(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms} ms");
    }
    if ms < 60_000 {
        return format!("{}.{} s", ms / 1000, ms % 1000 / 100);
    }
    let (h, m, s) = (ms / 3_600_000, ms / 60_000 % 60, ms % 60_000);
    let secs = format!("{}.{} s", s / 1000, s % 1000 / 100);
    if h > 0 {
        format!("{h} h {m} min {secs}")
    } else {
        format!("{m} min {secs}")
    }
}

/// A duration in words, for jumps: `30 ms`, `1 hour`.
pub fn fmt_span(ms: u64) -> String {
    match ms {
        3_600_000 => "1 hour".into(),
        ms if ms % 3_600_000 == 0 => format!("{} hours", ms / 3_600_000),
        ms => fmt_time(ms),
    }
}

/// `n` and a noun that takes an "s" for any count but one: `1 step`, `3 steps`.
pub fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{n} {noun}{s}")
}

/// A timer's length as an adjective: `one-hour`, `5-second`, `300-millisecond`.
pub fn timer_name(ms: u64) -> String {
    let (n, unit) = match ms {
        ms if ms % 3_600_000 == 0 => (ms / 3_600_000, "hour"),
        ms if ms % 60_000 == 0 => (ms / 60_000, "minute"),
        ms if ms % 1000 == 0 => (ms / 1000, "second"),
        ms => (ms, "millisecond"),
    };
    if n == 1 {
        format!("one-{unit}")
    } else {
        format!("{n}-{unit}")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Narration {
    /// What happened, generated from the event.
    pub what: String,
    /// Why it matters, from the scenario (if it has a sentence for this step).
    pub why: Option<String>,
    /// Actors that became blocked with this step, and on what.
    pub now_waiting: Vec<String>,
}

impl Config {
    pub fn actor_label(&self, a: usize) -> &str {
        &self.actors[a].label
    }
    /// What sentences call actor `a` ("the main goroutine").
    pub fn called(&self, a: usize) -> &str {
        &self.actors[a].called
    }
    pub fn res_label(&self, r: usize) -> &str {
        &self.resources[r].label
    }

    /// "now 2 of 4", the state of a channel after a step.
    fn fill(&self, s: &State, r: usize) -> String {
        format!("now {} of {}", self.chan_len(s, r), self.capacity(r))
    }

    /// Why `edge.from` waits for `edge.to`, in one clause.
    pub fn wait_reason(&self, e: &WaitEdge) -> String {
        let (r, to) = (self.res_label(e.res as usize), self.called(e.to as usize));
        match e.reason {
            Reason::LockHeld => format!("{to} holds the {r}"),
            Reason::ChannelFull => format!("the {r} is full and only {to} can make room in it"),
            Reason::ChannelEmpty => {
                format!("the {r} is empty and only {to} can put something in it")
            }
            Reason::FlagUnset => format!("“{r}” is not true yet and only {to} can make it so"),
        }
    }

    /// What a blocked actor is waiting on, without naming who could help.
    pub fn blocked_on(&self, s: &State, a: usize) -> Option<String> {
        let w = self.waits(s, a);
        let first = w.first()?;
        let r = self.res_label(first.res as usize);
        Some(match first.reason {
            Reason::LockHeld => format!("waits to lock the {r}"),
            Reason::ChannelFull => format!("waits for room in the {r}"),
            Reason::ChannelEmpty if w.len() > 1 => {
                let all: Vec<String> = w
                    .iter()
                    .map(|x| format!("the {}", self.res_label(x.res as usize)))
                    .collect();
                let (last, init) = all.split_last().expect("more than one wait");
                format!("waits for anything on {} or {last}", init.join(", "))
            }
            Reason::ChannelEmpty => format!("waits for something in the {r}"),
            Reason::FlagUnset => format!("waits until “{r}”"),
        })
    }

    pub fn narrate(&self, before: &State, ev: &Event, after: &State) -> Narration {
        Narration {
            what: capitalise(self.what(ev, after)),
            why: ev.say.and_then(|i| self.say(i, before)).map(str::to_string),
            now_waiting: self.now_waiting(before, after),
        }
    }

    /// What an event did, in a sentence.
    fn what(&self, ev: &Event, after: &State) -> String {
        let who = ev
            .actor
            .map(|a| self.called(a as usize).to_string())
            .unwrap_or_default();
        let res = ev
            .res
            .map(|r| self.res_label(r as usize).to_string())
            .unwrap_or_default();
        let msg = ev
            .msg
            .map(|m| self.message(m).to_string())
            .unwrap_or_default();
        let fill = || self.fill(after, ev.res.unwrap_or(0) as usize);
        match &ev.kind {
            EventKind::Sent => format!("{who} puts the {msg} into the {res} ({}).", fill()),
            EventKind::Received => format!("{who} takes the {msg} from the {res} ({}).", fill()),
            EventKind::Locked => format!("{who} locks the {res}."),
            EventKind::Unlocked => format!("{who} unlocks the {res}."),
            EventKind::Set => format!("{who} makes “{res}” true."),
            EventKind::Cleared => format!("{who} makes “{res}” false."),
            EventKind::Passed => format!("{who} finds “{res}” true and goes on."),
            EventKind::Acted { label } => format!("{who} {}.", self.string(*label)),
            EventKind::Failed => format!("{who} fails its request."),
            EventKind::Exited { reason } => {
                let p = ev
                    .actor
                    .map(|a| self.process_label(a as usize))
                    .unwrap_or("");
                format!("{who} ends the {p}: “{}”.", self.string(*reason))
            }
            EventKind::TimedOut { waited } => format!(
                "{who} gives up after waiting {} for the {res}.",
                fmt_span(*waited)
            ),
            EventKind::TimePassed { from, to, woke } => self.time_passed(*from, *to, *woke),
        }
    }

    /// The label of the process actor `a` runs in.
    fn process_label(&self, a: usize) -> &str {
        &self.processes[self.actors[a].process].label
    }

    fn time_passed(&self, from: u64, to: u64, woke: u64) -> String {
        let names: Vec<&str> = (0..self.actors.len())
            .filter(|a| woke >> a & 1 == 1)
            .map(|a| self.called(a))
            .collect();
        let woke = if names.is_empty() {
            String::new()
        } else {
            let verb = if names.len() == 1 { "wakes" } else { "wake" };
            format!(" {} {verb} up.", join_names(&names))
        };
        format!(
            "Nobody can move until a timer: time jumps {} ahead, to {}.{woke}",
            fmt_span(to - from),
            fmt_time(to)
        )
    }

    /// "X waits for ..." for each actor that became blocked between the two states.
    fn now_waiting(&self, before: &State, after: &State) -> Vec<String> {
        (0..self.actors.len())
            .filter(|&a| {
                !matches!(self.status(before, a), Status::Blocked { .. })
                    && matches!(self.status(after, a), Status::Blocked { .. })
            })
            .filter_map(|a| {
                Some(capitalise(format!(
                    "{} {}.",
                    self.called(a),
                    self.blocked_on(after, a)?
                )))
            })
            .collect()
    }

    /// A paragraph that walks the wait-for cycle of state `s`, ending with the timer that will
    /// end it (whose, when, and what its error path does) or with "none of them ever will".
    pub fn explain_cycle(&self, s: &State, cycle: &[WaitEdge]) -> String {
        let mut parts: Vec<String> = cycle.iter().map(|e| self.cycle_hop(e)).collect();
        if let Some(first) = cycle.first() {
            parts.push(format!(
                "which brings us back to {}",
                self.called(first.from as usize)
            ));
        }
        let mut text = parts.join("; ");
        match self.timer_end(s, self.wait_graph(s).deadlocked) {
            Some(t) => text.push_str(&format!(
                ". Nobody in this circle can move first: only {} will end it, at {}, {}.",
                self.timer_of(&t),
                fmt_time(t.at),
                self.timer_does(&t)
            )),
            None => {
                text.push_str(". Nobody in this circle can move first, so none of them ever will.")
            }
        }
        capitalise(text)
    }

    /// One wait of a cycle as a clause: who waits for whom, and why.
    pub fn cycle_hop(&self, e: &WaitEdge) -> String {
        format!(
            "{} waits for {} because {}",
            self.called(e.from as usize),
            self.called(e.to as usize),
            self.wait_reason(e)
        )
    }

    /// "main goroutine's one-hour timer".
    pub fn timer_of(&self, t: &TimerEnd) -> String {
        format!("{}'s {} timer", self.called(t.actor), timer_name(t.ms))
    }

    /// What the timer's error path will do, as a clause: "and it will take the Go process
    /// down", "by failing that request".
    pub fn timer_does(&self, t: &TimerEnd) -> String {
        match t.action {
            TimerAction::Exit { .. } => {
                format!("and it will take the {} down", self.process_label(t.actor))
            }
            TimerAction::Fail => "by failing that request".into(),
            TimerAction::GoOn => "by giving up the wait".into(),
        }
    }

    /// A short title and one sentence for an outcome, for the status banner.
    pub fn outcome_text(&self, s: &State, o: &Outcome) -> Headline {
        let now = fmt_time(s.now);
        match o {
            Outcome::Running => {
                let blocked = self.wait_graph(s).blocked.count_ones();
                let n = self.actors.len();
                Headline::new(
                    "Running",
                    format!(
                        "At {now}: {blocked} of {n} actors are blocked, \
                         and nothing is stuck for good yet."
                    ),
                )
            }
            Outcome::Completed => Headline::new(
                "Completed",
                format!("Every request was served; the run ended at {now}."),
            ),
            Outcome::Recovered { failed } => {
                let plural = if *failed == 1 { "" } else { "s" };
                Headline::new(
                    "Finished, with failed requests",
                    format!(
                        "Nothing hangs, but {failed} request{plural} failed; everything else \
                         was served by {now}."
                    ),
                )
            }
            Outcome::Deadlocked { cycle, .. } => self.deadlocked(s, cycle),
            Outcome::Crashed { actor, at, reason } => {
                let a = *actor as usize;
                Headline::new(
                    "Crashed by a timeout",
                    capitalise(format!(
                        "{} gave up at {} and took the {} down with it: “{}”.",
                        self.called(a),
                        fmt_time(*at),
                        self.process_label(a),
                        self.string(*reason)
                    )),
                )
            }
            Outcome::Stalled { blocked } => self.stalled(s, *blocked),
        }
    }

    fn deadlocked(&self, s: &State, cycle: &[WaitEdge]) -> Headline {
        let names: Vec<&str> = cycle.iter().map(|e| self.called(e.from as usize)).collect();
        let tail = match self.timer_end(s, self.wait_graph(s).deadlocked) {
            Some(t) => format!(
                " Only {} can end it, at {}, {}.",
                self.timer_of(&t),
                fmt_time(t.at),
                self.timer_does(&t)
            ),
            None => " No timer will ever end it.".into(),
        };
        let who = join_names(&names);
        Headline::new(
            "Deadlocked",
            format!("{who} wait for each other in a cycle.{tail}"),
        )
    }

    /// The banner for the last of `states` (a run from its initial state), told with what came
    /// before it: a process that a timer took down while it was deadlocked is told as a deadlock
    /// that the timer ended, naming the step at which the cycle closed. Any other state reads as
    /// `outcome_text` says.
    pub fn ending_text(&self, states: &[State]) -> Headline {
        let Some(s) = states.last() else {
            return self.outcome_text(&self.init(), &Outcome::Running);
        };
        let o = self.outcome(s);
        let (Outcome::Crashed { actor, at, reason }, Some(held)) =
            (&o, self.cycle_before_crash(states))
        else {
            return self.outcome_text(s, &o);
        };
        let names: Vec<&str> = held
            .cycle
            .iter()
            .map(|e| self.called(e.from as usize))
            .collect();
        let timer = held.timer.map_or("a timer".into(), |t| self.timer_of(&t));
        let title = held
            .timer
            .map_or("Deadlocked, then crashed by a timer".into(), |t| {
                format!("Deadlocked, then crashed by the {} timer", timer_name(t.ms))
            });
        Headline {
            title,
            detail: format!(
                "{} deadlocked at step {} (at {}). Nothing in the cycle could move, so at {}, \
                 {timer} fired and took the {} down: “{}”.",
                join_names(&names),
                held.step,
                fmt_time(held.at),
                fmt_time(*at),
                self.process_label(*actor as usize),
                self.string(*reason)
            ),
        }
    }

    fn stalled(&self, s: &State, blocked: u64) -> Headline {
        let names: Vec<&str> = (0..self.actors.len())
            .filter(|a| blocked >> a & 1 == 1)
            .map(|a| self.called(a))
            .collect();
        let who = join_names(&names);
        let stuck: Vec<&str> = (0..self.actors.len())
            .filter(|&a| blocked >> a & 1 == 0 && self.actors[a].daemon)
            .filter(|&a| self.blocked_on(s, a).is_some() && self.stuck_on_work(s, a))
            .map(|a| self.called(a))
            .collect();
        let also = match stuck.as_slice() {
            [] => String::new(),
            [one] => format!(" Stuck with it for good: {one}."),
            [init @ .., last] => {
                format!(" Stuck with them for good: {} and {last}.", init.join(", "))
            }
        };
        let failed = match s.failed {
            0 => String::new(),
            1 => " One request failed on the way; no process exited.".into(),
            n => format!(" {n} requests failed on the way; no process exited."),
        };
        Headline::new(
            "Stalled",
            format!(
                "{who} can never finish, though no cycle holds them: nothing will ever do what \
                 they wait for.{also}{failed}"
            ),
        )
    }

    /// Whether a blocked server loop waits in the middle of its work (holding an item it
    /// cannot pass on, or something full), not idle for new work on an empty channel.
    fn stuck_on_work(&self, s: &State, a: usize) -> bool {
        !self
            .waits(s, a)
            .iter()
            .all(|w| w.reason == Reason::ChannelEmpty && w.by == 0)
    }
}

/// An outcome for the status banner: a short title and one sentence of detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Headline {
    pub title: String,
    pub detail: String,
}

impl Headline {
    fn new(title: &str, detail: String) -> Headline {
        Headline {
            title: title.to_string(),
            detail,
        }
    }
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => capitalise(one.to_string()),
        [init @ .., last] => capitalise(format!("{} and {last}", init.join(", "))),
    }
}

/// `s` with its first letter in upper case.
pub fn capitalise(mut s: String) -> String {
    // ASCII only: `str::to_uppercase` would pull Unicode case tables into the wasm.
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

impl Config {
    /// The actor's current operation in a few words ("send → Go channel buffer").
    pub fn op_summary(&self, s: &State, a: usize) -> String {
        let r = |res: &u8| self.res_label(*res as usize).to_string();
        let timer = |t: Option<Timeout>| {
            t.map(|t| format!(" (timer {})", fmt_span(t.ms)))
                .unwrap_or_default()
        };
        match self.op(s, a) {
            Op::Send { res, msg, timeout } => {
                let m = match msg {
                    Msg::Tag(t) => self.message(*t).to_string(),
                    Msg::Last => self.message(s.actors[a].last).to_string(),
                };
                format!("send {m} → {}{}", r(res), timer(*timeout))
            }
            Op::Recv { res, timeout } => format!("receive ← {}{}", r(res), timer(*timeout)),
            Op::Select { cases } => format!(
                "select: {}",
                cases
                    .iter()
                    .map(|c| r(&c.res))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            Op::Lock { res, timeout } => format!("lock {}{}", r(res), timer(*timeout)),
            Op::Unlock { res } => format!("unlock {}", r(res)),
            Op::Set { res } => format!("set “{}”", r(res)),
            Op::Clear { res } => format!("clear “{}”", r(res)),
            Op::Await { res, timeout } => format!("wait for “{}”{}", r(res), timer(*timeout)),
            Op::Sleep { ms } => format!("busy for {}", fmt_span(*ms)),
            Op::Act { label } => self.string(*label).to_string(),
            Op::Fail => "fail the request".into(),
            Op::Exit { reason } => format!("exit: {}", self.string(*reason)),
            Op::End => "finished".into(),
            _ => String::new(),
        }
    }

    /// A status line for an actor: what it is doing or waiting on, with any timer.
    pub fn status_line(&self, s: &State, a: usize) -> String {
        match self.status(s, a) {
            Status::Done => "finished".into(),
            Status::Dead => "its process exited".into(),
            Status::Ready => "can move".into(),
            Status::Sleeping { until } => format!("busy until {}", fmt_time(until)),
            Status::Blocked { timer } => {
                let on = self.blocked_on(s, a).unwrap_or_else(|| "blocked".into());
                match timer {
                    Some(t) if t > s.now => format!("{on}; timer fires in {}", fmt_time(t - s.now)),
                    Some(_) => format!("{on}; its timer is due"),
                    None => on,
                }
            }
        }
    }

    /// Two-letter abbreviation of a message for buffer slots.
    pub fn message_short(&self, tag: u8) -> String {
        self.message(tag)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(2)
            .filter_map(|w| w.chars().next())
            .collect()
    }
}
