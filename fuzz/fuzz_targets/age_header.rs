#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| visitnotes_shared::fuzz::age_header(data));
