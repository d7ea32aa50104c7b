//! The part of wasm-streams' API that server_fn's browser client uses, for an app without server
//! functions: raw streams pass through, and converting a Rust stream either way is refused.
pub mod readable {
    use futures_core::Stream;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use wasm_bindgen::JsValue;

    /// A web `ReadableStream`, as wasm-streams wraps it.
    pub struct ReadableStream {
        raw: web_sys::ReadableStream,
    }

    impl ReadableStream {
        pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
            Self { raw }
        }

        pub fn into_raw(self) -> web_sys::ReadableStream {
            self.raw
        }

        pub fn from_stream<St>(_stream: St) -> Self
        where
            St: Stream<Item = Result<JsValue, JsValue>> + 'static,
        {
            unsupported()
        }

        pub fn into_stream(self) -> IntoStream {
            unsupported()
        }
    }

    /// What `into_stream` would return; never made.
    pub struct IntoStream(());

    impl Stream for IntoStream {
        type Item = Result<JsValue, JsValue>;

        fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(None)
        }
    }

    fn unsupported() -> ! {
        panic!("streaming server functions are not part of this app")
    }
}

pub use readable::ReadableStream;
