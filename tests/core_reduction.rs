//! The reduced explorer (symmetry, partial-order reduction, and both) against the plain one: the
//! same verdict and kinds of trouble on every built-in configuration the plain explorer finishes
//! in test time and on random small scenarios with replicated actors; traces that replay to the
//! same kind and are no shorter than the plain explorer's shortest (equal when they say they are
//! shortest); and the explorer in slices, with a budget that pauses it.
use deadlock_lab::sim::config::Config;
use deadlock_lab::sim::explore::{explore_with, Exploring, Phase, Reduction};
use deadlock_lab::sim::run::replay;
use deadlock_lab::sim::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

const LIMIT: usize = 2_000_000;

const REDUCED: [Reduction; 3] = [
    Reduction::SYMMETRY,
    Reduction {
        symmetry: false,
        partial_order: true,
    },
    Reduction::FULL,
];

/// Checks every reduction against the plain explorer on `cfg`; returns (plain, fully reduced)
/// stored states.
fn agree(cfg: &Config, what: &str) -> Result<(usize, usize), String> {
    let plain = explore(cfg, LIMIT);
    if !plain.complete {
        return Err(format!("{what}: the plain explorer did not finish"));
    }
    let mut full = 0;
    for r in REDUCED {
        let e = explore_with(cfg, LIMIT, r);
        let what = format!("{what} {r:?}");
        check(cfg, &plain, &e, &what)?;
        if r == Reduction::FULL {
            full = e.states;
        }
    }
    Ok((plain.states, full))
}

fn check(cfg: &Config, plain: &Exploration, e: &Exploration, what: &str) -> Result<(), String> {
    let fail = |m: String| Err(format!("{what}: {m}"));
    if !e.complete || e.states > plain.states {
        return fail(format!("{} states vs plain {}", e.states, plain.states));
    }
    if e.verdict != plain.verdict {
        return fail(format!(
            "verdict {:?} vs plain {:?}",
            e.verdict, plain.verdict
        ));
    }
    // Recovered ends decide "recovers" against "never goes wrong" in the matrix.
    if (e.recovered_ends > 0) != (plain.recovered_ends > 0) {
        return fail("recovered ends differ".into());
    }
    for kind in Trouble::ALL {
        let (p, r) = (plain.shortest(kind), e.shortest(kind));
        let (Some(p), Some(r)) = (p, r) else {
            if p.is_some() != r.is_some() {
                return fail(format!("{kind:?} found by one explorer only"));
            }
            continue;
        };
        let run = replay(cfg, r).map_err(|err| format!("{what}: {kind:?} trace: {err}"))?;
        if Trouble::of(&cfg.outcome(run.last())) != Some(kind) {
            return fail(format!("the {kind:?} trace ends elsewhere"));
        }
        let shortest = e.findings.iter().any(|f| f.trouble == kind && f.shortest);
        if r.len() < p.len() || (shortest && r.len() != p.len()) {
            return fail(format!(
                "{kind:?} trace of {} steps (shortest: {shortest}) vs plain {}",
                r.len(),
                p.len()
            ));
        }
    }
    Ok(())
}

fn builtin() -> Vec<Scenario> {
    scenarios::builtin().expect("built-in scenarios")
}

