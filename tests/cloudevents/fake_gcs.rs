//! A stand-in for Cloud Storage's XML API on 127.0.0.1, as much of it as the CloudEvents
//! entry uses: path-style URLs `/{bucket}/{object}` (the object name percent-decoded),
//! GET of one generation (`?generation=N`, 404 for one it does not hold) or of the
//! latest, with single `Range`s; HEAD of the latest generation with `x-goog-generation`
//! and the stored `x-goog-meta-*` headers; PUT honouring `x-goog-if-generation-match`
//! (412 on a mismatch, 0 meaning "does not exist"). It records every request.
//!
//! Misbehaviours on demand: N × 503 on GETs, and a competing writer that gets in between
//! a HEAD and the PUT that follows it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One stored generation of an object.
#[derive(Clone, Debug)]
pub struct Version {
    pub generation: u64,
    pub data: Vec<u8>,
    /// `x-goog-meta-*` headers, names lowercase.
    pub meta: Vec<(String, String)>,
}

/// One request as the fake saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// The raw path, as sent (still percent-encoded).
    pub raw_path: String,
    pub bucket: String,
    /// The object name, decoded.
    pub name: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    objects: Mutex<HashMap<(String, String), Vec<Version>>>,
    next_generation: AtomicU64,
    fail_get_503: AtomicUsize,
    race_next_put: AtomicBool,
    seen: Mutex<Vec<Seen>>,
}

pub struct FakeGcs {
    port: u16,
    state: Arc<State>,
}

impl FakeGcs {
    pub fn start() -> FakeGcs {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(State { next_generation: AtomicU64::new(1_000), ..State::default() });
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let st = Arc::clone(&st);
                std::thread::spawn(move || serve(stream, &st));
            }
        });
        FakeGcs { port, state }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stores `data` as generation `generation` of `bucket/name`.
    pub fn put_object(&self, bucket: &str, name: &str, generation: u64, data: &[u8]) {
        let mut objects = self.state.objects.lock().unwrap();
        let versions = objects.entry((bucket.to_owned(), name.to_owned())).or_default();
        versions.push(Version { generation, data: data.to_vec(), meta: Vec::new() });
        versions.sort_by_key(|v| v.generation);
    }

    /// The latest generation of `bucket/name`.
    pub fn latest(&self, bucket: &str, name: &str) -> Option<Version> {
        let objects = self.state.objects.lock().unwrap();
        objects.get(&(bucket.to_owned(), name.to_owned())).and_then(|v| v.last().cloned())
    }

    /// The latest generation of a sidecar, as JSON.
    pub fn sidecar(&self, bucket: &str, name: &str) -> serde_json::Value {
        let v = self.latest(bucket, name).unwrap_or_else(|| panic!("no sidecar gs://{bucket}/{name}"));
        serde_json::from_slice(&v.data).expect("the sidecar is JSON")
    }

    pub fn fail_gets_with_503(&self, n: usize) {
        self.state.fail_get_503.store(n, Ordering::Relaxed);
    }

    /// The next PUT finds that someone else wrote the object after the HEAD.
    pub fn race_next_put(&self) {
        self.state.race_next_put.store(true, Ordering::Relaxed);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method).count()
    }

    pub fn clear_log(&self) {
        self.state.seen.lock().unwrap().clear();
    }
}

fn serve(stream: TcpStream, st: &State) {
    let _ = stream.set_nodelay(true);
    let Ok(mut out) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end().to_owned();
            if line.is_empty() {
                break;
            }
            lines.push(line);
        }
        let mut parts = lines[0].split(' ');
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        let headers: Vec<(String, String)> = lines[1..]
            .iter()
            .filter_map(|h| {
                h.split_once(':').map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            })
            .collect();
        let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let len: usize = header("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
        let mut body = vec![0u8; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (raw_path, query) = target.split_once('?').unwrap_or((&target, ""));
        let (bucket, name) = raw_path.trim_start_matches('/').split_once('/').unwrap_or((raw_path, ""));
        let seen = Seen {
            method: method.clone(),
            raw_path: raw_path.to_owned(),
            bucket: bucket.to_owned(),
            name: decode(name),
            query: query.to_owned(),
            headers: headers.clone(),
        };
        st.seen.lock().unwrap().push(seen.clone());
        let (head, body) = answer(st, &seen, body);
        let head_only = method == "HEAD";
        let sent = out
            .write_all(head.as_bytes())
            .and_then(|_| if head_only { Ok(()) } else { out.write_all(&body) })
            .and_then(|_| out.flush());
        if sent.is_err() {
            return;
        }
    }
}

