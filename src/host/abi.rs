//! The Proxy-Wasm hostcalls the filter makes, each returning a `Result`.
//!
//! The SDK's own wrappers (`proxy_wasm::hostcalls` and the trait methods
//! built on them) `panic!` on any status they do not expect, and a panic
//! is a VM trap: the request hangs, nothing is recorded, and the worker
//! answers 503 until Envoy reloads the VM. Envoy returns such statuses in
//! ordinary conditions, e.g. BadArgument for the headers of an HTTP call
//! that failed or timed out (it has none), or for a header set on a
//! stream that is already gone. So the filter declares the raw imports
//! here and turns every status into a value; the `unsafe` is confined to
//! this file, and each block only passes pointers to live Rust data and
//! takes ownership of what the host allocated through the SDK's
//! `proxy_on_memory_allocate` (a boxed slice of exactly `len` bytes).
//!
//! One call still goes through the SDK: `dispatch_http_call`, because
//! only it registers the call's token with the SDK's dispatcher, which
//! routes the answer to the right context. Envoy's `httpCall` returns
//! only Ok, BadArgument or InternalFailure (the SDK maps all three to a
//! `Result`), or InvalidMemoryAccess for pointers the SDK builds itself.

// The SDK declares the same imports with its own `repr(u32)` enums; here
// they are plain u32s (the same wasm signature), so a status the SDK's
// enum lacks is a value, not undefined behaviour. The two declarations
// live in different crates, which rustc's clashing_extern_declarations
// lint does not compare, so no allow is needed.

use crate::abi_pairs::{decode_pairs, encode_pairs, encode_path};
use std::ptr::{null, null_mut};

/// A hostcall status other than Ok (`proxy_status_t`: 1 NotFound,
/// 2 BadArgument, ...), kept only to be ignored or logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u32);

const OK: u32 = 0;
const NOT_FOUND: u32 = 1;

#[derive(Clone, Copy)]
#[repr(u32)]
pub enum Map {
    Request = 0,
    Response = 2,
    CallResponse = 6,
}

#[derive(Clone, Copy)]
#[repr(u32)]
pub enum Buffer {
    RequestBody = 0,
    ResponseBody = 1,
    CallResponseBody = 4,
    PluginConfiguration = 7,
}

const STREAM_HTTP_RESPONSE: u32 = 1;
const METRIC_COUNTER: u32 = 0;

#[link(wasm_import_module = "env")]
extern "C" {
    fn proxy_log(level: u32, msg: *const u8, msg_len: usize) -> u32;
    fn proxy_get_current_time_nanoseconds(out: *mut u64) -> u32;
    fn proxy_set_tick_period_milliseconds(ms: u32) -> u32;
    fn proxy_get_header_map_pairs(map: u32, out: *mut *mut u8, out_len: *mut usize) -> u32;
    fn proxy_replace_header_map_value(
        map: u32,
        key: *const u8,
        key_len: usize,
        value: *const u8,
        value_len: usize,
    ) -> u32;
    fn proxy_remove_header_map_value(map: u32, key: *const u8, key_len: usize) -> u32;
    fn proxy_get_buffer_bytes(
        buffer: u32,
        start: usize,
        max: usize,
        out: *mut *mut u8,
        out_len: *mut usize,
    ) -> u32;
    fn proxy_set_buffer_bytes(
        buffer: u32,
        start: usize,
        size: usize,
        data: *const u8,
        data_len: usize,
    ) -> u32;
    fn proxy_get_property(
        path: *const u8,
        path_len: usize,
        out: *mut *mut u8,
        out_len: *mut usize,
    ) -> u32;
    fn proxy_set_property(
        path: *const u8,
        path_len: usize,
        value: *const u8,
        value_len: usize,
    ) -> u32;
    fn proxy_send_local_response(
        status: u32,
        details: *const u8,
        details_len: usize,
        body: *const u8,
        body_len: usize,
        headers: *const u8,
        headers_len: usize,
        grpc_status: i32,
    ) -> u32;
    fn proxy_continue_stream(stream: u32) -> u32;
    fn proxy_get_shared_data(
        key: *const u8,
        key_len: usize,
        out: *mut *mut u8,
        out_len: *mut usize,
        cas: *mut u32,
    ) -> u32;
    fn proxy_set_shared_data(
        key: *const u8,
        key_len: usize,
        value: *const u8,
        value_len: usize,
        cas: u32,
    ) -> u32;
    fn proxy_define_metric(kind: u32, name: *const u8, name_len: usize, out_id: *mut u32) -> u32;
    fn proxy_increment_metric(id: u32, offset: i64) -> u32;
}

