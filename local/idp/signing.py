"""RSA signing keys: generated on first start, kept in the state folder, published as a JWKS, rotated on demand."""

import threading
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from local.idp.persistence import mtime_ns, read_json, write_json_atomic

SIGNING_ALGORITHM = "RS256"
RSA_KEY_SIZE_BITS = 2048
KEYS_FILE_NAME = "signing-keys.json"


class InvalidSignedTokenError(Exception):
    """A token is malformed, signed by an unknown key, or has a bad signature."""


def _new_key() -> RSAKey:
    # `use` only, no `key_ops`: py-identity-model drops JWKs that carry both (RFC 7517 §4.3 "SHOULD NOT").
    return RSAKey.generate_key(
        RSA_KEY_SIZE_BITS, parameters={"use": "sig", "alg": SIGNING_ALGORITHM}, private=True, auto_kid=True
    )


def _kid(key: RSAKey) -> str:
    # auto_kid sets every key's kid to its RFC 7638 thumbprint; keys read back from disk keep it.
    return key.kid or key.thumbprint()


class SigningKeys:
    """The current signing key and the previous one, persisted as private JWKs (mode 0600).

    The JWKS publishes both, so tokens signed before a rotation stay valid until they expire. The file is
    re-read when another process (``python -m local.idp rotate-keys``) replaced it.
    """

    def __init__(self, state_dir: Path) -> None:
        self._path = state_dir / KEYS_FILE_NAME
        self._lock = threading.Lock()
        self._keys: list[RSAKey] = []
        self._seen_mtime_ns: int | None = None
        with self._lock:
            self._load_or_create()

    def _load_or_create(self) -> None:
        current = mtime_ns(self._path)
        if current is None:
            self._keys = [_new_key()]
            self._save()
        elif current != self._seen_mtime_ns:
            self._keys = [RSAKey.import_key(item) for item in read_json(self._path)["keys"]]
            self._seen_mtime_ns = current

    def _save(self) -> None:
        document = {"keys": [key.as_dict(private=True) for key in self._keys]}
        self._seen_mtime_ns = write_json_atomic(self._path, document, private=True)

    def _fresh(self) -> list[RSAKey]:
        with self._lock:
            self._load_or_create()
            return list(self._keys)

    @property
    def current_kid(self) -> str:
        """``kid`` of the key that signs new tokens."""
        return _kid(self._fresh()[0])

    def rotate(self) -> str:
        """Make a new current key and keep the old current key as the previous one.

        Returns
        -------
        str
            The new key's ``kid`` (its RFC 7638 thumbprint).
        """
        with self._lock:
            self._load_or_create()
            self._keys = [_new_key(), self._keys[0]]
            self._save()
            return _kid(self._keys[0])

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """Public JWK Set (RFC 7517 §5): ``{"keys": [current, previous]}`` with ``kid``, ``alg`` and ``use``."""
        return {"keys": [key.as_dict(private=False) for key in self._fresh()]}

    def sign(self, claims: dict[str, Any]) -> str:
        """Sign ``claims`` as a compact JWS with the current key (header ``alg``, ``kid``, ``typ``)."""
        key = self._fresh()[0]
        return jwt.encode({"alg": SIGNING_ALGORITHM, "kid": _kid(key), "typ": "JWT"}, claims, key)

    def verify(self, token: str) -> dict[str, Any]:
        """Check the signature of a token this provider issued and return its claims (time claims unchecked).

        Raises
        ------
        InvalidSignedTokenError
            Malformed token, unknown ``kid`` or bad signature.
        """
        try:
            return dict(jwt.decode(token, KeySet([*self._fresh()]), algorithms=[SIGNING_ALGORITHM]).claims)
        except (JoseError, ValueError) as exc:
            raise InvalidSignedTokenError(str(exc)) from exc
