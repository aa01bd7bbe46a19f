//! HTTPS with rustls: a self-signed certificate, a client that trusts it.

use std::net::TcpListener;

use visitnotes_server::settings::Settings;

#[test]
fn serves_https_with_the_configured_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();
    let settings = Settings { tls_cert: Some(cert.clone()), tls_key: Some(key.clone()), ..Settings::default() };
    let data = dir.path().join("data");
    visitnotes_server::init(&data, &settings).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = visitnotes_server::start(&data, settings, listener).unwrap();

    let der: &'static [u8] = Box::leak(certified.cert.der().to_vec().into_boxed_slice());
    let roots = ureq::tls::RootCerts::new_with_certs(&[ureq::tls::Certificate::from_der(der)]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(ureq::tls::TlsConfig::builder().root_certs(roots).build())
        .build()
        .into();
    let mut answer = agent.get(&format!("https://localhost:{port}/healthz")).call().unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert!(answer.body_mut().read_to_string().unwrap().contains("ok"));
    // Plain HTTP on the TLS port gets no answer.
    assert!(ureq::get(&format!("http://127.0.0.1:{port}/healthz")).call().is_err());
    drop(server);

    // Half a configuration, or an unreadable key, is a clear error.
    let half = Settings { tls_cert: Some(cert.clone()), ..Settings::default() };
    assert!(matches!(visitnotes_server::tls::from_settings(&half), Err(visitnotes_server::tls::TlsError::Incomplete)));
    let missing = visitnotes_server::tls::load(&cert, &dir.path().join("nope.pem")).unwrap_err();
    assert!(missing.to_string().contains("cannot read the private key"), "{missing}");
}

/// A client that offers HTTP/2 in ALPN gets it, and the server then speaks
/// HTTP/2 (answers the connection preface with its SETTINGS).
#[test]
fn tls_clients_negotiate_http2() {
    use std::io::{Read, Write};
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.key_pair.serialize_pem()).unwrap();
    let settings = Settings { tls_cert: Some(cert), tls_key: Some(key), ..Settings::default() };
    let data = dir.path().join("data");
    visitnotes_server::init(&data, &settings).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _server = visitnotes_server::start(&data, settings, listener).unwrap();

    let mut roots = rustls::RootCertStore::empty();
    roots.add(certified.cert.der().clone()).unwrap();
    let handshake = |alpn: &[&[u8]]| {
        let mut config =
            rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots.clone())
                .with_no_client_auth();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
        let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, std::net::TcpStream::connect(addr).unwrap());
        while tls.conn.is_handshaking() {
            tls.conn.complete_io(&mut tls.sock).unwrap();
        }
        tls
    };

    let mut tls = handshake(&[b"h2", b"http/1.1"]);
    assert_eq!(tls.conn.alpn_protocol(), Some(&b"h2"[..]));
    // The HTTP/2 preface and an empty SETTINGS frame; the server's first
    // frame is its SETTINGS (type 4).
    tls.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0").unwrap();
    let mut frame = [0; 9];
    tls.read_exact(&mut frame).unwrap();
    assert_eq!(frame[3], 4, "a SETTINGS frame: {frame:?}");

    // A client that offers only HTTP/1.1 keeps it.
    let tls = handshake(&[b"http/1.1"]);
    assert_eq!(tls.conn.alpn_protocol(), Some(&b"http/1.1"[..]));
}
