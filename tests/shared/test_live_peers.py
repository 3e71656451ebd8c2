"""Live events reach the other processes of the machine without Redis: `tally serve`'s jobs
process stores a notification, a web process holds the subscription."""

from __future__ import annotations

import asyncio
import os
import socket
import stat
import subprocess
import sys
import threading
import uuid
from contextlib import aclosing
from pathlib import Path
from typing import Any

from shared import pubsub
from shared.live_peers import LivePeers, peers_directory


class Inbox:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.arrived = threading.Event()

    def __call__(self, topic: str, payload: dict[str, Any]) -> None:
        self.events.append((topic, payload))
        self.arrived.set()


def test_an_event_sent_by_one_peer_reaches_the_others_but_not_itself(tmp_path: Path) -> None:
    listening, sending = Inbox(), Inbox()
    receiver = LivePeers(tmp_path / "live", listening)
    sender = LivePeers(tmp_path / "live", sending)
    receiver.listen()
    sender.listen()
    try:
        sender.send("notifications:someone", {"title": "Groceries budget overspent"})
        assert listening.arrived.wait(5)
        assert listening.events == [
            ("notifications:someone", {"title": "Groceries budget overspent"})
        ]
        assert sending.events == []
    finally:
        receiver.close()
        sender.close()
    assert stat.S_IMODE((tmp_path / "live").stat().st_mode) == 0o700
    assert list((tmp_path / "live").iterdir()) == []  # each took its socket away


def test_the_socket_a_dead_process_left_is_cleared_by_the_next_event(tmp_path: Path) -> None:
    directory = tmp_path / "live"
    directory.mkdir(mode=0o700)
    left = directory / "12345-deadbeef.sock"
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dead.bind(os.fspath(left))
    dead.close()  # the process died: its file stays, nobody reads it

    peers = LivePeers(directory, Inbox())
    peers.send("topic", {})
    peers.close()

    assert not left.exists()


def test_a_long_var_directory_meets_in_a_private_one_of_its_own(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / ("y" * 60)
    chosen = peers_directory(deep)
    assert len(os.fsencode(chosen)) < 80
    assert chosen == peers_directory(deep)  # every process of that var dir agrees
    assert chosen != peers_directory(tmp_path / ("x" * 60) / ("z" * 60))


_PUBLISH_FROM_ANOTHER_PROCESS = """
import sys
from shared import pubsub
pubsub.publish(sys.argv[1], {"title": "from the jobs process"})
"""


async def test_an_event_published_by_another_process_reaches_a_subscription_here() -> None:
    topic = f"test-live-peers:{uuid.uuid4().hex}"
    events = pubsub.subscribe(topic)
    async with aclosing(events):  # type: ignore[type-var]
        following = asyncio.ensure_future(anext(events))
        await asyncio.sleep(0.2)  # subscribed (and listening) before the other process sends
        published = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-c", _PUBLISH_FROM_ANOTHER_PROCESS, topic],
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert published.returncode == 0, published.stderr[-2000:]
        assert await asyncio.wait_for(following, timeout=10) == {"title": "from the jobs process"}
