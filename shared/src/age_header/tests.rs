//! The header reader against files age wrote, and against what a hostile
//! server or insider could put in their place.

use std::io::Write;
use std::time::{Duration, Instant};

use age::Identity as _;
use age::Recipient as _;

use super::*;

/// A real age file to `recipients`, as the envelope writes one.
fn age_file(recipients: &[&dyn age::Recipient], plaintext: &[u8]) -> Vec<u8> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().copied()).unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    writer.write_all(plaintext).unwrap();
    writer.finish().unwrap();
    out
}

fn x25519_file() -> (age::x25519::Identity, Vec<u8>) {
    let identity = age::x25519::Identity::generate();
    let file = age_file(&[&identity.to_public()], b"payload");
    (identity, file)
}

/// The header text with its first line matching `from` replaced by `to`.
fn replace_line(file: &[u8], from: &str, to: &str) -> Vec<u8> {
    let header_len = read(file).unwrap().payload_at;
    let text = std::str::from_utf8(&file[..header_len]).unwrap();
    let line = text.lines().find(|l| l.starts_with(from)).unwrap();
    [text.replacen(line, to, 1).as_bytes(), &file[header_len..]].concat()
}

fn decrypt(file: &[u8], identity: &age::x25519::Identity) -> Vec<u8> {
    let decryptor = age::Decryptor::new_buffered(file).unwrap();
    let mut reader = decryptor.decrypt(std::iter::once(identity as &dyn age::Identity)).unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut out).unwrap();
    out
}

#[test]
fn reads_what_age_writes() {
    let (a, b) = (age::x25519::Identity::generate(), age::x25519::Identity::generate());
    let file = age_file(&[&a.to_public(), &b.to_public()], b"payload");
    let header = read(&file).unwrap();
    let x25519 = header.stanzas.iter().filter(|s| s.tag == "X25519").count();
    assert_eq!(x25519, 2);
    // The MAC line ends the header; the payload follows.
    assert!(file[..header.payload_at].ends_with(b"\n"));
    let mac_line = &file[..header.payload_at - 1];
    let mac_line = &mac_line[mac_line.iter().rposition(|&b| b == b'\n').unwrap() + 1..];
    assert_eq!(mac_line, [b"--- ".as_slice(), B64.encode(&header.mac).as_bytes()].concat());
    assert!(a.unwrap_stanzas(&header.stanzas).unwrap().is_ok());
}

#[test]
fn a_written_header_round_trips_and_age_opens_it() {
    let (old, file) = x25519_file();
    let header = read(&file).unwrap();
    let file_key = old.unwrap_stanzas(&header.stanzas).unwrap().unwrap();

    // Rewrap to a new reader, as rewrap does, and keep the payload.
    let new = age::x25519::Identity::generate();
    let (stanzas, _) = new.to_public().wrap_file_key(&file_key).unwrap();
    let written = write(&stanzas, &file_key);
    let reread = read(&written).unwrap();
    assert_eq!(reread.stanzas, stanzas);
    assert_eq!(reread.payload_at, written.len());
    // Writing what was read gives the same bytes back.
    assert_eq!(write(&reread.stanzas, &file_key), written);
    // age checks the MAC and decrypts: the header is age's own format.
    let rewrapped = [written.as_slice(), &file[header.payload_at..]].concat();
    assert_eq!(decrypt(&rewrapped, &new), b"payload");
    // The original header, written again from its stanzas, is the original.
    assert_eq!(write(&header.stanzas, &file_key), file[..header.payload_at]);
}

#[test]
fn a_body_of_whole_lines_round_trips() {
    // 48 bytes are exactly 64 base64 columns: the body needs an empty last line.
    let stanza = Stanza { tag: "abc-grease".into(), args: vec!["x".into()], body: vec![7; 48] };
    let key = FileKey::new(Box::new([1; 16]));
    let written = write(std::slice::from_ref(&stanza), &key);
    assert_eq!(read(&written).unwrap().stanzas, vec![stanza]);
}

