//! Judging a scenario's challenges against a run the student made, beside what the explorer
//! says is possible.
use super::explore::{Fate, Outcome, StateHint};
use super::run::Run;
use super::spec::{Challenge, Goal};
use super::Config;

/// Where one challenge stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub met: bool,
    /// What the run did and what the explorer's best is, in a sentence.
    pub note: String,
}

/// Judges `ch` on `run` (a schedule the student chose, at settings that are the shipped ones when
/// `shipped`); `start` is the hint for the initial state, when the explorer has one.
pub fn judge(
    cfg: &Config,
    ch: &Challenge,
    run: &Run,
    shipped: bool,
    start: Option<StateHint>,
) -> Judgement {
    let closed = run
        .states
        .iter()
        .position(|s| matches!(cfg.outcome(s), Outcome::Deadlocked { .. }));
    let served = cfg.outcome(run.last()) == Outcome::Completed;
    let best = |f: Fate| start.and_then(|h| h.get(f).steps());
    let counts = shipped || !ch.shipped;
    let (met, did) = match ch.goal {
        Goal::Deadlock => (closed.is_some(), cycle_note(closed)),
        Goal::FewestDeadlock => {
            let fewest = closed.zip(best(Fate::Deadlock));
            (
                fewest.is_some_and(|(c, b)| c <= b as usize),
                cycle_note(closed),
            )
        }
        Goal::AllServed => {
            let did = if served {
                "Your run served every request."
            } else {
                "Your run has not served every request yet."
            };
            (served, did.to_string())
        }
    };
    let explorer = match (ch.goal, start) {
        (_, None) => String::new(),
        (Goal::AllServed, Some(_)) => match best(Fate::AllServed) {
            Some(n) => format!(" The explorer's shortest such run takes {n} steps."),
            None => " The explorer says no order can do it at these settings.".into(),
        },
        (_, Some(_)) => match best(Fate::Deadlock) {
            Some(n) => format!(" The explorer's shortest way to a deadlock takes {n} steps."),
            None => " The explorer says no order can deadlock at these settings.".into(),
        },
    };
    let unshipped = if counts {
        ""
    } else {
        " It only counts at the shipped settings."
    };
    Judgement {
        met: met && counts,
        note: format!("{did}{explorer}{unshipped}"),
    }
}

fn cycle_note(closed: Option<usize>) -> String {
    match closed {
        Some(step) => format!("Your run closed a wait-for cycle at step {step}."),
        None => "Your run has not closed a wait-for cycle yet.".into(),
    }
}
