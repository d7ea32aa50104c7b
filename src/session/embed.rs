//! How the page shows the lab when a link asks for less than all of it (an embed in a blog
//! post): which panels, whether it plays by itself, whether the controls show; and the link the
//! share panel makes for those options.
use super::Session;

/// The panels a view shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panels {
    /// The whole app.
    #[default]
    All,
    /// The diagram, the outcome, the current step's narration and the transport.
    Focus,
    /// The diagram alone (with the transport unless the controls are hidden).
    Diagram,
}

impl Panels {
    pub const EVERY: [Panels; 3] = [Panels::All, Panels::Focus, Panels::Diagram];

    /// Its name in the link's `view` part (none for the whole app).
    pub fn id(self) -> &'static str {
        match self {
            Panels::All => "",
            Panels::Focus => "focus",
            Panels::Diagram => "diagram",
        }
    }

    pub fn from_id(id: &str) -> Option<Panels> {
        Panels::EVERY.into_iter().find(|p| p.id() == id)
    }
}

/// An embedded view's options, all part of the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed {
    pub panels: Panels,
    /// Plays from the step shown as soon as the page opens (`play=1`).
    pub autoplay: bool,
    /// The transport and keyboard shortcuts are shown (`ctl=0` hides the transport).
    pub controls: bool,
}

impl Default for Embed {
    fn default() -> Self {
        Embed {
            panels: Panels::All,
            autoplay: false,
            controls: true,
        }
    }
}

impl Embed {
    /// Whether the page shows less than the whole app, as an embed does.
    pub fn is_embed(&self) -> bool {
        *self != Embed::default()
    }
}

/// What the share panel asks for: the embed options and whether to start at the step on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    pub embed: Embed,
    pub at_step: bool,
}

impl Session {
    /// The link that opens this view with `share`'s options (never in the presenter view, which
    /// needs the whole screen).
    pub fn share_link(&self, share: &Share) -> String {
        let mut s = self.clone();
        s.embed = share.embed;
        s.presenter = false;
        if !share.at_step {
            s.cursor = 0;
        }
        s.link()
    }

    /// The same view in the whole app: the link without its embed options.
    pub fn full_link(&self) -> String {
        let mut s = self.clone();
        s.embed = Embed::default();
        s.link()
    }
}
