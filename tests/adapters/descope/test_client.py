"""The Descope adapter: the management key (env or Secrets Manager), and each reply read into domain data."""

import json
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto import mock_aws
from pydantic import SecretStr

from identity_stack.adapters.descope.client import IdentityProviderClient, read_management_key
from identity_stack.config import DescopeSettings, Settings
from identity_stack.domain.models import User
from identity_stack.errors import UpstreamError

UPSTREAM_TEXT = "internal shard 7 exploded"


def test_read_management_key_prefers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESCOPE_PROJECT_ID", "P2Test")
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY", "K-from-env")
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x")

    assert read_management_key(Settings().descope()) == "K-from-env"


def test_read_management_key_reads_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESCOPE_MANAGEMENT_KEY", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("DESCOPE_PROJECT_ID", "P2Test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="descope-mgmt", SecretString="K-from-secret")["ARN"]
        monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY_SECRET_ARN", arn)

        assert read_management_key(Settings().descope()) == "K-from-secret"


def test_read_management_key_none_configured() -> None:
    descope = DescopeSettings(project_id="P2Test", base_url=None, management_key=None, management_key_secret_arn=None)

    assert read_management_key(descope) is None


def with_sdk(client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch, **resources: Any) -> None:
    """Answer ``client``'s SDK calls with ``resources`` (``user=SimpleNamespace(load_by_user_id=...)``, ...)."""
    monkeypatch.setattr(client, "_client", lambda: SimpleNamespace(mgmt=SimpleNamespace(**resources)))


def replying(reply: object) -> Any:
    async def call(*args: object, **kwargs: object) -> object:
        return reply

    return call


@pytest.fixture
def client() -> IdentityProviderClient:
    return IdentityProviderClient(Settings(descope_project_id="P2Test"))


async def test_load_user_reads_camel_case_and_nulls(
    client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = {
        "user": {
            "userId": "U2abc",
            "loginIds": ["ada@example.com"],
            "name": None,
            "email": "ada@example.com",
            "status": "enabled",
            "customAttributes": None,
            "userTenants": [
                {"tenantId": "T2acme", "roleNames": None},
                {"tenantId": "T2globex", "roleNames": ["owner"]},
            ],
            "somethingNew": {"ignored": True},
        }
    }
    with_sdk(client, monkeypatch, user=SimpleNamespace(load_by_user_id=replying(reply)))

    user = await client.load_user("U2abc")

    assert user == User(
        user_id="U2abc",
        login_id="ada@example.com",
        name="",
        email="ada@example.com",
        status="enabled",
        custom_attributes={},
        tenant_roles={"T2acme": [], "T2globex": ["owner"]},
    )


@pytest.mark.parametrize(
    "reply",
    [None, [], {"user": None}, {"user": {"loginIds": ["x"]}}, {"user": {"userId": 7, "userTenants": "T2acme"}}],
    ids=["null", "list", "null-user", "no-user-id", "wrong-types"],
)
async def test_unreadable_user_reply_is_502_without_echo(
    client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch, reply: object, caplog: pytest.LogCaptureFixture
) -> None:
    poisoned = (
        {"user": {**reply["user"], "name": UPSTREAM_TEXT}} if isinstance(reply, dict) and reply["user"] else reply
    )
    with_sdk(client, monkeypatch, user=SimpleNamespace(load_by_user_id=replying(poisoned)))

    with pytest.raises(UpstreamError) as caught:
        await client.load_user("U2abc")

    assert caught.value.status_code == 502
    assert UPSTREAM_TEXT not in json.dumps(caught.value.to_problem())
    assert UPSTREAM_TEXT not in caplog.text


async def test_created_access_key_without_secret_is_502(
    client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = {
        "id": "K2a",
        "name": "ci",
        "status": "active",
        "keyTenants": [{"tenantId": "T2acme", "roleNames": ["viewer"]}],
    }
    with_sdk(client, monkeypatch, access_key=SimpleNamespace(create=replying({"key": key, "cleartext": ""})))

    with pytest.raises(UpstreamError):
        await client.create_access_key("ci", tenant_id="T2acme", role_names=["viewer"], expire_time=0, description="")


async def test_search_access_keys_reads_keys_and_drops_other_tenants(
    client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [
        {"id": "K2a", "name": "a", "status": "active", "createdTime": 5, "expireTime": None, "clientId": None,
         "keyTenants": [{"tenantId": "T2acme", "roleNames": ["viewer"]}]},
        {"id": "K2b", "name": "b", "status": "inactive", "keyTenants": [{"tenantId": "T2globex", "roleNames": []}]},
    ]  # fmt: skip
    with_sdk(client, monkeypatch, access_key=SimpleNamespace(search_all_access_keys=replying({"keys": keys})))

    found = await client.search_access_keys("T2acme")

    assert [(key.id, key.created_time, key.expire_time, key.client_id, key.key_tenants) for key in found] == [
        ("K2a", 5, 0, "", {"T2acme": ["viewer"]})
    ]


async def test_search_tenants_reads_tenants(client: IdentityProviderClient, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = {
        "tenants": [
            {"id": "T2acme", "name": "Acme", "selfProvisioningDomains": None, "customAttributes": {"plan_tier": "pro"}}
        ]
    }
    with_sdk(client, monkeypatch, tenant=SimpleNamespace(search_all=replying(reply)))

    (tenant,) = await client.search_tenants(ids=["T2acme"])

    assert (tenant.id, tenant.name, tenant.self_provisioning_domains, tenant.custom_attributes) == (
        "T2acme", "Acme", [], {"plan_tier": "pro"}
    )  # fmt: skip


async def test_search_tenants_without_ids_is_refused_before_any_call(client: IdentityProviderClient) -> None:
    with pytest.raises(ValueError, match="needs ids"):
        await client.search_tenants(ids=[])


async def test_user_mutation_without_login_id_is_refused_before_any_call() -> None:
    client = IdentityProviderClient(
        Settings(
            descope_project_id="P2Test",
            descope_base_url="http://127.0.0.1:9",
            descope_management_key=SecretStr("K2test"),
        )
    )

    with pytest.raises(UpstreamError, match="without a login id"):
        await client.add_tenant_roles(User(user_id="U2abc", login_id=None), "T2acme", ["viewer"])
