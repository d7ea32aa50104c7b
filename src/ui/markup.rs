//! Helpers for the markup the drawings and panels write as text, and for the one listener
//! each such panel has.
use wasm_bindgen::JsCast;

/// A drawing coordinate rounded to a whole pixel. SVG attributes get integers, so the wasm carries
/// no float-formatting code.
pub fn px(v: f64) -> i32 {
    (v + 0.5).floor() as i32
}

/// The class both drawings add to what the open chapter points at.
pub fn lit(on: bool) -> &'static str {
    if on {
        " lit"
    } else {
        ""
    }
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

/// Appends `open`, then `text` escaped, then `close`: an element whose text is never markup.
pub fn text_into(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    escape_into(out, text);
    out.push_str(close);
}

/// `text` cut to at most `n` characters, the last of them an ellipsis when it was cut (labels in
/// the two drawings).
pub fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The element around a click's target that matches `sel` (the target itself included): which
/// button of a panel written as markup was pressed.
pub fn clicked(ev: &leptos::ev::MouseEvent, sel: &str) -> Option<web_sys::Element> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest(sel).ok().flatten()
}

/// The number a clicked button of a panel written as markup carries in its attribute `attr`.
pub fn clicked_number(ev: &leptos::ev::MouseEvent, attr: &str) -> Option<usize> {
    let b = clicked(ev, &format!("button[{attr}]"))?;
    b.get_attribute(attr)?.parse().ok()
}
