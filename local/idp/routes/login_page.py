"""HTML of the provider's two pages: the persona picker shown by the authorization endpoint, and a message page."""

from html import escape

from local.idp.runtime import IdpRuntime

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}"
    "button{display:block;width:100%;margin:.4rem 0;padding:.7rem;text-align:left;border:1px solid #cbd2d9;"
    "border-radius:.5rem;background:#fff;cursor:pointer}button:hover{background:#f0f4f8}"
    "button[disabled]{opacity:.5;cursor:not-allowed}small{color:#52606d}"
)
# The persona chosen on the page arrives as this form field (login_hint does the same without the page).
LOGIN_FIELD = "login_id"


def render_login_page(runtime: IdpRuntime, params: dict[str, str], action: str) -> str:
    """A page with one button per seeded user; submitting posts the authorization request plus the choice to
    ``action``."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in params.items()
        if key != LOGIN_FIELD
    )
    with runtime.store.read() as state:
        tenant_names = {tid: tenant["name"] for tid, tenant in state["tenants"].items()}
        users = sorted(state["users"].values(), key=lambda user: user["loginIds"][0])
        buttons = []
        for user in users:
            grants = [f"{tenant_names.get(tid, tid)}: {', '.join(roles)}" for tid, roles in user["tenants"].items()]
            if user["roleNames"]:
                grants.insert(0, f"project: {', '.join(user['roleNames'])}")
            detail = "; ".join(grants) or "no tenant"
            disabled = " disabled" if user["status"] != "enabled" else ""
            buttons.append(
                f'<button type="submit" name="{LOGIN_FIELD}" value="{escape(user["loginIds"][0])}"{disabled}>'
                f"<strong>{escape(user['name'] or user['loginIds'][0])}</strong> {escape(user['loginIds'][0])}"
                f"<br><small>{escape(detail)} · {escape(user['status'])}</small></button>"
            )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Sign in · local identity provider</title>"
        f"<style>{_STYLE}</style></head><body><h1>Sign in as</h1>"
        f"<p><small>Local identity provider for project {escape(runtime.config.project_id)}. "
        f"No password: pick a persona.</small></p>"
        f'<form method="post" action="{escape(action)}">{hidden}{"".join(buttons)}</form></body></html>'
    )


def render_signed_out_page(message: str) -> str:
    """A minimal page that shows ``message`` (sign-out confirmation or an error that must not redirect)."""
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Local identity provider</title>"
        f"<style>{_STYLE}</style></head><body><p>{escape(message)}</p></body></html>"
    )