fn each_cell(sc: &Scenario, knobs: &[i64], mut f: impl FnMut(&Config, String)) {
    for bits in 0..1usize << sc.switches.len() {
        let st = Settings {
            switches: (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect(),
            knobs: knobs.to_vec(),
        };
        let cfg = compile(sc, &st).expect("compiles");
        f(&cfg, format!("{} {st:?}", sc.id));
    }
}

#[test]
fn reduced_agrees_with_plain_on_incident_a() {
    let a = &builtin()[0];
    let mut cells = 0;
    for capacity in 1..=16 {
        for chunks in 1..=16 {
            for read_ms in [1, 50, 200] {
                for second in [0, 1] {
                    each_cell(a, &[capacity, chunks, read_ms, second], |cfg, what| {
                        agree(cfg, &what).unwrap();
                        cells += 1;
                    });
                }
            }
        }
    }
    assert_eq!(cells, 16 * 16 * 3 * 2 * 4);
}

#[test]
fn reduced_agrees_with_plain_on_incident_b() {
    let b = &builtin()[1];
    let (mut plain, mut reduced, mut cells) = (0, 0, 0);
    for threads in 1..=4 {
        for keys in 1..=3 {
            for items in 1..=3 {
                for shared_bin in [0, 1] {
                    each_cell(b, &[threads, keys, items, shared_bin], |cfg, what| {
                        let (p, r) = agree(cfg, &what).unwrap();
                        (plain, reduced, cells) = (plain + p, reduced + r, cells + 1);
                    });
                }
            }
        }
    }
    // Five threads at one template, every switch combination.
    each_cell(b, &[5, 1, 3, 0], |cfg, what| {
        let (p, r) = agree(cfg, &what).unwrap();
        (plain, reduced, cells) = (plain + p, reduced + r, cells + 1);
    });
    println!("B: {cells} cells, {plain} states plain, {reduced} reduced");
    assert_eq!(cells, 4 * 3 * 3 * 2 * 16 + 16);
    assert!(reduced * 4 < plain, "the reductions store far fewer states");
}

#[test]
fn the_largest_matrix_of_incident_b_is_decided() {
    let b = &builtin()[1];
    let max: Vec<i64> = b.knobs.iter().map(|k| k.max).collect();
    let cells = explore::fix_matrix_with(b, &max, 200_000, Reduction::FULL).expect("matrix");
    for c in &cells {
        assert!(c.exploration.complete, "{:?}", c.switches);
    }
    // At any size, blocking reads with no other fix deadlock, and a health gate is safe.
    assert_eq!(cells[8].exploration.verdict, Verdict::Possible);
    assert!(cells[8].exploration.found(Trouble::Deadlock));
    assert_eq!(cells[9].exploration.verdict, Verdict::Safe);
}

/// The matrix in slices shares one search between switch combinations that compile alike (at
/// B's maxima, the read timeout changes nothing while reads do not block): every cell must still
/// equal its own search in one go.
#[test]
fn the_matrix_in_slices_equals_each_cell_explored_alone() {
    let (a, b) = (&builtin()[0], &builtin()[1]);
    let max: Vec<i64> = b.knobs.iter().map(|k| k.max).collect();
    let cases = [
        (a, a.default_settings().knobs),
        (b, b.default_settings().knobs),
        (b, vec![4, 3, 1, 0]),
        (b, max),
    ];
    for (sc, knobs) in cases {
        let mut m = explore::MatrixSearch::new(sc, &knobs, LIMIT, Reduction::FULL).unwrap();
        while m.run(1000, 0) {}
        let alone = explore::fix_matrix_with(sc, &knobs, LIMIT, Reduction::FULL).unwrap();
        assert_eq!(m.cells(), alone, "{} at {knobs:?}", sc.id);
    }
}

#[test]
fn an_exploration_in_slices_is_the_same_as_in_one_go() {
    let b = &builtin()[1];
    let mut st = b.default_settings();
    st.knobs = vec![6, 2, 3, 0];
    let cfg = Arc::new(compile(b, &st).expect("compiles"));
    let whole = explore_with(&cfg, LIMIT, Reduction::FULL);
    let mut ex = Exploring::new(cfg.clone(), LIMIT, Reduction::FULL);
    let mut slices = 0;
    let mut last = 0;
    while ex.run(1).phase == Phase::Running {
        let p = ex.progress();
        assert!(p.states >= last, "states only grow");
        last = p.states;
        slices += 1;
    }
    assert!(slices > 10, "{slices} slices");
    assert_eq!(ex.result(), whole);
    assert_eq!(ex.finish(), whole);
}

#[test]
fn a_budget_pauses_the_search_and_says_what_was_proven() {
    let b = &builtin()[1];
    let mut st = b.default_settings();
    st.switches = vec![false, false, false, false];
    st.knobs = vec![8, 3, 3, 0];
    let cfg = Arc::new(compile(b, &st).expect("compiles"));
    let whole = explore_with(&cfg, LIMIT, Reduction::FULL);
    let mut ex = Exploring::new(cfg, 500, Reduction::FULL);
    let p = ex.run(usize::MAX);
    assert_eq!(p.phase, Phase::AtBudget);
    assert!(p.states >= 500 && p.depth > 0, "{p:?}");
    let partial = ex.result();
    assert!(!partial.complete);
    assert_eq!(partial.verdict, Verdict::Unknown, "nothing bad found yet");
    assert_eq!(partial.depth, p.depth);
    // Still at the budget: running again does nothing.
    assert_eq!(ex.run(1000), p);
    ex.raise_budget(LIMIT);
    while ex.run(5000).phase == Phase::Running {}
    assert_eq!(ex.result(), whole);
    assert_eq!(whole.verdict, Verdict::Safe);
}

/// A random small scenario: two or three actor specs, each replicated up to three times, over
/// two locks, a channel and a flag (set, cleared, awaited and branched on), with timeouts whose
/// error paths fail, finish or exit.
fn scenario(specs: &[(u8, bool, Vec<(u8, u8, u8)>)]) -> Value {
    let res = ["L0", "L1"];
    let op = |&(kind, which, t): &(u8, u8, u8)| -> Value {
        let lock = res[which as usize % 2];
        let timeout = match t % 4 {
            0 | 1 => Value::Null,
            // The error path fails the request only while the flag is clear.
            2 => json!({"ms": 5 + t as i64, "then": [
                {"if_flag": {"flag": "F", "else": [{"fail": {}}]}},
                {"finish": {}},
            ]}),
            _ => json!({"ms": 7, "then": [{"exit": {"reason": "gave up"}}]}),
        };
        let timed = |mut v: Value, key: &str| {
            if !timeout.is_null() {
                v[key]["timeout"] = timeout.clone();
            }
            v
        };
        match kind % 12 {
            0 => json!({"act": {"label": "works"}}),
            1 => timed(json!({"lock": {"lock": lock}}), "lock"),
            2 => json!({"unlock": {"lock": lock}}),
            3 => timed(json!({"send": {"to": "C", "msg": "m"}}), "send"),
            4 => timed(json!({"recv": {"from": "C"}}), "recv"),
            5 => json!({"set": {"flag": "F"}}),
            6 => timed(json!({"await": {"flag": "F"}}), "await"),
            7 => json!({"sleep": {"ms": 3 + which as i64}}),
            8 => json!({"fail": {}}),
            9 => json!({"repeat": {"times": 2, "body": [{"act": {"label": "again"}}]}}),
            // A branch on the flag (what makes the order of a set and a test matter).
            10 => json!({"if_flag": {"flag": "F", "then": [{"act": {"label": "sees F"}}],
                "else": [{"fail": {}}]}}),
            _ => json!({"clear": {"flag": "F"}}),
        }
    };
    let actors: Vec<Value> = specs
        .iter()
        .enumerate()
        .map(|(i, (count, daemon, ops))| {
            json!({
                "id": format!("a{i}-{{n}}"), "label": "worker {n}", "process": "p",
                "daemon": daemon,
                "replicate": {"count": 1 + *count as i64 % 3},
                "program": ops.iter().map(op).collect::<Vec<_>>(),
            })
        })
        .collect();
    let resources = json!([
        {"id": "L0", "kind": "lock", "label": "L0"},
        {"id": "L1", "kind": "lock", "label": "L1"},
        {"id": "C", "kind": "channel", "label": "C", "capacity": 1},
        {"id": "F", "kind": "flag", "label": "F"},
    ]);
    one_process(resources, json!(actors))
}

/// A scenario with no story: these resources and actors in one Go process.
fn one_process(resources: Value, actors: Value) -> Value {
    json!({
        "id": "test", "tag": "T", "title": "test", "summary": "", "intro": [],
        "credit": {"title": "", "author": "", "note": ""},
        "processes": [{"id": "p", "label": "p", "kind": "go"}],
        "resources": resources,
        "actors": actors,
        "narrative": [],
    })
}

/// A time-out races a step that decides its error path: the waiter's timer and the setter's
/// sleep end at the same moment, and the waiter fails its request only if it times out before
/// the flag is set. A persistent set that holds both actors must keep the time-out with the
/// step, or only the order that sets the flag first is explored.
#[test]
fn a_time_out_racing_a_step_keeps_both_orders() {
    let flags = json!([
        {"id": "F", "kind": "flag", "label": "F"},
        {"id": "G", "kind": "flag", "label": "G"},
        {"id": "K", "kind": "flag", "label": "K"},
    ]);
    let actors = json!([
        {"id": "waiter", "label": "waiter", "process": "p", "program": [
            {"await": {"flag": "G", "timeout": {"ms": 5, "then": [
                {"if_flag": {"flag": "F", "else": [{"fail": {}}]}},
                {"finish": {}},
            ]}}},
        ]},
        {"id": "setter", "label": "setter", "process": "p", "program": [
            {"sleep": {"ms": 5}},
            {"set": {"flag": "F"}},
        ]},
        // Independent of both, so that a set holding them leaves a choice out.
        {"id": "other", "label": "other", "process": "p", "program": [
            {"sleep": {"ms": 5}},
            {"set": {"flag": "K"}},
        ]},
    ]);
    let text = one_process(flags, actors).to_string();
    let sc = Scenario::parse_json(&text).expect("parses");
    let cfg = compile(&sc, &sc.default_settings()).expect("compiles");
    let plain = explore(&cfg, LIMIT);
    assert!(
        plain.recovered_ends > 0 && plain.completed_ends > 0,
        "both orders end differently"
    );
    agree(&cfg, "race").unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn reduced_agrees_with_plain_on_random_scenarios(
        specs in prop::collection::vec(
            (any::<u8>(), any::<bool>(), prop::collection::vec((0u8..12, 0u8..2, 0u8..8), 1..6)),
            2..4,
        ),
    ) {
        let text = scenario(&specs).to_string();
        let sc = Scenario::parse_json(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let cfg = compile(&sc, &sc.default_settings());
        prop_assume!(cfg.is_ok());
        let cfg = cfg.unwrap();
        let plain = explore(&cfg, 200_000);
        prop_assume!(plain.complete);
        agree(&cfg, &text).map_err(TestCaseError::fail)?;
    }
}
