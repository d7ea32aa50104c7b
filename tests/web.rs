//! Browser unit tests (wasm-bindgen-test in headless Chromium via chromedriver).
//! Run: `cargo test --target wasm32-unknown-unknown --test web` (`make test` does it).
//! Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, empty `<div>` appended to `<body>`, so each test mounts into its own container.
/// Remove it with `.remove()` at the end of the test.
pub fn fresh_container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
fn app_mounts_heading_and_main_then_unmounts() {
    let root = fresh_container();
    let handle = leptos::mount::mount_to(root.clone(), deadlock_lab::ui::App);

    let h1 = root.query_selector("h1").unwrap().expect("an <h1>");
    assert_eq!(h1.text_content().unwrap(), "Deadlock Lab");
    assert!(
        root.query_selector("main#main").unwrap().is_some(),
        "<main id=\"main\"> (the skip link's target)"
    );

    drop(handle); // unmounts the view and disposes its reactive owner
    assert!(
        root.query_selector("h1").unwrap().is_none(),
        "dropping the handle unmounts the view"
    );
    root.remove();
}

// ---- Visualizer components -------------------------------------------------------------------
use deadlock_lab::session::Session;
use deadlock_lab::sim::explore::Phase;
use deadlock_lab::sim::scenarios;
use deadlock_lab::ui::{Lab, Ui};

/// Lets effects and render effects run after a signal change.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Waits until the lab has painted its first frame and the explorer has decided every cell of
/// the fix matrix (it fills in slices).
async fn painted(ui: Ui) {
    // Decided, and for the scenario on show (a new search replaces the old matrix a task later).
    let combinations = 1 << ui.scenario.with_untracked(|s| s.scenario().switches.len());
    let decided = |m: &deadlock_lab::ui::FixMatrix| match m {
        Some(Ok(cells)) => {
            cells.len() == combinations && cells.iter().all(|c| c.phase != Phase::Running)
        }
        Some(Err(_)) => true,
        None => false,
    };
    for _ in 0..100 {
        if ui.painted.get_untracked() && ui.matrix.with_untracked(decided) {
            settle().await;
            return;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    panic!("the fix matrix was not computed within 2 s of mounting");
}

fn text(root: &web_sys::HtmlElement, sel: &str) -> String {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no element {sel}"))
        .text_content()
        .unwrap_or_default()
}

/// The diagram's markup without the moving token, whose position is animation, not state.
fn frame_html(root: &web_sys::HtmlElement) -> String {
    let svg = root
        .query_selector(".diagram-svg")
        .unwrap()
        .expect("a diagram");
    let copy = svg
        .clone_node_with_deep(true)
        .unwrap()
        .unchecked_into::<web_sys::Element>();
    if let Some(t) = copy.query_selector(".token").unwrap() {
        t.remove();
    }
    copy.inner_html()
}

/// Mounts the lab on incident `index` and returns the root, the UI handle and the mount handle.
fn mount_lab(index: usize) -> (web_sys::HtmlElement, Ui, impl Sized) {
    mount_lab_at(index, 0)
}

/// Mounts the lab on incident `index`, already at `step`.
fn mount_lab_at(index: usize, step: usize) -> (web_sys::HtmlElement, Ui, impl Sized) {
    let root = fresh_container();
    let mut s = Session::new(scenarios::builtin().unwrap()).unwrap();
    s.select(index);
    s.seek(step);
    let cell = std::rc::Rc::new(std::cell::Cell::new(None));
    let c2 = cell.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let ui = Ui::new(s.clone());
        c2.set(Some(ui));
        view! { <Lab ui=ui /> }
    });
    let ui = cell.take().expect("the lab mounted");
    (root, ui, handle)
}

