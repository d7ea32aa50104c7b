//! Work done between the browser's other work: a job called once per task, each call a short
//! slice, until it says it is done. The explorer, the scheduler's hints and the random
//! schedules all run this way; one task loop for all of them keeps one copy of its code in the
//! wasm.

/// Calls `slice` in a task of its own after the current one, and again in a new task after each
/// call that returns true.
pub fn in_slices(mut slice: Box<dyn FnMut() -> bool>) {
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if !slice() {
                break;
            }
        }
    });
}

/// Milliseconds since the page started, for timing a slice.
pub fn now() -> f64 {
    leptos::prelude::window()
        .performance()
        .map_or(0.0, |p| p.now())
}
