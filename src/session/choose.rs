//! The student as the scheduler: the steps offered at the current state, taking one (which forks
//! the run there), random schedules, and the scenario's challenges judged on the run made.
use super::{Session, Source};
use crate::sim::challenge::{self, Judgement};
use crate::sim::explore::{Fate, Hints, Reach, StateHint};
use crate::sim::run::{self, Run, Spread};
use crate::sim::Choice;
use std::sync::Arc;

/// One step the student can take now.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub choice: Choice,
    /// What taking it does, in the narration's words.
    pub label: String,
    /// Where it leads, when the explorer has hints for this configuration.
    pub hint: Option<StateHint>,
}

/// A challenge of the scenario, judged on the current run.
#[derive(Clone, Debug, PartialEq)]
pub struct ChallengeView {
    pub text: String,
    pub judgement: Judgement,
}

/// How many random schedules "try 100" plays.
pub const SPREAD_RUNS: usize = 100;

impl Session {
    /// The steps possible at the current state, in the model's fixed order, each labelled by
    /// what it would do.
    pub fn offers(&self, hints: Option<&Hints>) -> Vec<Offer> {
        let (cfg, s) = (&*self.cfg, self.state());
        let hints = hints.filter(|h| Arc::ptr_eq(h.config(), &self.cfg));
        cfg.enabled(s)
            .into_iter()
            .filter_map(|choice| {
                let (next, ev) = cfg.step(s, choice).ok()?;
                Some(Offer {
                    choice,
                    label: cfg.narrate(s, &ev, &next).what,
                    hint: hints.and_then(|h| h.at(&next)),
                })
            })
            .collect()
    }

    /// The hint for the current state, when `hints` are for this configuration.
    pub fn hint(&self, hints: Option<&Hints>) -> Option<StateHint> {
        hints
            .filter(|h| Arc::ptr_eq(h.config(), &self.cfg))
            .and_then(|h| h.at(self.state()))
    }

    /// Takes `choice` from the current step: the run so far is kept up to here, the old future
    /// is dropped, and the playhead moves to the new step. False (and nothing changes) when the
    /// choice is not possible here.
    pub fn choose(&mut self, choice: Choice) -> bool {
        let Ok((next, ev)) = self.cfg.step(self.state(), choice) else {
            return false;
        };
        // A new Arc, never one changed in place: views know a new run by its identity.
        let mut run = Run {
            states: self.run.states[..=self.cursor].to_vec(),
            events: self.run.events[..self.cursor].to_vec(),
        };
        run.states.push(next);
        run.events.push(ev);
        self.run = Arc::new(run);
        self.cursor += 1;
        self.source = Source::Chosen;
        self.notice = None;
        true
    }

    /// Replaces the run with a random schedule from `seed`, the playhead at its start.
    pub fn play_random(&mut self, seed: u64) {
        self.run = Arc::new(run::random_run(&self.cfg, seed));
        self.source = Source::Random { seed };
        self.cursor = 0;
        self.notice = None;
    }

    /// How `n` random schedules from `seed` on end, at the current settings.
    pub fn spread(&self, seed: u64, n: usize) -> Spread {
        run::spread(&self.cfg, seed, n)
    }

    /// The scenario's challenges, judged on the current run when it is one the student chose.
    pub fn challenges(&self, hints: Option<&Hints>) -> Vec<ChallengeView> {
        let shipped = self.settings == self.scenario().default_settings();
        let start = hints
            .filter(|h| Arc::ptr_eq(h.config(), &self.cfg))
            .and_then(|h| h.at(&self.run.states[0]));
        let empty = Run {
            states: vec![self.run.states[0].clone()],
            events: Vec::new(),
        };
        let run = if self.source == Source::Chosen {
            &*self.run
        } else {
            &empty
        };
        self.scenario()
            .challenges
            .iter()
            .map(|ch| ChallengeView {
                text: ch.text.clone(),
                judgement: challenge::judge(&self.cfg, ch, run, shipped, start),
            })
            .collect()
    }
}

/// What each fate is called in a hint.
fn fate_name(f: Fate) -> &'static str {
    match f {
        Fate::Deadlock => "A deadlock",
        Fate::Crash => "A crash",
        Fate::Stall => "A stall",
        Fate::AllServed => "Every request served",
    }
}

/// One fate's reach in words: "A deadlock: still possible, 3 steps away at the fewest."
fn reach_text(f: Fate, r: Reach) -> String {
    let name = fate_name(f);
    match r {
        Reach::Never => format!("{name}: cannot happen from here."),
        Reach::Certain { steps: 0 } => format!("{name}: yes, now."),
        Reach::Certain { steps } => format!("{name}: certain, {steps} steps away at the fewest."),
        Reach::Possible { steps } => {
            format!("{name}: still possible, {steps} steps away at the fewest.")
        }
    }
}

/// The explorer's hint for a state, one sentence per fate.
pub fn hint_text(h: StateHint) -> Vec<String> {
    Fate::ALL.iter().map(|&f| reach_text(f, h.get(f))).collect()
}

impl Offer {
    /// What taking this step changes, when it changes something a student is after: a fate
    /// that becomes certain or impossible (`now` is the hint for the current state).
    pub fn mark(&self, now: Option<StateHint>) -> Option<String> {
        let (now, next) = (now?, self.hint?);
        let names = ["deadlock", "crash", "stall", "serving every request"];
        Fate::ALL.iter().find_map(|&f| {
            let name = names[f as usize];
            match (now.get(f), next.get(f)) {
                (Reach::Certain { .. }, _) | (Reach::Never, _) => None,
                (_, Reach::Certain { steps }) if f == Fate::AllServed => {
                    Some(format!("every request will be served ({steps} steps)"))
                }
                (_, Reach::Certain { .. }) => Some(format!("makes the {name} certain")),
                (_, Reach::Never) if f == Fate::AllServed => {
                    Some("no order can serve every request after this".into())
                }
                (_, Reach::Never) => Some(format!("rules the {name} out")),
                _ => None,
            }
        })
    }
}

impl Spread {
    /// The batch in a sentence.
    pub fn sentence(&self) -> String {
        let parts = [
            (self.deadlocked, "closed a wait-for cycle"),
            (self.crashed, "crashed"),
            (self.stalled, "stalled"),
            (self.served, "served every request"),
            (self.recovered, "finished with failed requests"),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        format!("Of {} random schedules: {}.", self.runs, said.join(", "))
    }
}
