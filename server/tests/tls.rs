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
