"""In-memory stand-ins of the DynamoDB stores the member and key rules use (same methods, same faults)."""

from datetime import UTC, datetime

from identity_stack.domain.ports import Suspension
from identity_stack.errors import ConflictError, ProblemError


class _Failing:
    def __init__(self) -> None:
        self._failures: dict[str, list[ProblemError]] = {}

    def fail(self, method: str, error: ProblemError, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` raise ``error`` (before changing anything)."""
        self._failures.setdefault(method, []).extend([error] * times)

    def _enter(self, method: str) -> None:
        pending = self._failures.get(method)
        if pending:
            raise pending.pop(0)


class FakeSuspendedMembers(_Failing):
    """:class:`~identity_stack.adapters.dynamodb.suspensions.SuspendedMembers` of one tenant, in a dict."""

    def __init__(self) -> None:
        super().__init__()
        self.suspensions: dict[str, Suspension] = {}

    async def suspend(self, user_id: str, *, roles: tuple[str, ...], suspended_by: str) -> Suspension:
        self._enter("suspend")
        if user_id in self.suspensions:
            raise ConflictError("The member is already suspended in this tenant.")
        suspension = Suspension(user_id, roles, datetime.now(UTC), suspended_by)
        self.suspensions[user_id] = suspension
        return suspension

    async def restore(self, suspension: Suspension) -> None:
        self._enter("restore")
        self.suspensions[suspension.user_id] = suspension

    async def get(self, user_id: str) -> Suspension | None:
        self._enter("get")
        return self.suspensions.get(user_id)

    async def suspended_user_ids(self) -> set[str]:
        self._enter("suspended_user_ids")
        return set(self.suspensions)

    async def forget(self, user_id: str) -> None:
        self._enter("forget")
        self.suspensions.pop(user_id, None)


class FakeRecentAccessKeys(_Failing):
    """:class:`~identity_stack.adapters.dynamodb.recent_keys.RecentAccessKeys` of one tenant, without expiry."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, bool] = {}

    async def remember(self, key_id: str, *, deleted: bool) -> None:
        self._enter("remember")
        self.entries[key_id] = deleted

    async def recent(self) -> dict[str, bool]:
        self._enter("recent")
        return dict(self.entries)
