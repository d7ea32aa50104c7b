//! Guided lessons: every chapter of both incidents opens at its settings and step, and every
//! question's answer agrees with an independent reading of the model (the story run for "who
//! moves next" and "when does the cycle close", the fix matrix for "will this fix break it");
//! answering shows why; links carry the chapter; a malformed lesson is rejected with a place.
use deadlock_lab::session::Session;
use deadlock_lab::sim::lesson::Question;
use deadlock_lab::sim::spec::Ask;
use deadlock_lab::sim::*;
use serde_json::{json, Value};

fn builtin() -> Vec<Scenario> {
    scenarios::builtin().expect("the built-in scenarios parse")
}

/// The model's answer to `ask` at chapter `ch`, worked out without `Scenario::question`.
fn expected(sc: &Scenario, at: usize, st: &Settings, ask: &Ask) -> String {
    let cfg = compile(sc, st).unwrap();
    let run = guided_run(&cfg);
    match ask {
        Ask::NextActor {} => {
            let a = run.events[at].choice.actor().expect("an actor moves");
            let called = cfg.called(a as usize).to_string();
            called[..1].to_ascii_uppercase() + &called[1..]
        }
        Ask::CycleStep {} => {
            let k = (0..run.states.len())
                .find(|&i| matches!(cfg.outcome(&run.states[i]), Outcome::Deadlocked { .. }))
                .unwrap();
            format!("Step {k}")
        }
        Ask::FixBreaks { fix } => {
            let cells = fix_matrix(sc, &st.knobs, 1_000_000).unwrap();
            let mut want = st.switches.clone();
            want[sc.switch_index(fix).unwrap()] = true;
            let cell = cells.iter().find(|c| c.switches == want).unwrap();
            let cycle = cell.exploration.found(Trouble::Deadlock)
                || cell.exploration.found(Trouble::TimedDeadlock);
            if cycle { "No" } else { "Yes" }.to_string()
        }
    }
}

#[test]
fn every_question_is_answered_by_the_model() {
    let mut asked = 0;
    for sc in builtin() {
        assert!(sc.chapters.len() >= 5, "{} has a lesson", sc.id);
        sc.check().unwrap_or_else(|e| panic!("{}: {e}", sc.id));
        for ch in &sc.chapters {
            let Some(ask) = &ch.ask else { continue };
            let q: Question = sc.question(ch).unwrap().expect("a question");
            let st = sc.chapter_settings(ch).unwrap();
            assert_eq!(
                q.options[q.answer],
                expected(&sc, ch.at as usize, &st, ask),
                "{}: {}",
                sc.id,
                ch.title
            );
            assert!(q.options.len() >= 2 && !q.why.is_empty());
            asked += 1;
        }
    }
    assert!(asked >= 6, "{asked} questions");
}

#[test]
fn a_chapter_points_at_what_it_names_in_both_drawings() {
    for sc in builtin() {
        let mut s = session(&sc.id);
        assert_eq!(
            s.frame().lit,
            lesson::Lit::default(),
            "nothing lit outside a lesson"
        );
        for (i, ch) in sc.chapters.iter().enumerate() {
            assert!(s.open_chapter(i));
            let lit = s.frame().lit;
            let named: Vec<&str> = (0..s.cfg.actors.len())
                .filter(|&a| lit.actor(a))
                .map(|a| s.cfg.actors[a].id.as_str())
                .chain(
                    (0..s.cfg.resources.len())
                        .filter(|&r| lit.resource(r))
                        .map(|r| s.cfg.resources[r].id.as_str()),
                )
                .collect();
            let mut want: Vec<&str> = ch.show.iter().map(String::as_str).collect();
            let mut got = named.clone();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{}: {}", sc.id, ch.title);
        }
        assert!(
            sc.chapters.iter().filter(|c| !c.show.is_empty()).count() >= 5,
            "{} points at its parts",
            sc.id
        );
        s.leave_lesson();
        assert_eq!(s.frame().lit, lesson::Lit::default());
    }
}

fn session(id: &str) -> Session {
    let mut s = Session::new(builtin()).unwrap();
    let i = s.scenarios.iter().position(|x| x.id == id).unwrap();
    s.select(i);
    s
}

