//! Malformed scenario files and schedules give errors that name the place and the problem, and
//! never a panic: hand-written cases, then random mutations of the built-in files.
use deadlock_lab::sim::run::{replay, trace_from_text};
use deadlock_lab::sim::scenarios::BUILTIN;
use deadlock_lab::sim::*;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use serde_json::{json, Value};
use std::cell::Cell;

fn builtin_json(i: usize) -> Value {
    serde_json::from_str(BUILTIN[i].1).expect("the built-in file is JSON")
}

/// Applies `edit` to built-in scenario `i` (0 = A, 1 = B), writes it back as pretty JSON and
/// parses it: must fail, with `place` and `problem` containing the given texts.
fn expect_error(i: usize, edit: impl FnOnce(&mut Value), place: &str, problem: &str) {
    let mut v = builtin_json(i);
    edit(&mut v);
    let text = serde_json::to_string_pretty(&v).unwrap();
    expect_text_error(&text, place, problem);
}

fn expect_text_error(text: &str, place: &str, problem: &str) {
    match Scenario::from_json(text) {
        Ok(_) => panic!("accepted; expected {place:?}: {problem:?}"),
        Err(e) => {
            assert!(
                e.place.contains(place),
                "place {:?} should contain {place:?} (problem {:?})",
                e.place,
                e.problem
            );
            assert!(
                e.problem.contains(problem),
                "problem {:?} should contain {problem:?} (at {:?})",
                e.problem,
                e.place
            );
            assert!(!e.problem.trim().is_empty());
            assert_eq!(e.to_string(), format!("{}: {}", e.place, e.problem));
        }
    }
}

/// A scenario without the hash of the text it was read from (which serde_json does not set).
fn content(mut sc: Scenario) -> Scenario {
    sc.hash = 0;
    sc
}

#[test]
fn the_builtin_files_are_accepted() {
    for (i, (name, text)) in BUILTIN.iter().enumerate() {
        let sc = Scenario::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            sc.hash,
            Scenario::hash_of(text),
            "{name}: the hash is of the text read"
        );
        // A round trip through the edit helpers' pretty printing changes nothing but the hash.
        let again =
            Scenario::from_json(&serde_json::to_string_pretty(&builtin_json(i)).unwrap()).unwrap();
        assert_eq!(content(sc.clone()), content(again));
        // The wasm embeds the file without its layout (build.rs): the same scenario, fewer bytes.
        let small = minify::minify(text);
        assert!(small.len() < text.len() * 9 / 10, "{name}: layout dropped");
        assert_eq!(
            content(Scenario::from_json(&small).unwrap()),
            content(sc),
            "{name}"
        );
    }
}

#[test]
fn invalid_json_names_line_and_column() {
    let text = BUILTIN[0].1;
    let cut = &text[..text.len() / 2];
    match Scenario::from_json(cut) {
        Err(e) => {
            assert!(
                e.place.starts_with("line ") && e.place.contains(", column "),
                "{e}"
            );
            assert!(e.problem.contains("EOF"), "{e}");
        }
        Ok(_) => panic!("half a file accepted"),
    }
    // A syntax error on a known line.
    let broken = text.replacen("\"tag\": \"A\"", "\"tag\" \"A\"", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"tag\" \"A\""))
        .unwrap()
        + 1;
    expect_text_error(&broken, &format!("line {line}, column "), "expected `:`");
    expect_text_error("", "line 1, column 0", "EOF");
    expect_text_error(
        "[]",
        "line 1",
        "invalid type: sequence, expected struct Scenario",
    );
    expect_text_error(
        "{\"id\": 5}",
        "line 1",
        "invalid type: integer `5`, expected a string",
    );
    // The problem text does not repeat the position.
    let e = Scenario::from_json("{,}").unwrap_err();
    assert!(!e.problem.contains(" at line "), "{e}");
}

