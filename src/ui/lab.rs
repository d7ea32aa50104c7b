//! The page: the app's entry, and the lab that wires the session's memos and callbacks into the
//! components, plays, follows the link in the address bar, and listens to the keyboard.
use super::{
    choose, controls, diagram, dump, help, keys, lesson, matrix, narration, outcome, picker, share,
    transport, waitgraph,
};
use super::{Derived, Handler, Ui};
use crate::session::{Notice, Session};
use crate::sim::scenarios;
use leptos::prelude::*;
use std::time::Duration;

fn initial_session() -> Result<Session, String> {
    let scs = scenarios::builtin().map_err(|e| e.to_string())?;
    Session::new(scs)
}

fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    match initial_session() {
        Ok(mut s) => {
            if let Err(e) = s.apply_link(&location_hash()) {
                s.notice = Some(Notice::Error(e));
            }
            view! { <Lab ui=Ui::new(s) /> }.into_any()
        }
        Err(e) => view! {
            <main id="main">
                <h1>"Deadlock Lab"</h1>
                <p role="alert">"The built-in scenarios could not be loaded: " {e}</p>
            </main>
        }
        .into_any(),
    }
}

/// The whole lab for one session.
#[component]
pub fn Lab(ui: Ui) -> impl IntoView {
    mark_embedded();
    play(ui);
    keep_link(ui);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| keys::on_key(ui, &ev));
    on_cleanup(move || keys.remove());
    mark_presenter(ui);
    share::mark(ui);
    let first_link = StoredValue::new(location_hash());
    request_animation_frame(move || build_after_paint(ui));
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <Header
            presenter=move || ui.presenter.get()
            on_present=move |_| ui.toggle_presenter()
            on_help=move |_| ui.help.set(true)
        />
        <main id="main" class="lab">
            <share::EmbedBar
                full_link=move || ui.sess.with_untracked(|s| s.full_link())
                on_back=move |_| ui.follow(&first_link.get_value())
            />
            <NoticeBar
                notice=move || ui.sess.with(|s| s.notice.clone())
                on_dismiss=move |_| ui.dismiss()
            />
            <picker::Picker
                scenario=ui.scenario
                on_select=move |i| ui.select(i)
                on_load=move |text| ui.load(text)
                on_error=move |e| ui.error(e)
            />
            <outcome::OutcomeBanner
                frame=ui.frame
                matrix=ui.matrix
                cell=ui.cell
                hide=move || ui.sess.with(|s| s.spoilers_hidden())
            />
            <div class="stage">
                {player(ui)}
                <div class="side">{move || ui.built[0].get().then(|| side(ui))}</div>
            </div>
            <div class="lower">{move || ui.built[1].get().then(|| lower(ui))}</div>
        </main>
        {footer()}
        <div class="handout"></div>
        <div class="blank" hidden=move || !ui.blank.get() on:click=move |_| ui.toggle_blank()>
            <p>"Screen blanked. Press any key to come back."</p>
        </div>
        // Hidden until asked for, so built after the first paint too.
        {move || ui.painted.get().then(|| view! {
            <help::Help open=move || ui.help.get() on_close=move |_| ui.help.set(false) />
        })}
    }
}

/// After the first frame: the side panels, the panels below, then the rest (help, the story list,
/// the explorer), each in a task of its own (one task for all of them was long).
fn build_after_paint(ui: Ui) {
    set_timeout(
        move || match ui.built.iter().find(|b| !b.get_untracked()) {
            Some(next) => {
                next.set(true);
                build_after_paint(ui);
            }
            None => ui.painted.set(true),
        },
        Duration::from_millis(0),
    );
}

/// Inside an iframe (a blog post) the page drops its own header tagline and footer.
fn mark_embedded() {
    let embedded = window()
        .top()
        .ok()
        .flatten()
        .is_some_and(|top| top != window());
    if embedded {
        if let Some(b) = document().body() {
            let _ = b.class_list().add_1("embedded");
        }
    }
}

/// The presenter view is a class on `<body>`: its stylesheet lays the page out on one screen.
fn mark_presenter(ui: Ui) {
    Effect::new(move |_| {
        let on = ui.presenter.get();
        if let Some(b) = document().body() {
            let _ = b.class_list().toggle_with_force("presenter", on);
        }
    });
}

/// Playback: one interval while playing, at the chosen speed.
fn play(ui: Ui) {
    Effect::new(move |prev: Option<Option<IntervalHandle>>| {
        if let Some(Some(h)) = prev {
            h.clear();
        }
        if !ui.playing.get() {
            return None;
        }
        let ms = u64::from(ui.speed.get().max(16));
        set_interval_with_handle(move || ui.forward(), Duration::from_millis(ms)).ok()
    });
}

/// Keeps the address bar's fragment in step with the view, once it settles (replaceState is too
/// slow in Chromium to pay on every step of autoplay), and follows a fragment edited by hand.
fn keep_link(ui: Ui) {
    Effect::new(move |prev: Option<Option<TimeoutHandle>>| {
        if let Some(Some(h)) = prev {
            h.clear();
        }
        let link = ui.sess.with(|s| s.link());
        let write = move || {
            if let Ok(h) = window().history() {
                let url = format!("#{link}");
                let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        };
        set_timeout_with_handle(write, Duration::from_millis(350)).ok()
    });
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let frag = location_hash();
        if ui.sess.with_untracked(|s| format!("#{}", s.link()) != frag) {
            ui.follow(&frag);
        }
    });
    on_cleanup(move || hash.remove());
}

