//! Property tests over random schedules, for every switch combination of both incidents at a
//! few knob values: determinism, replay, trace text, the wait-for graph, and the soundness of
//! deadlock detection (a cycle's members never move again unless a timer fires).
use deadlock_lab::sim::config::Config;
use deadlock_lab::sim::run::{replay, trace_from_text, trace_to_text};
use deadlock_lab::sim::*;
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::{HashSet, VecDeque};
use std::sync::OnceLock;

/// Longest random schedule.
const MAX_STEPS: usize = 80;
/// Bound on the states explored from a deadlocked state in the soundness check.
const SOUNDNESS_LIMIT: usize = 20_000;

/// Every configuration under test: all switch combinations at the default knobs and at two other
/// knob settings per incident.
fn configs() -> &'static [Config] {
    static CONFIGS: OnceLock<Vec<Config>> = OnceLock::new();
    CONFIGS.get_or_init(|| {
        let scs = scenarios::builtin().expect("built-in scenarios");
        let knob_sets: [&[(&str, i64)]; 6] = [
            // A: [capacity, chunks, read_ms, second]
            &[],
            &[("capacity", 1), ("chunks", 5), ("read_ms", 50)],
            &[
                ("capacity", 3),
                ("chunks", 4),
                ("read_ms", 1),
                ("second", 0),
            ],
            // B: [threads, keys, items]
            &[],
            &[("threads", 2), ("keys", 3), ("items", 3)],
            &[("threads", 4), ("keys", 2), ("items", 1)],
        ];
        let mut out = Vec::new();
        for (i, sc) in scs.iter().enumerate() {
            for knobs in &knob_sets[i * 3..i * 3 + 3] {
                let mut st = sc.default_settings();
                for (id, v) in *knobs {
                    st.knobs[sc.knob_index(id).expect("knob")] = *v;
                }
                for bits in 0..1usize << sc.switches.len() {
                    st.switches = (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect();
                    out.push(compile(sc, &st).expect("compiles"));
                }
            }
        }
        assert_eq!(out.len(), 3 * 4 + 3 * 16);
        out
    })
}

/// Every choice a test could make up for a state: all of them, including impossible ones.
fn universe(cfg: &Config) -> Vec<Choice> {
    let n = cfg.actors.len() as u8 + 2;
    let mut out = vec![Choice::Tick];
    for actor in 0..n {
        out.push(Choice::Timeout { actor });
        for case in 0..3 {
            out.push(Choice::Step { actor, case });
        }
    }
    out.push(Choice::Step {
        actor: u8::MAX,
        case: u8::MAX,
    });
    out.push(Choice::Timeout { actor: u8::MAX });
    out
}

/// From a state whose deadlocked set is `members`, explores every state reachable without a
/// member's timer firing (and, in `strict` mode, without any timer or time jump at all) and
/// fails if a member could ever step. Returns how many states were explored.
fn check_soundness(
    cfg: &Config,
    from: &State,
    members: u64,
    strict: bool,
    limit: usize,
) -> Result<usize, TestCaseError> {
    let mut seen = HashSet::from([from.clone()]);
    let mut queue = VecDeque::from([from.clone()]);
    while let Some(s) = queue.pop_front() {
        for c in cfg.enabled(&s) {
            match c {
                Choice::Step { actor, .. } => prop_assert!(
                    members >> actor & 1 == 0,
                    "deadlocked actor {actor} can step in {s:?}\nfrom {from:?}"
                ),
                Choice::Timeout { actor } if members >> actor & 1 == 1 => continue,
                Choice::Timeout { .. } | Choice::Tick if strict => continue,
                _ => {}
            }
            let (n, _) = cfg
                .step(&s, c)
                .map_err(|e| TestCaseError::fail(format!("an enabled choice fails: {e}")))?;
            // Still deadlocked, with the same members or more.
            let d = cfg.wait_graph(&n).deadlocked;
            prop_assert!(
                n.crash.is_some() || d & members == members,
                "the deadlocked set shrank from {members:b} to {d:b}"
            );
            if seen.len() < limit && seen.insert(n.clone()) {
                queue.push_back(n);
            }
        }
    }
    Ok(seen.len())
}

