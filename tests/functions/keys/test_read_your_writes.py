"""Descope's access-key search trails writes (its index lags ~1 s): the keys of a tenant still read their writes.

The local provider's search is consistent, so here it is wrapped in one whose search index is frozen at a chosen
moment, as Descope's is for about a second after a write. Everything else is real: the local provider over HTTP and
DynamoDB in moto.
"""

from collections.abc import Iterator

import boto3
import pytest
from botocore.client import BaseClient

from identity_stack.adapters.descope.client import IdentityProviderClient
from identity_stack.adapters.dynamodb.recent_keys import RECENT_ACCESS_KEY_TTL_S, RecentAccessKeys
from identity_stack.auth.principal import Principal
from identity_stack.config import Settings
from identity_stack.domain.access_keys import TenantAccessKeys
from identity_stack.domain.models import AccessKeyRecord
from local.aws.tables import create_table, load_table_block
from tests.fixtures.idp import LocalIdp

TABLE = "keys-read-your-writes"
NOW_NS = 1_800_000_000 * 1_000_000_000


class LaggingKeyIndex(IdentityProviderClient):
    """The real provider, except that the key search answers from a snapshot taken by :meth:`freeze`."""

    frozen: list[AccessKeyRecord] | None = None

    async def freeze(self, tenant_id: str) -> None:
        self.frozen = await super().search_access_keys(tenant_id)

    async def search_access_keys(self, tenant_id: str) -> list[AccessKeyRecord]:
        if self.frozen is None:
            return await super().search_access_keys(tenant_id)
        return list(self.frozen)


@pytest.fixture
def dynamodb(in_process_aws: None) -> BaseClient:
    client = boto3.client("dynamodb")
    create_table(client, load_table_block(), TABLE)
    return client


@pytest.fixture
def provider(idp: LocalIdp) -> Iterator[LaggingKeyIndex]:
    idp.reset()
    settings = Settings(
        descope_project_id=idp.project_id, descope_base_url=idp.base_url, descope_management_key=idp.management_key
    )
    yield LaggingKeyIndex(settings)
    idp.reset()


def admin_of(tenant_id: str) -> Principal:
    claims = {
        "sub": "K2admin",
        "iss": "test",
        "amr": ["accesskey"],
        "tenants": {tenant_id: {"roles": ["admin"], "permissions": []}},
    }
    return Principal.from_claims(claims)


def tenant_keys(tenant_id: str, provider: LaggingKeyIndex, dynamodb: BaseClient, now_ns: int) -> TenantAccessKeys:
    recent = RecentAccessKeys(tenant_id, client=dynamodb, table_name=TABLE, clock_ns=lambda: now_ns)
    return TenantAccessKeys(tenant_id, provider, recent)


async def test_list_keys_lagging_index_shows_created_and_hides_deleted(
    idp: LocalIdp, provider: LaggingKeyIndex, dynamodb: BaseClient
) -> None:
    acme = idp.seed.tenant_ids["acme"]
    keys = tenant_keys(acme, provider, dynamodb, NOW_NS)
    seeded = idp.seed.access_keys["acme_api"].key_id
    await provider.freeze(acme)

    created = await keys.create(
        name="new", description="", expire_time=None, role_names=["viewer"], actor=admin_of(acme)
    )
    await keys.set_active(seeded, active=False, actor=admin_of(acme))
    listed = {key.id: key for key in (await keys.list_keys()).keys}
    await keys.delete(seeded, actor=admin_of(acme))
    after_delete = {key.id for key in (await keys.list_keys()).keys}

    assert seeded in {key.id for key in provider.frozen or []}
    assert created.key.id not in {key.id for key in provider.frozen or []}
    assert created.key.id in listed
    assert listed[seeded].status == "inactive"  # the stale index still says active
    assert created.key.id in after_delete
    assert seeded not in after_delete


async def test_list_keys_after_window_trusts_index_again(
    idp: LocalIdp, provider: LaggingKeyIndex, dynamodb: BaseClient
) -> None:
    acme = idp.seed.tenant_ids["acme"]
    await provider.freeze(acme)
    created = await tenant_keys(acme, provider, dynamodb, NOW_NS).create(
        name="new", description="", expire_time=None, role_names=["viewer"], actor=admin_of(acme)
    )
    later = tenant_keys(acme, provider, dynamodb, NOW_NS + (RECENT_ACCESS_KEY_TTL_S + 1) * 1_000_000_000)

    listed = {key.id for key in (await later.list_keys()).keys}

    assert created.key.id not in listed  # the (still frozen) index is all there is once the window has passed


async def test_recent_changes_of_other_tenant_are_not_listed(
    idp: LocalIdp, provider: LaggingKeyIndex, dynamodb: BaseClient
) -> None:
    acme, globex = idp.seed.tenant_ids["acme"], idp.seed.tenant_ids["globex"]
    created = await tenant_keys(acme, provider, dynamodb, NOW_NS).create(
        name="acme-only", description="", expire_time=None, role_names=["viewer"], actor=admin_of(acme)
    )
    globex_keys = tenant_keys(globex, provider, dynamodb, NOW_NS)
    # Even a forged memory entry in Globex's partition cannot list an Acme key: it is loaded and checked by tenant.
    await RecentAccessKeys(globex, client=dynamodb, table_name=TABLE, clock_ns=lambda: NOW_NS).remember(
        created.key.id, deleted=False
    )

    listed = {key.id for key in (await globex_keys.list_keys()).keys}

    assert created.key.id not in listed
