//! Table tests for the simulation core: the fix matrix of each incident, knob tables, the
//! narrative runs, and narration/dump sanity. Expected values were checked against the
//! write-ups' logic (see the comments at each table), not only copied from the program's output.
use deadlock_lab::sim::config::Config;
use deadlock_lab::sim::graph::Reason;
use deadlock_lab::sim::model::EventKind;
use deadlock_lab::sim::run::{check_narrative, guided_run, replay, trace_to_text};
use deadlock_lab::sim::*;

const LIMIT: usize = 1_000_000;

fn incidents() -> (Scenario, Scenario) {
    let mut scs = scenarios::builtin()
        .expect("the built-in scenarios parse")
        .into_iter();
    let a = scs.next().expect("incident A");
    let b = scs.next().expect("incident B");
    assert_eq!(
        (a.id.as_str(), b.id.as_str()),
        ("grpc-shim", "template-cache")
    );
    (a, b)
}

/// The default settings with some switches and knobs changed, by name.
fn settings(sc: &Scenario, switches: &[(&str, bool)], knobs: &[(&str, i64)]) -> Settings {
    let mut st = sc.default_settings();
    for (id, v) in switches {
        st.switches[sc
            .switch_index(id)
            .unwrap_or_else(|| panic!("no switch {id}"))] = *v;
    }
    for (id, v) in knobs {
        st.knobs[sc.knob_index(id).unwrap_or_else(|| panic!("no knob {id}"))] = *v;
    }
    st
}

fn config(sc: &Scenario, st: &Settings) -> Config {
    compile(sc, st).unwrap_or_else(|e| panic!("{} {st:?} does not compile: {e}", sc.id))
}

/// Every trace an exploration reports replays to a state with the claimed outcome, and no
/// earlier state of it has that outcome (the trace is a shortest one, so it cannot pass one).
fn check_traces(cfg: &Config, e: &Exploration, what: &str) {
    for kind in Trouble::ALL {
        let Some(trace) = e.shortest(kind) else {
            continue;
        };
        let run = replay(cfg, trace).unwrap_or_else(|err| {
            panic!(
                "{what}: the {kind:?} trace {} does not replay: {err}",
                trace_to_text(trace)
            )
        });
        let last = cfg.outcome(run.last());
        assert_eq!(
            Trouble::of(&last),
            Some(kind),
            "{what}: the {kind:?} trace ends in {last:?}"
        );
        for (i, s) in run.states[..run.states.len() - 1].iter().enumerate() {
            assert_ne!(
                Trouble::of(&cfg.outcome(s)),
                Some(kind),
                "{what}: the {kind:?} trace already reaches it after {i} steps"
            );
        }
    }
    if let Some(c) = e.counterexample() {
        assert!(replay(cfg, c).is_ok(), "{what}: the counterexample replays");
    }
}

/// One expected row of a fix matrix.
struct Row {
    switches: &'static [bool],
    verdict: Verdict,
    /// Lengths of the shortest traces: permanent deadlock, timed deadlock, crash, stall.
    deadlock: Option<usize>,
    timed: Option<usize>,
    crash: Option<usize>,
    stall: Option<usize>,
    /// Whether some end state recovered (a timeout failed a request, the rest was served).
    recovered: bool,
}

const fn row(
    switches: &'static [bool],
    verdict: Verdict,
    deadlock: Option<usize>,
    timed: Option<usize>,
    crash: Option<usize>,
    recovered: bool,
) -> Row {
    Row {
        switches,
        verdict,
        deadlock,
        timed,
        crash,
        stall: None,
        recovered,
    }
}

fn check_matrix(sc: &Scenario, rows: &[Row]) {
    let knobs = sc.default_settings().knobs;
    let cells = fix_matrix(sc, &knobs, LIMIT).expect("the fix matrix compiles");
    assert_eq!(cells.len(), 1 << sc.switches.len());
    assert_eq!(rows.len(), cells.len(), "one expected row per cell");
    for (i, cell) in cells.iter().enumerate() {
        // Cell i has switch j on when bit j of i is set.
        let bits: Vec<bool> = (0..sc.switches.len()).map(|j| i >> j & 1 == 1).collect();
        assert_eq!(cell.switches, bits, "cell {i}");
        let want = rows
            .iter()
            .find(|r| r.switches == bits.as_slice())
            .unwrap_or_else(|| panic!("no expected row for {bits:?}"));
        let e = &cell.exploration;
        let what = format!("{} {bits:?}", sc.id);
        assert!(e.complete, "{what}: explored completely");
        assert_eq!(e.verdict, want.verdict, "{what}: verdict");
        assert_eq!(
            e.shortest(Trouble::Deadlock).map(<[_]>::len),
            want.deadlock,
            "{what}: permanent deadlock trace"
        );
        assert_eq!(
            e.shortest(Trouble::TimedDeadlock).map(<[_]>::len),
            want.timed,
            "{what}: timed deadlock trace"
        );
        assert_eq!(
            e.shortest(Trouble::Crash).map(<[_]>::len),
            want.crash,
            "{what}: crash trace"
        );
        assert_eq!(
            e.shortest(Trouble::Stall).map(<[_]>::len),
            want.stall,
            "{what}: stall trace"
        );
        assert_eq!(
            e.recovered_ends > 0,
            want.recovered,
            "{what}: recovered ends ({})",
            e.recovered_ends
        );
        assert!(
            e.completed_ends > 0,
            "{what}: some interleaving completes cleanly"
        );
        assert_eq!(
            e.bad_ends > 0,
            want.verdict == Verdict::Possible,
            "{what}: bad ends ({})",
            e.bad_ends
        );
        check_traces(
            &config(
                sc,
                &Settings {
                    switches: bits.clone(),
                    knobs: knobs.clone(),
                },
            ),
            e,
            &what,
        );
    }
}

use Verdict::{Possible, Safe};

#[test]
fn fix_matrix_of_incident_a() {
    let (a, _) = incidents();
    assert_eq!(
        a.switches.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["split", "timeouts"]
    );
    // Shipped: the cycle closes, and only the one-hour timer breaks it, by killing the process.
    // Splitting the goroutines removes the cycle. A short timeout leaves the cycle (a timed
    // deadlock is still reachable) but turns the crash into one failed request.
    #[rustfmt::skip]
    let rows = [
        //   [split, timeouts]  verdict   deadlock timed     crash     recovered
        row(&[false, false],    Possible, None,    Some(24), Some(30), false),
        row(&[true, false],     Safe,     None,    None,     None,     false),
        row(&[false, true],     Safe,     None,    Some(24), None,     true),
        row(&[true, true],      Safe,     None,    None,     None,     false),
    ];
    check_matrix(&a, &rows);
}

