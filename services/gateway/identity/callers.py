"""Callers recently checked, so that a burst of requests pays for one check, not one each.

Checking an access token is verifying its signature and expiry, then reading that its session
is still open: a database round trip that was a quarter of a small query's time. The answer is
kept for a few seconds under the token itself. Revocation stays prompt: a session ended in this
process is forgotten at once (identity's log-out, refresh-token reuse, account deletion), and
one ended anywhere else (another worker process, another gateway pod) stops working at most
RECHECK_AFTER_SECONDS later, when its token is checked against the database again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from shared.clock import utcnow

RECHECK_AFTER_SECONDS = 5.0
MAX_CALLERS = 10_000

V = TypeVar("V")


@dataclass(frozen=True)
class _Checked(Generic[V]):
    value: V
    user_id: uuid.UUID
    session_id: uuid.UUID
    fresh_until: float  # on the cache's clock


class RecentCallers(Generic[V]):
    """What checking a token found, by token, for at most `recheck_after` seconds of `clock`
    and never past the token's own expiry. Safe to share between threads."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        recheck_after: float = RECHECK_AFTER_SECONDS,
        max_callers: int = MAX_CALLERS,
    ) -> None:
        self.clock = clock
        self.recheck_after = recheck_after
        self._max = max_callers
        self._checked: dict[str, _Checked[V]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> V | None:
        checked = self._checked.get(token)
        if checked is None:
            return None
        if checked.fresh_until <= self.clock():
            with self._lock:
                if self._checked.get(token) is checked:
                    del self._checked[token]
            return None
        return checked.value

    def keep(
        self,
        token: str,
        value: V,
        *,
        user_id: uuid.UUID,
        session_id: uuid.UUID,
        token_expires_at: dt.datetime,
    ) -> None:
        """Keep what checking `token` found; it expires at `token_expires_at` (wall clock)."""
        token_left = (token_expires_at - utcnow()).total_seconds()
        fresh_for = min(self.recheck_after, token_left)
        if fresh_for <= 0:
            return
        checked = _Checked(value, user_id, session_id, self.clock() + fresh_for)
        with self._lock:
            self._checked[token] = checked
            if len(self._checked) > self._max:
                self._prune()

    def forget_session(self, session_id: uuid.UUID) -> None:
        """The session ended: none of its tokens is taken from here again."""
        self._forget(lambda checked: checked.session_id == session_id)

    def forget_user(self, user_id: uuid.UUID) -> None:
        """Something every check of the user returns changed (their time zone)."""
        self._forget(lambda checked: checked.user_id == user_id)

    def clear(self) -> None:
        with self._lock:
            self._checked.clear()

    def _forget(self, matches: Callable[[_Checked[V]], bool]) -> None:
        with self._lock:
            for token in [token for token, checked in self._checked.items() if matches(checked)]:
                del self._checked[token]

    def _prune(self) -> None:
        # Stale entries first; then the oldest kept (dicts keep insertion order).
        now = self.clock()
        self._checked = {
            token: checked for token, checked in self._checked.items() if checked.fresh_until > now
        }
        while len(self._checked) > self._max:
            del self._checked[next(iter(self._checked))]
