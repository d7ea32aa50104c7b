//! The narrative's steps as selectors. A step is `tick`, an actor id (any step of it), `id/case`
//! (that select case) or `id!` (its timer fires).
use super::instr::{Actor, How, Op, Selector};

/// Every step of the narrative, read against the compiled actors and the interned strings
/// (where select-case labels are).
pub(super) fn narrative(steps: &[String], actors: &[Actor], strings: &[String]) -> Vec<Selector> {
    steps.iter().map(|s| parse(s, actors, strings)).collect()
}

/// A step naming an actor or select case that these settings leave out never matches;
/// `run::check_narrative` insists that none is missing at the default settings.
fn parse(step: &str, actors: &[Actor], strings: &[String]) -> Selector {
    if step == "tick" {
        return Selector::Tick;
    }
    let (name, case) = match step.split_once('/') {
        Some((n, case)) => (n, Some(case)),
        None => (step.strip_suffix('!').unwrap_or(step), None),
    };
    let Some(ai) = actors.iter().position(|a| a.id == name) else {
        return Selector::Absent;
    };
    let how = match case {
        Some(case) => match case_index(&actors[ai], strings, case) {
            Some(c) => How::Case(c as u8),
            None => return Selector::Absent,
        },
        None if step.ends_with('!') => How::Timeout,
        None => How::Any,
    };
    Selector::Actor {
        actor: ai as u8,
        how,
    }
}

/// The index of the case labelled `label` in the first select of the actor's code that has one.
fn case_index(actor: &Actor, strings: &[String], label: &str) -> Option<usize> {
    let label = strings.iter().position(|x| x == label);
    actor.code.iter().find_map(|ins| match &ins.op {
        Op::Select { cases } => cases.iter().position(|c| Some(c.label as usize) == label),
        _ => None,
    })
}
