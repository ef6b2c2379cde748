"""infra/bootstrap's GitHub part, read with python-hcl2: the account's one OIDC provider (bootstrap owns it, infra/
looks it up) and the per-stage Terraform apply role: exact trust, its own name out of reach, each stage's names."""

import fnmatch
from pathlib import Path
from typing import Any

import pytest

from tests.infra.hcl_module import Module, condition

INFRA = Path(__file__).resolve().parents[2] / "infra"
STAGES = ("dev", "prod")
ACCOUNT = {"local.account_id": "123456789012", "local.partition": "aws", "local.region": "us-east-1"}


@pytest.fixture(scope="module")
def bootstrap() -> Module:
    return Module.read(INFRA / "bootstrap")


@pytest.fixture(scope="module")
def infra() -> Module:
    return Module.read(INFRA)


def _statements(bootstrap: Module) -> dict[str, dict[str, Any]]:
    return {statement["sid"]: statement for statement in bootstrap.policy("terraform")}


def _resources(bootstrap: Module, stage: str, actions_prefix: str) -> list[str]:
    bindings = {**ACCOUNT, "each.key": stage, "local.arn_iam": "arn:aws:iam::123456789012"}
    return [
        bootstrap.substitute(resource, bindings)
        for statement in bootstrap.policy("terraform")
        if any(action.startswith(actions_prefix) for action in statement["actions"])
        for resource in statement["resources"]
    ]


def test_bootstrap_owns_the_oidc_provider_and_infra_only_looks_it_up(bootstrap: Module, infra: Module) -> None:
    provider = bootstrap.resource("aws_iam_openid_connect_provider", "github")

    assert provider["count"] == "${var.create_github_oidc_provider ? 1 : 0}"
    assert bootstrap.variables["create_github_oidc_provider"]["default"] is True
    assert provider["client_id_list"] == ["sts.amazonaws.com"]
    assert "aws_iam_openid_connect_provider" not in infra.resources
    assert "create_github_oidc_provider" not in infra.variables
    assert infra.locals["github_oidc_arn"] == "${data.aws_iam_openid_connect_provider.github.arn}"
    assert infra.data["aws_iam_openid_connect_provider"]["github"]["url"] == provider["url"]


@pytest.mark.parametrize("stage", STAGES)
def test_apply_role_trusts_exactly_the_stages_environment(bootstrap: Module, stage: str) -> None:
    document = bootstrap.data["aws_iam_policy_document"]["terraform_trust"]
    (statement,) = document["statement"]
    bindings = {"each.key": stage, "var.github_repository": "octo/identity-stack"}
    conditions = {
        (c["test"], bootstrap.substitute(c["variable"], bindings)): [
            bootstrap.substitute(v, bindings) for v in c["values"]
        ]
        for c in statement["condition"]
    }

    assert document["for_each"] == "${var.stages}"
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    assert statement["principals"] == [{"type": "Federated", "identifiers": ["${local.github_oidc_arn}"]}]
    assert conditions == {
        ("StringEquals", "token.actions.githubusercontent.com:aud"): ["sts.amazonaws.com"],
        ("StringEquals", "token.actions.githubusercontent.com:sub"): [
            f"repo:octo/identity-stack:environment:{stage}-infra"
        ],
    }


@pytest.mark.parametrize("stage", STAGES)
def test_apply_role_cannot_touch_itself_another_stage_or_the_provider(bootstrap: Module, stage: str) -> None:
    other = next(s for s in STAGES if s != stage)
    own = "arn:aws:iam::123456789012:role/" + bootstrap.substitute(
        bootstrap.resource("aws_iam_role", "terraform")["name"], {"each.key": stage}
    )
    # The stage's roles and boundary policy (the provider and the list calls are checked below).
    iam = [r for r in _resources(bootstrap, stage, "iam:") if "openid_connect_provider" not in r and r != "*"]

    assert iam
    assert not any(fnmatch.fnmatchcase(own, pattern) for pattern in iam)
    assert not any(other in pattern for pattern in iam)
    assert all(pattern.endswith(f"-{stage}") for pattern in iam), iam
    # The provider is read, never changed.
    statements = _statements(bootstrap)
    assert statements["ReadGithubProvider"]["actions"] == ["iam:GetOpenIDConnectProvider"]
    granted = {a for s in statements.values() for a in s["actions"]}
    assert not {a for a in granted if "OpenIDConnectProvider" in a} - {
        "iam:GetOpenIDConnectProvider",
        "iam:ListOpenIDConnectProviders",
    }
    assert "iam:PassRole" not in granted


