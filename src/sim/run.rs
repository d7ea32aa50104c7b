//! Whole runs: the narrative-guided run the player shows, replays of a schedule, and the trace
//! text used in links.
use super::config::*;
use super::explore::Outcome;
use super::model::*;

/// A run: `states[0]` is the initial state and `events[i]` leads from `states[i]` to `states[i+1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub states: Vec<State>,
    pub events: Vec<Event>,
}

impl Run {
    pub fn choices(&self) -> Vec<Choice> {
        self.events.iter().map(|e| e.choice).collect()
    }
    pub fn last(&self) -> &State {
        self.states
            .last()
            .expect("a run has at least its initial state")
    }
}

/// Runs longer than this stop as "still running" (no scenario here comes near it).
pub const MAX_STEPS: usize = 5000;

fn matches(sel: Selector, c: Choice) -> bool {
    match (sel, c) {
        (Selector::Tick, Choice::Tick) => true,
        (
            Selector::Actor {
                actor,
                how: How::Any,
            },
            Choice::Step { actor: a, .. },
        ) => actor == a,
        (
            Selector::Actor {
                actor,
                how: How::Case(k),
            },
            Choice::Step { actor: a, case },
        ) => actor == a && k == case,
        (
            Selector::Actor {
                actor,
                how: How::Timeout,
            },
            Choice::Timeout { actor: a },
        ) => actor == a,
        _ => false,
    }
}

/// The run the player shows: it follows the write-up's story where the configuration allows.
/// At each step it takes the earliest remaining narrative step that is possible now (using it
/// up), and otherwise the first possible step in the model's fixed order. At the shipped
/// settings the story is possible at every step, so the run is exactly the write-up's.
pub fn guided_run(cfg: &Config) -> Run {
    let mut pending: Vec<Selector> = cfg
        .narrative
        .iter()
        .copied()
        .filter(|s| *s != Selector::Absent)
        .collect();
    let mut s = cfg.init();
    let mut run = Run {
        states: vec![s.clone()],
        events: Vec::new(),
    };
    let mut en = Vec::new();
    for _ in 0..MAX_STEPS {
        cfg.enabled_into(&s, &mut en);
        if en.is_empty() {
            break;
        }
        let pick = pending
            .iter()
            .enumerate()
            .find_map(|(k, sel)| en.iter().find(|c| matches(*sel, **c)).map(|c| (k, *c)));
        let choice = match pick {
            Some((k, c)) => {
                pending.remove(k);
                c
            }
            None => en[0],
        };
        let Ok((next, ev)) = cfg.step(&s, choice) else {
            break;
        };
        s = next;
        run.states.push(s.clone());
        run.events.push(ev);
    }
    run
}

/// Replays a schedule; the first choice that is not possible is an error naming its position.
pub fn replay(cfg: &Config, choices: &[Choice]) -> Result<Run, String> {
    let mut s = cfg.init();
    let mut run = Run {
        states: vec![s.clone()],
        events: Vec::new(),
    };
    for (i, &c) in choices.iter().enumerate() {
        let (next, ev) = cfg
            .step(&s, c)
            .map_err(|e| format!("step {}: {e}", i + 1))?;
        s = next;
        run.states.push(s.clone());
        run.events.push(ev);
    }
    Ok(run)
}

/// Checks that the narrative can be replayed exactly at these settings: every selector matches
/// exactly one possible step when its turn comes.
pub fn check_narrative(cfg: &Config) -> Result<(), String> {
    let mut s = cfg.init();
    for (i, sel) in cfg.narrative.iter().enumerate() {
        let place = format!("step {} (\"{}\")", i + 1, cfg.narrative_text[i]);
        if *sel == Selector::Absent {
            return Err(format!(
                "{place} names an actor or select case that does not exist at the default settings"
            ));
        }
        let en = cfg.enabled(&s);
        let hits: Vec<Choice> = en.iter().copied().filter(|c| matches(*sel, *c)).collect();
        let c = match hits.as_slice() {
            [c] => *c,
            [] => {
                return Err(format!(
                    "{place} is not possible at that point of the story"
                ))
            }
            _ => return Err(format!("{place} is ambiguous: name the select case")),
        };
        s = cfg.step(&s, c).map_err(|e| format!("{place}: {e}"))?.0;
    }
    Ok(())
}