#[test]
fn unknown_fields_and_operations() {
    expect_error(
        0,
        |v| v["colour"] = json!("red"),
        "line ",
        "unknown field `colour`",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][0]["send"]["colour"] = json!(1),
        "line ",
        "unknown field `colour`",
    );
    expect_error(
        0,
        |v| v["resources"][0]["colour"] = json!(1),
        "line ",
        "unknown field `colour`",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][0] = json!({"teleport": {"to": "requests"}}),
        "line ",
        "unknown variant `teleport`",
    );
    expect_error(
        0,
        |v| v["resources"][0]["kind"] = json!("semaphore"),
        "line ",
        "unknown variant `semaphore`",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][0] = json!({"send": {"msg": "big"}}),
        "line ",
        "missing field `to`",
    );
    expect_error(
        0,
        |v| v["actors"][0]["label"] = json!(["a"]),
        "line ",
        "invalid type",
    );
    // Enums have no default: a missing kind or goal is an error, as in serde's derived readers.
    expect_error(
        0,
        |v| {
            v["resources"][0].as_object_mut().unwrap().remove("kind");
        },
        "line ",
        "missing field `kind`",
    );
    expect_error(
        0,
        |v| {
            v["challenges"][0].as_object_mut().unwrap().remove("goal");
        },
        "line ",
        "missing field `goal`",
    );
    expect_error(
        0,
        |v| v["switches"][0]["fix"] = json!(null),
        "line ",
        "invalid type: null, expected a boolean",
    );
}

#[test]
fn unknown_names() {
    let client = "actors[0] \"client_tx\" program[0].send";
    expect_error(
        0,
        |v| v["actors"][0]["program"][0]["send"]["to"] = json!("nowhere"),
        client,
        "\"nowhere\" names no resource",
    );
    expect_error(
        0,
        |v| v["actors"][0]["process"] = json!("mars"),
        "actors[0] \"client_tx\"",
        "\"mars\" names no process",
    );
    expect_error(
        0,
        |v| v["resources"][0]["process"] = json!("mars"),
        "resources[0] \"requests\"",
        "\"mars\" names no process",
    );
    expect_error(
        0,
        |v| v["resources"][4]["capacity"] = json!("$nope"),
        "resources[4] \"gochan\"",
        "\"$nope\" names no knob",
    );
    expect_error(
        0,
        |v| v["actors"][1]["program"][0]["if"]["else"][0]["repeat"]["times"] = json!("$nope"),
        "actors[1] \"client_rx\" program[0].if.else[0].repeat",
        "\"$nope\" names no knob",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][1]["if"]["cond"] = json!("!nothing"),
        "actors[0] \"client_tx\" program[1].if",
        "condition \"!nothing\" names no switch or knob",
    );
    expect_error(
        0,
        |v| v["resources"][1]["when"] = json!("nothing"),
        "resources[1] \"handoff\"",
        "condition \"nothing\" names no switch or knob",
    );
    expect_error(
        1,
        |v| v["resources"][0]["for_each"]["in"] = json!("nolist"),
        "resources[0] \"bin:{key}\"",
        "\"nolist\" names no list",
    );
    expect_error(
        1,
        |v| v["actors"][0]["program"][0]["call"]["body"][0]["for_each"]["in"] = json!("nolist"),
        "actors[0] \"init\" program[0].call.body[0].for_each",
        "\"nolist\" names no list",
    );
    expect_error(
        1,
        |v| v["actors"][1]["replicate"]["vars"]["key"]["from"] = json!("nolist"),
        "actors[1] \"http-{n}\"",
        "\"nolist\" names no list",
    );
    expect_error(
        1,
        |v| v["lists"]["requested"] = json!([]),
        "actors[1] \"http-{n}\"",
        "list \"requested\" is empty",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][0]["send"]["say"] = json!("no-such-key"),
        "actors[0] \"client_tx\"",
        "say key \"no-such-key\" has no narration text",
    );
    expect_error(
        0,
        |v| v["narrative"][0] = json!("nobody"),
        "narrative",
        "step 1 (\"nobody\") names an actor or select case that does not exist at the default \
         settings",
    );
    // A select case that does not exist: reported the same way (the step can never match).
    expect_error(
        0,
        |v| v["narrative"][3] = json!("main/nocase"),
        "narrative",
        "step 4 (\"main/nocase\")",
    );
}

