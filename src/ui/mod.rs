//! The browser UI. It keeps one [`Session`] in a signal and renders projections of it; it
//! decides no concurrency rule itself (every frame, outcome, cycle and verdict comes from
//! `crate::sim`). One folder per component, its CSS beside it.
use crate::session::{Frame, Notice, Session};
use crate::sim::MatrixCell;
use crate::sim::{scenarios, Config};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

pub mod controls;
pub mod diagram;
pub mod dump;
pub mod help;
pub mod matrix;
pub mod narration;
pub mod outcome;
pub mod picker;
pub mod transport;
pub mod waitgraph;

/// The configuration, compared by identity (a new run always comes with a new `Arc`).
#[derive(Clone)]
pub struct CfgRef(pub Arc<Config>);

impl PartialEq for CfgRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A drawing coordinate rounded to a whole pixel. SVG attributes get integers, so the wasm carries no
/// float-formatting code (about 15 KB).
pub fn px(v: f64) -> i32 {
    (v + 0.5).floor() as i32
}

/// Appends `text` to markup being written, with the five markup characters escaped: text from a
/// scenario file is always text, never markup.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `text` cut to at most `n` characters, the last of them an ellipsis when it was cut (labels in the
/// two drawings).
pub fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Shared UI state: the session, what is derived from it once per change, and playback.
#[derive(Clone, Copy)]
pub struct Ui {
    pub sess: RwSignal<Session>,
    /// The current step's projections, recomputed once per session change.
    pub frame: Memo<Frame>,
    pub cfg: Memo<CfgRef>,
    /// Changes only when another scenario is shown (so controls are not rebuilt on every step).
    pub scenario: Memo<(usize, usize)>,
    /// The fix matrix for the current scenario and knobs (recomputed only when those change).
    /// `None` until the first frame is on screen: the page does not wait for the explorer.
    pub matrix: Memo<Option<Result<Arc<Vec<MatrixCell>>, String>>>,
    /// Set once the first frame has been painted: the side and lower panels, the story list and the
    /// explorer wait for it, so the diagram reaches the screen first.
    pub painted: RwSignal<bool>,
    pub playing: RwSignal<bool>,
    /// Milliseconds between steps while playing.
    pub speed: RwSignal<u32>,
    pub help: RwSignal<bool>,
}

impl Ui {
    /// Must be called inside a component (the memos need a reactive owner).
    pub fn new(session: Session) -> Ui {
        let sess = RwSignal::new(session);
        let painted = RwSignal::new(false);
        Ui {
            painted,
            sess,
            frame: Memo::new(move |_| sess.with(|s| s.frame())),
            cfg: Memo::new(move |_| sess.with(|s| CfgRef(s.cfg.clone()))),
            scenario: Memo::new(move |_| sess.with(|s| (s.current, s.scenarios.len()))),
            matrix: {
                let key = Memo::new(move |_| {
                    sess.with(|s| (s.current, s.scenarios.len(), s.settings.knobs.clone()))
                });
                Memo::new(move |_| {
                    let _ = key.get();
                    painted
                        .get()
                        .then(|| sess.with_untracked(|s| s.matrix().map(Arc::new)))
                })
            },
            playing: RwSignal::new(false),
            speed: RwSignal::new(transport::DEFAULT_SPEED_MS),
            help: RwSignal::new(false),
        }
    }
    /// One step forward; playback stops on the last step.
    pub fn forward(&self) {
        let mut at_end = true;
        self.sess.update(|s| {
            s.forward();
            at_end = s.at_end();
        });
        if at_end {
            self.playing.set(false);
        }
    }
    pub fn back(&self) {
        self.playing.set(false);
        self.sess.update(|s| {
            s.back();
        });
    }
    pub fn toggle_play(&self) {
        if self.sess.with(|s| s.at_end()) {
            self.sess.update(|s| s.seek(0));
        }
        self.playing.update(|p| *p = !*p);
    }
}

/// Installs the panic hook and mounts the app on `<body>`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

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
            <main id="main"><h1>"Deadlock Lab"</h1><p role="alert">"The built-in scenarios could not be loaded: " {e}</p></main>
        }
        .into_any(),
    }
}

