//! The link: a URL fragment that reproduces a view (scenario, switches, knobs, step and, for a
//! schedule that is not the story, the schedule itself, `view=present` for the presenter view,
//! and an embed's options), and reading one back. Links carry their format (`v=2`) and the
//! scenario's content hash (`h`): a first-format link (neither) opens as it always did, and one
//! made for content that has changed since shows the scenario's start and says so. A link without
//! a part keeps its old meaning; a step past the end of its run shows the last step and says so.
use super::{Session, Source};
use crate::sim::run;
use crate::sim::{Scenario, Settings};

impl Session {
    /// The link (URL fragment, without `#`) that reproduces this view.
    pub fn link(&self) -> String {
        let sw: String = self
            .settings
            .switches
            .iter()
            .map(|&b| if b { '1' } else { '0' })
            .collect();
        let k: Vec<String> = self.settings.knobs.iter().map(|v| v.to_string()).collect();
        let mut out = format!(
            "v=2&s={}&h={:08x}&sw={sw}&k={}&at={}",
            self.scenario().id,
            self.scenario().hash,
            k.join(","),
            self.cursor
        );
        match self.source {
            Source::Story => {}
            Source::Random { seed } => out.push_str(&format!("&seed={seed}")),
            _ => out.push_str(&format!("&t={}", run::trace_to_text(&self.run.choices()))),
        }
        if self.source == Source::Chosen {
            out.push_str("&by=you");
        }
        if self.presenter {
            out.push_str("&view=present");
        }
        let e = &self.embed;
        if e.panels != super::Panels::All {
            out.push_str(&format!("&view={}", e.panels.id()));
        }
        if e.autoplay {
            out.push_str("&play=1");
        }
        if !e.controls {
            out.push_str("&ctl=0");
        }
        if let Some(l) = &self.lesson {
            out.push_str(&format!("&ch={}", l.chapter + 1));
        }
        out
    }

    /// Applies a link. Anything wrong in it gives a message and leaves the session unchanged.
    pub fn apply_link(&mut self, fragment: &str) -> Result<(), String> {
        let fragment = fragment.trim_start_matches('#');
        if fragment.is_empty() {
            return Ok(());
        }
        let mut next = self.clone();
        let kept = next.apply_link_inner(fragment).map_err(|e| {
            format!("This link could not be read ({e}); showing the current view instead.")
        })?;
        next.notice = kept.map(super::Notice::Info);
        *self = next;
        Ok(())
    }

    /// Reads the link into this session; on error the caller drops it (it works on a copy).
    /// The checks run in the link's reading order, so each mistake gets the same message.
    /// Returns what was changed to make the link fit, if anything.
    fn apply_link_inner(&mut self, fragment: &str) -> Result<Option<String>, String> {
        let parts = LinkParts::parse(fragment)?;
        if parts.v.is_some_and(|v| v != "2") {
            return Err("a newer Deadlock Lab made it".into());
        }
        let index = self.scenario_named(parts.s.ok_or("no scenario named")?)?;
        let sc = &self.scenarios[index];
        if parts.h.is_some_and(|h| h != format!("{:08x}", sc.hash)) {
            let said = format!(
                "This link was made for an earlier version of “{}”, which has changed since: \
                 its start is shown, not a run that may differ.",
                sc.title
            );
            let settings = sc.default_settings();
            self.current = index;
            self.cursor = 0;
            self.rebuild(settings)?;
            self.lesson = None;
            self.apply_view(&parts)?;
            return Ok(Some(said));
        }
        let settings = link_settings(&self.scenarios[index], &parts)?;
        self.load_link_run(index, settings, &parts)?;
        let at = parse_step(parts.at)?;
        let steps = self.steps();
        self.cursor = at.min(steps);
        let kept = (at > steps).then(|| {
            format!(
                "This link's step {at} is past the end of this run; showing its last step, \
                 {steps}."
            )
        });
        self.apply_view(&parts)?;
        self.lesson = None;
        if let Some(ch) = parts.ch {
            let bare = parts.at.is_none() && parts.sw.is_none() && parts.k.is_none();
            self.open_link_chapter(ch, bare)?;
        }
        Ok(kept)
    }