#[test]
fn wrong_kinds_and_bad_numbers() {
    let client = "actors[0] \"client_tx\" program[0]";
    expect_error(
        0,
        |v| v["actors"][0]["program"][0] = json!({"lock": {"lock": "requests"}}),
        client,
        "\"requests\" is not a lock",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][0] = json!({"await": {"flag": "requests"}}),
        client,
        "\"requests\" is not a flag",
    );
    expect_error(
        1,
        |v| {
            v["actors"][0]["program"][0]["call"]["body"][1] =
                json!({"send": {"to": "initialised", "msg": "x"}})
        },
        "actors[0] \"init\" program[0].call.body[1].send",
        "\"initialised\" is not a channel",
    );
    for cap in [0, -1, 65] {
        expect_error(
            0,
            |v| v["resources"][0]["capacity"] = json!(cap),
            "resources[0] \"requests\"",
            &format!("capacity must be 1..=64, got {cap}"),
        );
    }
    expect_error(
        0,
        |v| {
            v["resources"][0]
                .as_object_mut()
                .unwrap()
                .remove("capacity");
        },
        "resources[0] \"requests\"",
        "a channel needs a capacity",
    );
    // The knob's value reaches the capacity too.
    expect_error(
        0,
        |v| {
            v["knobs"][0]["min"] = json!(0);
            v["knobs"][0]["default"] = json!(0);
        },
        "resources[4] \"gochan\"",
        "capacity must be 1..=64, got 0",
    );
    expect_error(
        0,
        |v| v["knobs"][0]["min"] = json!(10),
        "knobs[0] \"capacity\"",
        "needs min <= default <= max (got 10 <= 2 <= 16)",
    );
    expect_error(
        0,
        |v| v["knobs"][0]["max"] = json!(0),
        "knobs[0] \"capacity\"",
        "needs min <= default <= max",
    );
    expect_error(
        0,
        |v| v["knobs"][2]["options"][0]["value"] = json!(1000),
        "knobs[2] \"read_ms\"",
        "option 1000 is outside min..max",
    );
    let timeout = "actors[2] \"receiver\"";
    expect_error(
        0,
        |v| v["actors"][0]["program"][0]["send"]["timeout"] = json!({"ms": 0}),
        "actors[0] \"client_tx\" program[0].send",
        "a timeout must be positive",
    );
    expect_error(
        0,
        |v| {
            v["actors"][1]["program"][0]["if"]["else"][0]["repeat"]["body"][0]["sleep"]["ms"] =
                json!(-5)
        },
        "actors[1] \"client_rx\" program[0].if.else[0].repeat.body[0].sleep",
        "sleep needs ms >= 0",
    );
    expect_error(
        0,
        |v| v["actors"][1]["program"][0]["if"]["else"][0]["repeat"]["times"] = json!(-1),
        "actors[1] \"client_rx\" program[0].if.else[0].repeat",
        "repeat needs 0 <= times <= 65535",
    );
    expect_error(
        0,
        |v| v["actors"][1]["program"][0]["if"]["else"][0]["repeat"]["times"] = json!(70000),
        "actors[1] \"client_rx\" program[0].if.else[0].repeat",
        "repeat needs 0 <= times <= 65535",
    );
    expect_error(
        0,
        |v| v["actors"][2]["program"] = json!([{"select": {"cases": []}}]),
        timeout,
        "a select needs at least one case",
    );
    let nest = json!([{"repeat": {"times": 1, "body": [
        {"repeat": {"times": 1, "body": [
            {"repeat": {"times": 1, "body": [
                {"repeat": {"times": 1, "body": [{"fail": {}}]}}
            ]}}
        ]}}
    ]}}]);
    expect_error(
        0,
        |v| v["actors"][2]["program"] = nest,
        timeout,
        "repeats nest at most 3 deep",
    );
    expect_error(
        1,
        |v| {
            v["knobs"][0]["max"] = json!(100);
            v["knobs"][0]["default"] = json!(65);
        },
        "actors[1] \"http-{n}\"",
        "replicate count must be 0..=64",
    );
    expect_error(0, |v| v["id"] = json!(" "), "id", "must not be empty");
    expect_error(
        0,
        |v| {
            let list = v["switches"].as_array_mut().unwrap();
            list.extend((0..7).map(|k| json!({"id": format!("s{k}"), "label": "l", "help": "h"})));
        },
        "switches",
        "at most 8 switches",
    );
    expect_error(
        0,
        |v| v["actors"] = json!([]),
        "processes/actors",
        "at least one process and one actor",
    );
}

