#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = visitnotes_shared::VerifyingKey([7; 32]);
    if let Ok(signed) = serde_json::from_slice::<visitnotes_shared::SignedRoster>(data) {
        let _ = signed.verify(&key, 0);
    }
});
