fn main() {
    #[cfg(target_arch = "wasm32")]
    deadlock_lab::ui::mount();
}
