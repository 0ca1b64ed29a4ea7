//! The sidecar's accept loop. axum's own `serve` sets no deadline on a
//! request head and takes every connection: a client that never finished
//! its head held a connection for minutes, and about a thousand of them
//! starved `/healthz` and ingest. Here each connection has a head deadline,
//! a read-idle limit for bodies and keep-alive, and there is a cap on how
//! many are open at once (beyond it, new ones are closed at once).

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{sleep, Instant, Sleep};

/// A request head must be in within this long of its first byte.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A connection that sends nothing for this long (mid-body, or idle
/// between requests) is closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Connections open at once; Envoy's pool to the sidecar needs a handful.
pub const MAX_CONNECTIONS: usize = 512;

pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let tcp = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    // out of descriptors and the like: wait, do not spin
                    eprintln!("clawgate serve: accept failed: {e}");
                    sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            continue; // over the cap: dropped, so closed
        };
        let io = TokioIo::new(Idle::new(tcp, IDLE_TIMEOUT));
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEAD_TIMEOUT)
            .serve_connection(io, TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    // requests in flight finish; a connection that will not is cut
    tokio::select! {
        () = graceful.shutdown() => {}
        () = sleep(Duration::from_secs(10)) => {}
    }
    Ok(())
}

/// A TCP stream that fails a read once nothing has moved for `limit`.
/// Writes count as movement: a long answer is not the client's silence.
struct Idle {
    io: TcpStream,
    limit: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl Idle {
    fn new(io: TcpStream, limit: Duration) -> Self {
        Idle {
            io,
            limit,
            deadline: Box::pin(sleep(limit)),
        }
    }

    fn moved(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.limit);
    }
}

impl AsyncRead for Idle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let me = &mut *self;
        match Pin::new(&mut me.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                me.moved();
                Poll::Ready(r)
            }
            Poll::Pending => match me.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::ErrorKind::TimedOut.into())),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Idle {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let me = &mut *self;
        let r = Pin::new(&mut me.io).poll_write(cx, buf);
        if r.is_ready() {
            me.moved();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
