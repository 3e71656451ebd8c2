"""Live events between the processes of one machine, when there is no Redis: `tally serve` runs
several web processes and a jobs process, and a notification stored by the jobs process (or a
log-out answered by one web process) must reach a subscription held open by another.

Each process that has live subscribers binds a Unix datagram socket of its own in one private
directory (mode 0700: only this user's processes may send); publishing sends one datagram to
every other socket there. No broker to run or to wait for at start. A socket left by a process
that died refuses the datagram and is removed. Delivery is best effort, like Redis pub/sub: a
receiver whose buffer is full misses the event (subscriptions are a live view; notifications
are stored and listed all the same).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import json
import os
import secrets
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.logging import get_logger

log = get_logger(__name__)

# Events are small (a notification's payload); this bounds one datagram on every platform once
# the send buffer is raised to it (macOS caps datagrams at the sender's buffer size).
MAX_EVENT_BYTES = 64 * 1024
# sun_path holds 108 bytes on Linux, 104 on macOS; a socket's name adds about 30.
_MAX_DIRECTORY_LENGTH = 70
_SUFFIX = ".sock"

Deliver = Callable[[str, dict[str, Any]], None]


def peers_directory(var_dir: Path) -> Path:
    """Where the processes sharing `var_dir` meet: `var_dir/live`, or, when that path is too
    long for a socket's name, a directory of this user's under the system's temporary one."""
    var_dir = var_dir.resolve()
    directory = var_dir / "live"
    if len(os.fsencode(directory)) > _MAX_DIRECTORY_LENGTH:
        digest = hashlib.sha256(os.fsencode(var_dir)).hexdigest()[:16]
        directory = Path(tempfile.gettempdir()) / f"tally-live-{os.geteuid()}-{digest}"
    return directory


def _private_directory(directory: Path) -> None:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = directory.stat()
    if status.st_uid != os.geteuid():
        raise PermissionError(f"{directory} belongs to another user: live events refuse it")
    if status.st_mode & 0o077:
        directory.chmod(0o700)


class LivePeers:
    """This process's socket among its peers', and the way to send them events."""

    def __init__(self, directory: Path, deliver: Deliver) -> None:
        self._directory = directory
        self._deliver = deliver
        self._lock = threading.Lock()
        self._own: Path | None = None
        self._receiver: socket.socket | None = None
        self._sender: socket.socket | None = None

    def listen(self) -> None:
        """Receive the events other processes publish (idempotent): from now on they reach
        `deliver`, on a thread of this object's."""
        with self._lock:
            if self._receiver is not None:
                return
            _private_directory(self._directory)
            own = self._directory / f"{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
            receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * MAX_EVENT_BYTES)
            receiver.bind(os.fspath(own))
            self._own, self._receiver = own, receiver
        atexit.register(self.close)
        threading.Thread(
            target=self._receive, args=(receiver,), name="live-peers", daemon=True
        ).start()

    def send(self, topic: str, payload: dict[str, Any]) -> None:
        """Send the event to every other process listening; never raises for a peer."""
        if not self._directory.is_dir():
            return  # no process ever listened
        data = json.dumps({"topic": topic, "payload": payload}).encode()
        if len(data) > MAX_EVENT_BYTES:
            log.warning("live_event_too_large", topic=topic, size=len(data))
            return
        sender = self._sender_socket()
        for entry in os.scandir(self._directory):
            if not entry.name.endswith(_SUFFIX) or Path(entry.path) == self._own:
                continue
            try:
                sender.sendto(data, entry.path)
            except (ConnectionRefusedError, FileNotFoundError):
                # Its process is gone (a socket file outlives a killed process).
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.ENOBUFS):
                    raise
                log.warning("live_event_dropped", topic=topic, peer=entry.name)

    def close(self) -> None:
        with self._lock:
            receiver, own = self._receiver, self._own
            self._receiver = self._own = None
            if self._sender is not None:
                self._sender.close()
                self._sender = None
        if receiver is None or own is None:
            return
        # An empty datagram wakes the thread blocked in recv() (closing the socket may not).
        with (
            contextlib.suppress(OSError),
            socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as waker,
        ):
            waker.sendto(b"", os.fspath(own))
        with contextlib.suppress(FileNotFoundError):
            own.unlink()
        receiver.close()

    def _sender_socket(self) -> socket.socket:
        with self._lock:
            if self._sender is None:
                sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, MAX_EVENT_BYTES)
                sender.setblocking(False)
                self._sender = sender
            return self._sender

    def _receive(self, receiver: socket.socket) -> None:
        while True:
            try:
                data = receiver.recv(MAX_EVENT_BYTES)
            except OSError:
                return  # closed
            if not data:
                return
            try:
                event = json.loads(data)
                self._deliver(str(event["topic"]), dict(event["payload"]))
            except Exception:
                log.warning("live_event_unreadable", exc_info=True)
