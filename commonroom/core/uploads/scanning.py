"""Malware scanning through clamd, when the operator runs one (R36).

Without CLAMD_ADDRESS nothing is scanned (a laptop has no clamd); with it,
a file is clean only when clamd says so: a scanner that cannot be reached or
answers with an error gives a not-clean result, and the caller quarantines.
"""

import logging
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 120
CLAMD_PORT = 3310
_MAX_REPLY = 4096
UNAVAILABLE = "scanner unavailable"


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    detail: str  # "OK", "<signature> FOUND", "not scanned", "scanner unavailable" or clamd's error


def _connect(address: str) -> socket.socket:
    """Open a connection to "tcp://host:port" or "unix:///path/to/socket"."""
    parts = urlsplit(address)
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection(
            (parts.hostname, parts.port or CLAMD_PORT), timeout=TIMEOUT_SECONDS
        )
    if parts.scheme == "unix" and parts.path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(TIMEOUT_SECONDS)
            sock.connect(parts.path)
        except OSError:
            sock.close()
            raise
        return sock
    raise ValueError(f"CLAMD_ADDRESS must be tcp://host:port or unix:///path, not {address!r}")


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < _MAX_REPLY:
        data = sock.recv(_MAX_REPLY)
        if not data:
            break
        reply += data
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _stream(sock: socket.socket, content: File) -> None:
    sock.sendall(b"zINSTREAM\0")
    for chunk in content.chunks(CHUNK):
        sock.sendall(struct.pack(">I", len(chunk)) + chunk)
    sock.sendall(struct.pack(">I", 0))


def _result(reply: str) -> ScanResult:
    detail = reply.removeprefix("stream:").strip()
    if detail == "OK":
        return ScanResult(clean=True, detail="OK")
    if detail.endswith("FOUND"):
        logger.warning("clamd found malware: %s", detail)
        return ScanResult(clean=False, detail=detail)
    if not detail:
        logger.error("clamd closed the connection without an answer")
        return ScanResult(clean=False, detail=UNAVAILABLE)
    # For example "INSTREAM size limit exceeded. ERROR" (clamd's StreamMaxLength).
    logger.error("clamd could not scan a file: %s", detail)
    return ScanResult(clean=False, detail=detail)


def scan_file(content: File) -> ScanResult:
    """Stream the file to clamd (INSTREAM) and report its verdict; content is left at 0."""
    address = settings.CLAMD_ADDRESS
    if not address:
        return ScanResult(clean=True, detail="not scanned")
    try:
        sock = _connect(address)
    except (OSError, ValueError):
        logger.exception("clamd at %s is unavailable", address)
        return ScanResult(clean=False, detail=UNAVAILABLE)
    try:
        with sock:
            try:
                _stream(sock, content)
            except OSError:
                # clamd hangs up when a stream passes its size limit, after
                # writing why; that answer is still worth reading.
                logger.warning("clamd stopped reading the file", exc_info=True)
            reply = _read_reply(sock)
    except OSError:
        logger.exception("clamd at %s did not answer", address)
        return ScanResult(clean=False, detail=UNAVAILABLE)
    finally:
        content.seek(0)
    return _result(reply)