/// The properties of one state.
fn check_state(cfg: &Config, s: &State) -> Result<(), TestCaseError> {
    // Enabled choices: deterministic, in the documented order, each one succeeds, all others fail.
    let en = cfg.enabled(s);
    prop_assert_eq!(&en, &cfg.enabled(&s.clone()));
    let mut into = vec![Choice::Tick; 3];
    cfg.enabled_into(s, &mut into);
    prop_assert_eq!(&en, &into);
    // Actors in declaration order; for each, its select cases in order, then a due timeout.
    let order: Vec<(u8, u8, u8)> = en
        .iter()
        .filter_map(|c| match *c {
            Choice::Step { actor, case } => Some((actor, 0, case)),
            Choice::Timeout { actor } => Some((actor, 1, 0)),
            Choice::Tick => None,
        })
        .collect();
    prop_assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "enabled order: {:?}",
        en
    );
    prop_assert!(
        !en.contains(&Choice::Tick) || en == [Choice::Tick],
        "time jumps only when nothing else can happen"
    );
    for c in universe(cfg) {
        let r = cfg.step(s, c);
        prop_assert_eq!(r.is_ok(), en.contains(&c), "step {:?} in {:?}", c, s);
        // Stepping is deterministic.
        prop_assert_eq!(&r, &cfg.step(s, c));
    }

    // The wait-for graph: a cycle exactly when the deadlocked set is non-empty, made of edges of
    // the graph between deadlocked actors, closed, and visiting each actor once.
    let g = cfg.wait_graph(s);
    prop_assert_eq!(g.has_cycle(), g.deadlocked != 0);
    prop_assert_eq!(
        g.deadlocked & !g.blocked,
        0,
        "only blocked actors are deadlocked"
    );
    for (k, e) in g.cycle.iter().enumerate() {
        prop_assert!(
            g.edges.contains(e),
            "cycle edge {:?} is an edge of the graph",
            e
        );
        prop_assert!(
            g.deadlocked >> e.from & 1 == 1 && g.deadlocked >> e.to & 1 == 1,
            "cycle edge {:?} joins deadlocked actors",
            e
        );
        prop_assert_eq!(
            e.to,
            g.cycle[(k + 1) % g.cycle.len()].from,
            "the cycle is closed"
        );
    }
    let froms: HashSet<u8> = g.cycle.iter().map(|e| e.from).collect();
    prop_assert_eq!(froms.len(), g.cycle.len(), "a simple cycle");
    for e in &g.edges {
        prop_assert!(g.blocked >> e.from & 1 == 1, "edges leave blocked actors");
    }
    for a in 0..cfg.actors.len() {
        let blocked = matches!(cfg.status(s, a), Status::Blocked { .. });
        prop_assert_eq!(g.blocked >> a & 1 == 1, blocked, "actor {} blocked", a);
        if blocked {
            prop_assert!(
                !en.iter()
                    .any(|c| matches!(c, Choice::Step { actor, .. } if *actor as usize == a)),
                "blocked actor {} cannot step",
                a
            );
        }
    }

    // Outcomes agree with the graph and the enabled choices.
    let o = cfg.outcome(s);
    prop_assert_eq!(&o, &cfg.outcome(s));
    if en.is_empty() {
        prop_assert!(o != Outcome::Running, "nobody can move, yet running");
    }
    match &o {
        Outcome::Deadlocked { cycle, timer } => {
            prop_assert_eq!(cycle, &g.cycle);
            let timers = (0..cfg.actors.len())
                .filter(|&a| g.deadlocked >> a & 1 == 1)
                .filter_map(|a| match cfg.status(s, a) {
                    Status::Blocked { timer } => timer,
                    _ => None,
                });
            prop_assert_eq!(*timer, timers.min());
        }
        Outcome::Running => prop_assert!(!en.is_empty() && !g.has_cycle()),
        Outcome::Crashed { .. } => prop_assert!(s.crash.is_some() && en.is_empty()),
        _ => prop_assert!(en.is_empty() && !g.has_cycle()),
    }
    Ok(())
}

