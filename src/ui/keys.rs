//! The global shortcuts (listed for the reader in `help`). They work wherever focus is: a focused
//! control keeps only the keys it needs itself (typing in a field, arrows in a slider or a select,
//! Space on a file picker). Space is play/pause everywhere else, so it never presses a focused
//! button or flips a focused switch by surprise; a switch toggles with a click or with Enter.
use super::Ui;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the focused element is, as far as its own use of keys goes.
#[derive(Clone, Copy, PartialEq)]
enum Focus {
    /// Nothing that takes keys (the page, a panel, a button, a link).
    Free,
    /// A checkbox: Enter toggles it here, Space stays play/pause.
    Checkbox,
    /// A slider: it needs the arrows, Home, End, PageUp and PageDown.
    Slider,
    /// A radio button: the arrows move within its group.
    Radio,
    /// A file picker: Space and Enter open it.
    File,
    /// A text field or a select: every key is its own.
    Field,
}

fn focus_of(ev: &web_sys::KeyboardEvent) -> (Focus, Option<web_sys::HtmlElement>) {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return (Focus::Free, None);
    };
    let tag = el.tag_name().to_ascii_lowercase();
    let kind = match tag.as_str() {
        "select" | "textarea" => Focus::Field,
        "input" => match el.get_attribute("type").unwrap_or_default().as_str() {
            "checkbox" => Focus::Checkbox,
            "range" => Focus::Slider,
            "radio" => Focus::Radio,
            "file" => Focus::File,
            "button" | "submit" | "reset" => Focus::Free,
            _ => Focus::Field,
        },
        _ => Focus::Free,
    };
    (kind, Some(el))
}

/// Whether the focused control uses `key` itself.
fn wants(focus: Focus, key: &str) -> bool {
    let arrows = matches!(key, "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown");
    match focus {
        Focus::Free | Focus::Checkbox => false,
        Focus::Slider => arrows || matches!(key, "Home" | "End" | "PageUp" | "PageDown"),
        Focus::Radio => arrows,
        Focus::File => matches!(key, " " | "Enter"),
        Focus::Field => key != "Escape",
    }
}

pub fn on_key(ui: Ui, ev: &web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let key = ev.key();
    let (focus, el) = focus_of(ev);
    if wants(focus, &key) {
        return;
    }
    let handled = if ui.blank.get_untracked() {
        // A blank screen comes back with any key; "." and B are how it went blank.
        ui.toggle_blank();
        true
    } else if key == "?" || ui.help.get_untracked() {
        help_key(ui, &key)
    } else if focus == Focus::Checkbox && key == "Enter" {
        // Enter is how a switch toggles from the keyboard (Space is play/pause).
        el.map(|e| e.click()).is_some()
    } else {
        player_key(ui, &key)
    };
    if handled {
        ev.prevent_default();
    }
}

/// While the help is open only `?` and Escape do anything; `?` toggles it from anywhere.
fn help_key(ui: Ui, key: &str) -> bool {
    match key {
        "?" => ui.help.update(|h| *h = !*h),
        "Escape" => ui.help.set(false),
        _ => return false,
    }
    true
}

fn player_key(ui: Ui, key: &str) -> bool {
    match key {
        " " | "k" | "K" => ui.toggle_play(),
        "ArrowRight" | "l" | "L" | "PageDown" => ui.seek(ui.step() + 1),
        "ArrowLeft" | "j" | "J" | "PageUp" => ui.back(),
        "Home" | "r" | "R" => ui.seek(0),
        "End" => ui.seek(usize::MAX),
        "p" | "P" => ui.toggle_presenter(),
        // Presentation clickers send "." or B for their blank-screen button.
        "." | "b" | "B" => ui.toggle_blank(),
        // While choosing: the offered steps, first to ninth.
        "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" => {
            return ui.take(usize::from(key.as_bytes()[0] - b'1'))
        }
        _ => return false,
    }
    true
}