/// The diagram with its transport and narration: what the first frame shows.
fn player(ui: Ui) -> impl IntoView {
    view! {
        <section id="diagram-panel" class="panel diagram-panel" aria-labelledby="diagram-h">
            <h2 id="diagram-h" class="visually-hidden">"Actor diagram"</h2>
            <diagram::Diagram cfg=ui.cfg frame=ui.frame />
            // The deck: what a phone keeps pinned while the diagram scrolls.
            <div class="deck">
                <transport::Transport
                    frame=ui.frame
                    marks=ui.marks
                    playing=move || ui.playing.get()
                    speed=move || ui.speed.get()
                    on_seek=move |step| ui.seek(step)
                    on_play=move |_| ui.toggle_play()
                    on_speed=move |ms| ui.speed.set(ms)
                />
                <narration::Narration
                    frame=ui.frame
                    story=ui.story
                    painted=move || ui.painted.get()
                    on_seek=move |step| ui.seek(step)
                />
            </div>
            {chooser(ui)}
        </section>
    }
}

/// The scheduler panel, with what it shows derived from the session and the scheduler.
fn chooser(ui: Ui) -> impl IntoView {
    let view = Memo::new(move |_| {
        ui.scheduler
            .with(|c| ui.sess.with(|s| choose::ChooseView::new(s, c)))
    });
    view! { <choose::Choose view on_ask=move |a| ui.ask(a) /> }
}

/// The panels beside the diagram.
fn side(ui: Ui) -> impl IntoView {
    let lesson = Memo::new(move |_| ui.sess.with(lesson::LessonView::new));
    view! {
        <lesson::Lesson view=lesson on_teach=move |t| ui.teach(t) />
        <controls::Controls
            scenario=ui.scenario
            settings=move || ui.sess.with(|s| s.settings.clone())
            on_change=move |c| ui.change(c)
        />
        <waitgraph::WaitGraphPanel cfg=ui.cfg frame=ui.frame />
        <share::SharePanel
            link=move |share| ui.sess.with(|s| s.share_link(&share))
            title=move || ui.sess.with(|s| s.scenario().title.clone())
        />
    }
}

/// The panels below the diagram.
fn lower(ui: Ui) -> impl IntoView {
    view! {
        <matrix::Matrix
            scenario=ui.scenario
            matrix=ui.matrix
            cell=ui.cell
            on_row=move |cell| {
                ui.play_row(cell);
                show_diagram();
            }
            on_more=move |i| ui.explore_more(i)
            on_good=move |cell| {
                ui.play_good_end(cell);
                show_diagram();
            }
        />
        <dump::Dump frame=ui.frame text=move || ui.sess.with(|s| s.dump()) />
    }
}

/// Scrolls the diagram to the top of the window (a matrix row plays there, far above the matrix).
fn show_diagram() {
    if let Some(el) = document().get_element_by_id("diagram-panel") {
        el.scroll_into_view();
    }
}

#[component]
fn Header(
    presenter: impl Derived<bool>,
    on_present: impl Handler<()>,
    on_help: impl Handler<()>,
) -> impl IntoView {
    view! {
        <header class="top">
            <div class="brand" inner_html=BRAND></div>
            <button
                type="button"
                class="present-button"
                aria-keyshortcuts="P"
                aria-pressed=move || presenter().to_string()
                on:click=move |_| on_present(())
            >
                "Presenter view"
            </button>
            <button
                type="button"
                class="help-button"
                aria-keyshortcuts="?"
                on:click=move |_| on_help(())
            >
                "Keys ?"
            </button>
        </header>
    }
}

/// The current message, if any, with a button that dismisses it.
#[component]
fn NoticeBar(notice: impl Derived<Option<Notice>>, on_dismiss: impl Handler<()>) -> impl IntoView {
    move || {
        notice().map(|n| {
            let (class, text) = match n {
                Notice::Error(t) => ("notice error", t),
                Notice::Info(t) => ("notice info", t),
            };
            view! {
                <div class=class role="alert">
                    <span>{text}</span>
                    <button
                        type="button"
                        aria-label="Dismiss message"
                        on:click=move |_| on_dismiss(())
                    >
                        "×"
                    </button>
                </div>
            }
        })
    }
}

// Static text as markup: cheaper in the wasm than the same elements built by `view!`.
const BRAND: &str = "<h1>Deadlock Lab</h1><p class=\"tagline\">Watch real production deadlocks \
    happen. Flip the fixes. See the cycle close or break.</p>";
const FOOTER: &str = "<p>Deadlock Lab runs a model of each incident in your browser: every frame, \
    outcome and verdict is computed, not drawn. Incident write-ups are credited with each \
    scenario; all narration is this project's own.</p>";

fn footer() -> impl IntoView {
    view! { <footer class="foot" inner_html=FOOTER></footer> }
}