#[test]
fn fix_matrix_of_incident_b() {
    let (_, b) = incidents();
    assert_eq!(
        b.switches.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["health_gate", "skip_remove", "read_timeout", "block_reads"]
    );
    // Only the upgraded client default (reads block until initialised) with none of the three
    // fixes deadlocks for good. With the read timeout the cycle still forms but breaks, failing
    // requests. Without blocking reads the loader never waits while holding the bin lock, but a
    // request that reads a template the store has not loaded yet fails (the write-up's "good
    // case"), unless the health gate holds it until the store is initialised.
    #[rustfmt::skip]
    let rows = [
        //   [gate,  skip,  timeout, block]  verdict   deadlock timed    crash recovered
        row(&[false, false, false, false],   Safe,     None,    None,    None, true),
        row(&[true,  false, false, false],   Safe,     None,    None,    None, false),
        row(&[false, true,  false, false],   Safe,     None,    None,    None, true),
        row(&[true,  true,  false, false],   Safe,     None,    None,    None, false),
        row(&[false, false, true,  false],   Safe,     None,    None,    None, true),
        row(&[true,  false, true,  false],   Safe,     None,    None,    None, false),
        row(&[false, true,  true,  false],   Safe,     None,    None,    None, true),
        row(&[true,  true,  true,  false],   Safe,     None,    None,    None, false),
        row(&[false, false, false, true],    Possible, Some(7), None,    None, false),
        row(&[true,  false, false, true],    Safe,     None,    None,    None, false),
        row(&[false, true,  false, true],    Safe,     None,    None,    None, false),
        row(&[true,  true,  false, true],    Safe,     None,    None,    None, false),
        row(&[false, false, true,  true],    Safe,     None,    Some(7), None, true),
        row(&[true,  false, true,  true],    Safe,     None,    None,    None, false),
        row(&[false, true,  true,  true],    Safe,     None,    None,    None, false),
        row(&[true,  true,  true,  true],    Safe,     None,    None,    None, false),
    ];
    check_matrix(&b, &rows);
}

/// Knob values by name.
type Knobs = &'static [(&'static str, i64)];

fn verdict(sc: &Scenario, st: &Settings) -> Exploration {
    let cfg = config(sc, st);
    let e = explore(&cfg, LIMIT);
    assert!(e.complete, "{} {st:?}: explored completely", sc.id);
    check_traces(&cfg, &e, &format!("{} {st:?}", sc.id));
    e
}

#[test]
fn knob_table_of_incident_a() {
    let (a, _) = incidents();
    // The response travels through the Go channel (capacity), the chunk the main goroutine holds
    // while it forwards, and the one-slot client stream: capacity + 2 chunks fit before C blocks.
    // A response that fits never leaves C stuck on the channel; one chunk more can.
    for capacity in 1..=13 {
        for chunks in [1, capacity, capacity + 2] {
            let e = verdict(
                &a,
                &settings(&a, &[], &[("capacity", capacity), ("chunks", chunks)]),
            );
            assert_eq!(
                e.verdict, Safe,
                "capacity {capacity}, chunks {chunks}: the response fits"
            );
        }
        let e = verdict(
            &a,
            &settings(&a, &[], &[("capacity", capacity), ("chunks", capacity + 3)]),
        );
        assert_eq!(
            e.verdict,
            Possible,
            "capacity {capacity}, chunks {}: one chunk too many",
            capacity + 3
        );
        assert!(
            e.found(Trouble::Crash)
                && e.found(Trouble::TimedDeadlock)
                && !e.found(Trouble::Deadlock)
        );
    }
    #[rustfmt::skip]
    let table: &[(Knobs, Verdict, &str)] = &[
        (&[],                                   Possible, "the shipped settings"),
        (&[("chunks", 1)],                      Safe,     "a one-chunk response"),
        (&[("chunks", 3)],                      Safe,     "a response smaller than the pipeline"),
        (&[("capacity", 16), ("chunks", 8)],    Safe,     "a channel larger than the response"),
        (&[("capacity", 16), ("chunks", 16)],   Safe,     "a channel as large as the response"),
        (&[("read_ms", 1)],                     Safe,     "a client that keeps up"),
        (&[("read_ms", 2)],                     Safe,     "a client that nearly keeps up"),
        (&[("read_ms", 50)],                    Possible, "a sluggish client"),
        (&[("read_ms", 400)],                   Possible, "a very slow client"),
        (&[("second", 0)],                      Safe,     "no second request"),
        (&[("second", 0), ("read_ms", 400)],    Safe,     "a very slow client but no second request"),
        (&[("second", 0), ("capacity", 1), ("chunks", 16)], Safe, "the largest response but no second request"),
    ];
    for (knobs, want, why) in table {
        let e = verdict(&a, &settings(&a, &[], knobs));
        assert_eq!(e.verdict, *want, "{why} {knobs:?}");
        // Whatever the knobs, the shim only ever gets stuck until its timer: never for good.
        assert_eq!(e.shortest(Trouble::Deadlock), None, "{why}");
    }
}

#[test]
fn knob_table_of_incident_b() {
    let (_, b) = incidents();
    let lists = |name: &str| b.lists[name].clone();
    let (stored, requested) = (lists("stored"), lists("requested"));
    assert_eq!(
        (stored.clone(), requested.clone()),
        (
            vec!["Bar".to_string(), "Foo".into(), "Baz".into()],
            vec!["Foo".to_string(), "Baz".into(), "Bar".into()]
        )
    );
    // At the shipped switches (blocking reads, no fix) a request can only deadlock with the store's
    // start-up when it asks for a template the store replays: only then does the replay's remove
    // need the bin lock the request holds while it waits for the store.
    for threads in 1..=3 {
        for keys in 1..=3 {
            for items in 1..=3 {
                let asked = &requested[..(keys.min(threads)) as usize];
                let replayed = &stored[..items as usize];
                let overlap = asked.iter().any(|k| replayed.contains(k));
                let e = verdict(
                    &b,
                    &settings(
                        &b,
                        &[],
                        &[("threads", threads), ("keys", keys), ("items", items)],
                    ),
                );
                let what =
                    format!("threads {threads}, keys {keys} {asked:?}, items {items} {replayed:?}");
                assert_eq!(e.verdict, if overlap { Possible } else { Safe }, "{what}");
                assert_eq!(e.found(Trouble::Deadlock), overlap, "{what}");
                assert!(
                    !e.found(Trouble::TimedDeadlock)
                        && !e.found(Trouble::Crash)
                        && !e.found(Trouble::Stall),
                    "{what}"
                );
                if overlap {
                    // Bar is replayed first: a request for it can be caught after 3 steps (the
                    // replay announces Bar, the request arrives and locks its bin). Foo is replayed
                    // second, after Bar's 4 replay steps: 7 steps.
                    let want = if asked.contains(&"Bar".to_string()) {
                        3
                    } else {
                        7
                    };
                    assert_eq!(
                        e.shortest(Trouble::Deadlock).map(<[_]>::len),
                        Some(want),
                        "{what}"
                    );
                }
            }
        }
    }
    // The rows named in the issue, explicitly.
    #[rustfmt::skip]
    let table: &[(Knobs, Verdict, Option<usize>, &str)] = &[
        (&[],                              Possible, Some(7), "the shipped settings"),
        (&[("items", 1)],                  Safe,     None,    "the store holds only Bar, the requests ask for Foo"),
        (&[("keys", 2)],                   Possible, Some(7), "requests for Foo and Baz, the store replays Foo"),
        (&[("keys", 3)],                   Possible, Some(3), "a request for Bar, the first template replayed"),
        (&[("keys", 3), ("items", 1)],     Possible, Some(3), "only Bar is stored, and request 3 asks for it"),
        (&[("keys", 2), ("items", 1)],     Safe,     None,    "nothing requested is stored"),
        (&[("threads", 1)],                Possible, Some(7), "one request is enough"),
    ];
    for (knobs, want, len, why) in table {
        let e = verdict(&b, &settings(&b, &[], knobs));
        assert_eq!(
            (e.verdict, e.shortest(Trouble::Deadlock).map(<[_]>::len)),
            (*want, *len),
            "{why} {knobs:?}"
        );
    }
}

