//! A small HTTP/1.1 server on 127.0.0.1 for the `HttpSource` tests: it serves one object
//! with `Range` support (single ranges, suffix ranges), an ETag (or only a Last-Modified
//! date), `If-Match` / `If-Unmodified-Since`, keep-alive, and the misbehaviours the tests
//! need: a delay per request, N × 503 before answering, ignoring `Range`, changing the
//! object after some requests, a wrong `Content-Range`, a body longer than its range.
//!
//! It only answers the test's own client, on the loopback address; its threads end with
//! the test process.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the server misbehaves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// A well-behaved server.
    Normal,
    /// `200` with the whole object, whatever the `Range`.
    IgnoreRange,
    /// After each of the first `n` requests, the object is replaced (new bytes, new ETag).
    ChangeAfter(usize),
    /// From the second request on, answers with the object's first bytes, labelled as such.
    WrongRange,
    /// From the second request on, sends one byte more than its (correct) Content-Range.
    LongBody,
    /// No ETag, only `Last-Modified` (and `If-Unmodified-Since` checked).
    DateOnly,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub range: Option<String>,
    pub if_match: Option<String>,
    pub if_unmodified: Option<String>,
    pub authorization: Option<String>,
    pub arrived: Instant,
    pub answered: Option<Instant>,
}

struct Object {
    data: Vec<u8>,
    version: u32,
}

struct State {
    object: Mutex<Object>,
    mode: Mode,
    delay: Duration,
    fail_503: AtomicUsize,
    seen: Mutex<Vec<Seen>>,
    bytes_sent: AtomicUsize,
}

/// A running server; its object is at `url(path)` for any path but `missing...` (404).
pub struct Server {
    port: u16,
    state: Arc<State>,
}

impl Server {
    pub fn start(data: Vec<u8>, mode: Mode, delay: Duration, fail_503: usize) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(State {
            object: Mutex::new(Object { data, version: 1 }),
            mode,
            delay,
            fail_503: AtomicUsize::new(fail_503),
            seen: Mutex::new(Vec::new()),
            bytes_sent: AtomicUsize::new(0),
        });
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let st = Arc::clone(&st);
                std::thread::spawn(move || serve(stream, &st));
            }
        });
        Server { port, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    pub fn requests(&self) -> usize {
        self.state.seen.lock().unwrap().len()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    pub fn bytes_sent(&self) -> usize {
        self.state.bytes_sent.load(Ordering::Relaxed)
    }

    /// Round trips of wall time the client needed: the longest chain of requests each sent
    /// after the previous one's answer (requests in flight together are one round trip).
    pub fn round_trips(&self) -> usize {
        let seen = self.seen();
        let mut depth = vec![0usize; seen.len()];
        let mut order: Vec<usize> = (0..seen.len()).collect();
        order.sort_by_key(|&i| seen[i].arrived);
        for &j in &order {
            let before = order
                .iter()
                .filter(|&&i| seen[i].answered.is_some_and(|a| a <= seen[j].arrived))
                .map(|&i| depth[i])
                .max()
                .unwrap_or(0);
            depth[j] = before + 1;
        }
        depth.into_iter().max().unwrap_or(0)
    }
}

fn etag(version: u32) -> String {
    format!("\"v{version}\"")
}

fn date(version: u32) -> String {
    format!("Mon, 0{} Jan 2024 00:00:00 GMT", version.min(9))
}

/// Answers requests on one connection until the client closes it.
fn serve(stream: TcpStream, st: &State) {
    // Headers and body go out in two writes: without this, Nagle's algorithm and the
    // client's delayed ACK hold the body back 40 ms, which would pass for slow I/O.
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else { return };
    let mut out = write_half;
    let mut reader = BufReader::new(stream);
    loop {
        let mut headers = Vec::new();
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
            headers.push(line);
        }
        let header = |name: &str| {
            headers.iter().skip(1).find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
        };
        let index = {
            let mut seen = st.seen.lock().unwrap();
            seen.push(Seen {
                range: header("range"),
                if_match: header("if-match"),
                if_unmodified: header("if-unmodified-since"),
                authorization: header("authorization"),
                arrived: Instant::now(),
                answered: None,
            });
            seen.len() - 1
        };
        std::thread::sleep(st.delay);
        let missing = headers.first().is_some_and(|l| l.contains(" /missing"));
        let (head, body) = if missing {
            (head("404 Not Found", 0, &[]), Vec::new())
        } else {
            answer(st, index, header("range"), header("if-match"), header("if-unmodified-since"))
        };
        // Marked before the answer leaves, so that a request the client sends after
        // receiving it always arrives later (see `round_trips`).
        st.seen.lock().unwrap()[index].answered = Some(Instant::now());
        let sent =
            out.write_all(head.as_bytes()).and_then(|_| out.write_all(&body)).and_then(|_| out.flush());
        st.bytes_sent.fetch_add(body.len(), Ordering::Relaxed);
        if sent.is_err() {
            return;
        }
    }
}

