//! A hostile server for tests: a proxy between the real client and the real
//! server that forwards every request and lets a test rewrite the JSON the
//! client receives. It is the server's operator turned attacker: it can
//! change anything it serves, but holds no key of the organisation.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use visitnotes_shared::SealedNote;

use super::{Cluster, Org, Person};

/// An organisation whose `victim` talks to the server through a hostile proxy.
pub fn scene(victim: impl Fn(&Org) -> &Person) -> (Org, Proxy) {
    let org = Org::start();
    let proxy = Proxy::start(&org.cluster);
    proxy.divert(victim(&org));
    (org, proxy)
}

/// Whether a request path is a pull of notes (a page of `/v1/notes`).
pub fn is_pull(path: &str) -> bool {
    path.starts_with("/v1/notes")
}

/// Rewrites a JSON response: (request path with query, the response body).
pub type Tamper = Box<dyn FnMut(&str, &mut serde_json::Value) + Send>;

/// Answers a request without passing it on: (method, path with query) to
/// the status and JSON body to answer, or `None` to forward it.
pub type Intercept = Box<dyn FnMut(&str, &str) -> Option<(u16, serde_json::Value)> + Send>;

pub struct Proxy {
    pub url: String,
    /// Every request line that passed through: method and path with query.
    pub seen: Arc<Mutex<Vec<String>>>,
    tamper: Arc<Mutex<Option<Tamper>>>,
    intercept: Arc<Mutex<Option<Intercept>>>,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Shared {
    upstream: String,
    /// Async: the proxy's handlers run on actix's runtime.
    client: reqwest::Client,
    seen: Arc<Mutex<Vec<String>>>,
    tamper: Arc<Mutex<Option<Tamper>>>,
    intercept: Arc<Mutex<Option<Intercept>>>,
}

async fn forward(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let path = match req.query_string() {
        "" => req.path().to_owned(),
        q => format!("{}?{q}", req.path()),
    };
    let url = format!("{}{path}", shared.upstream);
    let method = req.method().as_str().to_owned();
    shared.seen.lock().unwrap().push(format!("{method} {path}"));
    let answer = shared.intercept.lock().unwrap().as_mut().and_then(|f| f(&method, &path));
    if let Some((status, body)) = answer {
        return HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).json(body);
    }
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-visitnotes") || k.as_str() == "content-type")
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let shared = shared.into_inner();
    let result = async {
        let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
        let mut request = shared.client.request(method.clone(), &url).body(body.to_vec());
        for (k, v) in &headers {
            request = request.header(k, v);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let mut bytes = response.bytes().await.map_err(|e| e.to_string())?.to_vec();
        let binary = content_type.starts_with(visitnotes_shared::api::POSTCARD);
        if status == 200 && method == reqwest::Method::GET {
            // Pull pages in the binary form are rewritten as JSON values too.
            let value = if binary {
                postcard::from_bytes::<visitnotes_shared::api::PullResponse>(&bytes)
                    .ok()
                    .map(|p| serde_json::to_value(p).unwrap())
            } else {
                serde_json::from_slice::<serde_json::Value>(&bytes).ok()
            };
            if let Some(mut value) = value {
                if let Some(tamper) = shared.tamper.lock().unwrap().as_mut() {
                    tamper(&path, &mut value);
                }
                bytes = if binary {
                    let page: visitnotes_shared::api::PullResponse =
                        serde_json::from_value(value).map_err(|e| e.to_string())?;
                    postcard::to_stdvec(&page).unwrap()
                } else {
                    serde_json::to_vec(&value).unwrap()
                };
            }
        }
        Ok::<_, String>((status, bytes, content_type))
    }
    .await;
    match result {
        Ok((status, bytes, content_type)) => {
            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                .content_type(content_type)
                .body(bytes)
        }
        _ => HttpResponse::BadGateway().finish(),
    }
}

impl Proxy {
    /// A proxy in front of `cluster`'s server, forwarding everything as it
    /// is until told otherwise.
    pub fn start(cluster: &Cluster) -> Proxy {
        let upstream = format!("http://{}", cluster.addr);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let tamper: Arc<Mutex<Option<Tamper>>> = Arc::new(Mutex::new(None));
        let intercept: Arc<Mutex<Option<Intercept>>> = Arc::new(Mutex::new(None));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = web::Data::new(Shared {
            upstream,
            // No pooled connections: each actix worker has a runtime of its
            // own, and a connection belongs to the runtime that opened it.
            client: reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap(),
            seen: seen.clone(),
            tamper: tamper.clone(),
            intercept: intercept.clone(),
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(shared.clone())
                        .app_data(web::PayloadConfig::new(64 << 20))
                        .default_service(web::to(forward))
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run();
                tx.send(server.handle()).unwrap();
                let _ = server.await;
            })
        });
        let handle = rx.recv().unwrap();
        Proxy { url, seen, tamper, intercept, handle, thread: Some(thread) }
    }

    /// Sets how responses are rewritten from now on.
    pub fn tamper(&self, f: impl FnMut(&str, &mut serde_json::Value) + Send + 'static) {
        *self.tamper.lock().unwrap() = Some(Box::new(f));
    }

    /// Sets which requests are answered by the proxy itself, never reaching
    /// the server (a write it pretends to accept).
    pub fn intercept(&self, f: impl FnMut(&str, &str) -> Option<(u16, serde_json::Value)> + Send + 'static) {
        *self.intercept.lock().unwrap() = Some(Box::new(f));
    }

    /// Points `person`'s profile at the proxy: their device talks to the
    /// server through it from now on.
    pub fn divert(&self, person: &Person) {
        let path = person.home.join("profile.json");
        let mut profile: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        profile["server_url"] = self.url.clone().into();
        std::fs::write(&path, profile.to_string()).unwrap();
    }

    /// From now on every pull of notes also serves `sealed`, as the
    /// server's item number 9999.
    pub fn serve_also(&self, sealed: SealedNote) {
        self.tamper(move |path, v| {
            if is_pull(path) {
                v["notes"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({ "seq": 9999, "received_at": 0, "sealed": sealed }));
            }
        });
    }

    /// Forwards everything as it is again.
    pub fn honest(&self) {
        *self.tamper.lock().unwrap() = None;
        *self.intercept.lock().unwrap() = None;
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        let _ = std::thread::spawn(move || actix_web::rt::System::new().block_on(handle.stop(false))).join();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
