//! Sharing and embedding: the share panel (a link and an iframe's code for the view on screen,
//! with the embed's options and a preview), the bar an embedded view shows (open the whole app,
//! back to the linked step, the credit), and the body classes that lay an embed out.
//!
//! Both are markup written once, with one listener each, and filled in from the session by an
//! effect: far less wasm than the same controls built one by one. The panel's options live in
//! its own form controls and are read back when they change.
use super::{clicked, Handler, Ui};
use crate::session::{Embed, Panels, Share};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The embed's options are classes on `<body>` (its stylesheet hides what the view leaves out,
/// and shows the embed's bar), the bar's credit follows the scenario, and an embed that asks
/// to play starts once the page is up.
pub fn mark(ui: Ui) {
    Effect::new(move |_| {
        let (e, credit) = ui.sess.with(|s| (s.embed, s.scenario().credit.sentence()));
        if let Some(b) = document().body() {
            let list = b.class_list();
            let _ = list.toggle_with_force("embed", e.is_embed());
            let _ = list.toggle_with_force("view-focus", e.panels == Panels::Focus);
            let _ = list.toggle_with_force("view-diagram", e.panels == Panels::Diagram);
            let _ = list.toggle_with_force("no-controls", !e.controls);
        }
        if let Ok(Some(c)) = document().query_selector(".embed-bar .credit") {
            c.set_text_content(Some(&credit));
        }
    });
    if ui.sess.with_untracked(|s| s.embed.autoplay) {
        request_animation_frame(move || ui.playing.set(true));
    }
}

/// This page's address without its fragment, for links and embed code that work elsewhere.
fn page_url() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

fn find(sel: &str) -> Option<web_sys::Element> {
    document().query_selector(sel).ok().flatten()
}

/// An embedded view's bar (shown by the `embed` class): the whole app at the view on screen, in
/// a new tab (its address is filled in as it is followed), the step the link opened at, and the
/// credit.
#[component]
pub fn EmbedBar(
    full_link: impl Fn() -> String + 'static,
    on_back: impl Handler<()>,
) -> impl IntoView {
    let click = move |ev: leptos::ev::MouseEvent| {
        if let Some(a) = clicked(&ev, "a") {
            let _ = a.set_attribute("href", &format!("{}#{}", page_url(), full_link()));
        } else if clicked(&ev, "button").is_some() {
            on_back(());
        }
    };
    view! { <nav class="embed-bar" aria-label="Embedded view" on:click=click inner_html=BAR></nav> }
}

const BAR: &str = "<a href=\"#\" target=\"_blank\" rel=\"noopener\">Open in Deadlock Lab ↗</a>\
    <button type=\"button\" class=\"secondary\">Back to the linked step</button>\
    <span class=\"credit\"></span>";

/// The HTML a blog pastes: an iframe of `url`, titled, lazy, sized for its panels (it then
/// fits its content through `embed.js`).
fn embed_code(url: &str, title: &str, panels: Panels) -> String {
    let height = match panels {
        Panels::All => 900,
        Panels::Focus => 640,
        Panels::Diagram => 460,
    };
    let mut t = String::new();
    super::escape_into(&mut t, title);
    format!(
        "<iframe src=\"{url}\" title=\"Deadlock Lab: {t}\" width=\"100%\" height=\"{height}\" \
         loading=\"lazy\" style=\"border:0\"></iframe>"
    )
}

/// Copies the text of the field `id` through the clipboard, and says whether it did; where the
/// page may not use the clipboard (an insecure page, an iframe not allowed to), the text is left
/// selected for the reader's own copy key.
fn copy(id: &str) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    let field = el.unchecked_into::<web_sys::HtmlTextAreaElement>();
    field.select();
    const SELECTED: &str = "Selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    if !window().is_secure_context() {
        return say(SELECTED);
    }
    let promise = window().navigator().clipboard().write_text(&field.value());
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => say("Copied to the clipboard."),
            Err(_) => say(SELECTED),
        }
    });
}

/// The share panel's form (the outputs are filled in as the view changes).
const FORM: &str = "<summary>Share or embed this view</summary>\
    <div class=\"share-options\"><label for=\"share-panels\">Shows</label> \
    <select id=\"share-panels\" name=\"panels\">\
    <option value=\"\">the whole app</option>\
    <option value=\"focus\">the diagram, narration and controls</option>\
    <option value=\"diagram\">the diagram alone</option></select>\
    <label><input type=\"checkbox\" name=\"at\" checked> Opens at the step on screen</label>\
    <label><input type=\"checkbox\" name=\"play\"> Plays by itself</label>\
    <label><input type=\"checkbox\" name=\"ctl\" checked> Shows the controls</label></div>\
    <label for=\"share-link\">Link</label>\
    <textarea id=\"share-link\" class=\"share-text\" readonly rows=\"2\"></textarea>\
    <button type=\"button\" data-copy=\"share-link\">Copy link</button>\
    <label for=\"share-code\">Embed code (add embed.js to the page to fit its height)</label>\
    <textarea id=\"share-code\" class=\"share-text\" readonly rows=\"3\"></textarea>\
    <button type=\"button\" data-copy=\"share-code\">Copy embed code</button> \
    <button type=\"button\" class=\"secondary\" data-preview>Preview the embed</button>\
    <p class=\"copied\" role=\"status\"></p><div class=\"preview-box\"></div>";

/// The options as the form shows them.
fn options() -> Share {
    let input = |name: &str| {
        find(&format!(".share [name={name}]"))
            .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>())
    };
    let on = |name: &str| input(name).is_none_or(|i| i.checked());
    let panels = input("panels").map(|i| i.value()).unwrap_or_default();
    Share {
        embed: Embed {
            panels: Panels::from_id(&panels).unwrap_or_default(),
            autoplay: input("play").is_some_and(|i| i.checked()),
            controls: on("ctl"),
        },
        at_step: on("at"),
    }
}

/// Writes `text` into the text area `id`.
fn fill(id: &str, text: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.unchecked_into::<web_sys::HtmlTextAreaElement>()
            .set_value(text);
    }
}

fn say(text: &str) {
    if let Some(p) = find(".share .copied") {
        p.set_text_content(Some(text));
    }
}

/// The share panel. `link` gives the link for a set of options (reading the session, so the
/// outputs follow the view), `title` the scenario's name.
#[component]
pub fn SharePanel(
    link: impl Fn(Share) -> String + Copy + 'static,
    title: impl Fn() -> String + Copy + 'static,
) -> impl IntoView {
    let url = move || format!("{}#{}", page_url(), link(options()));
    let refill = move || {
        let u = url();
        fill(
            "share-code",
            &embed_code(&u, &title(), options().embed.panels),
        );
        fill("share-link", &u);
    };
    Effect::new(move |_| refill());
    let change = move |_: leptos::ev::Event| {
        refill();
        say("");
    };
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = clicked(&ev, "button") else {
            return;
        };
        match b.get_attribute("data-copy") {
            Some(id) => copy(&id),
            // Loaded when asked for (and again when asked again): an embed is a second app.
            None => {
                let mut src = String::new();
                super::escape_into(&mut src, &url());
                if let Some(p) = find(".share .preview-box") {
                    p.set_inner_html(&format!(
                        "<iframe class=\"preview\" title=\"Preview of the embed\" src=\"{src}\">\
                         </iframe>"
                    ));
                }
            }
        }
    };
    view! {
        <details class="panel share" on:change=change on:click=click inner_html=FORM>
        </details>
    }
}
