//! The lesson as a printed hand-out: one page per chapter with its title, its text, its question
//! (without the answer, for the class to work out) and the diagram at its step and settings. It
//! is written as markup into `.handout` just before printing; on screen `.handout` is never shown.
use super::diagram::{layout::layout, scene::scene};
use super::{px, text_into};
use crate::session::Session;
use leptos::prelude::*;

/// Every chapter of the lesson of `s` as a page; a chapter that cannot be shown is left out.
pub fn markup(s: &Session) -> String {
    let mut out = String::new();
    for (i, ch) in s.scenario().chapters.iter().enumerate() {
        let mut c = s.clone();
        if !c.open_chapter(i) {
            continue;
        }
        out.push_str(&format!("<section><h2>{}. ", i + 1));
        text_into(&mut out, "", &ch.title, "</h2>");
        text_into(&mut out, "<p>", &ch.text, "</p>");
        if let Some(q) = c.lesson.as_ref().and_then(|l| l.question.as_ref()) {
            text_into(&mut out, "<p class=\"prompt\">", &q.prompt, "</p><ol>");
            for o in &q.options {
                text_into(&mut out, "<li>", o, "</li>");
            }
            out.push_str("</ol>");
        }
        let l = layout(&c.cfg, false);
        out.push_str(&format!(
            "<svg class=\"diagram-svg\" viewBox=\"0 0 {} {}\" aria-hidden=\"true\">",
            px(l.w),
            px(l.h)
        ));
        out.push_str(&scene(&c.cfg, &l, &c.frame()).markup);
        out.push_str("</svg></section>");
    }
    out
}

/// Writes the hand-out of `s` into the page and opens the browser's print dialog.
pub fn print(s: &Session) {
    let doc = document();
    if let Some(h) = doc.query_selector(".handout").ok().flatten() {
        h.set_inner_html(&markup(s));
    }
    let _ = window().print();
}