@pytest.mark.parametrize("stage", STAGES)
def test_apply_role_names_only_the_stages_resources(bootstrap: Module, stage: str) -> None:
    for statement in bootstrap.policy("terraform"):
        resources = [
            bootstrap.substitute(r, {**ACCOUNT, "each.key": stage, "local.arn_iam": "x"})
            for r in statement["resources"]
        ]
        if statement["sid"] == "ListState":
            # The state bucket is shared by the stages: listing is limited to this stage's prefix.
            assert condition(statement, "StringLike", "s3:prefix") == ["identity-stack/${each.key}/*"]
            continue
        if statement["sid"] == "ReadGithubProvider":
            continue
        if resources == ["*"]:
            # No resource to name: creation under the stage's tags, list calls, WAF's log delivery.
            assert statement["sid"] in {"CreateStageKey", "ListCalls", "WafLogDelivery"}, statement["sid"]
            continue
        # Generated ids (keys: told apart by tag below; CloudFront, managed rule sets: account-wide by design).
        generic = statement["sid"] in {"ManageStageKey", "TagNewStageKey", "SpaDistribution"}
        for resource in resources:
            assert generic or stage in resource or "managedruleset" in resource, (statement["sid"], resource)


def test_apply_role_manages_keys_only_under_the_stages_tags(bootstrap: Module) -> None:
    statements = _statements(bootstrap)

    assert condition(statements["CreateStageKey"], "StringEquals", "aws:RequestTag/Environment") == ["${each.key}"]
    assert condition(statements["ManageStageKey"], "StringEquals", "aws:ResourceTag/Environment") == ["${each.key}"]
    assert condition(statements["TagNewStageKey"], "Null", "aws:ResourceTag/Environment") == ["true"]
    granted = {a for s in statements.values() for a in s["actions"]}
    # What holds data is never deleted by an apply.
    assert not {
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "dynamodb:DeleteTable",
        "secretsmanager:DeleteSecret",
        "s3:DeleteBucket",
        "s3:PutObject",
    } & (granted - set(statements["State"]["actions"]) - set(statements["StateLock"]["actions"]))
    assert not {a for a in granted if a.startswith("secretsmanager:") and "SecretValue" in a}


def test_apply_role_reads_and_locks_only_its_stages_state(bootstrap: Module, infra: Module) -> None:
    statements = _statements(bootstrap)
    backend = {stage: (INFRA / "environments" / f"{stage}.s3.tfbackend").read_text() for stage in STAGES}

    assert statements["State"]["resources"] == [
        "${aws_s3_bucket.state.arn}/identity-stack/${each.key}/terraform.tfstate"
    ]
    assert statements["StateLock"]["resources"] == [statements["State"]["resources"][0] + ".tflock"]
    for stage in STAGES:
        assert f'key          = "identity-stack/{stage}/terraform.tfstate"' in backend[stage]


def test_apply_role_arns_are_outputs(bootstrap: Module) -> None:
    assert bootstrap.outputs["terraform_apply_role_arns"]["value"] == (
        "${{for stage, role in aws_iam_role.terraform : stage => role.arn}}"
    )
    # One AWS account per stage: no default that would put both stages' roles in one account.
    assert "default" not in bootstrap.variables["stages"]
    assert "length(var.stages) == 1" in bootstrap.variables["stages"]["validation"][0]["condition"]
