//! The reference page for the ready-time measurement: a minimal Leptos 0.8 CSR page (a counter),
//! built by Trunk with the same release profile and wasm-opt settings as the app and served the same
//! way. The e2e performance test loads it and the app alternately and prints both ready times.
//! Built by `make build-minimal` into target/minimal-dist/; not part of the product.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use leptos::prelude::*;
        leptos::mount::mount_to_body(|| {
            let count = RwSignal::new(0);
            view! {
                <main>
                    <h1>"Minimal Leptos page"</h1>
                    <button type="button" id="count" on:click=move |_| count.update(|n| *n += 1)>{move || count.get()}</button>
                </main>
            }
        });
    }
}