/// The narrative as choices: each selector matched against the enabled steps, as
/// `check_narrative` does.
fn narrative_choices(cfg: &Config) -> Vec<Choice> {
    use deadlock_lab::sim::config::{How, Selector};
    let mut s = cfg.init();
    let mut out = Vec::new();
    for (i, sel) in cfg.narrative.iter().enumerate() {
        let hits: Vec<Choice> = cfg
            .enabled(&s)
            .into_iter()
            .filter(|c| match (sel, c) {
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
            })
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "narrative step {} ({:?}) matches exactly one step",
            i + 1,
            cfg.narrative_text[i]
        );
        s = cfg
            .step(&s, hits[0])
            .expect("a narrative step is possible")
            .0;
        out.push(hits[0]);
    }
    out
}

#[test]
fn narrative_of_incident_a() {
    let (a, _) = incidents();
    let cfg = config(&a, &a.default_settings());
    check_narrative(&cfg).expect("the narrative replays at the defaults");
    let run = guided_run(&cfg);
    let story = narrative_choices(&cfg);
    assert_eq!(
        run.choices(),
        story,
        "the guided run is the write-up's story"
    );
    assert_eq!(replay(&cfg, &story).expect("the story replays"), run);

    let (main, c) = (
        cfg.actor_index("main").unwrap(),
        cfg.actor_index("c").unwrap(),
    );
    let (c_reply, gochan) = (
        cfg.resource_index("c_reply").unwrap(),
        cfg.resource_index("gochan").unwrap(),
    );
    let outcomes: Vec<Outcome> = run.states.iter().map(|s| cfg.outcome(s)).collect();
    let first = outcomes
        .iter()
        .position(|o| matches!(o, Outcome::Deadlocked { timer: Some(_), .. }))
        .expect("the run deadlocks");
    assert_eq!(
        first, 24,
        "the cycle closes with step 24 (the second request enqueued into C)"
    );
    assert!(
        outcomes[..first].iter().all(|o| *o == Outcome::Running),
        "running until then"
    );
    let Outcome::Deadlocked {
        cycle,
        timer: Some(timer),
    } = &outcomes[first]
    else {
        unreachable!()
    };
    let mut edges: Vec<_> = cycle
        .iter()
        .map(|e| (e.from as usize, e.to as usize, e.res as usize, e.reason))
        .collect();
    edges.sort_by_key(|e| (e.0, e.1));
    let mut want = vec![
        (main, c, c_reply, Reason::ChannelEmpty),
        (c, main, gochan, Reason::ChannelFull),
    ];
    want.sort_by_key(|e| (e.0, e.1));
    assert_eq!(
        edges, want,
        "main goroutine waits for C's answer; C waits for room in the Go channel"
    );
    let armed = run.states[first].now;
    assert_eq!(
        *timer,
        armed + 3_600_000,
        "the one-hour timer armed when the request was enqueued"
    );

    // The cycle holds (only the client moves) until time jumps to the timer, an hour after it
    // closed.
    let fired = run
        .events
        .iter()
        .position(|e| matches!(e.choice, Choice::Timeout { .. }))
        .expect("the timer fires");
    assert_eq!(
        run.events[fired].choice,
        Choice::Timeout { actor: main as u8 }
    );
    assert!(
        outcomes[first..=fired]
            .iter()
            .all(|o| matches!(o, Outcome::Deadlocked { .. })),
        "deadlocked until the timer fires"
    );
    assert!(
        run.states[fired].now - armed >= 3_600_000,
        "an hour of simulated time passes"
    );
    let longest_jump = run.events.iter().filter_map(|e| match e.kind {
        EventKind::TimePassed { from, to, .. } => Some(to - from),
        _ => None,
    });
    assert!(
        longest_jump.max().unwrap() >= 3_600_000 - 1_000,
        "one jump covers (nearly) the whole hour"
    );

    let last = outcomes.last().unwrap();
    let Outcome::Crashed { actor, at, reason } = last else {
        panic!("the run ends crashed, not {last:?}")
    };
    assert_eq!(*actor as usize, main);
    assert!(*at >= 3_600_000);
    assert!(
        cfg.string(*reason).contains("unknown timeout"),
        "{}",
        cfg.string(*reason)
    );
    assert!(
        cfg.enabled(run.last()).is_empty(),
        "nothing moves after the exit"
    );

    // The dump after the exit: a Go program that exits through log.Fatal prints its message and
    // no goroutine dump.
    let dump = cfg.dump_at(&run.states);
    assert!(
        dump.contains(
            "=== Go process (gRPC shim): exited at 1 h 0 min 0.2 s ===\n\
             unknown timeout: no answer from C in 1h\nexit status 1\n"
        ),
        "{dump}"
    );
    assert!(
        !dump.contains("goroutine 1 ["),
        "no goroutine dump after the exit:\n{dump}"
    );
    // Just before the timer fires (after the jump in time), a kill -QUIT would show the hour-long
    // wait of the main goroutine as a select (a receive under a timer), and the request
    // goroutine waiting for more requests since 30 ms: an hour too.
    let before = cfg.dump_at(&run.states[..=fired]);
    assert!(
        before.contains("(kill -QUIT) ===\nSIGQUIT: quit\n"),
        "{before}"
    );
    assert!(
        before.contains("goroutine 1 [select, 60 minutes]:\nshim.waitForC(...)"),
        "{before}"
    );
    assert!(
        before.contains("goroutine 18 [chan receive, 60 minutes]:"),
        "{before}"
    );
    // The request goroutine was started by main.main, which Go prints under its last frame; the
    // main goroutine's own last frame is main.main() itself, and no frame claims a source line.
    assert!(
        before.contains("shim.(*server).serveRequests(...)\ncreated by main.main in goroutine 1\n"),
        "{before}"
    );
    assert!(before.contains("\nmain.main()\n"), "{before}");
    assert!(
        before.find("goroutine 1 [") < before.find("goroutine 18 ["),
        "goroutine 1 first, as Go prints them:\n{before}"
    );
    assert!(
        !before.contains(".go") && before.matches("created by").count() == 1,
        "{before}"
    );
    // At the moment the cycle closed, nobody has waited a minute yet.
    let closed = cfg.dump_at(&run.states[..=first]);
    assert!(closed.contains("goroutine 1 [select]:"), "{closed}");
    assert!(closed.contains("goroutine 18 [chan receive]:"), "{closed}");
}

