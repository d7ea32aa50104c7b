//! The session layer, natively: every user action keeps the session consistent, links round-trip,
//! and mangled links or scenario files leave it unchanged with a message (fuzzed with proptest).
use deadlock_lab::session::{Embed, Look, Notice, Panels, Session, Share, Source};
use deadlock_lab::sim::{scenarios, Outcome, Trouble};
use proptest::prelude::*;

fn session() -> Session {
    Session::new(scenarios::builtin().expect("built-in scenarios parse")).expect("a session")
}

/// What a user can see of a session, for "unchanged" checks.
#[derive(Debug, PartialEq)]
struct Seen {
    scenario: usize,
    switches: Vec<bool>,
    knobs: Vec<i64>,
    step: usize,
    steps: usize,
    dump: String,
}

fn view(s: &Session) -> Seen {
    Seen {
        scenario: s.current,
        switches: s.settings.switches.clone(),
        knobs: s.settings.knobs.clone(),
        step: s.cursor,
        steps: s.steps(),
        dump: s.cfg.dump(s.state()),
    }
}

#[test]
fn stepping_and_seeking_stay_inside_the_run() {
    let mut s = session();
    assert_eq!(s.cursor, 0);
    assert!(!s.back(), "cannot step back from the start");
    let n = s.steps();
    for i in 1..=n {
        assert!(s.forward());
        assert_eq!(s.cursor, i);
    }
    assert!(!s.forward(), "cannot step past the end");
    assert!(s.at_end());
    s.seek(usize::MAX);
    assert_eq!(s.cursor, n);
    s.seek(3);
    assert_eq!(s.event().map(|e| e.choice), Some(s.run.events[2].choice));
}

#[test]
fn a_switch_reruns_the_model_and_keeps_the_step_number() {
    let mut s = session();
    s.seek(10);
    let split = s.scenario().switch_index("split").unwrap();
    s.set_switch(split, true);
    assert!(s.settings.switches[split]);
    assert_eq!(s.cursor, 10.min(s.steps()));
    assert_eq!(s.source, Source::Story);
    assert_eq!(
        s.final_outcome(),
        Outcome::Completed,
        "split goroutines fix incident A"
    );
    s.reset();
    assert_eq!(s.settings, s.scenario().default_settings());
    assert_eq!(s.cursor, 0);
    assert!(matches!(s.final_outcome(), Outcome::Crashed { .. }));
}

#[test]
fn knobs_are_clamped_to_their_range() {
    let mut s = session();
    let cap = s.scenario().knob_index("capacity").unwrap();
    s.set_knob(cap, 10_000);
    assert_eq!(s.settings.knobs[cap], s.scenario().knobs[cap].max);
    s.set_knob(cap, -5);
    assert_eq!(s.settings.knobs[cap], s.scenario().knobs[cap].min);
}

#[test]
fn a_counterexample_puts_the_playhead_where_trouble_starts() {
    let mut s = session();
    s.select(1);
    let m = s.matrix().unwrap();
    let bad = m
        .iter()
        .find(|c| c.exploration.found(Trouble::Deadlock))
        .expect("B has a deadlocking combination");
    assert!(s.load_counterexample(bad));
    assert_eq!(s.source, Source::Counterexample);
    assert_eq!(s.settings.switches, bad.switches);
    assert_eq!(
        s.cursor,
        bad.exploration.shortest(Trouble::Deadlock).unwrap().len()
    );
    assert!(matches!(
        s.outcome(),
        Outcome::Deadlocked { timer: None, .. }
    ));
    let safe = m
        .iter()
        .find(|c| c.exploration.counterexample().is_none())
        .unwrap();
    let before = view(&s);
    assert!(
        !s.load_counterexample(safe),
        "a safe cell has nothing to show"
    );
    assert_eq!(view(&s), before);
    assert!(s.notice.is_some());
}

