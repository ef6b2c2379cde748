"""Builders for tests: API Gateway REST (v1) proxy events, Lambda contexts, signed tokens, function loading."""

import base64
import importlib.util
import json
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from types import ModuleType
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa

REPO_ROOT = Path(__file__).resolve().parents[1]
LAYER_PATH = REPO_ROOT / "layers" / "shared"
FUNCTIONS_PATH = REPO_ROOT / "functions"
STAGE = "test"


def make_event(
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, str | list[str]] | None = None,
    path_params: Mapping[str, str] | None = None,
    resource: str | None = None,
    principal_claims: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a REST API (v1) Lambda proxy event as API Gateway sends it.

    Parameters
    ----------
    method, path : str
        HTTP method and request path without the stage (``/api/me``).
    token : str, optional
        Sent as ``Authorization: Bearer <token>``.
    body : Any, optional
        A ``str`` is sent as is; anything else as JSON with ``Content-Type: application/json``.
    headers : Mapping, optional
        Extra request headers, in the client's case (API Gateway keeps it).
    query : Mapping, optional
        Query parameters; a list value becomes a repeated parameter.
    path_params : Mapping, optional
        ``pathParameters``.
    resource : str, optional
        The matched resource template; defaults to ``path``.
    principal_claims : Mapping, optional
        Validated claims whose authorizer context (:func:`authorizer_context`) the event carries, as API Gateway
        passes it after the authorizer allowed the request; without them the event has no
        ``requestContext.authorizer`` (a route without the authorizer, or a direct invocation).

    Returns
    -------
    dict
        With ``headers``/``multiValueHeaders``, query strings (single and multi), ``requestContext`` (stage,
        requestId, identity.sourceIp, resourcePath, httpMethod).
    """
    all_headers: dict[str, str] = {"Host": "api.test", "User-Agent": "pytest", "X-Forwarded-Proto": "https"}
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    if body is not None and not isinstance(body, str):
        body = json.dumps(body)
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    request_context: dict[str, Any] = {
        "resourcePath": resource or path,
        "httpMethod": method,
        "path": f"/{STAGE}{path}",
        "stage": STAGE,
        "requestId": (request_id := str(uuid.uuid4())),
        "extendedRequestId": request_id,
        "requestTimeEpoch": int(time.time() * 1000),
        "protocol": "HTTP/1.1",
        "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"},
        "accountId": "123456789012",
        "apiId": "testapi",
    }
    if principal_claims is not None:
        request_context["authorizer"] = authorizer_context(principal_claims)
    multi_query = {name: value if isinstance(value, list) else [value] for name, value in (query or {}).items()}
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_params) if path_params else None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": False,
    }


def authorizer_context(claims: Mapping[str, Any], *, kind: str | None = None) -> dict[str, Any]:
    """``requestContext.authorizer`` for validated ``claims``, built as the authorizer and API Gateway build it.

    The layer's encoder (what functions/authorizer returns), flattened to strings next to ``principalId`` as a REST
    API passes it to the integration (:func:`local.gateway.events.integration_authorizer`).
    """
    # Imported here: local.gateway's package imports boto3, which a function's cold-start probe must not see, and
    # the layer is importable only once load_function (or pytest's pythonpath) has put it on sys.path (bench/).
    from identity_stack.auth.context import encode_context
    from identity_stack.auth.principal import Principal
    from local.gateway.events import integration_authorizer

    principal = Principal.from_claims(claims)
    return integration_authorizer(principal.sub, encode_context(principal, kind=kind))


@dataclass
class LambdaContext:
    """The attributes of a Lambda context object that Powertools reads."""

    function_name: str = "test-function"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:test-function"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/test-function"
    log_stream_name: str = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def lambda_context() -> LambdaContext:
    """A fresh Lambda context (new ``aws_request_id``)."""
    return LambdaContext()


def load_function(group: str, *, functions_path: Path = FUNCTIONS_PATH) -> ModuleType:
    """Import ``functions/<group>/app.py`` in isolation, as the Lambda runtime would.

    Each call executes the module again under a unique name (``fn_<group>_<hex>``), so it sees the current
    environment and is a cold start; ``layers/shared`` is put on ``sys.path`` as ``/opt/python`` is in Lambda, and
    the function's folder (Lambda's task root, ``/var/task``) while it imports, so ``app.py`` can import a sibling
    module. The siblings are then dropped from ``sys.modules``: another function's module of the same name is its own.
    """
    if str(LAYER_PATH) not in sys.path:
        sys.path.insert(0, str(LAYER_PATH))
    folder = functions_path / group
    name = f"fn_{group}_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, folder / "app.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"no function at {folder}/app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    before = set(sys.modules)
    sys.path.insert(0, str(folder))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
        for imported in set(sys.modules) - before:
            if Path(getattr(sys.modules[imported], "__file__", None) or "/").is_relative_to(folder):
                del sys.modules[imported]
    return module


def load_event(group: str, name: str, **placeholders: str) -> dict[str, Any]:
    """Read the shipped sample event ``functions/<group>/events/<name>`` with its ``${NAME}`` placeholders filled.

    Placeholders not given (``${ACCESS_TOKEN}`` when no token is passed) stay as they are, as they would reach a
    function invoked with ``sam local invoke -e`` unedited.

    Raises
    ------
    FileNotFoundError
        No such event file.
    """
    text = (FUNCTIONS_PATH / group / "events" / name).read_text()
    event: dict[str, Any] = json.loads(Template(text).safe_substitute(placeholders))
    return event


def response_json(response: Mapping[str, Any]) -> Any:
    """Decode a proxy response's body (base64 when flagged) as JSON."""
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return json.loads(body)


