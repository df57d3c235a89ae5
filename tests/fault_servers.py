"""Real loopback servers that misbehave on purpose, in front of the reference server.

No mocked HTTP: the client under test opens real sockets. :class:`FaultProxy` forwards
to the reference server unless a test queued a fault (a status, a raw answer with a
lying Content-Length, an answer rewritten to break the schema, optionally over TLS);
:class:`SilentServer` accepts connections and never answers (read timeouts);
:class:`RawServer` answers every connection with the bytes a test set (wrong chunk sizes, cut
gzip, no HTTP at all); :class:`ScriptedApi` plays the central API with the JSON answers a test
set (hypothesis-generated catalogs, slot lists and key sets for a whole sync round);
:func:`self_signed` makes a certificate with ``cryptography`` for the TLS tests.
This file has no tests; other test modules import it.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path
from urllib.parse import urlsplit


class FaultProxy(ThreadingHTTPServer):
    """``plan`` holds what to do with the next requests; empty plan: forward faithfully."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream: str, tls: ssl.SSLContext | None = None, port: int = 0) -> None:
        self.upstream = urlsplit(upstream)
        self.plan: deque = deque()
        self.aimed: list[tuple[str, tuple]] = []   # (path prefix, fault): see queue_for
        self.seen: list[tuple[str, str, dict]] = []   # (method, path, headers) of every request
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}/"

    def queue(self, *faults) -> None:
        """Each fault is ``("status", code, headers, body_dict)``, ``("raw", bytes)``,
        ``("rewrite", fn(dict) -> dict)`` (forward, then change the JSON), or ``("forward_then_drop",)``
        (forward, let the server commit, then close without answering)."""
        with self.lock:
            self.plan.extend(faults)

    def queue_for(self, path: str, *faults) -> None:
        """The same, for the next requests whose path starts with ``path`` only: the other
        requests of a running terminal (downloads, heartbeats) pass through meanwhile."""
        with self.lock:
            self.aimed.extend((path, fault) for fault in faults)

    def next_fault(self, path: str = ""):
        with self.lock:
            for i, (prefix, fault) in enumerate(self.aimed):
                if path.startswith(prefix):
                    del self.aimed[i]
                    return fault
            return self.plan.popleft() if self.plan else None

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True   # headers and body go out at once: no 40 ms delayed-ACK stall
    wbufsize = 1 << 16
    server: FaultProxy

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        fault = self.server.next_fault(self.path)
        if fault and fault[0] == "status":
            _, status, headers, payload = fault
            return self._answer(status, headers, json.dumps(payload).encode())
        if fault and fault[0] == "raw":
            self.wfile.write(fault[1])
            self.wfile.flush()
            self.close_connection = True
            return
        status, headers, data = self._forward(body)
        if fault and fault[0] == "forward_then_drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault and fault[0] == "rewrite":
            data = json.dumps(fault[1](json.loads(data))).encode()
        self._answer(status, headers, data)

    def _forward(self, body: bytes) -> tuple[int, dict, bytes]:
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=10)
        try:
            keep = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body or None, headers=keep)
            r = conn.getresponse()
            return r.status, {k: v for k, v in r.getheaders()
                              if k.lower() not in ("content-length", "connection", "server", "date")}, r.read()
        finally:
            conn.close()

    def _answer(self, status: int, headers: dict, data: bytes) -> None:
        self.send_response(status)
        headers = dict(headers)
        headers.setdefault("Content-Type", "application/json")
        for k, v in headers.items():
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status != 304:
            self.wfile.write(data)


class SilentServer:
    """Accepts TCP connections and never answers: every request ends in a read timeout."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                continue

    def stop(self) -> None:
        self._stop.set()
        for s in self.accepted:
            s.close()
        self.sock.close()


class RawServer:
    """Reads a request, writes ``self.answer`` (bytes, anything at all) and closes: what a broken
    proxy, a half-dead server or a hostile network may send. Set ``answer`` between requests."""

    def __init__(self, answer: bytes = b"") -> None:
        self.answer = answer
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _serve(self) -> None:
        self.sock.settimeout(0.05)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.settimeout(2)
                    data = b""
                    while b"\r\n\r\n" not in data and len(data) < 1 << 16:
                        part = conn.recv(65536)
                        if not part:
                            break
                        data += part
                    conn.sendall(self.answer)
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


class ScriptedApi(ThreadingHTTPServer):
    """The central API's read side with answers a test chose: ``answers`` maps a path prefix
    (``"v1/catalog"``, ``"v1/agendas/"``, ``"v1/keys"``) to a JSON-able value or to raw bytes
    (sent as they are, as ``application/json``); a heartbeat is acknowledged; anything else is
    the contract's 404. ``seen`` lists the paths asked."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.answers: dict[str, object] = {}
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), _ScriptedHandler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class _ScriptedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ScriptedApi

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path.lstrip("/")
        self.server.seen.append(path)
        status, answer = 404, {"error": "not_found", "message": "nothing here", "details": {}}
        if path.endswith("/heartbeat"):
            status, answer = 200, {"server_time": "2026-12-01T08:00:00+00:00", "config_overrides": {}}
        for prefix, value in self.server.answers.items():
            if path.startswith(prefix):
                status, answer = 200, value
                break
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def closed_port_url() -> str:
    """A loopback port nobody listens on (bound then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/"


def self_signed(directory: Path, name: str) -> tuple[Path, Path, Path]:
    """A town CA (self-signed) and a server certificate for 127.0.0.1 it signed:
    (ca.pem, server chain .pem, server key .pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC)

    def build(subject, issuer, public_key, signing_key, ca: bool, issuer_key=None):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
             .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
             .not_valid_after(now + timedelta(days=30))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
        if issuer_key is not None:
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
        if ca:
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                critical=True)
        else:
            b = (b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                                 critical=False)
                 .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
        return b.sign(signing_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} test CA")])
    ca = build(ca_name, ca_name, ca_key.public_key(), ca_key, True)
    leaf = build(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), ca_name, key.public_key(),
                 ca_key, False, ca_key.public_key())
    pem = serialization.Encoding.PEM
    ca_path, cert_path, key_path = directory / f"{name}-ca.pem", directory / f"{name}.pem", directory / f"{name}.key"
    ca_path.write_bytes(ca.public_bytes(pem))
    cert_path.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return ca_path, cert_path, key_path


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def no_sleep(record: list[float]) -> Callable[[float], None]:
    """A ``sleep`` for the client that records the waits instead of waiting."""
    return record.append