#[test]
fn b_is_one_jstack_with_the_locks_where_jstack_puts_them() {
    let (_, b) = incidents();
    let cfg = config(&b, &b.default_settings());
    let run = guided_run(&cfg);
    let dump = cfg.dump_at(&run.states);
    // One JVM, one jstack output: the store client's thread is in it with the request threads.
    assert_eq!(dump.matches("Full thread dump").count(), 1, "{dump}");
    let threads = threads_of(&dump);
    assert_eq!(threads.len(), cfg.actors.len(), "{dump}");
    let lines = |name: &str| {
        threads
            .iter()
            .find(|(h, _)| h.starts_with(&format!("\"{name}\"")))
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| panic!("{name} in the dump:\n{dump}"))
    };
    let node = "java.util.concurrent.ConcurrentHashMap$ReservationNode: bin lock of Foo";
    // Request 1 locked Foo's empty bin in computeIfAbsent: "- locked" right under that frame.
    let r1 = lines("http-nio-8080-exec-1");
    let at = r1
        .iter()
        .position(|l| l.trim() == "at java.util.concurrent.ConcurrentHashMap.computeIfAbsent")
        .expect("computeIfAbsent on request 1's stack");
    assert!(
        r1[at + 1].trim().starts_with("- locked <0x") && r1[at + 1].contains(node),
        "{r1:?}"
    );
    // The replay waits under remove's frame for the same object.
    let init = lines("kv-store-init-1");
    assert_eq!(
        init[1].trim(),
        "at java.util.concurrent.ConcurrentHashMap.remove"
    );
    assert!(init[2].trim().starts_with("- waiting to lock <0x") && init[2].contains(node));
    let object = |l: &str| l[l.find("<0x").unwrap()..l.find('>').unwrap() + 1].to_string();
    assert_eq!(object(&init[2]), object(&r1[at + 1]), "the same object");
    // A bin that holds a cached entry is locked through its node instead: the replay's remove
    // of Foo after a request (with non-blocking reads) has cached it.
    let st = settings(&b, &[("block_reads", false)], &[]);
    let cfg = config(&b, &st);
    let (foo, cached) = (
        cfg.resource_index("bin:Foo").unwrap(),
        cfg.resource_index("cached:Foo").unwrap(),
    );
    let found = reachable_state(&cfg, |s| {
        cfg.holder(s, foo).is_some() && cfg.flag(s, cached)
    });
    let s = found.expect("some interleaving locks Foo's bin while Foo is cached");
    let dump = cfg.dump(&s);
    assert!(
        dump.contains("(a java.util.concurrent.ConcurrentHashMap$Node: bin lock of Foo)"),
        "{dump}"
    );
    assert!(!dump.contains("ReservationNode: bin lock of Foo"), "{dump}");
}

/// The dump's sections, one per thread: (header line, the lines after it up to the next thread).
fn threads_of(dump: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in dump.lines() {
        if line.starts_with('"') {
            out.push((line.to_string(), Vec::new()));
        } else if line.starts_with("===") || line.is_empty() {
            continue;
        } else if let Some(last) = out.last_mut() {
            last.1.push(line.to_string());
        }
    }
    out
}

#[test]
fn narrative_of_incident_b() {
    let (_, b) = incidents();
    let cfg = config(&b, &b.default_settings());
    check_narrative(&cfg).expect("the narrative replays at the defaults");
    let run = guided_run(&cfg);
    assert_eq!(run.choices(), narrative_choices(&cfg));
    let last = run.last();
    let out = cfg.outcome(last);
    let Outcome::Deadlocked { cycle, timer: None } = &out else {
        panic!("B ends deadlocked for good, not {out:?}")
    };
    assert!(cfg.enabled(last).is_empty(), "nobody can move");
    let (init, r1) = (
        cfg.actor_index("init").unwrap(),
        cfg.actor_index("http-1").unwrap(),
    );
    let mut edges: Vec<_> = cycle
        .iter()
        .map(|e| {
            (
                e.from as usize,
                e.to as usize,
                cfg.resources[e.res as usize].id.as_str(),
                e.reason,
            )
        })
        .collect();
    edges.sort_by_key(|e| (e.0, e.1));
    assert_eq!(
        edges,
        vec![
            (init, r1, "bin:Foo", Reason::LockHeld),
            (r1, init, "initialised", Reason::FlagUnset)
        ],
        "store initialiser <-> request 1"
    );
    // Requests 2 and 3 are stuck too (on request 1's bin lock), though not part of the cycle.
    let g = cfg.wait_graph(last);
    assert_eq!(
        g.deadlocked.count_ones() as usize,
        cfg.actors.len(),
        "every thread is stuck"
    );

    let dump = cfg.dump(last);
    let threads = threads_of(&dump);
    let section = |name: &str| {
        threads
            .iter()
            .find(|(h, _)| h.starts_with(&format!("\"{name}\"")))
            .unwrap_or_else(|| panic!("{name} in the dump:\n{dump}"))
    };
    let (_, init_lines) = section("kv-store-init-1");
    assert_eq!(
        init_lines[0].trim(),
        "java.lang.Thread.State: BLOCKED (on object monitor)",
        "{dump}"
    );
    assert_eq!(
        init_lines[1].trim(),
        "at java.util.concurrent.ConcurrentHashMap.remove"
    );
    assert!(init_lines[2].contains("waiting to lock") && init_lines[2].contains("bin lock of Foo"));
    let requests: Vec<_> = (1..=3)
        .map(|n| section(&format!("http-nio-8080-exec-{n}")).1.clone())
        .collect();
    for lines in &requests {
        assert!(
            lines
                .iter()
                .any(|l| l.trim() == "at java.util.concurrent.ConcurrentHashMap.computeIfAbsent"),
            "{lines:?}"
        );
    }
    let waiting: Vec<_> = requests
        .iter()
        .filter(|l| l[0].trim() == "java.lang.Thread.State: WAITING (parking)")
        .collect();
    let blocked: Vec<_> = requests
        .iter()
        .filter(|l| l[0].trim() == "java.lang.Thread.State: BLOCKED (on object monitor)")
        .collect();
    assert_eq!(
        (waiting.len(), blocked.len()),
        (1, 2),
        "one request parked on the store, the others blocked:\n{dump}"
    );
    assert!(waiting[0]
        .iter()
        .any(|l| l.contains("parking to wait for") && l.contains("store initialised")));
    assert!(
        waiting[0]
            .iter()
            .any(|l| l.contains("- locked") && l.contains("bin lock of Foo")),
        "request 1 holds Foo's bin"
    );
    for lines in blocked {
        assert_eq!(
            lines[1].trim(),
            "at java.util.concurrent.ConcurrentHashMap.computeIfAbsent",
            "blocked at the top of computeIfAbsent"
        );
        assert!(lines[2].contains("waiting to lock") && lines[2].contains("bin lock of Foo"));
    }
}