#[test]
fn programs_that_cannot_run() {
    let receiver = "actors[2] \"receiver\"";
    expect_error(
        0,
        |v| v["actors"][2]["program"] = json!([{"loop": {"body": []}}]),
        receiver,
        "a loop with no step in it",
    );
    // Steps that vanish when compiled leave an empty loop too: a zero sleep, or a branch not taken.
    expect_error(
        0,
        |v| v["actors"][2]["program"] = json!([{"loop": {"body": [{"sleep": {"ms": 0}}]}}]),
        receiver,
        "a loop with no step in it",
    );
    expect_error(
        0,
        |v| {
            v["actors"][2]["program"] =
                json!([{"loop": {"body": [{"if": {"cond": "split", "then": [{"fail": {}}]}}]}}])
        },
        receiver,
        "a loop with no step in it",
    );
    expect_error(
        0,
        |v| {
            v["actors"][2]["program"] =
                json!([{"loop": {"body": [{"repeat": {"times": 3, "body": []}}]}}])
        },
        receiver,
        "a loop with no step in it",
    );
    expect_error(
        0,
        |v| {
            v["actors"][0]["program"]
                .as_array_mut()
                .unwrap()
                .push(json!({"return": {}}))
        },
        "actors[0] \"client_tx\" program[2].return",
        "return outside any call",
    );
    expect_error(
        0,
        |v| v["actors"][0]["program"][1]["if"]["then"][0] = json!({"return": {}}),
        "actors[0] \"client_tx\" program[1].if.then[0].return",
        "return outside any call",
    );
}

#[test]
fn narratives_that_do_not_fit() {
    expect_error(
        0,
        |v| v["narrative"][0] = json!("c"),
        "narrative",
        "step 1 (\"c\") is not possible at that point of the story",
    );
    expect_error(
        0,
        |v| v["narrative"][0] = json!("tick"),
        "narrative",
        "step 1 (\"tick\") is not possible",
    );
    expect_error(
        0,
        |v| v["narrative"][0] = json!("client_tx!"),
        "narrative",
        "step 1 (\"client_tx!\") is not possible",
    );
    // At step 23 the main goroutine could take the request or a chunk.
    expect_error(
        0,
        |v| v["narrative"][22] = json!("main"),
        "narrative",
        "step 23 (\"main\") is ambiguous: name the select case",
    );
    expect_error(
        1,
        |v| v["narrative"].as_array_mut().unwrap().push(json!("init")),
        "narrative",
        "step 10 (\"init\") is not possible",
    );
    // Impossible only because a switch's default changed.
    expect_error(
        1,
        |v| v["switches"][0]["default"] = json!(true),
        "narrative",
        "is not possible at that point of the story",
    );
}

#[test]
fn duplicate_names() {
    expect_error(
        0,
        |v| v["switches"][1]["id"] = json!("split"),
        "switches[1]",
        "the name \"split\" is used twice",
    );
    expect_error(
        0,
        |v| v["knobs"][1]["id"] = json!("capacity"),
        "knobs[1]",
        "the name \"capacity\" is used twice",
    );
    expect_error(
        0,
        |v| v["knobs"][0]["id"] = json!("split"),
        "knobs[0]",
        "the name \"split\" is used twice",
    );
    expect_error(
        0,
        |v| v["actors"][1]["id"] = json!("client_tx"),
        "actors[1] \"client_tx\"",
        "the actor \"client_tx\" is defined twice",
    );
    expect_error(
        0,
        |v| v["resources"][2]["id"] = json!("requests"),
        "resources[2] \"requests\"",
        "the resource \"requests\" is defined twice",
    );
    expect_error(
        1,
        |v| v["actors"][1]["id"] = json!("http"),
        "actors[1] \"http\"",
        "the actor \"http\" is defined twice",
    );
    expect_error(
        1,
        |v| v["resources"][0]["id"] = json!("bin"),
        "resources[0] \"bin\"",
        "the resource \"bin\" is defined twice",
    );
}

