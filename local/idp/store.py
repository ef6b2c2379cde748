"""The provider's state: one JSON document in memory, guarded by a lock, saved atomically after every change.

Shape (all ids opaque strings)::

    {"version": 1,
     "permissions": {name: {name, description}},
     "roles": {name: {name, description, permissionNames, createdTime}},
     "tenants": {id: {id, name, selfProvisioningDomains, customAttributes, enforceSSO, disabled, createdTime}},
     "users": {userId: {userId, loginIds, name, ..., roleNames, tenants: {tenantId: [role]}, status, ...}},
     "accessKeys": {id: {id, name, roleNames, keyTenants: {tenantId: [role]}, status, secretHash, ...}},
     "sessions": {sid: {subject, clientId, tenant, scope, refreshJti, revoked, createdTime, lastUsedTime}}}
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from local.idp.persistence import mtime_ns, read_json, write_json_atomic
from local.idp.seed import STATE_VERSION

STATE_FILE_NAME = "state.json"

State = dict[str, Any]


class Store:
    """Thread-safe owner of the state document.

    The server's event loop and test code (``reset()``) both touch it, so every access holds the lock. A state
    file replaced by another process (``python -m local.idp reset``) is re-read before the next access.

    Parameters
    ----------
    state_dir : Path
        Folder of ``state.json``; created if missing.
    initial_state : Callable[[], State]
        Builds a fresh seeded state (first start, version change and :meth:`reset`).
    """

    def __init__(self, state_dir: Path, initial_state: Callable[[], State]) -> None:
        self._path = state_dir / STATE_FILE_NAME
        self._initial_state = initial_state
        self._lock = threading.RLock()
        self._seen_mtime_ns: int | None = None
        self._state: State = {}
        with self._lock:
            self._refresh()

    def _refresh(self) -> None:
        current = mtime_ns(self._path)
        if current is not None and current == self._seen_mtime_ns:
            return
        loaded = read_json(self._path) if current is not None else None
        if loaded is None or loaded.get("version") != STATE_VERSION:
            self._state = self._initial_state()
            self._save()
        else:
            self._state = loaded
            self._seen_mtime_ns = current

    def _save(self) -> None:
        self._seen_mtime_ns = write_json_atomic(self._path, self._state)

    @contextmanager
    def read(self) -> Iterator[State]:
        """Hold the lock and give the current state; callers must not change it."""
        with self._lock:
            self._refresh()
            yield self._state

    @contextmanager
    def write(self) -> Iterator[State]:
        """Hold the lock, give the state to change, and save it if the block ends without an exception.

        A block that raises leaves the file untouched and marks memory stale, so the next access re-reads the
        file: a rejected request changes nothing, even if it failed half-way through a change.
        """
        with self._lock:
            self._refresh()
            try:
                yield self._state
            except BaseException:
                self._seen_mtime_ns = None
                raise
            self._save()

    def reset(self) -> None:
        """Replace the state by a fresh seed (signing keys are not touched)."""
        with self._lock:
            self._state = self._initial_state()
            self._save()