fn done(status: u32) -> Result<(), Status> {
    match status {
        OK => Ok(()),
        s => Err(Status(s)),
    }
}

/// Takes what the host allocated for an answer; `None` for no data.
///
/// # Safety
/// `ptr` is null or the start of `len` bytes the host allocated through
/// `proxy_on_memory_allocate` for this call, not owned by anything else.
unsafe fn take(ptr: *mut u8, len: usize) -> Option<Vec<u8>> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: per the contract above (capacity == length: the SDK's
    // allocator hands out a boxed slice of exactly `len` bytes).
    Some(unsafe { Vec::from_raw_parts(ptr, len, len) })
}

/// A call whose answer is bytes: Ok(None) when the host has none
/// (NotFound, or Ok with no data).
fn bytes_out(
    call: impl FnOnce(*mut *mut u8, *mut usize) -> u32,
) -> Result<Option<Vec<u8>>, Status> {
    let (mut ptr, mut len) = (null_mut(), 0usize);
    match call(&mut ptr, &mut len) {
        // SAFETY: on Ok the host wrote an allocation it gave up (or null).
        OK => Ok(unsafe { take(ptr, len) }),
        NOT_FOUND => Ok(None),
        s => Err(Status(s)),
    }
}

pub fn log(level: log::Level, msg: &str) {
    let level = match level {
        log::Level::Trace => 0,
        log::Level::Debug => 1,
        log::Level::Info => 2,
        log::Level::Warn => 3,
        log::Level::Error => 4,
    };
    // SAFETY: msg is live for the call. A failed log has nowhere to go.
    let _ = unsafe { proxy_log(level, msg.as_ptr(), msg.len()) };
}

/// Nanoseconds since the epoch.
pub fn now_ns() -> Result<u64, Status> {
    let mut ns = 0u64;
    // SAFETY: ns is a live u64 the host writes.
    done(unsafe { proxy_get_current_time_nanoseconds(&mut ns) }).map(|()| ns)
}

pub fn set_tick_period_ms(ms: u64) -> Result<(), Status> {
    let ms = u32::try_from(ms).unwrap_or(u32::MAX);
    // SAFETY: no pointers.
    done(unsafe { proxy_set_tick_period_milliseconds(ms) })
}

/// Every header of a map (empty when the map is gone).
pub fn headers(map: Map) -> Result<Vec<(String, Vec<u8>)>, Status> {
    // SAFETY: out pointers are live locals of bytes_out.
    let raw = bytes_out(|p, l| unsafe { proxy_get_header_map_pairs(map as u32, p, l) })?;
    Ok(raw.map(|b| decode_pairs(&b)).unwrap_or_default())
}

/// Sets (Some) or removes (None) a header.
pub fn set_header(map: Map, name: &str, value: Option<&[u8]>) -> Result<(), Status> {
    // SAFETY: name and value are live for the call.
    done(unsafe {
        match value {
            Some(v) => proxy_replace_header_map_value(
                map as u32,
                name.as_ptr(),
                name.len(),
                v.as_ptr(),
                v.len(),
            ),
            None => proxy_remove_header_map_value(map as u32, name.as_ptr(), name.len()),
        }
    })
}

/// Up to `max` bytes of a buffer from its start; empty when there is none.
pub fn buffer(kind: Buffer, max: usize) -> Result<Vec<u8>, Status> {
    // SAFETY: out pointers are live locals of bytes_out.
    bytes_out(|p, l| unsafe { proxy_get_buffer_bytes(kind as u32, 0, max, p, l) })
        .map(Option::unwrap_or_default)
}