#[test]
fn links_round_trip_for_stories_and_counterexamples() {
    let mut s = session();
    s.select(1);
    s.set_knob(0, 4);
    s.seek(6);
    let link = s.link();
    let mut t = session();
    t.apply_link(&link).unwrap();
    assert_eq!(view(&t), view(&s));

    let m = s.matrix().unwrap();
    let bad = m
        .iter()
        .find(|c| c.exploration.found(Trouble::Deadlock))
        .unwrap();
    s.load_counterexample(bad);
    let link = s.link();
    assert!(
        link.contains("&t="),
        "a counterexample's link carries its schedule: {link}"
    );
    let mut u = session();
    u.apply_link(&format!("#{link}")).unwrap();
    assert_eq!(view(&u), view(&s));
    assert_eq!(u.source, Source::Link);
}

#[test]
fn the_presenter_view_is_part_of_the_link_and_old_links_open_without_it() {
    let mut s = session();
    s.apply_link("#s=template-cache&at=4&view=present").unwrap();
    assert!(s.presenter);
    assert_eq!(s.cursor, 4);
    let link = s.link();
    assert!(link.ends_with("&view=present"), "{link}");
    let mut t = session();
    t.apply_link(&link).unwrap();
    assert!(t.presenter);
    // A link written before the presenter view existed opens the normal page.
    t.apply_link("#s=template-cache&sw=0001&k=3,1,2&at=7")
        .unwrap();
    assert!(!t.presenter);
    assert_eq!(t.cursor, 7);
    assert!(!t.link().contains("view="));
}

#[test]
fn a_link_to_the_story_already_shown_only_moves_the_playhead() {
    let mut s = session();
    let run = s.run.clone();
    s.apply_link("#s=grpc-shim&at=7").unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&s.run, &run),
        "same scenario and settings: the run is reused, not recomputed"
    );
    assert_eq!(s.cursor, 7);

    // After a counterexample, the same link goes back to the story: the run is rebuilt.
    let m = s.matrix().unwrap();
    let bad = m
        .iter()
        .find(|c| c.switches == s.settings.switches)
        .unwrap();
    assert!(
        s.load_counterexample(bad),
        "the shipped settings have a path to trouble"
    );
    assert_eq!(s.source, Source::Counterexample);
    let shown = s.run.clone();
    s.apply_link("#s=grpc-shim&at=3").unwrap();
    assert_eq!(s.source, Source::Story);
    assert!(
        !std::sync::Arc::ptr_eq(&s.run, &shown),
        "the counterexample's run is replaced by the story"
    );
    assert_eq!(*s.run, *run, "the story at those settings");
    assert_eq!(s.cursor, 3);

    // Other settings: rebuilt, with the knob applied.
    let before = s.run.clone();
    s.apply_link("#s=grpc-shim&k=4,8,200,1").unwrap();
    assert!(!std::sync::Arc::ptr_eq(&s.run, &before));
    assert_eq!(s.settings.knobs, vec![4, 8, 200, 1]);
}

#[test]
fn a_link_made_before_a_knob_existed_gives_it_its_shipped_value() {
    let mut s = session();
    s.apply_link("#s=template-cache&sw=0001&k=4,1,2&at=3")
        .unwrap();
    let shipped: Vec<i64> = s.scenario().knobs.iter().map(|k| k.default).collect();
    assert!(
        shipped.len() > 3,
        "B has gained a knob since three-knob links were made"
    );
    assert_eq!(s.settings.knobs[..3], [4, 1, 2]);
    assert_eq!(s.settings.knobs[3..], shipped[3..]);
    assert_eq!(s.cursor, 3);
}

#[test]
fn mangled_links_are_rejected_with_a_message_and_change_nothing() {
    for bad in [
        "s=nope",
        "s=grpc-shim&sw=012",
        "s=grpc-shim&sw=0",
        "s=grpc-shim&k=1,2,3,4,5",
        "s=grpc-shim&k=2,8,200,7",
        "s=grpc-shim&k=a,b,c,d",
        "s=grpc-shim&at=-1",
        "s=grpc-shim&t=9-9-9",
        "s=grpc-shim&t=t-t-t-t",
        "s=grpc-shim&zz=1",
        "s=grpc-shim&view=slides",
        "s=grpc-shim&play=yes",
        "s=grpc-shim&ctl=2",
        "sw=00",
        "garbage",
    ] {
        let mut s = session();
        s.seek(4);
        let before = view(&s);
        let e = s.apply_link(bad).expect_err(bad);
        assert!(e.contains("could not be read"), "{bad}: {e}");
        assert_eq!(view(&s), before, "{bad} changed the session");
    }
}

