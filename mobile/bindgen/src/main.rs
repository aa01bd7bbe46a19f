//! The bindings generator, built from the same UniFFI as the phone library:
//!
//! ```sh
//! cargo run -p visitnotes-mobile-bindgen -- \
//!     generate --library target/debug/libvisitnotes_mobile.so --language kotlin --out-dir OUT
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