#[wasm_bindgen_test]
async fn flipping_a_fix_changes_the_outcome_the_model_computes() {
    for (index, switch_id) in [(0usize, "split"), (1, "health_gate")] {
        let (root, ui, handle) = mount_lab(index);
        painted(ui).await; // the switches (like every panel below the diagram) come after the first paint
        ui.sess.update(|s| s.seek(usize::MAX));
        settle().await;
        let before = text(&root, ".outcome .headline");
        let expected_before = ui.sess.with_untracked(|s| s.frame().headline.title);
        assert!(
            before.contains(&expected_before),
            "{before:?} shows {expected_before:?}"
        );
        assert!(
            before.contains("Crashed") || before.contains("Deadlocked"),
            "shipped settings go wrong: {before}"
        );

        let input = root
            .query_selector(&format!("#sw-{switch_id}"))
            .unwrap()
            .expect("the switch is a native checkbox")
            .unchecked_into::<web_sys::HtmlInputElement>();
        input.click();
        settle().await;
        ui.sess.update(|s| s.seek(usize::MAX));
        settle().await;
        assert!(
            ui.sess
                .with_untracked(|s| s.settings.switches.iter().any(|&b| b)),
            "the click reached the session"
        );
        let after = text(&root, ".outcome .headline");
        let expected_after = ui.sess.with_untracked(|s| s.frame().headline.title);
        assert!(
            after.contains(&expected_after),
            "{after:?} shows {expected_after:?}"
        );
        assert!(
            after.contains("Completed"),
            "{switch_id} fixes incident {index}: {after}"
        );
        drop(handle);
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn stepping_back_restores_the_previous_frame_exactly() {
    let (root, ui, handle) = mount_lab(0);
    painted(ui).await;
    for step in [1usize, 10, 23, 27] {
        ui.sess.update(|s| s.seek(step));
        settle().await;
        let frame = (
            frame_html(&root),
            text(&root, ".outcome"),
            text(&root, ".waitgraph"),
            text(&root, ".dump pre"),
        );
        ui.forward();
        settle().await;
        assert_ne!(
            frame_html(&root),
            frame.0,
            "step {step} → {} changes the diagram",
            step + 1
        );
        ui.back();
        settle().await;
        let again = (
            frame_html(&root),
            text(&root, ".outcome"),
            text(&root, ".waitgraph"),
            text(&root, ".dump pre"),
        );
        assert_eq!(
            again,
            frame,
            "back from step {} restores step {step}",
            step + 1
        );
    }
    drop(handle);
    root.remove();
}

/// The buttons of the scheduler's offer list, in order.
fn offers(root: &web_sys::HtmlElement) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(".offers button").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

/// Choosing at step k forks the run there: the steps before stay, the old future goes, and the
/// diagram shows the chosen step; Back then restores step k's frame exactly (the banner's line on
/// how the whole run ends follows the new run); the hint for the state comes from the explorer once
/// it has charted every order.
#[wasm_bindgen_test]
async fn choosing_a_step_forks_the_run_and_back_restores_the_frame() {
    let (root, ui, handle) = mount_lab(1);
    painted(ui).await;
    button_named(&root, "Choose the next step yourself").click();
    settle().await;
    for _ in 0..100 {
        if ui.scheduler.with_untracked(|c| c.hints.ready().is_some()) {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    settle().await;
    assert!(text(&root, ".choose .hint").contains("A deadlock: still possible"));
    ui.sess.update(|s| s.seek(3));
    settle().await;
    let before = (
        frame_html(&root),
        text(&root, ".outcome [role=status]"),
        text(&root, ".waitgraph"),
    );
    let story = ui.sess.with_untracked(|s| s.run.clone());
    let labels: Vec<String> = offers(&root)
        .iter()
        .map(|b| b.text_content().unwrap())
        .collect();
    let want = ui.sess.with_untracked(|s| s.offers(None));
    assert_eq!(labels.len(), want.len());
    assert!(labels[1].ends_with(&want[1].label), "{labels:?}");
    let k = want
        .iter()
        .position(|o| o.choice != story.events[3].choice)
        .expect("another step than the story's");
    offers(&root)[k].click();
    settle().await;
    ui.sess.with_untracked(|s| {
        assert_eq!((s.cursor, s.steps()), (4, 4), "the old future is dropped");
        assert_eq!(s.run.states[..4], story.states[..4]);
        assert_eq!(s.run.events[3].choice, want[k].choice);
    });
    assert_ne!(
        frame_html(&root),
        before.0,
        "the diagram shows the chosen step"
    );
    ui.back();
    settle().await;
    let again = (
        frame_html(&root),
        text(&root, ".outcome [role=status]"),
        text(&root, ".waitgraph"),
    );
    assert_eq!(again, before, "back restores step 3");
    drop(handle);
    root.remove();
}

/// The button of `root` whose whole text is `label`.
fn button_named(root: &web_sys::HtmlElement, label: &str) -> web_sys::HtmlElement {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap_or_default().trim() == label)
        .unwrap_or_else(|| panic!("a {label} button"))
}

/// The diagram is built from markup once and then patched part by part on every step: after any
/// run of steps it must be exactly the diagram a fresh mount builds for that step.
#[wasm_bindgen_test]
async fn the_patched_diagram_equals_a_fresh_one_at_every_step() {
    for index in [0usize, 1] {
        let (root, ui, handle) = mount_lab(index);
        settle().await;
        let steps = ui.sess.with_untracked(|s| s.steps());
        assert!(steps > 5);
        let mut changed = 0;
        let mut last = frame_html(&root);
        for step in 1..=steps {
            ui.forward();
            settle().await;
            let patched = frame_html(&root);
            let (fresh_root, fresh_ui, fresh_handle) = mount_lab_at(index, step);
            settle().await;
            assert_eq!(fresh_ui.frame.with_untracked(|f| f.step), step);
            assert_eq!(
                patched,
                frame_html(&fresh_root),
                "incident {index}, step {step}: patched vs built fresh"
            );
            changed += usize::from(patched != last);
            last = patched;
            drop(fresh_handle);
            fresh_root.remove();
        }
        assert!(
            changed * 2 > steps,
            "most steps change the diagram ({changed} of {steps})"
        );
        drop(handle);
        root.remove();
    }
}

/// Stepping patches the diagram's parts in place (so CSS transitions animate them): each part is
/// found by its id, and the element of every part is the same one after a step.
#[wasm_bindgen_test]
async fn stepping_patches_the_diagram_in_place() {
    let (root, ui, handle) = mount_lab(0);
    settle().await;
    let parts = |root: &web_sys::HtmlElement| {
        let list = root.query_selector_all(".scene [data-d]").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into::<web_sys::Element>())
            .collect::<Vec<_>>()
    };
    let before = parts(&root);
    assert!(before.len() > 10, "the diagram has changing parts");
    let ids: Vec<String> = before
        .iter()
        .map(|e| e.get_attribute("data-d").unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every part id is unique: {ids:?}");
    let status = before
        .iter()
        .find(|e| e.get_attribute("data-d").as_deref() == Some("a0-status"))
        .expect("actor 0's status line")
        .clone();
    for _ in 0..5 {
        ui.forward();
        settle().await;
    }
    let after = parts(&root);
    assert_eq!(after.len(), before.len());
    for (a, b) in before.iter().zip(&after) {
        assert!(
            a.is_same_node(Some(b)),
            "{:?} stays in place",
            a.get_attribute("data-d")
        );
    }
    assert!(status.is_connected());
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_dump_panel_matches_the_state_at_every_step() {
    for index in [0usize, 1] {
        let (root, ui, handle) = mount_lab(index);
        painted(ui).await;
        let steps = ui.sess.with_untracked(|s| s.steps());
        assert!(steps > 5);
        for step in 0..=steps {
            ui.sess.update(|s| s.seek(step));
            settle().await;
            let expected = ui.sess.with_untracked(|s| s.dump());
            assert_eq!(
                text(&root, ".dump pre"),
                expected,
                "incident {index}, step {step}"
            );
        }
        // At the end of B's story the dump shows the write-up's thread dump: one thread blocked
        // in remove, the request threads in computeIfAbsent.
        if index == 1 {
            let dump = text(&root, ".dump pre");
            assert!(dump.contains("ConcurrentHashMap.remove"), "{dump}");
            assert!(
                dump.matches("ConcurrentHashMap.computeIfAbsent").count() >= 3,
                "{dump}"
            );
            assert!(dump.contains("BLOCKED (on object monitor)"), "{dump}");
        }
        drop(handle);
        root.remove();
    }
}

#[wasm_bindgen_test]
async fn a_mangled_link_gives_a_message_and_keeps_the_view() {
    let (root, ui, handle) = mount_lab(0);
    painted(ui).await;
    ui.sess.update(|s| s.seek(5));
    settle().await;
    let before = frame_html(&root);
    ui.sess.update(|s| {
        if let Err(e) = s.apply_link("s=grpc-shim&sw=0x&k=2,8") {
            s.notice = Some(deadlock_lab::session::Notice::Error(e));
        }
    });
    settle().await;
    let alert = text(&root, ".notice.error");
    assert!(alert.contains("could not be read"), "{alert}");
    assert_eq!(frame_html(&root), before, "the view is unchanged");
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn choosing_another_incident_rebuilds_picker_controls_and_matrix() {
    let (root, ui, handle) = mount_lab(0);
    painted(ui).await;
    let pressed = |root: &web_sys::HtmlElement| text(root, ".card[aria-pressed=\"true\"]");
    assert!(pressed(&root).contains("Incident A"));
    assert!(root.query_selector("#sw-split").unwrap().is_some());
    let card_b = root
        .query_selector_all(".card")
        .unwrap()
        .get(1)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    card_b.click();
    painted(ui).await;
    assert!(
        pressed(&root).contains("Incident B"),
        "the picker follows the click"
    );
    assert!(
        root.query_selector("#sw-split").unwrap().is_none(),
        "A's switches are gone"
    );
    assert!(
        root.query_selector("#sw-health_gate").unwrap().is_some(),
        "B's switches are shown"
    );
    assert_eq!(
        root.query_selector_all(".matrix tbody tr:not(.group)")
            .unwrap()
            .length(),
        16,
        "B's matrix has 2^4 rows"
    );
    drop(handle);
    root.remove();
}

#[wasm_bindgen_test]
async fn changing_a_knob_recomputes_the_fix_matrix() {
    let (root, ui, handle) = mount_lab(0);
    painted(ui).await;
    let current = |root: &web_sys::HtmlElement| text(root, ".matrix tr.current .verdict");
    assert!(
        current(&root).contains("can deadlock (step 24), then the timer kills the process"),
        "{}",
        current(&root)
    );
    // A Go channel big enough for the whole response: the explorer proves it safe.
    let cap = root
        .query_selector("#knob-capacity")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>();
    cap.set_value("16");
    cap.dispatch_event(
        &web_sys::Event::new_with_event_init_dict("change", &{
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            init
        })
        .unwrap(),
    )
    .unwrap();
    // The new search replaces the old matrix a task after the change: wait for its verdict.
    for _ in 0..100 {
        if current(&root).contains("never goes wrong") {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    painted(ui).await;
    assert!(
        current(&root).contains("never goes wrong"),
        "{}",
        current(&root)
    );
    drop(handle);
    root.remove();
}

// ---- Components mounted alone ------------------------------------------------------------------
use deadlock_lab::ui::outcome::{outcome_class, OutcomeBanner};
use deadlock_lab::ui::transport::Transport;

/// The button of `root` whose label (`.bl`) is `label`.
fn button(root: &web_sys::HtmlElement, label: &str) -> web_sys::HtmlElement {
    let list = root.query_selector_all("button").unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| {
            b.query_selector(".bl")
                .unwrap()
                .is_some_and(|l| l.text_content().unwrap_or_default() == label)
        })
        .unwrap_or_else(|| panic!("a {label} button"))
}

/// The transport with a hand-made frame memo (incident A at the step a signal says) and callbacks
/// that record what they are asked: it shows the playhead it is given and asks for each move.
#[wasm_bindgen_test]
async fn the_transport_alone_shows_its_memo_and_asks_for_each_move() {
    let root = fresh_container();
    let sess = Session::new(scenarios::builtin().unwrap()).unwrap();
    let (steps, marks) = (sess.steps(), sess.marks());
    assert!(steps > 5 && !marks.is_empty());
    // What the callbacks were asked, kept outside the mounted view (so readable after a click).
    let seeks = RwSignal::new(Vec::<usize>::new());
    let plays = RwSignal::new(0usize);
    let marks_in = marks.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let step = RwSignal::new(3usize);
        let playing = RwSignal::new(false);
        let frame = Memo::new(move |_| {
            let mut s = sess.clone();
            s.seek(step.get());
            s.frame()
        });
        let marks = Memo::new(move |_| marks_in.clone());
        let on_seek = move |to: usize| {
            seeks.update(|v| v.push(to));
            step.set(to.min(steps));
        };
        let on_play = move |_| {
            plays.update(|n| *n += 1);
            playing.update(|p| *p = !*p);
        };
        view! {
            <Transport
                frame=frame
                marks=marks
                playing=move || playing.get()
                speed=|| 500
                on_seek=on_seek
                on_play=on_play
                on_speed=|_| ()
            />
        }
    });
    settle().await;
    let counter = |root: &web_sys::HtmlElement| text(root, ".counter");
    assert!(
        counter(&root).starts_with(&format!("Step 3 of {steps} · time ")),
        "{}",
        counter(&root)
    );
    let jumps = root.query_selector_all(".jumps button").unwrap();
    assert_eq!(jumps.length() as usize, marks.len(), "one jump per mark");
    assert_eq!(
        root.query_selector_all(".marks .mark").unwrap().length() as usize,
        marks.len(),
        "one picture per mark"
    );

    button(&root, "Back").click();
    settle().await;
    assert_eq!(seeks.get_untracked(), [2]);
    assert!(counter(&root).starts_with(&format!("Step 2 of {steps}")));

    button(&root, "End").click();
    settle().await;
    assert_eq!(seeks.get_untracked(), [2, steps]);
    assert!(
        button(&root, "Step").has_attribute("disabled"),
        "no step past the end"
    );
    button(&root, "Start").click();
    settle().await;
    assert_eq!(seeks.get_untracked(), [2, steps, 0]);
    assert!(
        button(&root, "Back").has_attribute("disabled"),
        "no step before the start"
    );

    jumps
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    settle().await;
    assert_eq!(seeks.get_untracked().last().copied(), Some(marks[0].step));

    button(&root, "Play").click();
    settle().await;
    assert_eq!(plays.get_untracked(), 1);
    assert_eq!(
        text(&root, ".play .bl"),
        "Pause",
        "the button follows `playing`"
    );
    drop(handle);
    root.remove();
}

/// The outcome banner given a frame memo alone (no explorer verdict yet): how the run ends is
/// said until the playhead gets there.
#[wasm_bindgen_test]
async fn the_outcome_banner_alone_shows_the_frame_it_is_given() {
    let root = fresh_container();
    let sess = Session::new(scenarios::builtin().unwrap()).unwrap();
    let last = sess.steps();
    let end_class = outcome_class(&sess.final_outcome());
    let step_cell = std::rc::Rc::new(std::cell::Cell::new(None));
    let step_out = step_cell.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let step = RwSignal::new(0usize);
        step_out.set(Some(step));
        let frame = Memo::new(move |_| {
            let mut s = sess.clone();
            s.seek(step.get());
            s.frame()
        });
        view! {
            <OutcomeBanner
                frame=frame
                matrix=Memo::new(|_| None)
                cell=Memo::new(|_| 0)
                hide=|| false
            />
        }
    });
    let step = step_cell.take().expect("mounted");
    settle().await;
    assert!(
        text(&root, ".ending").contains("This run ends:"),
        "{}",
        text(&root, ".ending")
    );
    assert_eq!(
        text(&root, ".verdict"),
        "",
        "no verdict before the explorer runs"
    );
    step.set(last);
    settle().await;
    assert_eq!(
        text(&root, ".ending"),
        "",
        "at the end there is nothing left to foretell"
    );
    let class = root
        .query_selector(".outcome")
        .unwrap()
        .unwrap()
        .class_name();
    assert!(class.contains(end_class), "{class} shows {end_class}");
    drop(handle);
    root.remove();
}
