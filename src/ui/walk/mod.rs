//! Walking the wait-for cycle one wait at a time: the names both drawings give the parts of each
//! wait (`data-w`), the highlight of the wait being named, and the cycle box with the walk's
//! buttons, written as markup with one click listener (the walk's place is kept in the buttons'
//! `data-k`, so it needs no signal). Which waits form the cycle, and why, comes from the core.
use super::escape_into;
use crate::session::Frame;
use crate::sim::WaitEdge;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The `data-w` names of one wait's arrows: from the waiting actor to its resource, and from the
/// resource on to whoever can release it. Actors are `aN` and resources `rN` in both drawings.
pub struct Walk {
    pub wait: String,
    pub release: String,
}

impl Walk {
    pub fn new(e: &WaitEdge) -> Walk {
        Walk {
            wait: format!("a{}r{}", e.from, e.res),
            release: format!("r{}a{}", e.res, e.to),
        }
    }
}

/// Moves the highlight to wait `e` in both drawings; `None` only removes it.
pub fn highlight(e: Option<&WaitEdge>) {
    let doc = document();
    let each = |sel: &str, on: bool| {
        let Ok(list) = doc.query_selector_all(sel) else {
            return;
        };
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let classes = el.class_list();
                let _ = if on {
                    classes.add_1("walk")
                } else {
                    classes.remove_1("walk")
                };
            }
        }
    };
    each(".walk", false);
    if let Some(e) = e {
        let w = Walk::new(e);
        let (a, r) = (e.from, e.res);
        each(
            &format!(
                "[data-w={}],[data-w={}],[data-w=a{a}],[data-w=r{r}],[data-d=a{a}],[data-d=r{r}]",
                w.wait, w.release
            ),
            true,
        );
    }
}

/// The buttons of the walk at wait `k` (0: not walking); each says in `data-k` where it goes.
fn buttons(n: usize, k: usize) -> String {
    let label = match k {
        0 => "Walk the cycle, one wait at a time",
        k if k < n => "Next wait →",
        _ => "Back to the first wait",
    };
    let mut out = format!(
        "<button type=\"button\" class=\"secondary\" data-k=\"{}\">{label}</button>",
        k % n.max(1) + 1
    );
    if k > 0 {
        out.push_str(
            "<button type=\"button\" class=\"secondary\" data-k=\"0\">Stop walking</button>",
        );
    }
    out
}

/// The cycle box of frame `f` as markup (empty without a cycle): its title, the walk's buttons
/// and live region, and the whole cycle in words. Called for each new frame, which also ends the
/// walk of the last one.
pub fn cycle_markup(f: &Frame) -> String {
    highlight(None);
    let Some(t) = &f.cycle_text else {
        return String::new();
    };
    let mut out = format!(
        "<div class=\"cycle-text\"><h3>The cycle</h3><div class=\"walk-controls\">{}</div>\
         <p class=\"walk-now\" aria-live=\"polite\"></p><p>",
        buttons(f.cycle_hops.len(), 0)
    );
    escape_into(&mut out, t);
    out.push_str("</p></div>");
    out
}

/// A click in the cycle box: a walk button names its wait in the live region, highlights it in
/// both drawings and puts the next buttons in (focus stays on the first).
pub fn click(ev: &leptos::ev::MouseEvent, f: &Frame) {
    let k = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.get_attribute("data-k"))
        .and_then(|k| k.parse::<usize>().ok());
    let Some(k) = k else { return };
    let hop = k.checked_sub(1);
    highlight(hop.and_then(|i| f.graph.cycle.get(i)));
    let n = f.cycle_hops.len();
    let said = match hop.and_then(|i| f.cycle_hops.get(i)) {
        Some(h) => format!("Wait {k} of {n}: {h}"),
        None => String::new(),
    };
    let doc = document();
    if let Some(p) = doc.query_selector(".walk-now").ok().flatten() {
        p.set_text_content(Some(&said));
    }
    if let Some(c) = doc.query_selector(".walk-controls").ok().flatten() {
        c.set_inner_html(&buttons(n, k));
        if let Some(b) = c.first_element_child() {
            let _ = b.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    }
}
