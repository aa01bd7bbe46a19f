//! The server binary as a separate process (so it can be SIGKILLed and its
//! memory measured), and an organisation of many leaders set up over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use visitnotes_shared::api::{CreateInvite, EnrolResponse};
use visitnotes_shared::invite::Invite;
use visitnotes_shared::roster::{Role, Roster};
use visitnotes_shared::OrgKey;

use super::{enrol_device, member, Dev};

pub struct ServerProcess {
    pub child: Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts `visitnotes-server serve` on `listen` (port 0 allowed) and waits for its address.
    pub fn spawn(data: &std::path::Path, listen: &str, env: &[(&str, &str)]) -> ServerProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_visitnotes-server"));
        cmd.args(["serve", "--listen", listen, "--data"]).arg(data).stdout(Stdio::piped()).stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("server did not start: {line:?}"))
            .to_owned();
        ServerProcess { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A field of /proc/PID/status in kB (VmRSS, VmHWM).
    pub fn memory_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An administrator and `n` approved leaders on the server at `base`,
/// whose data dir was made with `visitnotes_server::init` (the invite).
pub fn organisation(base: &str, bootstrap: &Invite, n: usize) -> (Dev, OrgKey, Roster, Vec<Dev>) {
    let (keys, reply) = enrol_device(base, bootstrap, "Admin");
    assert_eq!(reply.status, 201);
    let enrolled: EnrolResponse = reply.json();
    let admin = Dev { keys, user_id: enrolled.user_id, base: base.to_owned(), seq: 0 };
    let org = OrgKey::generate();
    let mut roster = Roster {
        version: 1,
        org_key: org.public(),
        issued_at: 0,
        expires_at: None,
        units: vec![],
        members: vec![member(&admin, "Admin", &[Role::Admin])],
    };
    assert_eq!(admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice()).status, 200);
    let mut leaders = Vec::new();
    for i in 0..n {
        let invite = Invite::generate(base, Some(org.public().digest()));
        let create = CreateInvite {
            token_hash: invite.token_hash(),
            role: Role::Leader,
            name: format!("L{i}"),
            user_id: None,
            expires_in_days: None,
        };
        assert_eq!(admin.post("/v1/admin/invites", &serde_json::to_value(&create).unwrap()).status, 201);
        let (keys, reply) = enrol_device(base, &invite, &format!("L{i}"));
        let enrolled: EnrolResponse = reply.json();
        leaders.push(Dev { keys, user_id: enrolled.user_id, base: base.to_owned(), seq: 0 });
    }
    roster.version = 2;
    roster.members.extend(leaders.iter().map(|l| member(l, "Leader", &[Role::Leader])));
    assert_eq!(admin.call("PUT", "/v1/roster", serde_json::to_vec(&roster.sign(&org)).unwrap().as_slice()).status, 200);
    (admin, org, roster, leaders)
}

/// A small random number from the OS (no rand crate needed for a jitter).
pub fn random_below(n: u64) -> u64 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 8];
    ring::rand::SystemRandom::new().fill(&mut b).unwrap();
    u64::from_le_bytes(b) % n.max(1)
}

/// Sends up to `total` bytes as a chunked body and returns the first line of
/// the answer (read while still sending) and how much was sent.
pub fn send_chunked(addr: &str, method: &str, path: &str, total: usize) -> (String, usize) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let (method, path) = (method.to_owned(), path.to_owned());
    let sender = std::thread::spawn(move || {
        let head = format!("{method} {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n");
        writer.write_all(head.as_bytes())?;
        let chunk = vec![b'['; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            write!(writer, "{:x}\r\n", chunk.len())?;
            writer.write_all(&chunk)?;
            writer.write_all(b"\r\n")?;
            sent += chunk.len();
        }
        Ok::<usize, std::io::Error>(sent)
    });
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(2).any(|w| w == b"\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let sent = sender.join().unwrap().unwrap_or(0);
    (String::from_utf8_lossy(&answer).into_owned(), sent)
}