#[test]
fn a_scrypt_stanza_is_refused_before_any_work() {
    let passphrase = age::scrypt::Recipient::new("hunter2".to_owned().into());
    let file = age_file(&[&passphrase], b"payload");
    let text = std::str::from_utf8(&file[..read_len(&file)]).unwrap().to_owned();
    // Work factor 2^40: days of scrypt if anything tried it.
    let line = text.lines().find(|l| l.starts_with("-> scrypt")).unwrap();
    let (prefix, _) = line.rsplit_once(' ').unwrap();
    let hostile = [text.replacen(line, &format!("{prefix} 40"), 1).as_bytes(), &file[read_len(&file)..]].concat();
    let started = Instant::now();
    assert_eq!(read(&hostile), Err(HeaderError::ForbiddenStanza("scrypt".into())));
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// Where the payload starts, found without the reader under test (which
/// refuses the very stanzas these tests build).
fn read_len(file: &[u8]) -> usize {
    let mac = file.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    mac + file[mac..].iter().position(|&b| b == b'\n').unwrap() + 1
}

#[test]
fn plugin_and_unknown_stanzas_are_refused() {
    let (_, file) = x25519_file();
    for (tag, expected) in [("yubikey", "yubikey"), ("X25519-not", "X25519-not"), ("x25519", "x25519")] {
        let hostile = replace_line(&file, "-> X25519", &format!("-> {tag} AAAA"));
        assert_eq!(read(&hostile), Err(HeaderError::ForbiddenStanza(expected.into())), "{tag}");
    }
    // A forbidden stanza after an allowed one is refused all the same.
    let key = FileKey::new(Box::new([1; 16]));
    let (_, good) = x25519_file();
    let mut stanzas = read(&good).unwrap().stanzas;
    stanzas.push(Stanza { tag: "piv-p256".into(), args: vec![], body: vec![1; 33] });
    assert_eq!(read(&write(&stanzas, &key)), Err(HeaderError::ForbiddenStanza("piv-p256".into())));
    // A long hostile tag is quoted cut short.
    let long = "p".repeat(10_000);
    let hostile = replace_line(&file, "-> X25519", &format!("-> {long} AAAA"));
    assert_eq!(read(&hostile), Err(HeaderError::ForbiddenStanza("p".repeat(MAX_QUOTED_TAG))));
}

#[test]
fn a_header_over_the_cap_is_refused() {
    // Valid grease stanzas, far more than fit the cap, then a real payload.
    let key = FileKey::new(Box::new([1; 16]));
    let grease = |i: usize| Stanza { tag: format!("{i}-grease"), args: vec![], body: vec![0; 90] };
    let stanzas: Vec<Stanza> = (0..MAX_HEADER / 100).map(grease).collect();
    let oversized = write(&stanzas, &key);
    assert!(oversized.len() > MAX_HEADER);
    let started = Instant::now();
    assert_eq!(read(&[oversized.as_slice(), &[0; 100]].concat()), Err(HeaderError::TooLarge));
    assert_eq!(read(&oversized), Err(HeaderError::TooLarge));
    assert!(started.elapsed() < Duration::from_secs(1));
    // Just under the cap is fine.
    let fits: Vec<Stanza> = stanzas.into_iter().take(MAX_HEADER / 200).collect();
    let written = write(&fits, &key);
    assert!(written.len() < MAX_HEADER);
    assert_eq!(read(&written).unwrap().stanzas.len(), fits.len());
}

#[test]
fn a_truncated_header_is_refused() {
    let (_, file) = x25519_file();
    let header_len = read(&file).unwrap().payload_at;
    for cut in 0..header_len {
        let expected = if cut < MAGIC.len() { HeaderError::NotAgeV1 } else { HeaderError::Truncated };
        assert_eq!(read(&file[..cut]), Err(expected), "cut at {cut}");
    }
    assert!(read(&file[..header_len]).is_ok());
}

#[test]
fn malformed_headers_are_refused() {
    let (_, file) = x25519_file();
    let header_len = read(&file).unwrap().payload_at;
    let payload = &file[header_len..];
    let mac_at = file.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    let mac_line = std::str::from_utf8(&file[mac_at..header_len]).unwrap();
    let cases: Vec<(&str, Vec<u8>, HeaderError)> = vec![
        ("another version", b"age-encryption.org/v2\n".to_vec(), HeaderError::NotAgeV1),
        ("no stanza", [MAGIC, mac_line.as_bytes(), payload].concat(), HeaderError::NoStanza),
        ("padded body", replace_line(&file, "-> X25519", "-> X25519 AAAA\nAA==").to_vec(), HeaderError::BadStanza(1)),
        ("not a stanza", [MAGIC, b"hello\n", payload].concat(), HeaderError::BadStanza(1)),
        ("short MAC", replace_line(&file, "--- ", "--- AAAA"), HeaderError::BadMac),
        ("MAC with padding", replace_line(&file, "--- ", &format!("--- {}=", &mac_line[4..47])), HeaderError::BadMac),
        ("MAC without space", replace_line(&file, "--- ", &format!("---{}", &mac_line[4..47])), HeaderError::BadMac),
    ];
    for (what, bytes, expected) in cases {
        assert_eq!(read(&bytes), Err(expected), "{what}");
    }
}