/// Replaces the first `size` bytes of a buffer with `data`.
pub fn set_buffer(kind: Buffer, size: usize, data: &[u8]) -> Result<(), Status> {
    // SAFETY: data is live for the call.
    done(unsafe { proxy_set_buffer_bytes(kind as u32, 0, size, data.as_ptr(), data.len()) })
}

pub fn property(path: &[&str]) -> Result<Option<Vec<u8>>, Status> {
    let path = encode_path(path);
    // SAFETY: path is live; out pointers are live locals of bytes_out.
    bytes_out(|p, l| unsafe { proxy_get_property(path.as_ptr(), path.len(), p, l) })
}

pub fn set_property(path: &[&str], value: &[u8]) -> Result<(), Status> {
    let path = encode_path(path);
    // SAFETY: path and value are live for the call.
    done(unsafe { proxy_set_property(path.as_ptr(), path.len(), value.as_ptr(), value.len()) })
}

/// The filter's own answer to the client.
pub fn send_response(status: u32, headers: &[(&str, &str)], body: &[u8]) -> Result<(), Status> {
    let headers = encode_pairs(headers);
    // SAFETY: body and headers are live for the call; no details string.
    done(unsafe {
        proxy_send_local_response(
            status,
            null(),
            0,
            body.as_ptr(),
            body.len(),
            headers.as_ptr(),
            headers.len(),
            -1,
        )
    })
}

pub fn resume_response() -> Result<(), Status> {
    // SAFETY: no pointers.
    done(unsafe { proxy_continue_stream(STREAM_HTTP_RESPONSE) })
}

/// A shared-data value and its CAS token (0: none), (None, 0) if unset.
pub fn shared_data(key: &str) -> Result<(Option<Vec<u8>>, u32), Status> {
    let mut cas = 0u32;
    let cas_ptr: *mut u32 = &mut cas;
    // SAFETY: key is live; cas and the out pointers are live locals.
    let v =
        bytes_out(|p, l| unsafe { proxy_get_shared_data(key.as_ptr(), key.len(), p, l, cas_ptr) })?;
    Ok((v, cas))
}

/// Sets a shared-data value if its CAS token still is `cas` (0: always);
/// Err(Status(8)) is a CAS mismatch.
pub fn set_shared_data(key: &str, value: &[u8], cas: u32) -> Result<(), Status> {
    // SAFETY: key and value are live for the call.
    done(unsafe {
        proxy_set_shared_data(key.as_ptr(), key.len(), value.as_ptr(), value.len(), cas)
    })
}

pub fn define_counter(name: &str) -> Result<u32, Status> {
    let mut id = 0u32;
    // SAFETY: name and id are live for the call.
    done(unsafe { proxy_define_metric(METRIC_COUNTER, name.as_ptr(), name.len(), &mut id) })
        .map(|()| id)
}

pub fn increment_metric(id: u32, by: i64) -> Result<(), Status> {
    // SAFETY: no pointers.
    done(unsafe { proxy_increment_metric(id, by) })
}

/// The `log` crate's records and panic messages, through `proxy_log`
/// without the SDK's logger (which unwraps the status).
struct Logger;

impl log::Log for Logger {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::max_level()
    }

    fn log(&self, r: &log::Record) {
        if self.enabled(r.metadata()) {
            log(r.level(), &r.args().to_string());
        }
    }

    fn flush(&self) {}
}

static LOGGER: Logger = Logger;

/// Installs the logger at Info, and a panic hook that logs the panic at
/// Critical before the abort (so a trap, should one still happen, says
/// where in Envoy's log).
pub fn init_logging() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
        std::panic::set_hook(Box::new(|info| {
            let msg = info.to_string();
            // SAFETY: msg is live for the call; 5 is Critical.
            let _ = unsafe { proxy_log(5, msg.as_ptr(), msg.len()) };
        }));
    }
}
