"""Authorization codes expire (injected clock)."""

from local.idp.codes import AuthorizationCodes


def test_authorization_code_after_ttl_is_gone() -> None:
    now = [1000.0]
    codes = AuthorizationCodes(ttl_s=60, clock=lambda: now[0])
    code = codes.issue(
        user_id="U2x", client_id="P2x", redirect_uri="http://x", code_challenge="c", scope="openid", nonce=None,
        tenant=None,
    )  # fmt: skip

    assert codes.get(code) is not None
    now[0] += 61
    assert codes.get(code) is None