/// Counts states checked for soundness, to make sure the property is exercised.
static SOUNDNESS_CHECKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_schedules(which in 0..60usize, picks in vec(any::<u32>(), 0..MAX_STEPS)) {
        let cfg = &configs()[which];
        let mut s = cfg.init();
        let mut trace = Vec::new();
        let mut states = vec![s.clone()];
        let mut sound_checked = 0;
        for pick in picks {
            check_state(cfg, &s)?;
            let g = cfg.wait_graph(&s);
            if g.has_cycle() && sound_checked < 2 {
                check_soundness(cfg, &s, g.deadlocked, true, SOUNDNESS_LIMIT)?;
                check_soundness(cfg, &s, g.deadlocked, false, SOUNDNESS_LIMIT / 4)?;
                sound_checked += 1;
                SOUNDNESS_CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let en = cfg.enabled(&s);
            if en.is_empty() {
                break;
            }
            let c = en[pick as usize % en.len()];
            let (n, ev) = cfg.step(&s, c).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ev.choice, c);
            // Time moves only with a jump, and only forward.
            match c {
                Choice::Tick => prop_assert!(n.now > s.now),
                _ => prop_assert_eq!(n.now, s.now),
            }
            trace.push(c);
            states.push(n.clone());
            s = n;
        }
        check_state(cfg, &s)?;

        // Replaying the schedule reaches the same states; its text round-trips.
        let run = replay(cfg, &trace).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&run.states, &states);
        prop_assert_eq!(run.choices(), trace.clone());
        let text = trace_to_text(&trace);
        prop_assert_eq!(trace_from_text(&text).map_err(TestCaseError::fail)?, trace.clone());
        if !trace.is_empty() {
            // A schedule cut short replays to the corresponding prefix.
            let half = trace.len() / 2;
            let prefix = replay(cfg, &trace[..half]).map_err(TestCaseError::fail)?;
            prop_assert_eq!(prefix.last(), &states[half]);
        }
    }
}

#[test]
fn soundness_was_exercised_on_every_deadlocking_configuration() {
    // Deterministic companion to the random test: for every configuration whose explorer finds a
    // cycle, check soundness at the first deadlocked state of each trace it reports.
    let mut checked = 0;
    for cfg in configs() {
        let e = explore(cfg, 1_000_000);
        for trace in [Trouble::Deadlock, Trouble::TimedDeadlock]
            .into_iter()
            .filter_map(|t| e.shortest(t))
        {
            let run = replay(cfg, trace).expect("replays");
            let s = run.last();
            let g = cfg.wait_graph(s);
            assert!(g.has_cycle());
            check_soundness(cfg, s, g.deadlocked, true, SOUNDNESS_LIMIT).unwrap();
            check_soundness(cfg, s, g.deadlocked, false, SOUNDNESS_LIMIT).unwrap();
            checked += 1;
        }
    }
    // A: the shipped switches and the short timeout, at two knob sets each; B: blocking reads with
    // and without the read timeout, at two knob sets each (the third asks for nothing stored).
    assert_eq!(checked, 8, "deadlocked states checked");
    println!(
        "soundness checked at {checked} explorer deadlocks, {} random ones",
        SOUNDNESS_CHECKS.load(std::sync::atomic::Ordering::Relaxed)
    );
}

#[test]
fn trace_text_round_trips_for_arbitrary_choices() {
    let config = ProptestConfig {
        cases: 500,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(raw in vec((0u8..3, any::<u8>(), any::<u8>()), 0..40))| {
        let trace: Vec<Choice> = raw.iter().map(|&(k, a, c)| match k {
            0 => Choice::Step { actor: a, case: c },
            1 => Choice::Timeout { actor: a },
            _ => Choice::Tick,
        }).collect();
        let text = trace_to_text(&trace);
        prop_assert_eq!(trace_from_text(&text).map_err(TestCaseError::fail)?, trace);
    });
}