#[test]
fn a_step_past_the_end_shows_the_last_step_and_says_so() {
    let mut s = session();
    s.apply_link("#s=template-cache&at=12").unwrap();
    assert_eq!(s.scenario().id, "template-cache");
    assert_eq!((s.cursor, s.steps()), (9, 9));
    assert_eq!(
        s.notice,
        Some(Notice::Info(
            "This link's step 12 is past the end of this run; showing its last step, 9.".into()
        ))
    );
    // A link that fits says nothing.
    s.apply_link("#s=template-cache&at=3").unwrap();
    assert_eq!((s.cursor, s.notice.clone()), (3, None));
}

#[test]
fn links_carry_their_format_and_the_scenarios_hash() {
    let mut s = session();
    s.apply_link("#s=grpc-shim&sw=01&at=24").unwrap();
    let link = s.link();
    let h = format!("{:08x}", s.scenario().hash);
    assert!(
        link.starts_with(&format!("v=2&s=grpc-shim&h={h}&sw=01&")),
        "{link}"
    );
    // A first-format link (no v, no h) opens as before.
    let mut t = session();
    t.apply_link("s=grpc-shim&sw=01&at=24").unwrap();
    assert_eq!(view(&t), view(&s));
    // A link made for other content shows the scenario's start at its shipped settings, and says
    // so, keeping the view it asked for.
    let stale = link.replace(&h, "00000000") + "&view=focus";
    t.apply_link(&stale).unwrap();
    assert_eq!((t.scenario().id.as_str(), t.cursor), ("grpc-shim", 0));
    assert_eq!(t.settings, t.scenario().default_settings());
    assert_eq!(t.embed.panels, Panels::Focus);
    let said = format!("{:?}", t.notice);
    assert!(
        said.contains("which has changed since: its start is shown"),
        "{said}"
    );
    // A format this app does not know is refused, and changes nothing.
    let before = view(&t);
    let e = t.apply_link(&link.replace("v=2", "v=3")).unwrap_err();
    assert!(e.contains("a newer Deadlock Lab made it"), "{e}");
    assert_eq!(view(&t), before);
}

#[test]
fn embed_options_round_trip_through_the_link() {
    let mut s = session();
    s.apply_link("#s=grpc-shim&at=24&view=focus&play=1&ctl=0")
        .unwrap();
    let want = Embed {
        panels: Panels::Focus,
        autoplay: true,
        controls: false,
    };
    assert_eq!((s.embed, s.presenter, s.cursor), (want, false, 24));
    let link = s.link();
    assert!(link.ends_with("&at=24&view=focus&play=1&ctl=0"), "{link}");
    let mut t = session();
    t.apply_link(&link).unwrap();
    assert_eq!(t.embed, want);
    // The whole app at the same view drops only the embed's options.
    assert!(s.full_link().ends_with("&at=24"), "{}", s.full_link());
    // The share panel's link: its options, at the step shown or at the start, never presenting.
    s.presenter = true;
    let share = |panels, at_step| Share {
        embed: Embed {
            panels,
            autoplay: false,
            controls: true,
        },
        at_step,
    };
    assert!(s
        .share_link(&share(Panels::Diagram, true))
        .ends_with("&at=24&view=diagram"));
    assert!(s.share_link(&share(Panels::All, false)).ends_with("&at=0"));
    t.apply_link("#s=grpc-shim&view=present").unwrap();
    assert_eq!((t.presenter, t.embed), (true, Embed::default()));
}