/// Checks that hold for any state of any configuration: the dump names every thread and every
/// process, a deadlock's texts name every cycle member, and narration has no unfilled template.
fn check_texts(cfg: &Config, run: &deadlock_lab::sim::Run) {
    for (i, s) in run.states.iter().enumerate() {
        let dump = cfg.dump(s);
        let exited = |a: &deadlock_lab::sim::config::Actor| {
            s.crash
                .is_some_and(|c| cfg.actors[c.actor as usize].process == a.process)
        };
        for a in cfg.actors.iter().filter(|a| !exited(a)) {
            assert!(
                dump.contains(&a.thread),
                "the dump at step {i} lists {}:\n{dump}",
                a.thread
            );
        }
        for (p, proc_) in cfg.processes.iter().enumerate() {
            if cfg.actors.iter().any(|a| a.process == p) {
                assert!(
                    dump.contains(&proc_.label),
                    "the dump lists the process {}",
                    proc_.label
                );
            }
        }
        let o = cfg.outcome(s);
        let headline = cfg.outcome_text(s, &o);
        let (title, sentence) = (headline.title, headline.detail);
        assert!(!title.is_empty() && !sentence.is_empty());
        if let Outcome::Deadlocked { cycle, .. } = &o {
            let text = cfg.explain_cycle(s, cycle).to_lowercase();
            for e in cycle {
                let name = cfg.called(e.from as usize).to_lowercase();
                assert!(text.contains(&name), "the explanation names {name}: {text}");
                assert!(
                    sentence.to_lowercase().contains(&name),
                    "the banner names {name}: {sentence}"
                );
                assert!(
                    text.contains(&cfg.res_label(e.res as usize).to_lowercase()),
                    "the explanation names the resource"
                );
            }
        }
        if let Some(ev) = run.events.get(i) {
            let n = cfg.narrate(s, ev, &run.states[i + 1]);
            let texts = std::iter::once(&n.what)
                .chain(n.why.iter())
                .chain(n.now_waiting.iter());
            for t in texts {
                assert!(
                    !t.contains('{') && !t.contains('}') && !t.contains('$'),
                    "unfilled template in {t:?}"
                );
                assert!(t.ends_with('.'), "a sentence: {t:?}");
            }
            assert_eq!(n.why.is_some(), ev.say.is_some());
            if let Some(a) = ev.actor {
                let called = cfg.called(a as usize).to_lowercase();
                assert!(
                    n.what.to_lowercase().starts_with(&called),
                    "{:?} names its actor",
                    n.what
                );
                assert!(
                    n.what.starts_with(|c: char| c.is_uppercase()),
                    "{:?} starts a sentence",
                    n.what
                );
            }
            // Exactly the actors that became blocked with this step are announced.
            let became = (0..cfg.actors.len())
                .filter(|&a| {
                    !matches!(cfg.status(s, a), Status::Blocked { .. })
                        && matches!(cfg.status(&run.states[i + 1], a), Status::Blocked { .. })
                })
                .count();
            assert_eq!(n.now_waiting.len(), became, "{:?}", n.now_waiting);
        }
    }
}

#[test]
fn narration_and_dumps_are_consistent_with_state() {
    let (a, b) = incidents();
    for sc in [&a, &b] {
        for cell in fix_matrix(sc, &sc.default_settings().knobs, LIMIT).unwrap() {
            let cfg = config(
                sc,
                &Settings {
                    switches: cell.switches.clone(),
                    knobs: sc.default_settings().knobs,
                },
            );
            check_texts(&cfg, &guided_run(&cfg));
            for trace in [Trouble::Deadlock, Trouble::TimedDeadlock, Trouble::Crash]
                .into_iter()
                .filter_map(|t| cell.exploration.shortest(t))
            {
                check_texts(&cfg, &replay(&cfg, trace).unwrap());
            }
        }
    }
}

#[test]
fn guided_runs_end_well_exactly_when_the_fixes_say_so() {
    // The guided run follows the story as far as the settings allow; with a fix on, the story's
    // deadlock cannot happen, so the run must end without a permanent deadlock or crash.
    let (a, b) = incidents();
    for sc in [&a, &b] {
        for cell in fix_matrix(sc, &sc.default_settings().knobs, LIMIT).unwrap() {
            let cfg = config(
                sc,
                &Settings {
                    switches: cell.switches.clone(),
                    knobs: sc.default_settings().knobs,
                },
            );
            let run = guided_run(&cfg);
            let o = cfg.outcome(run.last());
            assert!(
                cfg.enabled(run.last()).is_empty(),
                "{} {:?}: the guided run goes to the end",
                sc.id,
                cell.switches
            );
            if cell.exploration.verdict == Safe {
                assert!(
                    !o.is_bad(),
                    "{} {:?}: a safe configuration's run ends {o:?}",
                    sc.id,
                    cell.switches
                );
            }
        }
    }
}

#[test]
fn builtin_scenarios_pass_their_checks() {
    // `scenarios::builtin()` skips `check` at start-up; this is where the built-in files get it.
    for (name, text) in scenarios::BUILTIN {
        let sc = Scenario::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_narrative(&config(&sc, &sc.default_settings()))
            .unwrap_or_else(|e| panic!("{name}: the narrative does not replay: {e}"));
    }
}

/// The guided run of a scenario at some settings.
fn run_at(sc: &Scenario, st: &Settings) -> (Config, deadlock_lab::sim::Run) {
    let cfg = config(sc, st);
    let run = guided_run(&cfg);
    (cfg, run)
}

/// The first state of a run whose wait-for graph has a cycle.
fn first_cycle(cfg: &Config, run: &deadlock_lab::sim::Run) -> Option<usize> {
    run.states
        .iter()
        .position(|s| cfg.wait_graph(s).has_cycle())
}

#[test]
fn a_cycle_that_a_timer_ends_is_walked_with_its_timer() {
    let (a, b) = incidents();
    // Shipped A: the main goroutine's one-hour timer ends the cycle by exiting the process.
    let (cfg, run) = run_at(&a, &a.default_settings());
    let at = first_cycle(&cfg, &run).expect("A deadlocks");
    let s = &run.states[at];
    let cycle = cfg.wait_graph(s).cycle;
    let walk = cfg.explain_cycle(s, &cycle);
    assert!(!walk.contains("none of them ever will"), "{walk}");
    assert!(
        walk.ends_with(
            "only the main goroutine's one-hour timer will end it, at 1 h 0 min 0.2 s, and it will \
             take the Go process (gRPC shim) down."
        ),
        "{walk}"
    );
    let banner = cfg.outcome_text(s, &cfg.outcome(s)).detail;
    assert!(
        banner.ends_with(
            "Only the main goroutine's one-hour timer can end it, at 1 h 0 min 0.2 s, and it will \
             take the Go process (gRPC shim) down."
        ),
        "{banner}"
    );
    // With the short timeout the cycle closes the same way; its timer fails the one request.
    let st = settings(&a, &[("timeouts", true)], &[]);
    let (cfg, run) = run_at(&a, &st);
    let at = first_cycle(&cfg, &run).expect("A with short timeouts still closes the cycle");
    let s = &run.states[at];
    let walk = cfg.explain_cycle(s, &cfg.wait_graph(s).cycle);
    assert!(
        walk.ends_with(
            "only the main goroutine's 5-second timer will end it, at 5.2 s, by failing that request."
        ),
        "{walk}"
    );
    // B with the read timeout: the request's 3-second timer fails its request.
    let st = settings(&b, &[("read_timeout", true)], &[]);
    let (cfg, run) = run_at(&b, &st);
    let at = first_cycle(&cfg, &run).expect("B with the read timeout still closes the cycle");
    let s = &run.states[at];
    let walk = cfg.explain_cycle(s, &cfg.wait_graph(s).cycle);
    assert!(
        walk.contains("3-second timer will end it, at 3.0 s, by failing that request."),
        "{walk}"
    );
    // Shipped B: no timer at all.
    let (cfg, run) = run_at(&b, &b.default_settings());
    let s = run.last();
    let walk = cfg.explain_cycle(s, &cfg.wait_graph(s).cycle);
    assert!(walk.ends_with("so none of them ever will."), "{walk}");
}