/// Schedules as text for links: `3` (actor 3 steps), `3.1` (select case 1), `3!` (timer fires),
/// `t` (time jumps), separated by `-`.
pub fn trace_to_text(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| match c {
            Choice::Step { actor, case: 0 } => actor.to_string(),
            Choice::Step { actor, case } => format!("{actor}.{case}"),
            Choice::Timeout { actor } => format!("{actor}!"),
            Choice::Tick => "t".into(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

pub fn trace_from_text(text: &str) -> Result<Vec<Choice>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if text.len() > 64 * 1024 {
        return Err("the schedule is too long".into());
    }
    text.split('-')
        .enumerate()
        .map(|(i, part)| {
            let bad = || {
                format!(
                    "step {} (\"{}\") is not a step",
                    i + 1,
                    part.chars().take(12).collect::<String>()
                )
            };
            let num = |s: &str| s.parse::<u8>().map_err(|_| bad());
            if part == "t" {
                Ok(Choice::Tick)
            } else if let Some(a) = part.strip_suffix('!') {
                Ok(Choice::Timeout { actor: num(a)? })
            } else if let Some((a, c)) = part.split_once('.') {
                Ok(Choice::Step {
                    actor: num(a)?,
                    case: num(c)?,
                })
            } else {
                Ok(Choice::Step {
                    actor: num(part)?,
                    case: 0,
                })
            }
        })
        .collect()
}

/// Continues a run to its end in the model's fixed order (used after a replayed trace, so the
/// player shows what follows, e.g. the timer firing after a deadlock).
pub fn extend(cfg: &Config, run: &mut Run) {
    let mut en = Vec::new();
    while run.events.len() < MAX_STEPS {
        let s = run.last();
        cfg.enabled_into(s, &mut en);
        let Some(&c) = en.first() else { break };
        let Ok((next, ev)) = cfg.step(s, c) else {
            break;
        };
        run.states.push(next);
        run.events.push(ev);
    }
}

/// A random schedule from `seed`: at each step one of the possible choices, picked by a small
/// seeded generator (the same seed gives the same run on every machine).
pub fn random_run(cfg: &Config, seed: u64) -> Run {
    let mut rng = SplitMix(seed);
    let mut run = Run {
        states: vec![cfg.init()],
        events: Vec::new(),
    };
    let mut en = Vec::new();
    while run.events.len() < MAX_STEPS {
        let s = run.last();
        cfg.enabled_into(s, &mut en);
        if en.is_empty() {
            break;
        }
        let c = en[(rng.next() % en.len() as u64) as usize];
        let Ok((next, ev)) = cfg.step(s, c) else {
            break;
        };
        run.states.push(next);
        run.events.push(ev);
    }
    run
}

/// SplitMix64: enough randomness for picking schedules, and the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// How a batch of random schedules ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    pub runs: usize,
    /// A wait-for cycle closed at some step (whatever happened after).
    pub deadlocked: usize,
    /// The process exited, without a cycle before.
    pub crashed: usize,
    pub stalled: usize,
    /// Every request served.
    pub served: usize,
    /// Every actor finished, some requests failed by a timeout.
    pub recovered: usize,
}

/// Plays `n` random schedules from seeds `first`, `first + 1`, ... and counts how they ended.
pub fn spread(cfg: &Config, first: u64, n: usize) -> Spread {
    let mut out = Spread {
        runs: n,
        ..Spread::default()
    };
    for k in 0..n as u64 {
        let run = random_run(cfg, first.wrapping_add(k));
        let cycle = run
            .states
            .iter()
            .any(|s| matches!(cfg.outcome(s), Outcome::Deadlocked { .. }));
        let slot = match cfg.outcome(run.last()) {
            _ if cycle => &mut out.deadlocked,
            Outcome::Crashed { .. } => &mut out.crashed,
            Outcome::Stalled { .. } => &mut out.stalled,
            Outcome::Completed => &mut out.served,
            _ => &mut out.recovered,
        };
        *slot += 1;
    }
    out
}

impl Spread {
    /// Adds another batch's counts to these.
    pub fn absorb(&mut self, o: &Spread) {
        self.runs += o.runs;
        self.deadlocked += o.deadlocked;
        self.crashed += o.crashed;
        self.stalled += o.stalled;
        self.served += o.served;
        self.recovered += o.recovered;
    }
}
