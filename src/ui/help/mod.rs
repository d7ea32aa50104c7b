//! The keyboard help overlay (press ?).
use super::{Derived, Handler};
use leptos::prelude::*;

/// The dialog's text as markup: fixed words, so a string the browser parses costs the wasm far
/// less than the same elements built one by one.
const BODY: &str = concat!(
    "<dl>",
    "<dt><kbd>Space or K</kbd></dt><dd>play or pause</dd>",
    "<dt><kbd>→, L or Page Down</kbd></dt><dd>one step forward</dd>",
    "<dt><kbd>←, J or Page Up</kbd></dt><dd>one step back</dd>",
    "<dt><kbd>Home or R</kbd></dt><dd>back to step 0</dd>",
    "<dt><kbd>End</kbd></dt><dd>last step</dd>",
    "<dt><kbd>1 to 9</kbd></dt><dd>while you choose the schedule: take that offered step</dd>",
    "<dt><kbd>Enter</kbd></dt><dd>flip the focused switch, press the focused button</dd>",
    "<dt><kbd>P</kbd></dt><dd>presenter view (one screen, for a projector)</dd>",
    "<dt><kbd>. or B</kbd></dt><dd>blank the screen and pause; any key brings it back</dd>",
    "<dt><kbd>?</kbd></dt><dd>show or hide this help</dd>",
    "<dt><kbd>Esc</kbd></dt><dd>close this help</dd>",
    "</dl>",
    "<p>These keys work wherever focus is, except that a text field, a select or a slider keeps ",
    "the keys it uses itself. Space always plays or pauses, so it never flips a switch by ",
    "surprise: a switch flips with Enter or a click.</p>",
    "<p>Every control is a normal button, checkbox, select or slider: Tab moves between them.</p>",
    "<h3>What you see</h3>",
    "<dl class=\"words\">",
    "<dt>Diagram</dt><dd>Each process is a box; each actor in it shows its state (▶ can move, ",
    "‖ blocked, ⟳ deadlocked) and what it is doing. A channel is a row of slots; a short token ",
    "in a slot (such as dc or r2) stands for the message in it, named in full in the slot's ",
    "tooltip.</dd>",
    "<dt>Wait-for graph</dt><dd>An arrow from an actor to what it waits for, and on to whoever ",
    "could release it. A closed loop is a deadlock: nobody in it can move first.</dd>",
    "<dt>Explorer</dt><dd>Tries every interleaving (every order in which the actors could take ",
    "their steps) for each combination of switches. “States checked” counts the distinct ",
    "states it visited; its verdict holds for the model at these knobs.</dd>",
    "<dt>You are the scheduler</dt><dd>You pick who moves next. Beside each step the explorer ",
    "marks one that makes a deadlock certain or rules it out, and says how few steps it still ",
    "needs.</dd>",
    "</dl>",
);

/// The dialog's Close button (found by id rather than a `NodeRef`, which would bring its own
/// machinery into the wasm for this one use).
fn close_button() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    document()
        .get_element_by_id("help-close")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Focus moves into the dialog when it opens and back to where it was when it closes (the page
/// itself when that was nothing focusable), never staying on a hidden button.
fn move_focus(open: impl Derived<bool>) {
    let opener: std::rc::Rc<std::cell::RefCell<Option<web_sys::HtmlElement>>> = Default::default();
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let open = open();
        let Some(b) = close_button() else { return };
        if open {
            *opener.borrow_mut() = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            let _ = b.focus();
        } else {
            let back = opener
                .borrow_mut()
                .take()
                .filter(|e| !e.is_same_node(Some(&b)));
            match back {
                Some(e) if e.tag_name() != "BODY" => {
                    let _ = e.focus();
                }
                _ => {
                    let _ = b.blur();
                }
            }
        }
    });
}

/// Shown while `open`; `on_close` gets a click on Close or beside the dialog.
#[component]
pub fn Help(open: impl Derived<bool>, on_close: impl Handler<()>) -> impl IntoView {
    move_focus(open);
    view! {
        <div
            class=move || if open() { "help-backdrop open" } else { "help-backdrop" }
            on:click=move |_| on_close(())
        >
            <div
                class="help-dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="help-h"
                hidden=move || !open()
                on:click=|ev| ev.stop_propagation()
            >
                <h2 id="help-h">"Keyboard shortcuts"</h2>
                <div inner_html=BODY></div>
                <button type="button" id="help-close" on:click=move |_| on_close(())>
                    "Close"
                </button>
            </div>
        </div>
    }
}
