"""The AWS part of infra/ and infra/bootstrap, read with python-hcl2: state, encryption, retention, TLS-only bucket
policies, the SPA's CloudFront, and the headers it shares with the API."""

import re
from pathlib import Path
from typing import Any

import pytest

from identity_stack.web.headers import HSTS_VALUE, SECURITY_HEADERS
from tests.infra.hcl_module import Module, condition, load_hcl

INFRA = Path(__file__).resolve().parents[2] / "infra"
DATA_KEY = "${aws_kms_key.data.arn}"


@pytest.fixture(scope="module")
def infra() -> Module:
    return Module.read(INFRA)


@pytest.fixture(scope="module")
def bootstrap() -> Module:
    return Module.read(INFRA / "bootstrap")


def _only(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(blocks) == 1
    return blocks[0]


def _assert_private_versioned_bucket(module: Module, name: str, sse: dict[str, Any]) -> None:
    versioning = module.resource("aws_s3_bucket_versioning", name)
    encryption = module.resource("aws_s3_bucket_server_side_encryption_configuration", name)
    public_access = module.resource("aws_s3_bucket_public_access_block", name)
    lifecycle = _only(module.resource("aws_s3_bucket_lifecycle_configuration", name)["rule"])

    assert _only(versioning["versioning_configuration"])["status"] == "Enabled"
    assert _only(_only(encryption["rule"])["apply_server_side_encryption_by_default"]) == sse
    assert all(
        public_access[flag] is True
        for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")
    )
    assert lifecycle["status"] == "Enabled"
    assert module.value(_only(lifecycle["noncurrent_version_expiration"])["noncurrent_days"]) > 0
    assert module.value(_only(lifecycle["abort_incomplete_multipart_upload"])["days_after_initiation"]) > 0
    assert (
        _only(module.resource("aws_s3_bucket_ownership_controls", name)["rule"])["object_ownership"]
        == "BucketOwnerEnforced"
    )


def _assert_tls_only(module: Module, document: str, bucket: str) -> None:
    denials = [
        s
        for s in module.policy(document)
        if s.get("effect") == "Deny" and condition(s, "Bool", "aws:SecureTransport") == ["false"]
    ]

    assert len(denials) == 1
    assert set(denials[0]["resources"]) == {f"${{aws_s3_bucket.{bucket}.arn}}", f"${{aws_s3_bucket.{bucket}.arn}}/*"}
    assert _only(denials[0]["principals"]) == {"type": "*", "identifiers": ["*"]}
    assert (
        module.resource("aws_s3_bucket_policy", bucket)["policy"]
        == f"${{data.aws_iam_policy_document.{document}.json}}"
    )


def test_backend_is_s3_with_a_key_and_native_lock_per_stage(infra: Module) -> None:
    terraform = _only(infra.terraform)
    backends = {stage: load_hcl(INFRA / "environments" / f"{stage}.s3.tfbackend") for stage in ("dev", "prod")}

    assert _only(terraform["backend"]) == {"s3": {}}
    assert terraform["required_version"] == ">= 1.10.0"  # use_lockfile needs 1.10
    for stage, backend in backends.items():
        assert backend["use_lockfile"] is True
        # `encrypt = true` would request SSE-S3 over the bucket's KMS default (and be refused by its policy).
        assert "encrypt" not in backend
        assert backend["key"] == infra.substitute(infra.locals["state_key"], {"var.environment": stage})
    assert len({backend["key"] for backend in backends.values()}) == len(backends)


def test_bootstrap_state_bucket_is_private_versioned_kms_encrypted_and_tls_only(
    bootstrap: Module, infra: Module
) -> None:
    key = bootstrap.resource("aws_kms_key", "state")

    _assert_private_versioned_bucket(
        bootstrap, "state", {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.state.arn}"}
    )
    _assert_tls_only(bootstrap, "state_bucket", "state")
    assert key["enable_key_rotation"] is True
    assert bootstrap.resource("aws_s3_bucket", "state")["bucket"] == "${local.state_bucket_name}"
    assert bootstrap.resource("aws_s3_bucket", "state")["lifecycle"][0]["prevent_destroy"] is True
    # The main root's plan role reads the state by this very name.
    assert bootstrap.locals["state_bucket_name"] == infra.locals["state_bucket_name"]


def test_bootstrap_refuses_writes_asking_for_another_encryption(bootstrap: Module) -> None:
    statement = next(s for s in bootstrap.policy("state_bucket") if s.get("sid") == "DenyOtherEncryption")

    assert statement["effect"] == "Deny"
    assert statement["actions"] == ["s3:PutObject"]
    assert condition(statement, "StringNotEquals", "s3:x-amz-server-side-encryption") == ["aws:kms"]
    assert condition(statement, "Null", "s3:x-amz-server-side-encryption") == ["false"]


def test_only_the_stages_roles_and_break_glass_admins_touch_the_state(bootstrap: Module, infra: Module) -> None:
    principals = "${local.state_principal_arns}"
    expression = bootstrap.locals["state_principal_arns"]
    deny = next(s for s in bootstrap.policy("state_bucket") if s.get("sid") == "DenyObjectsToOthers")
    use_key = next(s for s in bootstrap.policy("state_key") if s["sid"] == "AccountUsesThroughS3")
    apply_role = bootstrap.resource("aws_iam_role", "terraform")["name"].replace("${each.key}", "${stage}")
    plan_role = infra.locals["plan_role_name"].replace("${var.environment}", "${stage}")

    assert deny["effect"] == "Deny"
    assert deny["principals"] == [{"type": "*", "identifiers": ["*"]}]
    assert sorted(deny["actions"]) == ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    assert deny["resources"] == ["${aws_s3_bucket.state.arn}/*"]
    assert condition(deny, "ArnNotLike", "aws:PrincipalArn") == principals
    assert condition(use_key, "ArnLike", "aws:PrincipalArn") == principals
    # Exactly the stages' apply roles, their plan roles (named as infra/ names them) and the admin list.
    assert expression == (
        f'${{concat([for stage in sort(var.stages) : "${{local.arn_iam}}:role/{apply_role}"], '
        f'[for stage in sort(var.stages) : "${{local.arn_iam}}:role/{plan_role}"], var.break_glass_admin_arns)}}'
    )
    assert bootstrap.variables["break_glass_admin_arns"]["default"] == []


def test_tenant_table_survives_the_stack_and_uses_the_data_key(infra: Module) -> None:
    table = infra.resource("aws_dynamodb_table", "tenant_data")

    assert table["deletion_protection_enabled"] is True
    assert _only(table["point_in_time_recovery"])["enabled"] is True
    assert _only(table["server_side_encryption"]) == {"enabled": True, "kms_key_arn": DATA_KEY}
    assert _only(table["ttl"])["enabled"] is True
    assert table["lifecycle"][0]["prevent_destroy"] is True


@pytest.mark.parametrize(
    ("module_name", "key", "document"), [("infra", "data", "data_key"), ("bootstrap", "state", "state_key")]
)
def test_keys_rotate_and_are_used_only_through_aws_services(
    module_name: str, key: str, document: str, request: pytest.FixtureRequest
) -> None:
    module: Module = request.getfixturevalue(module_name)
    statements = module.policy(document)
    wildcard = [s for s in statements if {"type": "AWS", "identifiers": ["*"]} in s["principals"]]

    assert module.resource("aws_kms_key", key)["enable_key_rotation"] is True
    assert module.resource("aws_kms_key", key)["lifecycle"][0]["prevent_destroy"] is True
    assert module.resource("aws_kms_key", key)["policy"] == f"${{data.aws_iam_policy_document.{document}.json}}"
    # Like the AWS managed keys: any principal of the account, but only through the listed services.
    assert wildcard
    for statement in wildcard:
        assert condition(statement, "StringEquals", "kms:CallerAccount") == ["${local.account_id}"]
        assert condition(statement, "StringEquals", "kms:ViaService")
        assert "kms:*" not in statement["actions"]


def test_data_key_serves_the_table_the_secret_the_topic_and_the_waf_logs(infra: Module) -> None:
    via = infra.locals["data_key_via_services"]

    assert "dynamodb.${local.region}.amazonaws.com" in via
    assert "secretsmanager.${local.region}.amazonaws.com" in via
    assert infra.resource("aws_secretsmanager_secret", "descope_management_key")["kms_key_id"] == DATA_KEY
    assert infra.resource("aws_sns_topic", "alarms")["kms_master_key_id"] == DATA_KEY
    assert infra.resource("aws_cloudwatch_log_group", "waf")["kms_key_id"] == DATA_KEY
    assert set(infra.resources["aws_kms_key"]) == {"data"}


def test_terraform_never_holds_the_management_key_value(infra: Module) -> None:
    assert "aws_secretsmanager_secret_version" not in infra.resources


def test_only_the_stages_function_roles_and_break_glass_admins_read_the_management_key(infra: Module) -> None:
    policy = infra.resource("aws_secretsmanager_secret_policy", "descope_management_key")
    (statement,) = infra.policy("descope_management_key")
    allowed = condition(statement, "ArnNotLike", "aws:PrincipalArn")

    assert policy["secret_arn"] == "${aws_secretsmanager_secret.descope_management_key.arn}"
    assert policy["policy"] == "${data.aws_iam_policy_document.descope_management_key.json}"
    assert statement["effect"] == "Deny"
    assert statement["actions"] == ["secretsmanager:GetSecretValue"]
    assert statement["principals"] == [{"type": "*", "identifiers": ["*"]}]
    assert allowed == "${concat([local.arn_sam_roles], var.break_glass_admin_arns)}"
    # SAM's role names start with the stack name: identity-stack-<stage>-<logical id>-<suffix>.
    roles = infra.substitute(infra.locals["arn_sam_roles"], {"var.environment": "dev", "local.account_id": "1"})
    assert roles.endswith(":role/identity-stack-dev-*")
    assert infra.variables["break_glass_admin_arns"]["default"] == []


def test_artifacts_bucket_is_private_versioned_kms_encrypted_expiring_and_tls_only(infra: Module) -> None:
    lifecycle = _only(infra.resource("aws_s3_bucket_lifecycle_configuration", "artifacts")["rule"])

    _assert_private_versioned_bucket(infra, "artifacts", {"sse_algorithm": "aws:kms", "kms_master_key_id": DATA_KEY})
    _assert_tls_only(infra, "artifacts_bucket", "artifacts")
    assert _only(lifecycle["expiration"])["days"] == "${var.artifacts_retention_days}"


def test_spa_bucket_is_read_only_by_this_distribution_through_oac(infra: Module) -> None:
    allows = [s for s in infra.policy("spa_bucket") if s.get("effect", "Allow") == "Allow"]
    oac = infra.resource("aws_cloudfront_origin_access_control", "spa")
    origin = _only(infra.resource("aws_cloudfront_distribution", "spa")["origin"])

    _assert_private_versioned_bucket(infra, "spa", {"sse_algorithm": "AES256"})
    _assert_tls_only(infra, "spa_bucket", "spa")
    assert len(allows) == 1
    assert allows[0]["actions"] == ["s3:GetObject"]
    assert _only(allows[0]["principals"]) == {"type": "Service", "identifiers": ["cloudfront.amazonaws.com"]}
    assert condition(allows[0], "StringEquals", "AWS:SourceArn") == ["${aws_cloudfront_distribution.spa.arn}"]
    assert (oac["origin_access_control_origin_type"], oac["signing_behavior"], oac["signing_protocol"]) == (
        "s3",
        "always",
        "sigv4",
    )
    assert origin["origin_access_control_id"] == "${aws_cloudfront_origin_access_control.spa.id}"
    assert "s3_origin_config" not in origin  # no legacy origin access identity


def test_distribution_is_https_only_routes_the_spa_and_sends_the_headers(infra: Module) -> None:
    distribution = infra.resource("aws_cloudfront_distribution", "spa")
    behaviour = _only(distribution["default_cache_behavior"])
    certificate = _only(distribution["viewer_certificate"])

    assert behaviour["viewer_protocol_policy"] == "redirect-to-https"
    assert behaviour["response_headers_policy_id"] == "${aws_cloudfront_response_headers_policy.spa.id}"
    assert {
        e["error_code"]: (e["response_code"], e["response_page_path"]) for e in distribution["custom_error_response"]
    } == {
        403: (200, "/index.html"),
        404: (200, "/index.html"),
    }
    assert "TLSv1.2_2021" in certificate["minimum_protocol_version"]
    assert "sni-only" in certificate["ssl_support_method"]


def _cloudfront_headers(config: dict[str, Any]) -> dict[str, str]:
    """What the response headers policy's security_headers_config makes CloudFront send (CloudFront Developer
    Guide, "Understanding response headers policies": security headers)."""
    xss = _only(config["xss_protection"])
    headers = {
        "x-content-type-options": "nosniff" if _only(config["content_type_options"])["override"] else "",
        "x-frame-options": _only(config["frame_options"])["frame_option"],
        "referrer-policy": _only(config["referrer_policy"])["referrer_policy"],
        "x-xss-protection": ("1; mode=block" if xss.get("mode_block") else "1") if xss["protection"] else "0",
    }
    assert all(
        _only(config[name])["override"] is True
        for name in ("content_type_options", "frame_options", "referrer_policy", "xss_protection")
    )
    return headers


def test_cloudfront_sends_the_layers_security_headers(infra: Module) -> None:
    config = _only(infra.resource("aws_cloudfront_response_headers_policy", "spa")["security_headers_config"])

    assert _cloudfront_headers(config) == SECURITY_HEADERS


def test_cloudfront_hsts_equals_the_layers_and_only_in_prod(infra: Module) -> None:
    config = _only(infra.resource("aws_cloudfront_response_headers_policy", "spa")["security_headers_config"])
    hsts = _only(config["dynamic"])["strict_transport_security"]
    content = _only(hsts["content"])
    value = (
        f"max-age={content['access_control_max_age_sec']}"
        + ("; includeSubDomains" if content["include_subdomains"] else "")
        + ("; preload" if content["preload"] else "")
    )

    assert value == HSTS_VALUE
    assert hsts["for_each"] == "${local.hsts_enabled ? [true] : []}"
    assert infra.locals["hsts_enabled"] == '${var.environment == "prod"}'


def test_one_csp_feeds_cloudfront_and_the_api(infra: Module) -> None:
    config = _only(infra.resource("aws_cloudfront_response_headers_policy", "spa")["security_headers_config"])

    assert _only(config["content_security_policy"])["content_security_policy"] == "${local.content_security_policy}"
    assert infra.locals["ssm_parameters"]["api/csp"] == "${local.content_security_policy}"
    assert infra.locals["content_security_policy"] == '${join("; ", local.csp_directives)}'


def test_csp_lets_the_spa_reach_the_api_and_the_issuer_and_nothing_frame_it(infra: Module) -> None:
    directives = {d.split(" ", 1)[0]: d.split(" ")[1:] for d in infra.locals["csp_directives"]}
    api_origin = infra.locals["api_origin"]

    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    # The issuer is <descope_base_url>/<project id>: its origin serves discovery, token and JWKS.
    assert set(directives["connect-src"]) == {"'self'", "${local.api_origin}", "${var.descope_base_url}"}
    assert infra.locals["oidc_issuer"] == "${var.descope_base_url}/${descope_project.main.id}"
    assert "https://*.execute-api.${local.region}.amazonaws.com" in api_origin
    assert "https://${var.api_domain_name}" in api_origin
    assert not any("'unsafe-eval'" in values for values in directives.values())
    assert all("\n" not in d and "," not in d for d in infra.locals["csp_directives"])  # template: no CR/LF


def test_waf_is_created_without_reading_the_sam_stack_and_handed_over(infra: Module) -> None:
    acl = infra.resource("aws_wafv2_web_acl", "api")

    assert "aws_cloudformation_stack" not in infra.data
    assert "aws_wafv2_web_acl_association" not in infra.resources  # template.yaml associates it
    assert infra.locals["ssm_parameters"]["waf/web-acl-arn"] == "${aws_wafv2_web_acl.api.arn}"
    assert [rule["name"] for rule in acl["rule"]] == [
        "auth-sensitive-per-ip",
        "all-routes-per-ip",
        "aws-common-rules",
        "aws-known-bad-inputs",
    ]
    assert infra.resource("aws_wafv2_web_acl_logging_configuration", "api")["log_destination_configs"] == [
        "${aws_cloudwatch_log_group.waf.arn}"
    ]


# The auth-sensitive routes of docs/rate-limits.md (10/minute in every usage plan).
AUTH_SENSITIVE_ROUTES = (
    "/api/auth/logout", "/api/validate-id-token", "/api/keys", "/api/members/invite",
    "/api/roles/assign", "/api/roles/remove", "/api/tenants",
)  # fmt: skip


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_waf_limits_the_auth_sensitive_routes_however_the_path_is_written(infra: Module, stage: str) -> None:
    acl = infra.resource("aws_wafv2_web_acl", "api")
    rule = next(r for r in acl["rule"] if r["name"] == "auth-sensitive-per-ip")
    scope = rule["statement"][0]["rate_based_statement"][0]["scope_down_statement"][0]
    reference = scope["regex_pattern_set_reference_statement"][0]
    pattern = infra.substitute(infra.locals["auth_sensitive_paths"], {"var.environment": stage})

    assert reference["field_to_match"] == [{"uri_path": [{}]}]
    # Matched after URL decoding: /api/%6Beys is /api/keys to API Gateway.
    assert [t["type"] for t in reference["text_transformation"]] == ["URL_DECODE"]
    for route in AUTH_SENSITIVE_ROUTES:
        for path in (route, f"{route}/", f"/{stage}{route}", f"/{stage}{route}/"):
            assert re.search(pattern, path), path
    for path in (
        "/api/health",
        "/api/tenants/current",
        "/api/keysx",
        f"/other{AUTH_SENSITIVE_ROUTES[0]}",
        "/api/keys//",
    ):
        assert not re.search(pattern, path), path


def test_only_the_stages_alarms_publish_to_the_alarm_topic(infra: Module) -> None:
    topic_policy = infra.resource("aws_sns_topic_policy", "alarms")
    statements = {s["sid"]: s for s in infra.policy("alarm_topic")}
    publish = statements["StageAlarmsPublish"]
    kms = next(s for s in infra.policy("data_key") if s["sid"] == "CloudWatchPublishesToAlarmTopic")
    alarms = infra.substitute(infra.locals["arn_alarms"], {"var.environment": "dev"})

    assert topic_policy == {
        "arn": "${aws_sns_topic.alarms.arn}",
        "policy": "${data.aws_iam_policy_document.alarm_topic.json}",
    }
    assert publish["principals"] == [{"type": "Service", "identifiers": ["cloudwatch.amazonaws.com"]}]
    assert publish["actions"] == ["sns:Publish"]
    assert alarms.endswith(":alarm:identity-stack-dev-*")
    for statement in (publish, kms):
        assert condition(statement, "ArnLike", "aws:SourceArn") == ["${local.arn_alarms}"], statement["sid"]
        assert condition(statement, "StringEquals", "aws:SourceAccount") == ["${local.account_id}"], statement["sid"]
    # Nobody else publishes: the account's statement manages the topic only.
    others = [s for sid, s in statements.items() if sid != "StageAlarmsPublish"]
    assert not [s for s in others if "sns:Publish" in s["actions"]]
    assert [p["identifiers"] for s in others for p in s["principals"]] == [
        ["arn:${local.partition}:iam::${local.account_id}:root"]
    ]