#[test]
fn mangled_schedules_are_errors() {
    for (text, problem) in [
        ("x", "step 1 (\"x\") is not a step"),
        ("1-x-3", "step 2 (\"x\") is not a step"),
        ("1--2", "step 2 (\"\") is not a step"),
        ("-", "step 1 (\"\") is not a step"),
        ("256", "step 1 (\"256\") is not a step"),
        ("1.", "step 1 (\"1.\") is not a step"),
        ("1.2.3", "step 1 (\"1.2.3\") is not a step"),
        ("!", "step 1 (\"!\") is not a step"),
        ("t!", "step 1 (\"t!\") is not a step"),
        (
            "0-1-\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\
             \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
            "step 3 (\"\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\
             \u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\") is not a step",
        ),
    ] {
        assert_eq!(trace_from_text(text), Err(problem.to_string()), "{text:?}");
    }
    assert!(trace_from_text(&"1-".repeat(40_000))
        .unwrap_err()
        .contains("too long"));
    assert_eq!(trace_from_text(""), Ok(vec![]));
    // Well-formed but impossible schedules fail at replay, naming the step.
    let sc = &scenarios::builtin().unwrap()[0];
    let cfg = compile(sc, &sc.default_settings()).unwrap();
    for (text, at) in [
        ("4", "step 1: "),
        ("0-0", "step 2: "),
        ("t", "step 1: "),
        ("0-9", "step 2: "),
        ("0.1", "step 1: "),
        ("3!", "step 1: "),
        ("255!", "step 1: "),
    ] {
        let err = replay(&cfg, &trace_from_text(text).unwrap()).unwrap_err();
        assert!(err.starts_with(at), "{text}: {err}");
    }
}

#[test]
fn compile_rejects_settings_that_do_not_fit() {
    let sc = &scenarios::builtin().unwrap()[0];
    let mut st = sc.default_settings();
    st.switches.push(true);
    let e = compile(sc, &st).unwrap_err();
    assert_eq!(
        (e.place.as_str(), e.problem.as_str()),
        ("settings", "expected 2 switches and 4 knobs")
    );
    let mut st = sc.default_settings();
    st.knobs[0] = 17;
    let e = compile(sc, &st).unwrap_err();
    assert_eq!(
        (e.place.as_str(), e.problem.as_str()),
        ("knob \"capacity\"", "17 is outside 1..=16")
    );
    assert!(fix_matrix(sc, &[0, 0, 0, 0], 10).is_err());
}

/// Times far beyond anything a scenario needs must not overflow simulated time: a process that
/// sleeps the longest possible time, again and again.
#[test]
fn enormous_times_do_not_overflow() {
    let scenario = |program: Value, narrative: Value| {
        json!({
            "id": "x", "tag": "X", "title": "t", "summary": "s", "intro": [],
            "credit": {"title": "t", "author": "a", "note": "n"},
            "processes": [{"id": "p", "label": "P", "kind": "go"}],
            "resources": [{"id": "ch", "kind": "channel", "label": "c", "capacity": 1}],
            "actors": [{"id": "a", "label": "A", "process": "p", "program": program}],
            "narrative": narrative
        })
        .to_string()
    };
    let sleeper = scenario(
        json!([{"loop": {"body": [{"sleep": {"ms": i64::MAX}}]}}]),
        json!(["tick", "tick", "tick"]),
    );
    let waiter = scenario(
        json!([{"loop": {"body": [{"recv": {"from": "ch", "timeout": {"ms": i64::MAX}}}]}}]),
        json!(["tick", "a!", "tick", "a!", "tick", "a!"]),
    );
    for text in [sleeper, waiter] {
        check_never_panics(&text);
    }
}