#[test]
fn a_crash_that_ended_a_deadlock_is_told_as_one() {
    let (a, _) = incidents();
    let (cfg, run) = run_at(&a, &a.default_settings());
    // The end of the story: deadlocked at step 24, then the one-hour timer took the process down.
    let end = cfg.ending_text(&run.states);
    assert_eq!(end.title, "Deadlocked, then crashed by the one-hour timer");
    assert_eq!(
        end.detail,
        "The main goroutine and the C thread deadlocked at step 24 (at 200 ms). Nothing in the \
         cycle could move, so at 1 h 0 min 0.2 s, the main goroutine's one-hour timer fired and \
         took the Go process (gRPC shim) down: “unknown timeout: no answer from C in 1h”."
    );
    // Before the crash, the banner says what the state is.
    assert_eq!(cfg.ending_text(&run.states[..25]).title, "Deadlocked");
    // The explorer's verdict and the matrix label for the shipped settings say the same.
    let cells = fix_matrix(&a, &a.default_settings().knobs, LIMIT).unwrap();
    let shipped = &cells[0];
    assert_eq!(shipped.crash_after_cycle, Some(24));
    assert_eq!(
        shipped.label(),
        (
            "possible",
            "⚠ can deadlock (step 24), then the timer kills the process (step 30)".to_string()
        )
    );
    assert!(
        shipped.sentence().contains(
            "some deadlock (the cycle closes at step 24 at the earliest) and then the timer kills \
             the process (step 30), and others finish (the shortest in"
        ),
        "{}",
        shipped.sentence()
    );
    // The fixed cells never crash, so they name no cycle step.
    for cell in &cells[1..] {
        assert_eq!(cell.crash_after_cycle, None, "{:?}", cell.switches);
    }
}

/// Every setting of a scenario's switches, with every knob at each of `values` (a knob's listed
/// values, clamped to its range; a knob with options takes each option).
fn all_settings(sc: &Scenario, values: &[i64]) -> Vec<Settings> {
    let mut out = vec![sc.default_settings()];
    for (k, knob) in sc.knobs.iter().enumerate() {
        let vals: Vec<i64> = if knob.options.is_empty() {
            let mut v: Vec<i64> = values
                .iter()
                .map(|&x| x.clamp(knob.min, knob.max))
                .collect();
            v.dedup();
            v
        } else {
            knob.options.iter().map(|o| o.value).collect()
        };
        out = out
            .into_iter()
            .flat_map(|st| {
                vals.iter().map(move |&v| {
                    let mut st = st.clone();
                    st.knobs[k] = v;
                    st
                })
            })
            .collect();
    }
    let n = sc.switches.len();
    out.into_iter()
        .flat_map(|st| {
            (0..1usize << n).map(move |bits| {
                let mut st = st.clone();
                st.switches = (0..n).map(|j| bits >> j & 1 == 1).collect();
                st
            })
        })
        .collect()
}

/// Each step's sentences in a run: (state before, "why" sentence, "what" sentence).
fn sentences(cfg: &Config, run: &deadlock_lab::sim::Run) -> Vec<(usize, Option<String>, String)> {
    run.events
        .iter()
        .enumerate()
        .map(|(i, ev)| {
            let n = cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
            (i, n.why, n.what)
        })
        .collect()
}

#[test]
fn every_sentence_of_a_holds_at_every_setting() {
    let (a, _) = incidents();
    let mut checked = 0;
    for st in all_settings(&a, &[1, 2, 3, 8, 16]) {
        let (cfg, run) = run_at(&a, &st);
        let knob = |id: &str| st.knobs[a.knob_index(id).unwrap()];
        let split = st.switches[a.switch_index("split").unwrap()];
        let reader = cfg.actor_index("client_rx").unwrap();
        for (i, why, what) in sentences(&cfg, &run) {
            let before = &run.states[i];
            let at = format!("{st:?} step {}: {why:?}", i + 1);
            let Some(why) = why else { continue };
            checked += 1;
            if why.contains("reads slowly") {
                assert!(knob("read_ms") >= 50, "{at}");
            }
            if why.contains("keeps up with the stream") {
                assert!(knob("read_ms") < 50, "{at}");
            }
            if why.contains("Before it has read the whole first response") {
                assert!(!cfg.is_done(before, reader), "{at}");
            }
            if why.contains("already read the whole first response") {
                assert!(cfg.is_done(before, reader), "{at}");
            }
            if why.contains("stream it back in") {
                assert!(
                    why.contains(&format!("in {} chunks", knob("chunks"))),
                    "{at}"
                );
                assert!(knob("chunks") >= 2, "{at}");
            }
            if why.contains("goes back to draining the channel") {
                assert!(
                    !split,
                    "{at}: with split on, the goroutine that timed out never drains"
                );
            }
            assert!(!why.contains("still streaming"), "{at}");
            assert!(why.starts_with(|c: char| c.is_uppercase()), "{at}");
            assert!(
                !what.contains("1 chunks") && !why.contains("1 chunks"),
                "{at}"
            );
        }
    }
    assert!(checked > 10_000, "{checked} sentences checked");
}

#[test]
fn every_sentence_of_b_holds_at_every_setting() {
    let (_, b) = incidents();
    let mut checked = 0;
    for st in all_settings(&b, &[1, 2, 3, 5, 8]) {
        let (cfg, run) = run_at(&b, &st);
        let initialised = cfg.resource_index("initialised").unwrap();
        for (i, why, _) in sentences(&cfg, &run) {
            let before = &run.states[i];
            let at = format!("{st:?} step {}: {why:?}", i + 1);
            let Some(why) = why else { continue };
            checked += 1;
            if why.contains("while the store is still starting up") {
                assert!(!cfg.flag(before, initialised), "{at}");
            }
            if why.contains("the store has finished starting up") {
                assert!(cfg.flag(before, initialised), "{at}");
            }
            assert!(
                !why.contains("holds the request until"),
                "{at}: said as it passes"
            );
            assert!(why.starts_with(|c: char| c.is_uppercase()), "{at}");
        }
    }
    assert!(checked > 10_000, "{checked} sentences checked");
}