#[test]
fn a_chapter_opens_at_its_step_and_answers_show_why() {
    let mut s = session("template-cache");
    let sc = s.scenario().clone();
    let k = sc
        .chapters
        .iter()
        .position(|c| c.ask == Some(Ask::NextActor {}))
        .unwrap();
    // A knob moved first: the chapter is shown, and its question asked, at its own settings.
    s.set_knob(0, sc.knobs[0].max);
    assert!(s.open_chapter(k));
    assert_eq!(s.settings, sc.chapter_settings(&sc.chapters[k]).unwrap());
    assert_eq!(s.cursor, sc.chapters[k].at as usize);
    assert!(
        s.spoilers_hidden(),
        "how the run ends stays hidden until the class answers"
    );
    let q = s.lesson.as_ref().unwrap().question.clone().unwrap();
    let wrong = (q.answer + 1) % q.options.len();
    s.answer(wrong);
    assert!(s.feedback().unwrap().starts_with("Not this time."));
    assert_eq!(
        s.cursor,
        sc.chapters[k].at as usize + 1,
        "the next step is played"
    );
    assert!(!s.spoilers_hidden());
    s.answer(q.answer);
    assert_eq!(
        s.lesson.as_ref().unwrap().answered,
        Some(wrong),
        "one answer per chapter"
    );

    let link = s.link();
    assert!(link.ends_with(&format!("&ch={}", k + 1)), "{link}");
    let mut fresh = Session::new(builtin()).unwrap();
    fresh.apply_link(&link).unwrap();
    assert_eq!(fresh.lesson.as_ref().map(|l| l.chapter), Some(k));
    assert_eq!(fresh.cursor, s.cursor);
    // A chapter link typed by hand, with no step or settings, opens the chapter at its own.
    let mut typed = Session::new(builtin()).unwrap();
    for (i, ch) in sc.chapters.iter().enumerate() {
        typed
            .apply_link(&format!("s=template-cache&ch={}", i + 1))
            .unwrap();
        assert_eq!(
            typed.cursor,
            ch.at as usize,
            "chapter {}: its own step",
            i + 1
        );
        assert_eq!(typed.lesson.as_ref().map(|l| l.chapter), Some(i));
        assert_eq!(
            typed.settings.switches,
            sc.chapter_settings(ch).unwrap().switches
        );
    }
    assert!(fresh.apply_link("s=template-cache&ch=99").is_err());
    assert!(fresh.apply_link("s=template-cache&ch=x").is_err());
    assert_eq!(
        fresh.lesson.as_ref().map(|l| l.chapter),
        Some(k),
        "a bad link changes nothing"
    );
}

#[test]
fn answering_a_fix_question_turns_the_fix_on() {
    let mut s = session("grpc-shim");
    let k = s
        .scenario()
        .chapters
        .iter()
        .position(|c| matches!(&c.ask, Some(Ask::FixBreaks { fix }) if fix == "split"))
        .unwrap();
    assert!(s.open_chapter(k));
    assert!(!s.settings.switches[0]);
    let q = s.lesson.as_ref().unwrap().question.clone().unwrap();
    s.answer(q.answer);
    assert!(
        s.feedback().unwrap().starts_with("Right. Yes."),
        "{:?}",
        s.feedback()
    );
    assert!(s.settings.switches[0], "the fix is on");
    assert!(s.lesson.is_some(), "still in the lesson");
    s.leave_lesson();
    assert!(s.lesson.is_none() && !s.spoilers_hidden());
}

fn edited(edit: impl FnOnce(&mut Value)) -> Result<Scenario, ScenarioError> {
    let text = include_str!("../assets/scenarios/template-cache.json");
    let mut v: Value = serde_json::from_str(text).unwrap();
    edit(&mut v);
    Scenario::from_json(&v.to_string())
}

#[test]
fn a_malformed_lesson_is_rejected_with_a_place() {
    let cases: [(fn(&mut Value), &str, &str); 6] = [
        (
            |v| v["chapters"][0]["show"] = json!(["init", "nobody"]),
            "chapters[0]",
            "no actor or resource “nobody”",
        ),
        (
            |v| v["chapters"][0]["flip"] = json!(["teleport"]),
            "chapters[0]",
            "no switch “teleport”",
        ),
        (
            |v| v["chapters"][0]["at"] = json!(99),
            "chapters[0]",
            "past the end of the story",
        ),
        (
            |v| v["chapters"][0]["ask"] = json!({"guess": {}}),
            "line ",
            "unknown variant `guess`",
        ),
        (
            |v| v["chapters"][0]["at"] = json!(-1),
            "line ",
            "expected u32",
        ),
        (
            |v| v["chapters"][0]["ask"] = json!({"fix_breaks": {"fix": "nope"}}),
            "chapters[0]",
            "no switch “nope”",
        ),
    ];
    for (edit, place, problem) in cases {
        let e = edited(edit).unwrap_err();
        assert!(e.place.starts_with(place), "{e}");
        assert!(e.problem.contains(problem), "{e}");
    }
    // "Who moves next?" needs a step where more than one actor can move.
    let e = edited(|v| {
        v["chapters"][0]["at"] = json!(8);
        v["chapters"][0]["ask"] = json!({"next_actor": {}});
    })
    .unwrap_err();
    assert!(e.problem.contains("nothing to ask"), "{e}");
}
