"""What a benchmark runs against: the local identity provider (and moto) on free ports, functions with their env.

Function environments come from template.yaml exactly as the local gateway builds them (Globals merged, intrinsics
resolved, local/env/gateway.json on top), re-pointed at this provider and moto.
"""

import json
import logging
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from string import Template
from typing import Any

import httpx

from local.aws import aws_environment
from local.aws.resources import create_template_resources
from local.aws.server import MotoServer
from local.gateway.api import FunctionSpec, load_api
from local.gateway.config import REPOSITORY_ROOT, GatewayConfig
from local.gateway.runtime import runtime_environment
from local.gateway.template import LocalTemplate, load_template
from local.idp import IdpConfig, IdpServer, sign_in
from local.invoke.sample_events import ACCESS_TOKEN_CONTEXT, authorizer_placeholders

FUNCTIONS_PATH = REPOSITORY_ROOT / "functions"
# The persona every benchmark signs in as: owner of Acme, so every read route of every function answers 200.
BENCH_LOGIN_ID = "owner@acme.test"
BENCH_TENANT = "acme"
# High enough that a benchmark never meets the provider's management rate limit.
BENCH_RATE_LIMIT_REQUESTS = 1_000_000
# Rejected-token lines are logged at INFO; thousands of them would bury the report (the level check stays paid).
BENCH_LOG_LEVEL = "WARNING"


@dataclass(frozen=True)
class BenchFunction:
    """A Lambda function of the template as a benchmark loads it.

    Attributes
    ----------
    group : str
        Folder under ``functions/`` (``auth``).
    spec : FunctionSpec
        Code folder, layer folders and template environment.
    environment : Mapping[str, str]
        Everything the Lambda runtime would set: runtime variables, template variables, local overrides.
    """

    group: str
    spec: FunctionSpec
    environment: Mapping[str, str] = field(repr=False)


@dataclass
class BenchStack:
    """A running identity provider (and optionally moto) with the template's functions pointed at them."""

    idp: IdpServer
    functions: dict[str, BenchFunction]
    access_token: str
    http: httpx.Client = field(repr=False)

    @property
    def discovery_path(self) -> str:
        """Path of the discovery document, for the provider's request counter."""
        return f"/{self.idp.config.project_id}/.well-known/openid-configuration"

    @property
    def jwks_path(self) -> str:
        """Path of the OIDC JWKS, for the provider's request counter."""
        return f"/{self.idp.config.project_id}/.well-known/jwks.json"

    def fetch_counts(self) -> dict[str, int]:
        """Discovery and JWKS requests the provider has served so far."""
        requests = self.idp.runtime.requests
        return {"discovery": requests.count(self.discovery_path), "jwks": requests.count(self.jwks_path)}

    def expired_access_token(self) -> str:
        """The bench access token re-signed by the provider with ``exp`` an hour ago: a correctly signed token that
        fails on time alone, so rejecting it never triggers a JWKS refetch (unlike a forged signature)."""
        claims = self.idp.runtime.keys.verify(self.access_token)
        return self.idp.runtime.keys.sign({**claims, "iat": claims["iat"] - 7200, "exp": claims["iat"] - 3600})

    def sample_event(self, group: str, name: str, *, token: str | None = None) -> dict[str, Any]:
        """``functions/<group>/events/<name>.json`` with ``token`` (default: the bench access token) in place of
        ``${ACCESS_TOKEN}`` and its authorizer context in place of ``${AUTHORIZER_*}``, as API Gateway passes it
        (the claims are checked against the provider's keys, as the authorizer checks them; ``exp`` is not, so an
        expired token's context reaches the function, which answers 401)."""
        token = token or self.access_token
        claims = self.idp.runtime.keys.verify(token)
        placeholders = {
            "ACCESS_TOKEN": token,
            **authorizer_placeholders(claims, prefix=ACCESS_TOKEN_CONTEXT),
        }
        text = (FUNCTIONS_PATH / group / "events" / f"{name}.json").read_text()
        event: dict[str, Any] = json.loads(Template(text).safe_substitute(placeholders))
        return event


def _group_of(spec: FunctionSpec) -> str:
    return spec.code_dir.resolve().relative_to(FUNCTIONS_PATH).as_posix()


def _bench_functions(template: LocalTemplate, overrides: Mapping[str, str]) -> dict[str, BenchFunction]:
    functions = {}
    for spec in load_api(template).functions.values():
        environment = {**runtime_environment(spec), **spec.environment, **overrides}
        functions[_group_of(spec)] = BenchFunction(_group_of(spec), spec, environment)
    return functions


@contextmanager
def running_stack(*, with_aws: bool) -> Iterator[BenchStack]:
    """Start the identity provider (and moto with the template's resources when ``with_aws``) on free ports.

    Parameters
    ----------
    with_aws : bool
        Start moto too: functions that read DynamoDB on their first request (keys, members, authorizer) need it.

    Yields
    ------
    BenchStack
        Stopped, with its state folder removed, on exit.
    """
    with ExitStack() as stack:
        state_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-idp-")))
        config = IdpConfig(port=0, state_dir=state_dir, rate_limit_requests=BENCH_RATE_LIMIT_REQUESTS)
        idp = stack.enter_context(IdpServer(config))
        gateway_config = GatewayConfig.from_file()
        parameter_overrides = {
            **gateway_config.parameter_overrides,
            "DescopeProjectId": idp.config.project_id,
            "SpaClientId": idp.config.project_id,
            "OidcIssuer": idp.config.issuer,
            "DescopeBaseUrl": idp.config.base_url,
        }
        gateway_config = replace(gateway_config, parameter_overrides=parameter_overrides)
        template = load_template(gateway_config.template_path, parameter_overrides)
        overrides = {
            **gateway_config.environment,
            "DESCOPE_MANAGEMENT_KEY": idp.config.management_key,
            "POWERTOOLS_LOG_LEVEL": BENCH_LOG_LEVEL,
        }
        if with_aws:
            # werkzeug logs every request moto answers at INFO, on the benchmark's console.
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
            moto = stack.enter_context(MotoServer(0))
            create_template_resources(template, moto.client)
            overrides |= aws_environment(moto.endpoint_url)
        http = stack.enter_context(httpx.Client(timeout=10.0, trust_env=False))
        tenant_id = idp.runtime.seed.tenant_ids[BENCH_TENANT]
        tokens = sign_in(http, idp.config.base_url, idp.config.project_id, BENCH_LOGIN_ID, tenant=tenant_id)
        yield BenchStack(idp, _bench_functions(template, overrides), tokens.access_token, http)
