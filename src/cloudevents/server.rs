//! The HTTP server: requests in (tiny_http), taken by `workers` threads in turn, each
//! answered with a small JSON object and logged as one JSON line.

use super::config::Config;
use super::event::{Delivery, parse_request};
use super::handle::{Handler, Outcome, Reply};
use super::sidecar::rfc3339;
use serde::Serialize;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, mpsc};
use std::time::{Instant, SystemTime};

/// The largest request body read. Cloud Storage event data is a few KiB (custom metadata
/// included); a larger body is refused unread.
const MAX_BODY: u64 = 1 << 20;

/// Serves CloudEvents on `listener`: each `finalized` event's object is read with ranged
/// GETs pinned to its generation and its sidecar written (see the [module
/// docs](super)). `config.workers` threads take requests in turn, so that many are
/// handled at once and more wait.
///
/// Returns only on failure: the server cannot start, or it can no longer accept
/// connections (the process should then exit, for the platform to start a fresh one).
///
/// ```no_run
/// use metasift::cloudevents::{Config, serve};
/// let listener = std::net::TcpListener::bind("0.0.0.0:8080")?;
/// serve(listener, Config::from_env()?)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn serve(listener: TcpListener, config: Config) -> io::Result<()> {
    config.check().map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let server = Arc::new(tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?);
    let workers = config.workers.max(1);
    let handler = Arc::new(Handler::new(config));
    // tiny_http stops accepting after an accept error and hands that error to one
    // `recv`: the worker that gets it reports it here.
    let (stopped, stop) = mpsc::channel::<io::Error>();
    let mut started = 0;
    for i in 0..workers {
        let (server, handler, stopped) = (Arc::clone(&server), Arc::clone(&handler), stopped.clone());
        let spawned = std::thread::Builder::new().name(format!("metasift-event-{i}")).spawn(move || {
            loop {
                match server.recv() {
                    // A bug must cost one request, not a worker: the request, dropped
                    // unanswered, gets tiny_http's 500 and Eventarc sends it again.
                    Ok(request) => {
                        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| respond(&handler, request)));
                    }
                    Err(e) => {
                        let _ = stopped.send(e);
                        return;
                    }
                }
            }
        });
        match spawned {
            Ok(_) => started += 1,
            Err(e) if started == 0 => return Err(e),
            // Fewer workers than asked for still serve.
            Err(_) => break,
        }
    }
    drop(stopped);
    let err = stop.recv().unwrap_or_else(|_| io::Error::other("every worker ended"));
    Err(io::Error::new(err.kind(), format!("the server stopped accepting connections: {err}")))
}

/// Handles one request and answers it.
fn respond(handler: &Handler, mut request: tiny_http::Request) {
    let started = Instant::now();
    let (reply, event) = answer(handler, &mut request);
    let body =
        ResponseBody { outcome: reply.outcome.as_str(), message: &reply.message, event: event.as_ref() };
    let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = tiny_http::Response::from_data(json).with_status_code(reply.status);
    if let Ok(h) = tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"application/json"[..]) {
        response = response.with_header(h);
    }
    // The client may be gone; the work is done and logged either way.
    let _ = request.respond(response);
    if handler.config.log {
        log(&reply, event.as_ref(), started);
    }
}

/// What the request was about, for the response and the log.
#[derive(Serialize)]
struct EventInfo {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generation: Option<String>,
}

#[derive(Serialize)]
struct ResponseBody<'a> {
    outcome: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a EventInfo>,
}

fn answer(handler: &Handler, request: &mut tiny_http::Request) -> (Reply, Option<EventInfo>) {
    match request.method() {
        tiny_http::Method::Post => {}
        // A liveness answer for probes and people.
        tiny_http::Method::Get | tiny_http::Method::Head => {
            return (Reply::new(Outcome::Ignored, "metasift-cloudevents: POST CloudEvents here"), None);
        }
        m => {
            let mut reply =
                Reply::new(Outcome::BadRequest, format!("method {m} not allowed: POST a CloudEvent"));
            reply.status = 405;
            return (reply, None);
        }
    }
    let body = match read_body(request) {
        Ok(body) => body,
        Err(reply) => return (reply, None),
    };
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_owned()))
        .collect();
    match parse_request(&headers, &body) {
        Err(bad) => (Reply::new(Outcome::BadRequest, bad.message()), None),
        Ok(Delivery::Other(ce)) => {
            let msg = format!("event type {} is not processed", ce.event_type);
            let info = EventInfo { id: ce.id, event_type: ce.event_type, object: None, generation: None };
            (Reply::new(Outcome::Ignored, msg), Some(info))
        }
        Ok(Delivery::Finalized(ce, object)) => {
            let reply = handler.finalized(&object);
            let info = EventInfo {
                id: ce.id,
                event_type: ce.event_type,
                object: Some(format!("gs://{}/{}", object.bucket, object.name)),
                generation: Some(object.generation.to_string()),
            };
            (reply, Some(info))
        }
    }
}

/// The request body, up to [`MAX_BODY`] bytes; a larger one is refused with 413.
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Reply> {
    let too_large = || {
        let mut reply =
            Reply::new(Outcome::BadRequest, format!("the body is over {MAX_BODY} bytes: not an event"));
        reply.status = 413;
        reply
    };
    if request.body_length().is_some_and(|n| n as u64 > MAX_BODY) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let mut limited = request.as_reader().take(MAX_BODY + 1);
    if let Err(e) = io::copy(&mut limited, &mut body) {
        return Err(Reply::new(Outcome::BadRequest, format!("reading the body: {e}")));
    }
    if body.len() as u64 > MAX_BODY {
        return Err(too_large());
    }
    Ok(body)
}

/// One JSON line on standard output, as Cloud Logging reads it: `severity` and `message`
/// become the entry's, the other fields its payload.
fn log(reply: &Reply, event: Option<&EventInfo>, started: Instant) {
    #[derive(Serialize)]
    struct Line<'a> {
        severity: &'static str,
        message: &'a str,
        outcome: &'static str,
        status: u16,
        #[serde(skip_serializing_if = "Option::is_none")]
        event: Option<&'a EventInfo>,
        bytes: u64,
        gets: u64,
        ms: u64,
        time: String,
    }
    let severity = match (reply.outcome, reply.status) {
        (Outcome::Failed, _) => "ERROR",
        (Outcome::BadRequest | Outcome::Unreadable, _) => "WARNING",
        (Outcome::Skipped, _) if reply.message.contains("too long") => "WARNING",
        _ => "INFO",
    };
    let line = Line {
        severity,
        message: &reply.message,
        outcome: reply.outcome.as_str(),
        status: reply.status,
        event,
        bytes: reply.cost.bytes_read,
        gets: reply.cost.requests,
        ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        time: rfc3339(SystemTime::now()),
    };
    if let Ok(mut text) = serde_json::to_vec(&line) {
        text.push(b'\n');
        // One write per line, so that lines from several workers never interleave.
        let _ = io::stdout().lock().write_all(&text);
    }
}
