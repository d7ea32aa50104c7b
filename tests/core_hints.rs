//! The scheduler's hints against an independent computation: on every reachable state of every
//! switch combination of both incidents at their shipped knobs, each fate's reach (never,
//! possible, certain) and fewest steps equal what a plain search of the concrete states (no
//! symmetry reduction, a different algorithm) says. Then the two walk-throughs, and the
//! random schedules and challenges built on the same run.
use deadlock_lab::session::{Session, Source};
use deadlock_lab::sim::config::Config;
use deadlock_lab::sim::explore::{Fate, Hints, Reach};
use deadlock_lab::sim::run::{random_run, spread, trace_to_text};
use deadlock_lab::sim::*;
use std::collections::HashMap;
use std::sync::Arc;

const LIMIT: usize = 2_000_000;

fn builtin() -> Vec<Scenario> {
    scenarios::builtin().expect("the built-in scenarios parse")
}

fn fate_of(o: &Outcome) -> Option<Fate> {
    match o {
        Outcome::Deadlocked { .. } => Some(Fate::Deadlock),
        Outcome::Crashed { .. } => Some(Fate::Crash),
        Outcome::Stalled { .. } => Some(Fate::Stall),
        Outcome::Completed => Some(Fate::AllServed),
        _ => None,
    }
}

/// Every reachable concrete state with its successors and its fate.
struct Graph {
    states: Vec<State>,
    succ: Vec<Vec<usize>>,
    fate: Vec<Option<Fate>>,
}

fn graph(cfg: &Config) -> Graph {
    let mut index: HashMap<State, usize> = HashMap::new();
    let mut g = Graph {
        states: vec![cfg.init()],
        succ: Vec::new(),
        fate: Vec::new(),
    };
    index.insert(cfg.init(), 0);
    let mut i = 0;
    while i < g.states.len() {
        let s = g.states[i].clone();
        g.fate.push(fate_of(&cfg.outcome(&s)));
        let mut out = Vec::new();
        for c in cfg.enabled(&s) {
            let n = cfg.step(&s, c).expect("an enabled choice steps").0;
            let next = g.states.len();
            let id = *index.entry(n.clone()).or_insert(next);
            if id == next {
                g.states.push(n);
            }
            out.push(id);
        }
        g.succ.push(out);
        i += 1;
    }
    g
}

/// Each state's reach for `f`, by fixpoint iteration over the whole graph: distances relaxed
/// until nothing changes; "can avoid" as a greatest fixpoint (start from every state without the
/// fate, drop a state with successors when none of them can avoid it).
fn expected(g: &Graph, f: Fate) -> Vec<Reach> {
    let n = g.states.len();
    let mut dist: Vec<Option<u32>> = (0..n)
        .map(|i| (g.fate[i] == Some(f)).then_some(0))
        .collect();
    let mut avoid: Vec<bool> = (0..n).map(|i| g.fate[i] != Some(f)).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..n {
            let best = g.succ[i].iter().filter_map(|&j| dist[j]).min();
            if let Some(b) = best {
                if dist[i].is_none_or(|d| d > b + 1) {
                    dist[i] = Some(b + 1);
                    changed = true;
                }
            }
            if avoid[i] && !g.succ[i].is_empty() && g.succ[i].iter().all(|&j| !avoid[j]) {
                avoid[i] = false;
                changed = true;
            }
        }
    }
    (0..n)
        .map(|i| match dist[i] {
            None => Reach::Never,
            Some(steps) if avoid[i] => Reach::Possible { steps },
            Some(steps) => Reach::Certain { steps },
        })
        .collect()
}