/// The whole lab for one session.
#[component]
pub fn Lab(ui: Ui) -> impl IntoView {
    let Ui {
        sess,
        playing,
        speed,
        ..
    } = ui;
    // Inside an iframe (a blog post) the page drops its own header tagline and footer.
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

    // Playback: one interval while playing, at the chosen speed.
    Effect::new(move |prev: Option<Option<IntervalHandle>>| {
        if let Some(Some(h)) = prev {
            h.clear();
        }
        if !playing.get() {
            return None;
        }
        let ms = u64::from(speed.get().max(16));
        set_interval_with_handle(move || ui.forward(), Duration::from_millis(ms)).ok()
    });

    // Keep the address bar's fragment in step with the view, once it settles: replaceState costs
    // several milliseconds in Chromium, too much to pay on every step of autoplay.
    Effect::new(move |prev: Option<Option<TimeoutHandle>>| {
        if let Some(Some(h)) = prev {
            h.clear();
        }
        let link = sess.with(|s| s.link());
        set_timeout_with_handle(
            move || {
                if let Ok(h) = window().history() {
                    let _ = h.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&format!("#{link}")),
                    );
                }
            },
            Duration::from_millis(350),
        )
        .ok()
    });
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        let frag = location_hash();
        if sess.with_untracked(|s| format!("#{}", s.link()) != frag) {
            sess.update(|s| {
                if let Err(e) = s.apply_link(&frag) {
                    s.notice = Some(Notice::Error(e));
                }
            });
        }
    });
    let keys = window_event_listener(leptos::ev::keydown, move |ev| transport::on_key(ui, &ev));
    // After the first frame is painted, let the explorer run.
    request_animation_frame(move || {
        set_timeout(move || ui.painted.set(true), Duration::from_millis(0))
    });
    on_cleanup(move || {
        hash.remove();
        keys.remove();
    });

    let notice = move || {
        sess.with(|s| s.notice.clone()).map(|n| {
            let (class, text) = match n {
                Notice::Error(t) => ("notice error", t),
                Notice::Info(t) => ("notice info", t),
            };
            view! {
                <div class=class role="alert">
                    <span>{text}</span>
                    <button type="button" aria-label="Dismiss message" on:click=move |_| sess.update(|s| s.notice = None)>"×"</button>
                </div>
            }
        })
    };

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="top">
            <div class="brand">
                <h1>"Deadlock Lab"</h1>
                <p class="tagline">"Watch real production deadlocks happen. Flip the fixes. See the cycle close or break."</p>
            </div>
            <button type="button" class="help-button" aria-keyshortcuts="?" on:click=move |_| ui.help.set(true)>"Keys ?"</button>
        </header>
        <main id="main" class="lab">
            {notice}
            <picker::Picker ui=ui />
            <outcome::OutcomeBanner ui=ui />
            <div class="stage">
                <section class="panel diagram-panel" aria-labelledby="diagram-h">
                    <h2 id="diagram-h" class="visually-hidden">"Actor diagram"</h2>
                    <diagram::Diagram ui=ui />
                    <transport::Transport ui=ui />
                    <narration::Narration ui=ui />
                </section>
                <div class="side">
                    {move || ui.painted.get().then(|| view! {
                        <controls::Controls ui=ui />
                        <waitgraph::WaitGraphPanel ui=ui />
                    })}
                </div>
            </div>
            <div class="lower">
                {move || ui.painted.get().then(|| view! {
                    <matrix::Matrix ui=ui />
                    <dump::Dump ui=ui />
                })}
            </div>
        </main>
        <footer class="foot">
            <p>
                "Deadlock Lab runs a model of each incident in your browser: every frame, outcome and verdict is computed, not drawn. "
                "Incident write-ups are credited with each scenario; all narration is this project's own."
            </p>
        </footer>
        // Hidden until asked for, so built after the first paint too.
        {move || ui.painted.get().then(|| view! { <help::Help ui=ui /> })}
    }
}