    /// The link's view parts: the presenter view or an embed's panels, autoplay and controls.
    fn apply_view(&mut self, parts: &LinkParts) -> Result<(), String> {
        let panels = match parts.view {
            Some("present") => Some(super::Panels::All),
            v => super::Panels::from_id(v.unwrap_or("")),
        };
        let panels = panels
            .ok_or_else(|| format!("there is no view “{}”", short(parts.view.unwrap_or(""))))?;
        self.presenter = parts.view == Some("present");
        self.embed = super::Embed {
            panels,
            autoplay: bit(parts.play, false)?,
            controls: bit(parts.ctl, true)?,
        };
        Ok(())
    }

    /// The link's chapter (counted from 1), over the view the link gave: its question, unanswered.
    /// A `bare` link names no step or settings (one typed by hand): the chapter opens at its own,
    /// as from the chapter list.
    fn open_link_chapter(&mut self, ch: &str, bare: bool) -> Result<(), String> {
        let count = self.scenario().chapters.len();
        let i = ch
            .parse::<usize>()
            .ok()
            .filter(|&n| n >= 1 && n <= count)
            .ok_or_else(|| {
                format!(
                    "there is no chapter “{}” (this lesson has {count})",
                    short(ch)
                )
            })?;
        if bare {
            return match self.open_chapter(i - 1) {
                true => Ok(()),
                false => Err("its chapter cannot be shown".into()),
            };
        }
        let sc = self.scenarios[self.current].clone();
        let question = sc.question(&sc.chapters[i - 1])?;
        self.lesson = Some(super::Lesson {
            chapter: i - 1,
            question,
            answered: None,
        });
        Ok(())
    }

    fn scenario_named(&self, id: &str) -> Result<usize, String> {
        self.scenarios
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| {
                format!(
                    "there is no scenario “{}”; if it came from a file, load that file again, \
                     then open the link",
                    short(id)
                )
            })
    }

    /// Puts the link's run in place: its schedule or random seed if it has one, else the story.
    fn load_link_run(
        &mut self,
        index: usize,
        settings: Settings,
        parts: &LinkParts,
    ) -> Result<(), String> {
        let unchanged =
            index == self.current && settings == self.settings && self.source == Source::Story;
        self.current = index;
        let chosen = match parts.by {
            None => false,
            Some("you") => true,
            Some(v) => return Err(format!("there is no schedule maker “{}”", short(v))),
        };
        match (parts.t, parts.seed) {
            (Some(_), Some(_)) => return Err("it has both a schedule and a seed".into()),
            (Some(t), None) => {
                let trace = run::trace_from_text(t)?;
                self.play_trace(settings, &trace, !chosen)?;
                self.source = if chosen { Source::Chosen } else { Source::Link };
            }
            (None, Some(seed)) => {
                let seed = seed
                    .parse()
                    .map_err(|_| "the seed must be a whole number")?;
                self.rebuild(settings)?;
                self.play_random(seed);
            }
            // The story at the settings already shown (the usual case when the page opens with a
            // link) is not compiled and run a second time.
            (None, None) if unchanged => {}
            (None, None) => self.rebuild(settings)?,
        }
        Ok(())
    }
}

/// The thirteen known parts of a link, each the raw text after its `=`; a later repeat wins.
/// Plain fields, not a map: each map type adds code to the wasm.
#[derive(Default)]
struct LinkParts<'a> {
    /// Scenario id.
    s: Option<&'a str>,
    /// Switches, one `0` or `1` each.
    sw: Option<&'a str>,
    /// Knob values, comma-separated.
    k: Option<&'a str>,
    /// The step shown.
    at: Option<&'a str>,
    /// A schedule (`run::trace_to_text`), for a run that is not the story.
    t: Option<&'a str>,
    /// `present` for the presenter view.
    view: Option<&'a str>,
    /// A random schedule's seed, instead of `t`.
    seed: Option<&'a str>,
    /// `you` when the schedule `t` is one the student chose (shown as made, not run on).
    by: Option<&'a str>,
    /// The open chapter of the lesson, from 1.
    ch: Option<&'a str>,
    /// `1` to play on opening, `0` to hide the controls (`session::embed`).
    play: Option<&'a str>,
    ctl: Option<&'a str>,
    /// The format (`2`; a link without it is of the first format, read the same way).
    v: Option<&'a str>,
    /// The scenario's `hash` when the link was made, 8 hex digits.
    h: Option<&'a str>,
}