fn check_never_panics(text: &str) {
    // Accepted or refused, but no panic; then runs, explorations and texts of it neither.
    if let Ok(sc) = Scenario::from_json(text) {
        let cfg = compile(&sc, &sc.default_settings()).unwrap();
        let run = guided_run(&cfg);
        for (i, ev) in run.events.iter().enumerate() {
            cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
        }
        let o = cfg.outcome(run.last());
        cfg.outcome_text(run.last(), &o);
        cfg.dump(run.last());
        explore(&cfg, 1000);
    }
}

/// One random edit of a scenario text.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    Replace(usize, char),
    Insert(usize, char),
    Delete(usize, usize),
    /// Replace the n-th number in the text.
    Number(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let chars = prop::sample::select(vec![
        '{', '}', '[', ']', '"', ',', ':', '0', '9', '-', '.', 'e', 'a', '$', '!', '/', '\\', ' ',
        '\n', '\u{0}', '\u{e9}', '\u{2192}',
    ]);
    let numbers = prop::sample::select(vec![
        "0",
        "-1",
        "1",
        "2",
        "3",
        "7",
        "8",
        "9",
        "16",
        "63",
        "64",
        "65",
        "255",
        "256",
        "65535",
        "65536",
        "4294967296",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
        "1.5",
        "1e3",
        "-0",
        "\"$capacity\"",
        "\"$threads\"",
        "null",
        "true",
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), chars.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<usize>(), chars).prop_map(|(i, c)| Mutation::Insert(i, c)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), numbers.clone()).prop_map(|(i, n)| Mutation::Number(i, n.to_string())),
        (any::<usize>(), numbers).prop_map(|(i, n)| Mutation::Number(i, n.to_string())),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match m {
        Mutation::Truncate(i) => chars.truncate(at(*i, chars.len() + 1)),
        Mutation::Replace(i, c) => {
            if !chars.is_empty() {
                let k = at(*i, chars.len());
                chars[k] = *c;
            }
        }
        Mutation::Insert(i, c) => {
            let k = at(*i, chars.len() + 1);
            chars.insert(k, *c);
        }
        Mutation::Delete(i, n) => {
            let k = at(*i, chars.len() + 1);
            let end = (k + n).min(chars.len());
            chars.drain(k..end);
        }
        Mutation::Number(i, new) => {
            // Spans of digits (with a leading minus) outside of strings are numbers.
            let (mut spans, mut in_str, mut k) = (Vec::new(), false, 0);
            while k < chars.len() {
                let c = chars[k];
                if c == '"' && (k == 0 || chars[k - 1] != '\\') {
                    in_str = !in_str;
                } else if !in_str && (c.is_ascii_digit() || c == '-') {
                    let start = k;
                    while k + 1 < chars.len() && chars[k + 1].is_ascii_digit() {
                        k += 1;
                    }
                    spans.push((start, k + 1));
                }
                k += 1;
            }
            if !spans.is_empty() {
                let (s, e) = spans[at(*i, spans.len())];
                chars.splice(s..e, new.chars());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_scenarios_never_panic() {
    const CASES: u32 = 2000;
    let mut runner = TestRunner::new(RunnerConfig {
        cases: CASES,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let (cases, accepted, json_errors, checked_errors) = (
        Cell::new(0usize),
        Cell::new(0usize),
        Cell::new(0usize),
        Cell::new(0usize),
    );
    let bump = |c: &Cell<usize>| c.set(c.get() + 1);
    let result = runner.run(
        &(0..BUILTIN.len(), prop::collection::vec(mutation(), 1..4)),
        |(which, edits)| {
            bump(&cases);
            let mut text = BUILTIN[which].1.to_string();
            for m in &edits {
                text = apply(&text, m);
            }
            // The app's JSON reader and serde_json (the reference) accept and reject the same files
            // and read the same scenario from them.
            let reference = serde_json::from_str::<Scenario>(&text).ok();
            prop_assert_eq!(
                &Scenario::parse_json(&text).ok().map(content),
                &reference,
                "json::from_str and serde_json differ on {:?}",
                text
            );
            match Scenario::from_json(&text) {
                Ok(sc) => {
                    bump(&accepted);
                    // Whatever was accepted also compiles, runs and explores at its defaults.
                    let cfg = compile(&sc, &sc.default_settings()).map_err(|e| {
                        TestCaseError::fail(format!("accepted but does not compile: {e}"))
                    })?;
                    let run = guided_run(&cfg);
                    for (i, ev) in run.events.iter().enumerate() {
                        cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
                    }
                    cfg.dump(run.last());
                    explore(&cfg, 2000);
                }
                Err(e) => {
                    prop_assert!(!e.place.is_empty() && !e.problem.is_empty(), "{:?}", e);
                    if e.place.starts_with("line ") {
                        bump(&json_errors);
                    } else {
                        bump(&checked_errors);
                    }
                }
            }
            Ok(())
        },
    );
    let (cases, accepted, json_errors, checked_errors) = (
        cases.get(),
        accepted.get(),
        json_errors.get(),
        checked_errors.get(),
    );
    println!(
        "{cases} mutated scenarios: {accepted} accepted, {json_errors} JSON errors, \
         {checked_errors} errors found by checking"
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(cases >= CASES as usize);
    assert!(
        accepted > 0 && json_errors > 0 && checked_errors > 0,
        "each kind of result happens"
    );
}

/// `from_json` checks only the default settings; every other valid setting of the built-in
/// scenarios must compile too (each knob at each of its notable values, under every switch
/// combination), or the player would show an error for a setting its own controls offer.
#[test]
fn every_offered_setting_of_the_builtins_compiles() {
    let mut compiled = 0;
    for sc in scenarios::builtin().unwrap() {
        for bits in 0..1usize << sc.switches.len() {
            let switches: Vec<bool> = (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect();
            for (i, k) in sc.knobs.iter().enumerate() {
                let values = [k.min, k.max, k.default]
                    .into_iter()
                    .chain(k.options.iter().map(|o| o.value));
                for v in values {
                    let mut st = sc.default_settings();
                    st.switches = switches.clone();
                    st.knobs[i] = v;
                    let cfg = compile(&sc, &st).unwrap_or_else(|e| panic!("{} {st:?}: {e}", sc.id));
                    assert!(
                        !cfg.enabled(&cfg.init()).is_empty(),
                        "{} {st:?}: something can happen",
                        sc.id
                    );
                    compiled += 1;
                }
            }
        }
    }
    assert!(compiled > 100);
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any valid switch and knob values compile, and the result runs and explores.
    #[test]
    fn compile_at_random_valid_settings(
        which in 0..2usize,
        bits in any::<u8>(),
        seeds in prop::collection::vec(any::<u32>(), 4),
    ) {
        let sc = &scenarios::builtin().unwrap()[which];
        let switches = (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect();
        let knobs = sc.knobs.iter().zip(&seeds).map(|(k, s)| {
            if k.options.is_empty() || s % 2 == 0 {
                k.min + (*s as i64) % (k.max - k.min + 1)
            } else {
                k.options[*s as usize / 2 % k.options.len()].value
            }
        }).collect();
        let st = Settings { switches, knobs };
        let cfg = compile(sc, &st).map_err(|e| TestCaseError::fail(format!("{st:?}: {e}")))?;
        let run = guided_run(&cfg);
        prop_assert!(cfg.enabled(run.last()).is_empty(), "the guided run goes to the end");
        for (i, ev) in run.events.iter().enumerate() {
            cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
        }
        let o = cfg.outcome(run.last());
        cfg.outcome_text(run.last(), &o);
        cfg.dump(run.last());
        let e = explore(&cfg, 3000);
        if let Some(t) = e.counterexample() {
            prop_assert!(replay(&cfg, t).is_ok());
        }
    }
}

/// serde_json's tree for the app reader's tree (members in order, so a repeated key keeps its last
/// value, as serde_json does).
fn as_serde(n: &json::Node) -> Value {
    match &n.v {
        json::Json::Null => Value::Null,
        json::Json::Bool(b) => Value::Bool(*b),
        json::Json::Int(i) => json!(i),
        json::Json::Frac(t) => serde_json::from_str(t).expect("a number serde_json reads"),
        json::Json::Str(s) => Value::String(s.clone()),
        json::Json::Arr(items) => Value::Array(items.iter().map(as_serde).collect()),
        json::Json::Obj(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), as_serde(v)))
                .collect(),
        ),
    }
}

/// Random short texts over JSON's alphabet (escapes, numbers, nesting, words): the app's reader
/// accepts exactly what serde_json accepts and builds the same tree. The intended differences are
/// about numbers no scenario field takes: integers outside i64 are "number out of range" here
/// (serde_json reads them as floats), and a fraction too large for an f64 is kept as text here (no
/// float parsing in the wasm) where serde_json rejects it; either way the scenario is rejected.
#[test]
fn json_reader_agrees_with_serde_json() {
    const CASES: u32 = 4000;
    let mut runner = TestRunner::new(RunnerConfig {
        cases: CASES,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let (accepted, rejected) = (Cell::new(0usize), Cell::new(0usize));
    // Valid JSON built from the grammar (escapes, surrogate pairs, every number form, nesting),
    // then sometimes broken by inserting or deleting one character.
    let leaf = prop_oneof![
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
        concat!(
            "\"([a-z é→]|\\\\[nt\"/bfr\\\\]|\\\\u00[0-9a-fA-F]{2}",
            "|\\\\uD83D\\\\uDE0[0-9]|\\\\uD83D)*\""
        ),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("null".to_string()),
    ];
    let value = leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("\"[a-z]{0,2}\"", inner), 0..5).prop_map(|m| format!(
                "{{{}}}",
                m.iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect::<Vec<_>>()
                    .join(",\n")
            )),
        ]
    });
    let broken = (
        value,
        prop::option::of((
            any::<prop::sample::Index>(),
            prop::option::of(prop::sample::select(vec![
                '{', '}', '[', ']', ',', ':', '"', '\\', '-', '0', '.', 'e', ' ', 'u',
            ])),
        )),
    );
    let result = runner.run(&broken, |(text, edit)| {
        let mut chars: Vec<char> = text.chars().collect();
        match edit {
            Some((i, Some(c))) => chars.insert(i.index(chars.len() + 1), c),
            Some((i, None)) if !chars.is_empty() => {
                chars.remove(i.index(chars.len()));
            }
            _ => {}
        }
        let text: String = chars.into_iter().collect();
        let ours = json::parse(&text);
        let reference = serde_json::from_str::<Value>(&text);
        match (&ours, &reference) {
            (Ok(tree), Ok(v)) => {
                accepted.set(accepted.get() + 1);
                prop_assert_eq!(&as_serde(tree), v, "{:?}", text);
                let small = json::parse(&minify::minify(&text)).expect("minified JSON parses");
                prop_assert_eq!(&as_serde(&small), v, "minified {:?}", text);
            }
            (Err(_), Err(_)) => rejected.set(rejected.get() + 1),
            (
                Err(json::SyntaxError {
                    problem: "number out of range",
                    ..
                }),
                Ok(_),
            ) => rejected.set(rejected.get() + 1),
            (_, Err(e)) if e.to_string().starts_with("number out of range") => {
                rejected.set(rejected.get() + 1)
            }
            _ => prop_assert!(
                false,
                "{:?}: ours {:?}, serde_json {:?}",
                text,
                ours.as_ref().err(),
                reference.as_ref().err().map(|e| e.to_string())
            ),
        }
        Ok(())
    });
    println!(
        "JSON reader vs serde_json: {} texts, {} accepted by both, {} rejected",
        CASES,
        accepted.get(),
        rejected.get()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        accepted.get() > 100 && rejected.get() > 100,
        "both outcomes happen"
    );
    // Nesting is bounded (no stack overflow on hostile input).
    assert_eq!(
        json::parse(&"[".repeat(100_000)).unwrap_err().problem,
        "recursion limit exceeded"
    );
    assert!(json::parse(&format!(
        "{}{}",
        "[".repeat(json::MAX_DEPTH),
        "]".repeat(json::MAX_DEPTH)
    ))
    .is_ok());
}
