//! Which actors are interchangeable: the symmetry the explorer quotients by.
//!
//! Two actors are interchangeable when swapping them (their local states, which locks they hold,
//! which of them crashed) maps every state to one with the same futures, up to the same swap. The
//! step function reads an actor's identity only through its code, its process (a crash kills
//! its whole process), whether it is a daemon, and the holder bytes of locks. So replicas of one
//! scenario actor, in one process, whose compiled code behaves the same instruction by
//! instruction are interchangeable; what only narrates (act labels, `say`, stack frames, names)
//! may differ. Replicas that touch different resources (a different template's lock) compile to
//! different code and stay apart: permuting resources along would also need every other actor's
//! code to be invariant under that permutation, which the built-in scenarios never are.
use super::instr::{Actor, Case, Op, Timeout};

/// Sets every actor's `class`: the index of the first actor interchangeable with it. `specs[i]`
/// is the index of the scenario actor that actor `i` is a replica of.
pub(super) fn classes(actors: &mut [Actor], specs: &[usize]) {
    for i in 0..actors.len() {
        let first = (0..i).find(|&j| {
            actors[j].class as usize == j && specs[j] == specs[i] && same(&actors[j], &actors[i])
        });
        actors[i].class = first.unwrap_or(i) as u8;
    }
}

/// Whether two actors behave the same: same process, daemon or not, and the same code once what
/// only narrates is left out.
fn same(a: &Actor, b: &Actor) -> bool {
    a.process == b.process
        && a.daemon == b.daemon
        && a.code.len() == b.code.len()
        && a.code
            .iter()
            .zip(&b.code)
            .all(|(x, y)| behaviour(&x.op) == behaviour(&y.op))
}

/// An operation without its narration: act labels, the timers' and the cases' `say` and labels.
fn behaviour(op: &Op) -> Op {
    let quiet = |t: &Option<Timeout>| t.map(|t| Timeout { say: None, ..t });
    match op {
        Op::Act { .. } => Op::Act { label: 0 },
        Op::Send { res, msg, timeout } => Op::Send {
            res: *res,
            msg: *msg,
            timeout: quiet(timeout),
        },
        Op::Recv { res, timeout } => Op::Recv {
            res: *res,
            timeout: quiet(timeout),
        },
        Op::Lock { res, timeout } => Op::Lock {
            res: *res,
            timeout: quiet(timeout),
        },
        Op::Await { res, timeout } => Op::Await {
            res: *res,
            timeout: quiet(timeout),
        },
        Op::Select { cases } => Op::Select {
            cases: cases
                .iter()
                .map(|c| Case {
                    label: 0,
                    say: None,
                    ..*c
                })
                .collect(),
        },
        op => op.clone(),
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::spec::Settings;

    fn classes(threads: i64, keys: i64) -> Vec<u8> {
        let b = &crate::sim::scenarios::builtin().expect("built-in scenarios")[1];
        let mut st: Settings = b.default_settings();
        st.knobs[b.knob_index("threads").expect("threads")] = threads;
        st.knobs[b.knob_index("keys").expect("keys")] = keys;
        let cfg = crate::sim::compile(b, &st).expect("compiles");
        cfg.actors.iter().map(|a| a.class).collect()
    }

    #[test]
    fn request_threads_for_the_same_template_are_interchangeable() {
        // Actor 0 is the store's initialiser; threads 1.. ask for Foo, Baz, Bar, Foo, ...
        assert_eq!(classes(4, 1), [0, 1, 1, 1, 1]);
        assert_eq!(classes(8, 3), [0, 1, 2, 3, 1, 2, 3, 1, 2]);
        assert_eq!(classes(2, 2), [0, 1, 2]);
    }

    #[test]
    fn actors_of_different_specs_stay_apart() {
        let a = &crate::sim::scenarios::builtin().expect("built-in scenarios")[0];
        let cfg = crate::sim::compile(a, &a.default_settings()).expect("compiles");
        for (i, actor) in cfg.actors.iter().enumerate() {
            assert_eq!(actor.class as usize, i, "{}", actor.id);
        }
    }
}
