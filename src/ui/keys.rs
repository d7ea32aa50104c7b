//! The global keyboard shortcuts (listed for the reader in `help`).
use super::Ui;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Global shortcuts. Keys that a focused control uses itself (space on a button, arrows in a
/// slider or a select, typing in a field) are left to it.
pub fn on_key(ui: Ui, ev: &web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let tag = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let handled = if ev.key() == "?" || ui.help.get_untracked() {
        help_key(ui, &ev.key())
    } else {
        player_key(ui, &ev.key(), &tag)
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

fn player_key(ui: Ui, key: &str, tag: &str) -> bool {
    let in_control = matches!(
        tag,
        "input" | "select" | "textarea" | "button" | "summary" | "a"
    );
    match key {
        " " | "k" if !in_control => ui.toggle_play(),
        "ArrowRight" | "l" if !in_control => ui.seek(ui.step() + 1),
        "ArrowLeft" | "j" if !in_control => ui.back(),
        "Home" if !in_control => ui.seek(0),
        "End" if !in_control => ui.seek(usize::MAX),
        "r" | "R" if !matches!(tag, "input" | "textarea") => ui.seek(0),
        _ => return false,
    }
    true
}