@dataclass(frozen=True)
class SigningKey:
    """A private signing key with its ``kid`` and JWS algorithm."""

    kid: str
    alg: str
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def rsa(cls, kid: str) -> "SigningKey":
        return cls(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def ec(cls, kid: str) -> "SigningKey":
        return cls(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))

    def public_jwk(self) -> dict[str, Any]:
        """The public JWK as an IdP publishes it (``use`` without ``key_ops``: py-identity-model drops both)."""
        algorithm = jwt.get_algorithm_by_name(self.alg)
        jwk = algorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        jwk.pop("key_ops", None)
        return {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}


def make_token(key: SigningKey, claims: Mapping[str, Any], *, headers: Mapping[str, Any] | None = None) -> str:
    """Sign ``claims`` with ``key`` (header ``kid`` and ``alg`` from the key unless overridden)."""
    return jwt.encode(dict(claims), key.private_key, algorithm=key.alg, headers={"kid": key.kid, **(headers or {})})


def user_claims(issuer: str, audience: str, **overrides: Any) -> dict[str, Any]:
    """Claims of an OIDC access token of a Descope user (admin in tenant T-acme); ``None`` overrides remove."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "U2userAcmeAdmin",
        "aud": audience,
        "iat": now,
        "exp": now + 600,
        "drn": "DS",
        "amr": ["pwd"],
        "dct": "T-acme",
        "tenants": {"T-acme": {"roles": ["admin"], "permissions": ["members.invite", "documents.read"]}},
        "roles": [],
        "permissions": [],
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def id_token_claims(issuer: str, client_id: str, **overrides: Any) -> dict[str, Any]:
    """Claims of an OIDC ID token issued to the SPA (OIDC Core §2): ``aud`` = client id, no ``drn``, no grants."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "U2userAcmeAdmin",
        "aud": client_id,
        "iat": now,
        "exp": now + 600,
        "auth_time": now,
        "nonce": "n-0S6_WzA2Mj",
        "email": "admin@acme.test",
        "email_verified": True,
        "name": "Adam Admin",
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def access_key_claims(issuer: str, **overrides: Any) -> dict[str, Any]:
    """Claims of the Descope session token of an access-key exchange: no ``aud``, no ``dct``, one tenant.

    ``amr`` names the access-key method, as the local identity provider's key tokens do (what marks a key token).
    """
    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "K2accessKeyAcme",
        "iat": now,
        "exp": now + 600,
        "drn": "DS",
        "amr": ["accesskey"],
        "tenants": {"T-acme": {"roles": ["viewer"], "permissions": ["documents.read"]}},
        "roles": [],
        "permissions": [],
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}
