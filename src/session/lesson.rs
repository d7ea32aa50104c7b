//! A guided lesson in the session: which chapter is open, its question (answered by the model
//! when the chapter opens), and the class's answer.
use super::{Notice, Session};
use crate::sim::lesson::Question;
use crate::sim::spec::Ask;

/// The open chapter of the scenario's lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub chapter: usize,
    pub question: Option<Question>,
    /// The option the class chose, once it has.
    pub answered: Option<usize>,
}

impl Session {
    /// Opens chapter `i`: its settings (the shipped ones with its switches flipped, so the
    /// question is asked about what is on screen), the story at its step, its question. False,
    /// with a notice, when the chapter cannot be shown.
    pub fn open_chapter(&mut self, i: usize) -> bool {
        let sc = self.scenarios[self.current].clone();
        let Some(ch) = sc.chapters.get(i) else {
            return false;
        };
        let shown = sc.chapter_settings(ch).and_then(|st| {
            self.rebuild(st)?;
            sc.question(ch)
        });
        match shown {
            Ok(question) => {
                self.seek(ch.at as usize);
                self.notice = None;
                self.lesson = Some(Lesson {
                    chapter: i,
                    question,
                    answered: None,
                });
                true
            }
            Err(e) => {
                self.notice = Some(Notice::Error(format!("That chapter cannot be shown: {e}")));
                false
            }
        }
    }

    pub fn leave_lesson(&mut self) {
        self.lesson = None;
    }

    /// Records the class's answer to the open chapter's question and shows why: the step that
    /// answers it, or for a fix, the fix turned on.
    pub fn answer(&mut self, option: usize) {
        let Some(lesson) = &mut self.lesson else {
            return;
        };
        let Some(q) = &lesson.question else { return };
        if option >= q.options.len() || lesson.answered.is_some() {
            return;
        }
        lesson.answered = Some(option);
        let show = q.show;
        let chapter = &self.scenarios[self.current].chapters[lesson.chapter];
        if let Some(Ask::FixBreaks { fix }) = &chapter.ask {
            if let Some(i) = self.scenario().switch_index(fix) {
                self.set_switch(i, true);
            }
        }
        if let Some(step) = show {
            self.seek(step);
        }
    }

    /// Whether the class was right, and why, once it has answered.
    pub fn feedback(&self) -> Option<String> {
        let lesson = self.lesson.as_ref()?;
        let (q, a) = (lesson.question.as_ref()?, lesson.answered?);
        let verdict = if a == q.answer {
            "Right."
        } else {
            "Not this time."
        };
        Some(format!("{verdict} {}", q.why))
    }

    /// Whether how the run ends should stay hidden: a lesson's question is still open.
    pub fn spoilers_hidden(&self) -> bool {
        self.lesson
            .as_ref()
            .is_some_and(|l| l.question.is_some() && l.answered.is_none())
    }
}