#[test]
fn a_bad_scenario_file_changes_nothing_and_a_good_one_is_added() {
    let mut s = session();
    s.seek(2);
    let before = view(&s);
    for bad in ["", "{", "[]", "{\"id\": 3}", "null"] {
        let e = s.add_scenario(bad).expect_err(bad);
        assert!(e.contains("cannot be used"), "{e}");
        assert_eq!(view(&s), before);
    }
    let mut text: serde_json::Value = serde_json::from_str(scenarios::BUILTIN[1].1).unwrap();
    text["id"] = "copy".into();
    text["title"] = "My copy".into();
    s.add_scenario(&text.to_string()).unwrap();
    assert_eq!(s.scenarios.len(), 3);
    assert_eq!(s.scenario().id, "copy");
    assert_eq!(s.cursor, 0);
    // A file saved with a byte-order mark (Windows editors do that) loads too.
    text["id"] = "bom".into();
    s.add_scenario(&format!("\u{feff}{text}")).unwrap();
    assert_eq!((s.scenarios.len(), s.scenario().id.as_str()), (4, "bom"));
    // A file with a built-in's id loads beside it, renamed, and says so; loading it again
    // replaces that copy, never the built-in.
    text["id"] = "template-cache".into();
    s.add_scenario(&text.to_string()).unwrap();
    assert_eq!(
        (s.scenarios.len(), s.scenario().id.as_str()),
        (5, "template-cache-file")
    );
    assert_eq!(s.scenarios[1].title, scenarios::builtin().unwrap()[1].title);
    let said = format!("{:?}", s.notice);
    assert!(
        said.contains(
            "“template-cache” is a built-in incident's, so it is “template-cache-file” here"
        ),
        "{said}"
    );
    s.add_scenario(&text.to_string()).unwrap();
    assert_eq!(s.scenarios.len(), 5);
    // A link to a loaded scenario, opened without it, says how to get it back.
    let mut fresh = session();
    let e = fresh.apply_link(&s.link()).unwrap_err();
    assert!(
        e.contains("if it came from a file, load that file again"),
        "{e}"
    );
}

#[test]
fn frames_project_the_state() {
    let mut s = session();
    s.seek(24); // incident A: the cycle has just closed
    let f = s.frame();
    assert!(f.graph.has_cycle());
    assert_eq!(f.actors.iter().filter(|a| a.in_cycle).count(), 2);
    assert!(f.actors.iter().any(|a| a.look == Look::Deadlocked));
    let dump = s.dump();
    assert!(
        dump.contains("goroutine 1 [select]"),
        "the main goroutine waits for C's answer under its timer (a select in Go): {dump}"
    );
    assert!(f.cycle_text.unwrap().contains("main goroutine"));
    assert_eq!(f.headline.title, "Deadlocked");
    let marks = s.marks();
    assert_eq!(
        marks.iter().find(|m| m.kind == "cycle").map(|m| m.step),
        Some(24)
    );
    assert!(
        marks.iter().any(|m| m.kind == "jump"),
        "the hour-long jump is marked"
    );
    assert!(marks.iter().any(|m| m.kind == "crash"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Random text, and random edits of a valid link, never panic; a rejected link leaves the
    /// session exactly as it was.
    #[test]
    fn fuzzed_links_never_panic(
        junk in ".{0,80}",
        cut in 0usize..80,
        insert in "[a-z0-9=&,.!t-]{0,6}",
    ) {
        let mut s = session();
        s.seek(3);
        let good = s.link();
        let at = cut.min(good.len());
        let mangled = format!("{}{}{}", &good[..at], insert, &good[at..]);
        for link in [junk.as_str(), mangled.as_str()] {
            let before = view(&s);
            let mut t = s.clone();
            match t.apply_link(link) {
                Ok(()) => prop_assert!(t.cursor <= t.steps()),
                Err(_) => prop_assert_eq!(view(&t), before),
            }
        }
    }
}

#[test]
fn a_matrix_row_plays_its_good_end() {
    let scs = deadlock_lab::sim::scenarios::builtin().unwrap();
    let b = scs[1].clone();
    let mut s = Session::new(scs).unwrap();
    s.select(1);
    let m = s.matrix().unwrap();
    let shipped = &m[s.matrix_cell()];
    assert!(s.load_good_end(shipped));
    assert_eq!(s.cursor, shipped.good_end.as_ref().unwrap().len());
    assert_eq!(s.frame().headline.title, "Completed");
    // A safe row has none to show, and says so.
    let safe = m.iter().find(|c| c.good_end.is_none()).unwrap();
    assert!(!s.load_good_end(safe));
    assert!(s.notice.is_some());
    assert_eq!(b.id, "template-cache");
}
