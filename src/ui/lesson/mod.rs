//! The guided lesson: the chapter list, the open chapter's text and question, and the model's
//! answer once the class has chosen (a polite live region). Shown when the scenario has one.
//!
//! The panel is written as markup with one click listener (each button says what it does in
//! `data-t`): far less wasm than the same buttons built one by one. After a click replaces the
//! markup, focus goes back to the same navigation button (`data-f`), else to the chapter's title,
//! else to the first button of the navigation.
use super::{escape_into, Handler};
use crate::session::{Lesson as Open, Session};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What the panel asks for.
#[derive(Clone, Copy)]
pub enum Teach {
    /// Open chapter `n` (from 0).
    Open(usize),
    /// The class's answer to the open question.
    Answer(usize),
    Leave,
    /// Print the whole lesson as a hand-out.
    Print,
}

impl Teach {
    /// `o3`, `a1`, `l` or `p`, as the buttons carry it.
    fn parse(t: &str) -> Option<Teach> {
        let n = || t.get(1..)?.parse().ok();
        match t.as_bytes().first()? {
            b'o' => n().map(Teach::Open),
            b'a' => n().map(Teach::Answer),
            b'l' => Some(Teach::Leave),
            b'p' => Some(Teach::Print),
            _ => None,
        }
    }
}

/// Everything the panel shows, derived once per change of the session.
#[derive(Clone, PartialEq)]
pub struct LessonView {
    pub chapters: usize,
    pub markup: String,
    pub feedback: String,
}

impl LessonView {
    pub fn new(s: &Session) -> LessonView {
        let titles: Vec<&str> = s
            .scenario()
            .chapters
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        let mut out = String::new();
        nav(&mut out, s.lesson.as_ref().map(|l| l.chapter), titles.len());
        if let Some(l) = &s.lesson {
            chapter(&mut out, s, l);
        }
        out.push_str("<details class=\"chapters\"><summary>All chapters</summary><ol>");
        for (i, t) in titles.iter().enumerate() {
            let current = match s.lesson.as_ref().map(|l| l.chapter) {
                Some(c) if c == i => " aria-current=\"step\"",
                _ => "",
            };
            out.push_str(&format!(
                "<li><button type=\"button\" data-t=\"o{i}\"{current}>"
            ));
            escape_into(&mut out, t);
            out.push_str("</button></li>");
        }
        out.push_str("</ol></details>");
        LessonView {
            chapters: titles.len(),
            markup: out,
            feedback: s.feedback().unwrap_or_default(),
        }
    }
}

/// A button that asks for `t`, disabled when `off`.
fn button(out: &mut String, t: &str, off: bool, label: &str) {
    nav_button(out, "", t, off, label);
}

/// A button that keeps focus across a new markup (by its `data-f`) when `f` is not empty.
fn nav_button(out: &mut String, f: &str, t: &str, off: bool, label: &str) {
    let off = if off { " disabled" } else { "" };
    let f = if f.is_empty() {
        String::new()
    } else {
        format!(" data-f=\"{f}\"")
    };
    out.push_str(&format!(
        "<button type=\"button\" data-t=\"{t}\"{f}{off}>{label}</button>"
    ));
}

/// Previous, next (or start) and leave.
fn nav(out: &mut String, open: Option<usize>, count: usize) {
    out.push_str("<nav class=\"chapter-nav\" aria-label=\"Chapters\">");
    match open {
        None => button(out, "o0", false, "Start the lesson"),
        Some(i) => {
            let prev = format!("o{}", i.saturating_sub(1));
            nav_button(out, "p", &prev, i == 0, "← Previous chapter");
            let next = format!("o{}", i + 1);
            nav_button(out, "n", &next, i + 1 >= count, "Next chapter →");
            button(out, "l", false, "Leave the lesson");
        }
    }
    button(out, "p", false, "Print a hand-out");
    out.push_str("</nav>");
}

/// The open chapter: title, text, and its question with one button per answer. Once the class
/// has answered, every button is disabled and the right one (and a wrong choice) say so in
/// words, not only in colour.
fn chapter(out: &mut String, s: &Session, l: &Open) {
    let Some(ch) = s.scenario().chapters.get(l.chapter) else {
        return;
    };
    out.push_str(&format!(
        "<h3 tabindex=\"-1\" id=\"chapter-h\">{}. ",
        l.chapter + 1
    ));
    escape_into(out, &ch.title);
    out.push_str("</h3><p>");
    escape_into(out, &ch.text);
    out.push_str("</p>");
    let Some(q) = &l.question else { return };
    out.push_str("<p class=\"prompt\">");
    escape_into(out, &q.prompt);
    out.push_str("</p><ol class=\"answers\">");
    for (k, o) in q.options.iter().enumerate() {
        let mark = match l.answered {
            Some(_) if k == q.answer => " ✓ the model's answer",
            Some(a) if a == k => " ✗ your answer",
            _ => "",
        };
        out.push_str("<li>");
        let mut label = String::new();
        escape_into(&mut label, o);
        button(out, &format!("a{k}"), l.answered.is_some(), &(label + mark));
        out.push_str("</li>");
    }
    out.push_str("</ol>");
}

/// Once the new markup is in, focus goes to the navigation button `f` (if it is still enabled),
/// else to the chapter's title, else to the first navigation button: never lost to the page.
fn refocus(f: Option<String>) {
    request_animation_frame(move || {
        let doc = document();
        let find = |sel: &str| doc.query_selector(sel).ok().flatten();
        let same = f.and_then(|f| find(&format!(".lesson [data-f=\"{f}\"]:not([disabled])")));
        let el = same
            .or_else(|| doc.get_element_by_id("chapter-h"))
            .or_else(|| find(".lesson nav button"));
        if let Some(e) = el {
            let _ = e.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

#[component]
pub fn Lesson(view: Memo<LessonView>, on_teach: impl Handler<Teach>) -> impl IntoView {
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = super::clicked(&ev, "button[data-t]") else {
            return;
        };
        let t = b.get_attribute("data-t").unwrap_or_default();
        if let Some(teach) = Teach::parse(&t) {
            on_teach(teach);
            refocus(b.get_attribute("data-f"));
        }
    };
    view! {
        <section class="panel lesson" aria-labelledby="lesson-h"
            hidden=move || view.with(|v| v.chapters == 0)>
            <h2 id="lesson-h">"Lesson"</h2>
            <div on:click=click inner_html=move || view.with(|v| v.markup.clone())></div>
            <p class="feedback" role="status" aria-live="polite">
                {move || view.with(|v| v.feedback.clone())}
            </p>
        </section>
    }
}
