//! Deadlock Lab: a pure simulation core (`sim`) and a thin Leptos UI (`ui`, wasm32 only).
pub mod session;
pub mod sim;

#[cfg(target_arch = "wasm32")]
pub mod ui;
