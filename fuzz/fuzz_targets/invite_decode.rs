#![no_main]
libfuzzer_sys::fuzz_target!(|data: &str| {
    let _ = visitnotes_shared::invite::Invite::decode(data);
});