/// The status line and headers, and the body, for request number `index`.
fn answer(
    st: &State,
    index: usize,
    range: Option<String>,
    if_match: Option<String>,
    if_unmodified: Option<String>,
) -> (String, Vec<u8>) {
    if st.fail_503.load(Ordering::Relaxed) > 0 {
        st.fail_503.fetch_sub(1, Ordering::Relaxed);
        return (head("503 Service Unavailable", 0, &[]), Vec::new());
    }
    let mut obj = st.object.lock().unwrap();
    let len = obj.data.len() as u64;
    let version = obj.version;
    let date_only = st.mode == Mode::DateOnly;
    let mut validators = vec![("Last-Modified", date(version))];
    if !date_only {
        validators.push(("ETag", etag(version)));
    }
    let stale =
        if_match.is_some_and(|t| t != etag(version)) || if_unmodified.is_some_and(|d| d != date(version));
    let reply = if stale {
        (head("412 Precondition Failed", 0, &[]), Vec::new())
    } else if st.mode == Mode::IgnoreRange || range.is_none() {
        (head("200 OK", len, &validators), obj.data.clone())
    } else {
        match parse_range(range.as_deref().unwrap_or(""), len) {
            None => (
                head("416 Range Not Satisfiable", 0, &[("Content-Range", format!("bytes */{len}"))]),
                Vec::new(),
            ),
            Some((mut a, mut b)) => {
                if st.mode == Mode::WrongRange && index > 0 {
                    (b, a) = (b - a, 0);
                }
                let mut body = obj.data[a as usize..=b as usize].to_vec();
                if st.mode == Mode::LongBody && index > 0 {
                    body.push(0);
                }
                validators.push(("Content-Range", format!("bytes {a}-{b}/{len}")));
                (head("206 Partial Content", body.len() as u64, &validators), body)
            }
        }
    };
    if let Mode::ChangeAfter(n) = st.mode {
        if index < n {
            obj.version += 1;
            let at = obj.data.len() / 2;
            if let Some(b) = obj.data.get_mut(at) {
                *b ^= 1;
            }
        }
    }
    reply
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` clipped to the object, or `None` if unsatisfiable.
fn parse_range(spec: &str, len: u64) -> Option<(u64, u64)> {
    let (a, b) = spec.strip_prefix("bytes=")?.split_once('-')?;
    let (a, b) = match (a.parse::<u64>().ok(), b.parse::<u64>().ok()) {
        (Some(a), Some(b)) => (a, b.min(len.checked_sub(1)?)),
        (Some(a), None) => (a, len.checked_sub(1)?),
        (None, Some(n)) => (len.checked_sub(n.min(len))?, len.checked_sub(1)?),
        (None, None) => return None,
    };
    (a <= b && b < len).then_some((a, b))
}

fn head(status: &str, len: u64, headers: &[(&str, String)]) -> String {
    let mut h = format!("HTTP/1.1 {status}\r\nContent-Length: {len}\r\nAccept-Ranges: bytes\r\n");
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    h
}