#[test]
fn wording_reads_as_a_person_writes() {
    let (a, b) = incidents();
    // Generated step sentences: capitalised, articles, channel fill in words.
    let (cfg, run) = run_at(&a, &a.default_settings());
    let n = cfg.narrate(&run.states[0], &run.events[0], &run.states[1]);
    assert_eq!(
        n.what,
        "The client's send thread puts the first request (lots of data) into the gRPC request \
         queue (now 1 of 4)."
    );
    let n = cfg.narrate(&run.states[7], &run.events[7], &run.states[8]);
    assert_eq!(
        n.now_waiting,
        [
            "The main goroutine waits for anything on the hand-off channel or the Go channel \
          buffer (C → Go)."
        ]
    );
    // Knob values in words, singular for one.
    let keys = &b.knobs[b.knob_index("keys").unwrap()];
    assert_eq!(
        (keys.value_text(1), keys.value_text(3)),
        ("1 template".into(), "3 templates".into())
    );
    let threads = &b.knobs[b.knob_index("threads").unwrap()];
    assert_eq!(threads.value_text(1), "1 thread");
    // Credits.
    assert_eq!(
        a.credit.sentence(),
        format!(
            "Drawn from “Deadlock in the wild”, a developer's blog post about a Go gRPC server \
             in front of a C process. {}",
            a.credit.note
        )
    );
    assert!(b.credit.sentence().starts_with(
        "Drawn from “How (Not) To Add Deadlock To Your Critical Flow - 3 Simple \
                      Steps” by Guy Nahum, Wix Engineering."
    ));
    // The timeline's mark for the hour-long jump reads like the narration.
    let session = deadlock_lab::session::Session::new(vec![a.clone()]).unwrap();
    let jump = session
        .marks()
        .into_iter()
        .find(|m| m.kind == "jump")
        .expect("a long jump");
    assert_eq!(
        jump.label,
        "step 28: time jumps 59 min 59.6 s ahead, to 1 h 0 min 0.2 s"
    );
}

#[test]
fn actors_carry_the_write_up_names() {
    let (a, _) = incidents();
    let cfg = config(&a, &a.default_settings());
    let label = |id: &str| cfg.actor_label(cfg.actor_index(id).unwrap()).to_string();
    // The write-up's "send goroutine" only passes requests on: the request goroutine here.
    assert_eq!(label("receiver"), "request goroutine");
    assert_eq!(label("main"), "main goroutine");
    let intro = a.intro.join(" ");
    assert!(
        intro.contains("the request goroutine (the write-up's send goroutine)"),
        "{intro}"
    );
    assert!(
        intro.contains("The main goroutine (the write-up's receive/main goroutine)"),
        "{intro}"
    );
}

#[test]
fn b_tells_its_alert_and_why_one_order_deadlocks() {
    let (_, b) = incidents();
    let intro = b.intro.join(" ");
    // Point 11: the alert that started the investigation.
    for fact in [
        "Kafka consumer",
        "more than an hour",
        "starting up",
        "until the server was restarted",
    ] {
        assert!(intro.contains(fact), "{fact}: {intro}");
    }
    // Point 10: the order that matters, in the introduction and the lessons.
    assert!(
        intro.contains("locks Foo's bin before the replay reaches OnUpdate(Foo)"),
        "{intro}"
    );
    assert!(b
        .lessons
        .iter()
        .any(|l| l.contains("before the replay reaches")));
    // The explorer points at an interleaving of each kind: the shortest deadlock, and the
    // shortest that finishes, each replaying to what it claims.
    let cells = fix_matrix(&b, &b.default_settings().knobs, LIMIT).unwrap();
    let shipped = cells
        .iter()
        .find(|c| c.switches == [false, false, false, true])
        .unwrap();
    let cfg = config(
        &b,
        &Settings {
            switches: shipped.switches.clone(),
            knobs: b.default_settings().knobs,
        },
    );
    let good = shipped
        .good_end
        .as_ref()
        .expect("a good end next to the deadlock");
    let run = replay(&cfg, good).unwrap();
    assert_eq!(cfg.outcome(run.last()), Outcome::Completed);
    assert!(cfg.enabled(run.last()).is_empty());
    // In the good one, the replay passed Foo before request 1 locked Foo's bin.
    let (init, r1) = (
        cfg.actor_index("init").unwrap(),
        cfg.actor_index("http-1").unwrap(),
    );
    let foo = cfg.resource_index("bin:Foo").unwrap();
    let first_lock = |actor: usize| {
        run.events.iter().position(|e| {
            e.actor == Some(actor as u8) && e.kind == EventKind::Locked && e.res == Some(foo as u8)
        })
    };
    assert!(
        first_lock(init) < first_lock(r1),
        "the replay locked Foo's bin first"
    );
    assert_eq!(
        shipped.sentence(),
        format!(
            "Explorer: of every interleaving ({} states checked), some deadlock for good (the \
             shortest in 7 steps), and others finish (the shortest in {} steps).",
            shipped.exploration.states,
            good.len()
        )
    );
    // Cells where nothing goes wrong carry no good-end example: there is no contrast to show.
    assert!(cells
        .iter()
        .filter(|c| c.exploration.verdict == Safe)
        .all(|c| c.good_end.is_none()));
}

#[test]
fn a_labels_its_own_assumptions() {
    let (a, _) = incidents();
    let intro = a.intro.join(" ");
    assert!(
        intro.contains("this model's own, not the write-up's"),
        "{intro}"
    );
    assert!(intro.contains("answer slot") && intro.contains("5-second per-request timeout"));
    let help = |id: &str| a.switches[a.switch_index(id).unwrap()].help.clone();
    assert!(help("timeouts").starts_with("This model's assumption, not the write-up's fix"));
    assert!(help("timeouts").contains("late answer then stays in the answer slot"));
    assert!(help("split").starts_with("The write-up's fix"));
    // After a short timeout, the narration says where C's late answer goes.
    let st = settings(&a, &[("timeouts", true)], &[]);
    let (cfg, run) = run_at(&a, &st);
    let said: Vec<String> = sentences(&cfg, &run)
        .into_iter()
        .filter_map(|s| s.1)
        .collect();
    assert!(
        said.iter()
            .any(|s| s.contains("late answer will stay in the answer slot")),
        "{said:?}"
    );
    // And the model indeed leaves it there: the run ends with the answer in the slot.
    let slot = cfg.resource_index("c_reply").unwrap();
    assert_eq!(
        cfg.chan_len(run.last(), slot),
        1,
        "C's late answer waits in the slot"
    );
}

