"""identity_stack.adapters.dynamodb.recent_keys: recently changed access keys, expiring after the window."""

from identity_stack.adapters.dynamodb.recent_keys import RECENT_ACCESS_KEY_TTL_S, RecentAccessKeys
from tests.adapters.dynamodb.tables import TableUnderTest

START_NS = 1_750_000_000_000_000_000


def recent(table: TableUnderTest, now_ns: list[int], tenant_id: str = "T2alpha") -> RecentAccessKeys:
    return RecentAccessKeys(tenant_id, client=table.client, table_name=table.name, clock_ns=lambda: now_ns[0])


async def test_remembered_keys_are_recent_until_the_window_passes(table: TableUnderTest) -> None:
    now = [START_NS]
    keys = recent(table, now)
    await keys.remember("K2new", deleted=False)
    await keys.remember("K2gone", deleted=True)
    await recent(table, now, "T2bravo").remember("K2theirs", deleted=False)

    within = await keys.recent()
    now[0] = START_NS + (RECENT_ACCESS_KEY_TTL_S - 1) * 1_000_000_000
    still = await keys.recent()
    now[0] = START_NS + RECENT_ACCESS_KEY_TTL_S * 1_000_000_000
    after = await keys.recent()

    assert within == still == {"K2new": False, "K2gone": True}
    assert after == {}


async def test_remember_again_overwrites_the_entry(table: TableUnderTest) -> None:
    keys = recent(table, [START_NS])
    await keys.remember("K2key", deleted=False)
    await keys.remember("K2key", deleted=True)

    assert await keys.recent() == {"K2key": True}
    assert table.keys() == [("TENANT#T2alpha", "RECENTKEY#K2key")]