fn answer(st: &State, req: &Seen, body: Vec<u8>) -> (String, Vec<u8>) {
    let key = (req.bucket.clone(), req.name.clone());
    let wanted: Option<u64> =
        req.query.split('&').find_map(|p| p.strip_prefix("generation=")).and_then(|g| g.parse().ok());
    match req.method.as_str() {
        "GET" | "HEAD" => {
            if req.method == "GET" && st.fail_get_503.load(Ordering::Relaxed) > 0 {
                st.fail_get_503.fetch_sub(1, Ordering::Relaxed);
                return reply("503 Service Unavailable", &[], Vec::new());
            }
            let objects = st.objects.lock().unwrap();
            let version = objects.get(&key).and_then(|vs| match wanted {
                Some(g) => vs.iter().find(|v| v.generation == g),
                None => vs.last(),
            });
            let Some(v) = version else {
                return reply("404 Not Found", &[], b"<Error><Code>NoSuchKey</Code></Error>".to_vec());
            };
            let mut headers = vec![
                ("ETag".to_owned(), format!("\"g{}\"", v.generation)),
                ("x-goog-generation".to_owned(), v.generation.to_string()),
            ];
            headers.extend(v.meta.iter().cloned());
            let len = v.data.len();
            match req.header("range").and_then(|r| range(r, len)) {
                Some((a, b)) if req.method == "GET" => {
                    headers.push(("Content-Range".to_owned(), format!("bytes {a}-{b}/{len}")));
                    reply("206 Partial Content", &headers, v.data[a..=b].to_vec())
                }
                _ => reply("200 OK", &headers, v.data.clone()),
            }
        }
        "PUT" => {
            let mut objects = st.objects.lock().unwrap();
            let versions = objects.entry(key).or_default();
            if st.race_next_put.swap(false, Ordering::Relaxed) {
                let generation = st.next_generation.fetch_add(1, Ordering::Relaxed);
                versions.push(Version { generation, data: b"{}".to_vec(), meta: Vec::new() });
            }
            let current = versions.last().map_or(0, |v| v.generation);
            let expected: Option<u64> = req.header("x-goog-if-generation-match").and_then(|g| g.parse().ok());
            if expected.is_some_and(|e| e != current) {
                return reply(
                    "412 Precondition Failed",
                    &[],
                    b"<Error><Code>PreconditionFailed</Code></Error>".to_vec(),
                );
            }
            let generation = st.next_generation.fetch_add(1, Ordering::Relaxed);
            let meta = req.headers.iter().filter(|(k, _)| k.starts_with("x-goog-meta-")).cloned().collect();
            versions.push(Version { generation, data: body, meta });
            reply("200 OK", &[("x-goog-generation".to_owned(), generation.to_string())], Vec::new())
        }
        _ => reply("405 Method Not Allowed", &[], Vec::new()),
    }
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n`, clipped to the object.
fn range(spec: &str, len: usize) -> Option<(usize, usize)> {
    let (a, b) = spec.strip_prefix("bytes=")?.split_once('-')?;
    let last = len.checked_sub(1)?;
    let (a, b) = match (a.parse::<usize>().ok(), b.parse::<usize>().ok()) {
        (Some(a), Some(b)) => (a, b.min(last)),
        (Some(a), None) => (a, last),
        (None, Some(n)) => (len - n.min(len), last),
        (None, None) => return None,
    };
    (a <= b).then_some((a, b))
}

fn reply(status: &str, headers: &[(String, String)], body: Vec<u8>) -> (String, Vec<u8>) {
    let mut h = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    (h, body)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 names")
}
