//! The per-step projection: everything the views need for one step, computed once per step.
use super::Session;
use crate::sim::config::ResKind;
use crate::sim::explore::Outcome;
use crate::sim::lesson::Lit;
pub use crate::sim::narrate::Headline;
use crate::sim::narrate::{capitalise, Narration};
use crate::sim::{Config, Event, State, Status, WaitGraph};

/// How an actor looks in a frame (also its CSS class).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Ready,
    Sleeping,
    Blocked,
    Deadlocked,
    Done,
    Dead,
}

impl Look {
    pub fn class(self) -> &'static str {
        match self {
            Look::Ready => "ready",
            Look::Sleeping => "sleeping",
            Look::Blocked => "blocked",
            Look::Deadlocked => "deadlocked",
            Look::Done => "done",
            Look::Dead => "dead",
        }
    }
    /// A symbol that says the same as the colour, for people who cannot tell colours apart.
    pub fn icon(self) -> &'static str {
        match self {
            Look::Ready => "▶",
            Look::Sleeping => "◔",
            Look::Blocked => "‖",
            Look::Deadlocked => "⟳",
            Look::Done => "✓",
            Look::Dead => "✖",
        }
    }
}

/// One actor at this step.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorView {
    pub look: Look,
    /// Part of the wait-for cycle.
    pub in_cycle: bool,
    /// What it is doing or waiting for, in a line.
    pub status: String,
    /// The operation it is at.
    pub op: String,
}

/// One message in a channel.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelItem {
    /// The tag drawn in the channel's slot.
    pub short: String,
    /// The message's full name, for the slot's tooltip.
    pub full: String,
}

/// Everything the views need for one step, computed once per step from the session.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub step: usize,
    pub steps: usize,
    /// Simulated time at this step.
    pub now: u64,
    pub actors: Vec<ActorView>,
    /// Channel contents per resource; empty for locks and flags.
    pub items: Vec<Vec<ChannelItem>>,
    /// Who holds each lock; `None` for a free lock and for other resources.
    pub holders: Vec<Option<usize>>,
    /// Each resource's flag value (false for resources that are not flags).
    pub flags: Vec<bool>,
    /// Actors waiting on each resource.
    pub waiters: Vec<Vec<usize>>,
    pub graph: WaitGraph,
    /// The event that led here (none at the start).
    pub event: Option<Event>,
    pub narration: Option<Narration>,
    pub outcome: Outcome,
    pub headline: Headline,
    /// The wait-for cycle in words, when there is one.
    pub cycle_text: Option<String>,
    /// Each wait of `graph.cycle` as a sentence, in the same order (for walking it one at a time).
    pub cycle_hops: Vec<String>,
    /// What the open chapter points at in both drawings.
    pub lit: Lit,
    /// How the whole run ends.
    pub final_outcome: Outcome,
    pub final_headline: Headline,
}

impl Session {
    /// The thread dump of the current step. Not part of [`Frame`]: its panel is built after the
    /// first paint, so start-up does not run (nor, in the browser, compile) the dump code.
    pub fn dump(&self) -> String {
        self.cfg
            .dump_at(&self.run.states[..=self.cursor.min(self.steps())])
    }

    pub fn frame(&self) -> Frame {
        let (cfg, s) = (&*self.cfg, self.state());
        let graph = cfg.wait_graph(s);
        let outcome = cfg.outcome(s);
        let final_outcome = self.final_outcome();
        let event = self.event().cloned();
        let narration = match (self.prev_state(), &event) {
            (Some(p), Some(e)) => Some(cfg.narrate(p, e, s)),
            _ => None,
        };
        Frame {
            step: self.cursor,
            steps: self.steps(),
            now: s.now,
            actors: actor_views(cfg, s, &graph),
            items: channel_items(cfg, s),
            holders: lock_holders(cfg, s),
            flags: (0..cfg.resources.len()).map(|r| cfg.flag(s, r)).collect(),
            waiters: waiters(cfg, s),
            headline: self.headline_at(self.cursor),
            cycle_text: (!graph.cycle.is_empty()).then(|| cfg.explain_cycle(s, &graph.cycle)),
            cycle_hops: graph
                .cycle
                .iter()
                .map(|e| capitalise(cfg.cycle_hop(e)) + ".")
                .collect(),
            final_headline: self.headline_at(self.steps()),
            lit: self.lit(),
            graph,
            event,
            narration,
            outcome,
            final_outcome,
        }
    }
}

impl Session {
    /// What the open chapter points at; nothing when the settings on screen leave it out.
    fn lit(&self) -> Lit {
        let Some(l) = &self.lesson else {
            return Lit::default();
        };
        let ch = &self.scenario().chapters[l.chapter];
        self.cfg.lit(&ch.show).unwrap_or_default()
    }

    /// The banner at step `step` of the run, told with the steps before it (a crash that ended
    /// a deadlock names the step at which the cycle closed).
    fn headline_at(&self, step: usize) -> Headline {
        let states = &self.run.states[..=step.min(self.steps())];
        self.cfg.ending_text(states)
    }
}

fn actor_views(cfg: &Config, s: &State, graph: &WaitGraph) -> Vec<ActorView> {
    (0..cfg.actors.len())
        .map(|a| ActorView {
            look: look(cfg.status(s, a), graph.deadlocked >> a & 1 == 1),
            in_cycle: graph.in_cycle(a),
            status: cfg.status_line(s, a),
            op: cfg.op_summary(s, a),
        })
        .collect()
}

fn look(status: Status, deadlocked: bool) -> Look {
    match status {
        Status::Done => Look::Done,
        Status::Dead => Look::Dead,
        Status::Ready => Look::Ready,
        Status::Sleeping { .. } => Look::Sleeping,
        Status::Blocked { .. } if deadlocked => Look::Deadlocked,
        Status::Blocked { .. } => Look::Blocked,
    }
}

fn channel_items(cfg: &Config, s: &State) -> Vec<Vec<ChannelItem>> {
    (0..cfg.resources.len())
        .map(|r| match cfg.resources[r].kind {
            ResKind::Channel { .. } => cfg
                .chan_items(s, r)
                .iter()
                .map(|&t| ChannelItem {
                    short: cfg.message_short(t),
                    full: cfg.message(t).to_string(),
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn lock_holders(cfg: &Config, s: &State) -> Vec<Option<usize>> {
    (0..cfg.resources.len())
        .map(|r| {
            if cfg.resources[r].kind == ResKind::Lock {
                cfg.holder(s, r)
            } else {
                None
            }
        })
        .collect()
}

fn waiters(cfg: &Config, s: &State) -> Vec<Vec<usize>> {
    let mut waiters = vec![Vec::new(); cfg.resources.len()];
    for a in 0..cfg.actors.len() {
        for w in cfg.waits(s, a) {
            waiters[w.res as usize].push(a);
        }
    }
    waiters
}