#[test]
fn hints_agree_with_a_plain_search_on_every_state() {
    let mut checked = 0;
    for sc in builtin() {
        for bits in 0..1usize << sc.switches.len() {
            let mut st = sc.default_settings();
            for (j, on) in st.switches.iter_mut().enumerate() {
                *on = bits >> j & 1 == 1;
            }
            let cfg = Arc::new(compile(&sc, &st).expect("compiles"));
            let hints = Hints::build(cfg.clone(), LIMIT).expect("complete within the limit");
            let g = graph(&cfg);
            let want: Vec<Vec<Reach>> = Fate::ALL.iter().map(|&f| expected(&g, f)).collect();
            for (i, s) in g.states.iter().enumerate() {
                let got = hints.at(s).expect("every reachable state has a hint");
                for (k, &f) in Fate::ALL.iter().enumerate() {
                    assert_eq!(got.get(f), want[k][i], "{} {st:?} {f:?} at {s:?}", sc.id);
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} states checked");
}

/// The session on incident `id` at its shipped settings, with hints for its configuration.
fn session(id: &str) -> (Session, Hints) {
    let mut s = Session::new(builtin()).expect("a session");
    let index = s
        .scenarios
        .iter()
        .position(|x| x.id == id)
        .expect("scenario");
    s.select(index);
    let hints = Hints::build(s.cfg.clone(), LIMIT).expect("hints");
    (s, hints)
}

fn deadlock(s: &Session, h: &Hints) -> Reach {
    s.hint(Some(h)).expect("a hint").get(Fate::Deadlock)
}

/// B at the shipped settings: replay Foo's OnUpdate before any request takes Foo's bin, and
/// the run serves everything; the hint turns to "never" exactly at the step where the deadlock
/// stops being reachable, and the explorer said beforehand which offer makes that so.
#[test]
fn b_a_student_can_avoid_the_deadlock() {
    let (mut s, h) = session("template-cache");
    assert!(matches!(deadlock(&s, &h), Reach::Possible { .. }));
    let mut ruled_out_at = None;
    for step in 0..200 {
        let offers = s.offers(Some(&h));
        if offers.is_empty() {
            break;
        }
        // Prefer an offer that keeps every request servable and rules the deadlock out.
        let pick = offers
            .iter()
            .find(|o| {
                o.hint
                    .is_some_and(|x| x.get(Fate::Deadlock) == Reach::Never)
            })
            .or_else(|| {
                offers.iter().find(|o| {
                    o.hint
                        .is_some_and(|x| x.get(Fate::AllServed) != Reach::Never)
                })
            })
            .expect("an offer that can still end well");
        let before = deadlock(&s, &h);
        assert!(s.choose(pick.choice));
        if before != Reach::Never && deadlock(&s, &h) == Reach::Never {
            ruled_out_at.get_or_insert(step + 1);
        }
    }
    assert_eq!(s.source, Source::Chosen);
    assert_eq!(s.final_outcome(), Outcome::Completed, "{:?}", s.story());
    let at = ruled_out_at.expect("the deadlock was ruled out at some step");
    let text = s.story().join(" ");
    assert!(text.contains("OnUpdate"), "{text}");
    assert!(at < s.steps(), "ruled out at {at} of {}", s.steps());
}

/// A: a schedule other than the story still deadlocks; with goroutines split, the deadlock can
/// no longer happen from the very start.
#[test]
fn a_deadlocks_in_another_order_and_split_rules_it_out() {
    let (mut s, h) = session("grpc-shim");
    let story = s.run.choices();
    let mut made = Vec::new();
    while let Some(o) = s
        .offers(Some(&h))
        .into_iter()
        .filter(|o| {
            o.hint
                .is_some_and(|x| x.get(Fate::Deadlock) != Reach::Never)
        })
        .last()
    {
        made.push(o.choice);
        assert!(s.choose(o.choice));
        if deadlock(&s, &h) == (Reach::Certain { steps: 0 }) {
            break;
        }
    }
    assert_eq!(deadlock(&s, &h), Reach::Certain { steps: 0 });
    assert_ne!(
        made,
        story[..made.len().min(story.len())],
        "the same order as the story"
    );

    let split = s.scenario().switch_index("split").expect("switch");
    s.set_switch(split, true);
    let h = Hints::build(s.cfg.clone(), LIMIT).expect("hints");
    assert_eq!(deadlock(&s, &h), Reach::Never);
}

/// Choosing at an earlier step forks: the steps before stay, the old future goes; Back keeps
/// the run, and a link carries the chosen schedule and replays it exactly.
#[test]
fn choosing_forks_the_run_and_links_replay_it() {
    let (mut s, h) = session("template-cache");
    let story = s.run.clone();
    s.seek(3);
    let offers = s.offers(Some(&h));
    let other = offers
        .iter()
        .find(|o| o.choice != story.events[3].choice)
        .expect("a second offer at step 3");
    assert!(s.choose(other.choice));
    assert_eq!(s.cursor, 4);
    assert_eq!(s.steps(), 4);
    assert_eq!(s.run.states[..4], story.states[..4]);
    assert!(s.back());
    assert_eq!(s.state(), &story.states[3]);
    assert_eq!(s.steps(), 4, "Back keeps the run made");

    let link = s.link();
    assert!(link.contains("&by=you"), "{link}");
    let mut fresh = Session::new(builtin()).unwrap();
    fresh.apply_link(&link).unwrap();
    assert_eq!(fresh.source, Source::Chosen);
    assert_eq!(*fresh.run, *s.run);
    assert_eq!(fresh.cursor, s.cursor);
    assert!(!fresh.choose(Choice::Step { actor: 99, case: 0 }));
}

#[test]
fn a_random_schedule_replays_from_its_seed() {
    let (mut s, _) = session("template-cache");
    s.play_random(7);
    let run = s.run.clone();
    assert_eq!(*run, random_run(&s.cfg, 7));
    let link = s.link();
    assert!(link.contains("&seed=7") && !link.contains("&t="), "{link}");
    let mut fresh = Session::new(builtin()).unwrap();
    fresh.apply_link(&link).unwrap();
    assert_eq!(*fresh.run, *run);
    assert_eq!(fresh.source, Source::Random { seed: 7 });
    let other = (0..20)
        .map(|k| random_run(&s.cfg, k))
        .any(|r| trace_to_text(&r.choices()) != trace_to_text(&run.choices()));
    assert!(other, "twenty seeds gave one schedule");
    assert!(fresh.apply_link("s=template-cache&seed=x").is_err());
    assert!(fresh.apply_link("s=template-cache&seed=1&t=0").is_err());
}

/// Random schedules never contradict the explorer: a fate they reach is one the hint at the start
/// calls reachable; A with split goroutines never deadlocks.
#[test]
fn the_spread_of_random_schedules_agrees_with_the_hints() {
    for id in ["template-cache", "grpc-shim"] {
        let (s, h) = session(id);
        let start = s.hint(Some(&h)).unwrap();
        let sp = spread(&s.cfg, 1, 200);
        assert_eq!(sp.runs, 200);
        let total = sp.deadlocked + sp.crashed + sp.stalled + sp.served + sp.recovered;
        assert_eq!(total, 200, "{id}: {sp:?}");
        for (count, fate) in [
            (sp.deadlocked, Fate::Deadlock),
            (sp.crashed, Fate::Crash),
            (sp.stalled, Fate::Stall),
            (sp.served, Fate::AllServed),
        ] {
            assert!(
                count == 0 || start.get(fate) != Reach::Never,
                "{id} {fate:?}: {sp:?}"
            );
        }
        assert!(sp.deadlocked > 0, "{id}: {sp:?}");
    }
    let (mut a, _) = session("grpc-shim");
    let split = a.scenario().switch_index("split").unwrap();
    a.set_switch(split, true);
    assert_eq!(spread(&a.cfg, 1, 50).deadlocked, 0);
}

#[test]
fn challenges_are_judged_on_the_run_made() {
    let (mut s, h) = session("template-cache");
    let views = s.challenges(Some(&h));
    assert!(views.len() >= 2, "B has challenges");
    assert!(
        views.iter().all(|v| !v.judgement.met),
        "nothing is met by the story"
    );
    // The explorer's shortest deadlock, chosen step by step, meets every deadlock challenge.
    let best = h.at(&s.run.states[0]).unwrap().get(Fate::Deadlock);
    let Reach::Possible { steps } = best else {
        panic!("{best:?}")
    };
    for _ in 0..steps {
        let next = s
            .offers(Some(&h))
            .into_iter()
            .find(|o| {
                let d = deadlock(&s, &h).steps().unwrap();
                o.hint.and_then(|x| x.get(Fate::Deadlock).steps()) == Some(d - 1)
            })
            .expect("an offer one step closer");
        s.choose(next.choice);
    }
    let views = s.challenges(Some(&h));
    for (v, ch) in views.iter().zip(&s.scenario().challenges) {
        let want = ch.goal != spec::Goal::AllServed;
        assert_eq!(v.judgement.met, want, "{}: {}", v.text, v.judgement.note);
    }
}
