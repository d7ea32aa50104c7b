//! Guided lessons: the settings and step a chapter shows, and its question with the answer the
//! model gives (from the story run and the explorer, never from the lesson file).
use super::explore::{Fate, Hints, Reach};
use super::narrate::capitalise;
use super::run::guided_run;
use super::spec::{Ask, Chapter, Scenario, Settings};
use super::{compile, Choice, Config, Outcome};
use std::sync::Arc;

/// States the explorer may visit to answer "will this fix break the cycle?".
const LIMIT: usize = 200_000;

/// What a chapter points at, as bits by index: actors and resources of its configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lit {
    pub actors: u64,
    pub resources: u64,
}

impl Lit {
    pub fn actor(&self, a: usize) -> bool {
        self.actors >> a & 1 == 1
    }
    pub fn resource(&self, r: usize) -> bool {
        self.resources >> r & 1 == 1
    }
}

impl Config {
    /// The actors and resources named by `ids` (an id of either).
    pub fn lit(&self, ids: &[String]) -> Result<Lit, String> {
        let mut lit = Lit::default();
        for id in ids {
            match (self.actor_index(id), self.resource_index(id)) {
                (Some(a), _) => lit.actors |= 1 << a,
                (_, Some(r)) => lit.resources |= 1 << r,
                _ => return Err(format!("there is no actor or resource “{id}” to show")),
            }
        }
        Ok(lit)
    }
}

/// A question as the class sees it, with the model's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub prompt: String,
    pub options: Vec<String>,
    /// Index into `options`.
    pub answer: usize,
    /// Why that is the answer, in a sentence or two.
    pub why: String,
    /// The step that shows the answer (the next step, or where the cycle closes), if any.
    pub show: Option<usize>,
}

impl Scenario {
    /// The settings a chapter shows: the shipped ones with its switches flipped.
    pub fn chapter_settings(&self, ch: &Chapter) -> Result<Settings, String> {
        let mut st = self.default_settings();
        for id in &ch.flip {
            let i = self
                .switch_index(id)
                .ok_or_else(|| format!("there is no switch “{id}”"))?;
            st.switches[i] = !st.switches[i];
        }
        Ok(st)
    }

    /// The question of `ch`, answered by the model; `None` when the chapter asks nothing.
    pub fn question(&self, ch: &Chapter) -> Result<Option<Question>, String> {
        let Some(ask) = &ch.ask else {
            return Ok(None);
        };
        let st = self.chapter_settings(ch)?;
        let cfg = compile(self, &st).map_err(|e| e.to_string())?;
        match ask {
            Ask::NextActor {} => next_actor(&cfg, ch.at as usize),
            Ask::CycleStep {} => cycle_step(&cfg, ch.at as usize),
            Ask::FixBreaks { fix } => self.fix_breaks(&st, fix),
        }
        .map(Some)
    }

    fn fix_breaks(&self, st: &Settings, fix: &str) -> Result<Question, String> {
        let i = self
            .switch_index(fix)
            .ok_or_else(|| format!("there is no switch “{fix}”"))?;
        let label = &self.switches[i].label;
        let mut on = st.clone();
        on.switches[i] = true;
        let cfg = compile(self, &on).map_err(|e| e.to_string())?;
        // The scheduler's hints answer it: whether a deadlock is reachable from the start, and
        // how soon (one search in the wasm for both).
        let hints = Hints::build(Arc::new(cfg), LIMIT)
            .ok_or_else(|| format!("the explorer could not finish with “{label}” on"))?;
        let start = hints
            .at(&hints.config().init())
            .map(|h| h.get(Fate::Deadlock));
        let cycle = start.and_then(Reach::steps);
        let why = match cycle {
            None => format!(
                "Yes. With “{label}” on, the explorer tried every order ({} states) and none \
                 closes a wait-for cycle.",
                hints.states()
            ),
            Some(n) => format!(
                "No. Even with “{label}” on, some order closes a wait-for cycle: the explorer's \
                 shortest takes {n} steps."
            ),
        };
        Ok(Question {
            prompt: format!("Will turning on “{label}” break the cycle, whatever the order?"),
            options: vec!["Yes".into(), "No".into()],
            answer: usize::from(cycle.is_some()),
            why,
            show: None,
        })
    }
}

/// "Which actor takes the story's next step?": the actors that can move at step `at`.
fn next_actor(cfg: &Config, at: usize) -> Result<Question, String> {
    let run = guided_run(cfg);
    let Some(ev) = run.events.get(at) else {
        return Err(format!("the story has no step after step {at}"));
    };
    let who = |c: Choice| match c.actor() {
        Some(a) => capitalise(cfg.called(a as usize).to_string()),
        None => "Nobody: time passes".into(),
    };
    let mut options: Vec<String> = Vec::new();
    for c in cfg.enabled(&run.states[at]) {
        super::first_time(&mut options, who(c));
    }
    if options.len() < 2 {
        return Err(format!(
            "only one actor can move at step {at}: nothing to ask"
        ));
    }
    let right = who(ev.choice);
    let what = cfg.narrate(&run.states[at], ev, &run.states[at + 1]).what;
    Ok(Question {
        prompt: "Which actor takes the story's next step?".into(),
        answer: options.iter().position(|o| *o == right).unwrap_or(0),
        options,
        why: format!("In the story: {what}"),
        show: Some(at + 1),
    })
}

/// "At which step does the cycle close?", asked at step `at`: four consecutive step numbers after
/// it, one of them right.
fn cycle_step(cfg: &Config, at: usize) -> Result<Question, String> {
    let run = guided_run(cfg);
    let k = run
        .states
        .iter()
        .position(|s| matches!(cfg.outcome(s), Outcome::Deadlocked { .. }))
        .filter(|&k| k > at)
        .ok_or(format!(
            "the story closes no wait-for cycle after step {at}"
        ))?;
    // Where the answer sits among the four depends on the answer, so it is not always the same.
    let first = (k - k % 4).max(at + 1).min(k);
    let options = (first..first + 4).map(|n| format!("Step {n}")).collect();
    let what = cfg
        .narrate(&run.states[k - 1], &run.events[k - 1], &run.states[k])
        .what;
    Ok(Question {
        prompt: "At which step of the story does the wait-for cycle close?".into(),
        options,
        answer: k - first,
        why: format!("At step {k}: {what}"),
        show: Some(k),
    })
}

impl Scenario {
    /// Every chapter's switches exist, its step is in the story at its settings, and its question
    /// can be asked there.
    pub(super) fn check_chapters(&self) -> Result<(), super::ScenarioError> {
        for (i, ch) in self.chapters.iter().enumerate() {
            let bad = |problem: String| super::ScenarioError {
                place: format!("chapters[{i}] \"{}\"", ch.title),
                problem,
            };
            let st = self.chapter_settings(ch).map_err(bad)?;
            let cfg = compile(self, &st).map_err(|e| bad(e.to_string()))?;
            let steps = guided_run(&cfg).events.len();
            let at = ch.at as usize;
            if at > steps {
                return Err(bad(format!(
                    "step {at} is past the end of the story ({steps} steps)"
                )));
            }
            cfg.lit(&ch.show).map_err(bad)?;
            self.question(ch).map_err(bad)?;
        }
        Ok(())
    }
}