impl<'a> LinkParts<'a> {
    fn parse(fragment: &'a str) -> Result<LinkParts<'a>, String> {
        if fragment.len() > 100_000 {
            return Err("it is too long".into());
        }
        let mut parts = LinkParts::default();
        for pair in fragment.split('&') {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("“{}” has no value", short(pair)))?;
            let slot = match k {
                "s" => &mut parts.s,
                "sw" => &mut parts.sw,
                "k" => &mut parts.k,
                "at" => &mut parts.at,
                "t" => &mut parts.t,
                "view" => &mut parts.view,
                "seed" => &mut parts.seed,
                "by" => &mut parts.by,
                "ch" => &mut parts.ch,
                "play" => &mut parts.play,
                "v" => &mut parts.v,
                "h" => &mut parts.h,
                "ctl" => &mut parts.ctl,
                _ => return Err(format!("unknown part “{}”", short(k))),
            };
            *slot = Some(v);
        }
        Ok(parts)
    }
}

/// The scenario's defaults with the link's switches and knobs, each checked against it.
fn link_settings(sc: &Scenario, parts: &LinkParts) -> Result<Settings, String> {
    let mut settings = sc.default_settings();
    if let Some(sw) = parts.sw {
        settings.switches = parse_switches(sw, settings.switches.len())?;
    }
    if let Some(k) = parts.k {
        settings.knobs = parse_knobs(k, sc)?;
    }
    Ok(settings)
}

fn parse_switches(sw: &str, count: usize) -> Result<Vec<bool>, String> {
    if sw.len() != count || !sw.chars().all(|c| c == '0' || c == '1') {
        return Err(format!("switches must be {count} digits of 0 or 1"));
    }
    Ok(sw.chars().map(|c| c == '1').collect())
}

fn parse_knobs(k: &str, sc: &Scenario) -> Result<Vec<i64>, String> {
    let vals: Result<Vec<i64>, _> = k.split(',').map(str::parse).collect();
    let mut vals = vals.map_err(|_| "knob values must be whole numbers".to_string())?;
    if vals.len() > sc.knobs.len() {
        return Err(format!("expected {} knob values", sc.knobs.len()));
    }
    // A link made before the scenario gained a knob gives that knob its shipped value.
    let missing = &sc.knobs[vals.len()..];
    vals.extend(missing.iter().map(|k| k.default));

    for (v, knob) in vals.iter().zip(&sc.knobs) {
        if *v < knob.min || *v > knob.max {
            return Err(format!(
                "{} must be between {} and {}",
                knob.label, knob.min, knob.max
            ));
        }
    }
    Ok(vals)
}

/// The link's step (0 when it has none).
fn parse_step(at: Option<&str>) -> Result<usize, String> {
    match at {
        Some(a) => a
            .parse::<usize>()
            .map_err(|_| "the step must be a whole number".to_string()),
        None => Ok(0),
    }
}

/// A yes/no part: `1` or `0`, `default` when absent.
fn bit(v: Option<&str>, default: bool) -> Result<bool, String> {
    match v {
        None => Ok(default),
        Some("1") => Ok(true),
        Some("0") => Ok(false),
        Some(v) => Err(format!("“{}” is not 0 or 1", short(v))),
    }
}

/// The start of a user's text, for quoting it in a message.
fn short(s: &str) -> String {
    s.chars().take(24).collect()
}