#[test]
fn b_old_default_reads_miss_during_start_up() {
    let (_, b) = incidents();
    // The shipped default of the first six months: reads that do not wait for initialisation.
    let st = settings(&b, &[("block_reads", false)], &[]);
    let (cfg, run) = run_at(&b, &st);
    let end = cfg.ending_text(&run.states);
    assert_eq!(end.title, "Finished, with failed requests");
    assert!(
        end.detail
            .starts_with("Nothing hangs, but 1 request failed"),
        "{}",
        end.detail
    );
    let said: Vec<String> = sentences(&cfg, &run)
        .into_iter()
        .filter_map(|s| s.1)
        .collect();
    assert!(
        said.iter()
            .any(|s| s.contains("has not loaded Foo yet: the read finds nothing")),
        "{said:?}"
    );
    let cells = fix_matrix(&b, &b.default_settings().knobs, LIMIT).unwrap();
    let cell = |sw: [bool; 4]| cells.iter().find(|c| c.switches == sw).unwrap();
    assert_eq!(
        cell([false, false, false, false]).label(),
        ("recovers", "✓ no hang; some requests fail".to_string())
    );
    assert!(cell([false, false, false, false])
        .sentence()
        .contains("no interleaving hangs"));
    // The health gate avoids both the hang and the failures, whichever the default.
    for block in [false, true] {
        assert_eq!(
            cell([true, false, false, block]).label(),
            ("safe", "✓ never goes wrong".to_string())
        );
    }
    // A read timeout alone still recovers from a cycle, failing requests.
    assert_eq!(
        cell([false, false, true, true]).label(),
        ("recovers", "↺ recovers; some requests fail".to_string())
    );
}

#[test]
fn b_keys_that_share_a_bin_share_its_deadlock() {
    let (_, b) = incidents();
    // Requests for Foo and Baz; the store replays Bar and Foo. Baz is never replayed.
    let knobs = [("threads", 2), ("keys", 2), ("items", 2)];
    let own = verdict(
        &b,
        &settings(&b, &[], &[("shared_bin", 0), ("threads", 1), ("keys", 2)]),
    );
    assert_eq!(
        own.verdict, Possible,
        "request 1 asks for Foo, which is replayed"
    );
    let st = settings(&b, &[], &[("shared_bin", 1), knobs[0], knobs[1], knobs[2]]);
    let cfg = config(&b, &st);
    let e = verdict(&b, &st);
    assert_eq!(e.verdict, Possible);
    // The request for Baz (request 2) closes the cycle with the replay of Foo, request 1 (Foo)
    // outside it: search the interleavings for that cycle.
    let (init, r1, r2) = (
        cfg.actor_index("init").unwrap(),
        cfg.actor_index("http-1").unwrap(),
        cfg.actor_index("http-2").unwrap(),
    );
    assert_eq!(cfg.actors[r2].label, "request thread 2 (Baz)");
    let found = reachable_state(&cfg, |s| {
        let g = cfg.wait_graph(s);
        g.in_cycle(r2) && g.in_cycle(init) && !g.in_cycle(r1)
    });
    let s = found.expect("request 2 (Baz) deadlocks with the replay of Foo");
    let g = cfg.wait_graph(&s);
    let bin = cfg.resource_index("bin:Foo").unwrap();
    assert_eq!(cfg.res_label(bin), "bin lock of Foo and Baz");
    assert!(g
        .cycle
        .iter()
        .any(|e| e.res as usize == bin && e.from as usize == init));
    // The graph's walk, the dump and the narration name the shared bin.
    let walk = cfg.explain_cycle(&s, &g.cycle);
    assert!(
        walk.contains("request thread 2 (Baz) holds the bin lock of Foo and Baz"),
        "{walk}"
    );
    let dump = cfg.dump(&s);
    assert!(
        dump.contains("- waiting to lock")
            && dump.contains("ReservationNode: bin lock of Foo and Baz"),
        "{dump}"
    );
    assert_eq!(cfg.op_summary(&s, init), "lock bin lock of Foo and Baz");
    // Without the collision, Baz's request never deadlocks: only Foo's can.
    let st = settings(&b, &[], &[("shared_bin", 0), knobs[0], knobs[1], knobs[2]]);
    let cfg = config(&b, &st);
    let r2 = cfg.actor_index("http-2").unwrap();
    assert!(
        reachable_state(&cfg, |s| cfg.wait_graph(s).in_cycle(r2)).is_none(),
        "Baz in its own bin never deadlocks"
    );
}

/// The first state found, among every state reachable from the start, for which `pred` holds.
fn reachable_state(cfg: &Config, mut pred: impl FnMut(&State) -> bool) -> Option<State> {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![cfg.init()];
    while let Some(s) = todo.pop() {
        if pred(&s) {
            return Some(s);
        }
        for c in cfg.enabled(&s) {
            let n = cfg.step(&s, c).unwrap().0;
            if seen.insert(n.clone()) {
                todo.push(n);
            }
        }
    }
    None
}

#[test]
fn a_client_that_never_reads() {
    let (a, _) = incidents();
    let read = &a.knobs[a.knob_index("read_ms").unwrap()];
    assert!(read
        .options
        .iter()
        .any(|o| o.value == 0 && o.label == "never reads"));
    let knobs = settings(&a, &[], &[("read_ms", 0)]).knobs;
    let cells = fix_matrix(&a, &knobs, LIMIT).unwrap();
    let cell = |split: bool, timeouts: bool| {
        cells
            .iter()
            .find(|c| c.switches == [split, timeouts])
            .unwrap()
    };
    // Shipped: the main goroutine is stuck forwarding to a client that never reads; the second
    // request never reaches C, so no timer runs: the process hangs for good.
    let shipped = cell(false, false);
    assert!(
        shipped.exploration.found(Trouble::Stall) && !shipped.exploration.found(Trouble::Crash)
    );
    assert_eq!(shipped.label().1, "✖ always: stall");
    // Splitting alone moves the wait: C still waits for room, so the request goroutine's timer
    // ends the process, with no cycle before it.
    let split = cell(true, false);
    assert!(split.exploration.found(Trouble::Crash));
    assert_eq!(split.crash_after_cycle, None);
    assert_eq!(split.label().1, "✖ always: crash");
    // The split and the short timeout together keep the process alive: the second request fails.
    let both = cell(true, true);
    assert!(!both.exploration.found(Trouble::Crash));
    let st = Settings {
        switches: vec![true, true],
        knobs: knobs.clone(),
    };
    let (cfg, run) = run_at(&a, &st);
    let end = cfg.ending_text(&run.states);
    assert_eq!(end.title, "Stalled");
    assert_eq!(
        end.detail,
        "The client's read thread can never finish, though no cycle holds them: nothing will \
         ever do what they wait for. Stuck with them for good: the main goroutine and the C \
         thread. One request failed on the way; no process exited."
    );
    let st = Settings {
        switches: vec![true, false],
        knobs,
    };
    let (cfg, run) = run_at(&a, &st);
    assert_eq!(cfg.ending_text(&run.states).title, "Crashed by a timeout");
    assert!(a
        .lessons
        .iter()
        .any(|l| l.contains("never reads") && l.contains("split and the short timeout together")));
    // The matrix as a whole says which combinations keep the process up.
    assert_eq!(
        verdict::matrix_summary(&cells, &a.switches),
        "No combination of these switches keeps every run out of trouble here. The process \
         stays up (something still stuck) with: all switches off; Short per-request timeout; \
         Split goroutines + Short per-request timeout. It can be taken down with: Split \
         goroutines."
    );
    // Where some combination is safe, the rows say it and the summary says nothing.
    let shipped_knobs = a.default_settings().knobs;
    let cells = fix_matrix(&a, &shipped_knobs, LIMIT).unwrap();
    assert_eq!(verdict::matrix_summary(&cells, &a.switches), "");
}
