"""``local.idp.terraform``: resources gated by ``count`` exist only when their condition holds, references into
counted resources (``x.y[0].attr``) resolve, and a count the reader cannot evaluate is refused by name."""

from pathlib import Path

import pytest

from local.idp.terraform import TerraformSeedError, load_terraform_seed

PROJECT = """
variable "demo" {
  type    = bool
  default = false
}

variable "spa_extra_redirect_urls" {
  type    = list(string)
  default = ["http://localhost:3000"]
}

resource "descope_project" "main" {
  project_settings = {
    session_token_expiration            = "10 minutes"
    refresh_token_expiration            = "4 weeks"
    access_key_session_token_expiration = "3 minutes"
  }
  applications = {
    oidc_applications = [{ name = "spa", force_pkce = true, approved_redirect_urls = local.unresolvable }]
  }
}

resource "descope_tenant" "acme" {
  count     = var.demo ? 1 : 0
  tenant_id = "T2Acme"
  name      = "Acme"
}

resource "descope_access_key" "acme_key" {
  count = var.demo ? 1 : 0
  name  = "acme-key"
  tenants = [{ tenant_id = descope_tenant.acme[0].tenant_id, roles = ["viewer"] }]
}
"""


def _module(tmp_path: Path, extra: str = "", tfvars: str | None = None) -> tuple[Path, Path | None]:
    (tmp_path / "main.tf").write_text(PROJECT + extra)
    if tfvars is None:
        return tmp_path, None
    (tmp_path / "stage.tfvars").write_text(tfvars)
    return tmp_path, tmp_path / "stage.tfvars"


@pytest.mark.parametrize(("tfvars", "expected"), [(None, ()), ("demo = false\n", ()), ("demo = true\n", ("Acme",))])
def test_counted_resources_follow_their_condition(
    tmp_path: Path, tfvars: str | None, expected: tuple[str, ...]
) -> None:
    seed = load_terraform_seed(*_module(tmp_path, tfvars=tfvars))

    assert tuple(tenant.name for tenant in seed.tenants) == expected
    assert len(seed.access_keys) == len(expected)


def test_reference_into_a_counted_resource_resolves(tmp_path: Path) -> None:
    seed = load_terraform_seed(*_module(tmp_path, tfvars="demo = true\n"))

    assert seed.access_keys[0].key_tenants == {"T2Acme": ("viewer",)}


def test_redirect_uris_are_the_extra_ones_not_the_deployed_origin(tmp_path: Path) -> None:
    seed = load_terraform_seed(*_module(tmp_path, tfvars='spa_extra_redirect_urls = ["http://127.0.0.1:5173"]\n'))

    assert seed.redirect_urls == ("http://127.0.0.1:5173",)
    assert seed.force_pkce is True


def test_count_that_is_not_a_condition_is_refused(tmp_path: Path) -> None:
    extra = """
resource "descope_tenant" "many" {
  count     = length(var.spa_extra_redirect_urls)
  tenant_id = "T2Many"
  name      = "Many"
}
"""

    with pytest.raises(TerraformSeedError, match="cannot evaluate count"):
        load_terraform_seed(*_module(tmp_path, extra))
