//! The student as the scheduler: the steps offered at the current state, taking one (which forks
//! the run there), random schedules, and the scenario's challenges judged on the run made.
use super::{Session, Source};
use crate::sim::challenge::{self, Judgement};
use crate::sim::explore::{Hints, StateHint};
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

/// How many random schedules "try many" plays.
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
        let run = Arc::make_mut(&mut self.run);
        run.states.truncate(self.cursor + 1);
        run.events.truncate(self.cursor);
        run.states.push(next);
        run.events.push(ev);
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

    /// How `SPREAD_RUNS` random schedules from `seed` on end, at the current settings.
    pub fn spread(&self, seed: u64) -> Spread {
        run::spread(&self.cfg, seed, SPREAD_RUNS)
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
