"""What ties infra/ to the rest of the repository, read with python-hcl2: the SSM hand-off names of the contract,
the alarms of every function, the GitHub roles' trust and least privilege, dev-only demo data, and per-stage values
that cannot disagree (one SPA origin for CORS and the redirect URIs; no placeholder left to replace)."""

import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from local.handoff import ssm_allowed_patterns
from local.idp.terraform import load_terraform_seed
from local.invoke.samconfig import parse_parameter_overrides, read_config
from tests.infra.hcl_module import Module, condition, load_hcl

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
STAGES = ("dev", "prod")
# The cross-slice contract (SSM hand-off table of issue 11).
CONTRACT_SSM_NAMES = {
    "descope/project-id", "descope/base-url", "descope/management-key-secret-arn",
    "oidc/issuer", "oidc/spa-client-id",
    "dynamodb/table-name", "dynamodb/table-arn",
    "api/allowed-origin", "api/csp", "waf/web-acl-arn",
    "spa/bucket-name", "spa/distribution-id", "deploy/artifacts-bucket",
    "iam/permissions-boundary-arn", "iam/codedeploy-role-arn",
}  # fmt: skip
# Variables no tfvars file may hold: given per stage on the command line (infra/README.md).
COMMAND_LINE_VARIABLES = {"descope_project_id", "github_repository"}
LOOPBACK = ("http://localhost", "http://127.0.0.1", "http://[::1]")


@pytest.fixture(scope="module")
def infra() -> Module:
    return Module.read(INFRA)


def _tfvars(stage: str) -> dict[str, Any]:
    return load_hcl(INFRA / "environments" / f"{stage}.tfvars")


def _actions(statements: list[dict[str, Any]]) -> list[str]:
    return [action for statement in statements for action in statement["actions"]]


# ---- SSM hand-off ----------------------------------------------------------------------------------------------


def test_ssm_parameters_are_exactly_the_contract(infra: Module) -> None:
    parameter = infra.resource("aws_ssm_parameter", "handoff")

    assert set(infra.locals["ssm_parameters"]) == CONTRACT_SSM_NAMES
    assert parameter["for_each"] == "${local.ssm_parameters}"
    assert parameter["type"] == "String"  # AWS::SSM::Parameter::Value<String> cannot read SecureString
    for stage in STAGES:
        name = infra.substitute(parameter["name"], {"var.environment": stage, "each.key": "oidc/issuer"})
        assert name == f"/identity-stack/{stage}/oidc/issuer"


def test_every_ssm_value_is_checked_against_local_handoffs_format(infra: Module) -> None:
    parameter = infra.resource("aws_ssm_parameter", "handoff")

    assert parameter["allowed_pattern"] == "${local.ssm_allowed_patterns[each.key]}"
    assert infra.locals["ssm_allowed_patterns"] == ssm_allowed_patterns()
    assert set(ssm_allowed_patterns()) == set(infra.locals["ssm_parameters"])


@pytest.mark.parametrize("name", ["descope/base-url", "oidc/issuer", "api/allowed-origin"])
def test_url_values_written_in_aws_are_https_only(name: str) -> None:
    pattern = ssm_allowed_patterns()[name]

    assert re.fullmatch(pattern, "https://api.descope.com" if name != "oidc/issuer" else "https://api.descope.com/P1")
    assert not re.fullmatch(pattern, "http://api.descope.com")


def test_terraform_refuses_a_non_https_descope_url_or_spa_origin(infra: Module) -> None:
    # The issuer is <descope_base_url>/<project id>; the allowed origin is spa_origin or the CloudFront https name.
    for variable in ("descope_base_url", "spa_origin"):
        (validation,) = infra.variables[variable]["validation"]
        assert 'regex("^https://' in validation["condition"], variable


@pytest.mark.parametrize("stage", STAGES)
def test_every_ssm_name_samconfig_gives_the_template_is_written_by_terraform(infra: Module, stage: str) -> None:
    template = yaml_parse((ROOT / "template.yaml").read_text())
    ssm_typed = {
        name for name, p in template["Parameters"].items() if p["Type"].startswith("AWS::SSM::Parameter::Value")
    }
    if not ssm_typed:
        pytest.skip("template.yaml reads no SSM parameter yet")
    deploy = read_config(ROOT / "samconfig.toml", stage, "deploy")
    given = parse_parameter_overrides(deploy.parameter_overrides)
    written = {f"/identity-stack/{stage}/{name}" for name in infra.locals["ssm_parameters"]}

    for name in ssm_typed:
        assert given.get(name, template["Parameters"][name].get("Default")) in written, name


# ---- alarms ----------------------------------------------------------------------------------------------------


def _template_function_folders() -> dict[str, str]:
    template = yaml_parse((ROOT / "template.yaml").read_text())
    return {
        Path(resource["Properties"]["CodeUri"]).name: logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def test_alarm_function_list_is_the_template_functions_and_the_function_folders(infra: Module) -> None:
    folders = {path.parent.name for path in (ROOT / "functions").glob("*/app.py")}

    assert sorted(infra.locals["function_folders"]) == sorted(folders)
    assert set(infra.locals["function_folders"]) == set(_template_function_folders())


@pytest.mark.parametrize(("resource_name", "suffix", "metric"), [
    ("function_errors", "errors", "Errors"),
    ("function_throttles", "throttles", "Throttles"),
    ("function_p99_duration", "p99-duration", "Duration"),
])  # fmt: skip
@pytest.mark.parametrize("stage", STAGES)
def test_function_alarms_follow_the_contract_on_the_live_alias(
    infra: Module, resource_name: str, suffix: str, metric: str, stage: str
) -> None:
    alarm = infra.resource("aws_cloudwatch_metric_alarm", resource_name)

    assert alarm["for_each"] == "${toset(local.function_folders)}"
    assert (alarm["namespace"], alarm["metric_name"]) == ("AWS/Lambda", metric)
    assert alarm["alarm_actions"] == ["${aws_sns_topic.alarms.arn}"]
    for folder in infra.locals["function_folders"]:
        bindings = {"var.environment": stage, "each.key": folder}
        dimensions = {key: infra.substitute(value, bindings) for key, value in alarm["dimensions"].items()}
        assert infra.substitute(alarm["alarm_name"], bindings) == f"identity-stack-{stage}-{folder}-{suffix}"
        assert dimensions == {
            "FunctionName": f"identity-stack-{stage}-{folder}",
            "Resource": f"identity-stack-{stage}-{folder}:live",
        }


def test_duration_alarm_is_on_the_p99(infra: Module) -> None:
    assert infra.resource("aws_cloudwatch_metric_alarm", "function_p99_duration")["extended_statistic"] == "p99"
    assert infra.resource("aws_cloudwatch_metric_alarm", "api_latency")["extended_statistic"] == "p99"


@pytest.mark.parametrize(
    ("resource_name", "suffix", "metric"),
    [("api_5xx", "api-5xx", "5XXError"), ("api_latency", "api-latency", "Latency")],
)
@pytest.mark.parametrize("stage", STAGES)
def test_api_alarms_follow_the_contract(
    infra: Module, resource_name: str, suffix: str, metric: str, stage: str
) -> None:
    alarm = infra.resource("aws_cloudwatch_metric_alarm", resource_name)
    bindings = {"var.environment": stage}

    assert infra.substitute(alarm["alarm_name"], bindings) == f"identity-stack-{stage}-{suffix}"
    assert (alarm["namespace"], alarm["metric_name"]) == ("AWS/ApiGateway", metric)
    assert {k: infra.substitute(v, bindings) for k, v in alarm["dimensions"].items()} == {
        "ApiName": f"identity-stack-{stage}-api"
    }
    assert alarm["alarm_actions"] == ["${aws_sns_topic.alarms.arn}"]


# ---- GitHub OIDC roles -----------------------------------------------------------------------------------------


# The subjects each role trusts per stage: deploy jobs in <stage>, Terraform jobs in <stage>-infra, pull requests
# only for dev's plan role (a pull request never reaches prod).
TRUSTED_SUBJECTS = {
    ("deploy_trust", "dev"): ["repo:octo/identity-stack:environment:dev"],
    ("deploy_trust", "prod"): ["repo:octo/identity-stack:environment:prod"],
    ("plan_trust", "dev"): ["repo:octo/identity-stack:environment:dev-infra", "repo:octo/identity-stack:pull_request"],
    ("plan_trust", "prod"): ["repo:octo/identity-stack:environment:prod-infra"],
}


def _trusted_values(infra: Module, values: Any, bindings: dict[str, str]) -> list[str]:
    """A trust condition's values; ``${local.plan_subjects}`` is the stage's entry of ``plan_subjects_by_stage``."""
    if values == "${local.plan_subjects}":
        assert infra.locals["plan_subjects"] == "${local.plan_subjects_by_stage[var.environment]}"
        values = infra.locals["plan_subjects_by_stage"][bindings["var.environment"]]
    return [infra.substitute(value, bindings) for value in values]


@pytest.mark.parametrize(("document", "stage"), sorted(TRUSTED_SUBJECTS))
def test_role_trust_is_githubs_audience_and_exact_subjects(infra: Module, document: str, stage: str) -> None:
    statement = infra.policy(document)[0]
    bindings = {"var.environment": stage, "var.github_repository": "octo/identity-stack"}
    conditions = {
        (c["test"], infra.substitute(c["variable"], bindings)): _trusted_values(infra, c["values"], bindings)
        for c in statement["condition"]
    }

    assert len(infra.policy(document)) == 1
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    assert statement["principals"] == [{"type": "Federated", "identifiers": ["${local.github_oidc_arn}"]}]
    assert conditions == {
        ("StringEquals", "token.actions.githubusercontent.com:aud"): ["sts.amazonaws.com"],
        ("StringEquals", "token.actions.githubusercontent.com:sub"): TRUSTED_SUBJECTS[(document, stage)],
    }


def test_plan_roles_trust_no_subject_of_a_deploy_job_and_prod_no_pull_request(infra: Module) -> None:
    plan = {
        stage: set(subjects) for (document, stage), subjects in TRUSTED_SUBJECTS.items() if document == "plan_trust"
    }
    deploy = {s for (document, _), subjects in TRUSTED_SUBJECTS.items() if document == "deploy_trust" for s in subjects}

    assert not (plan["dev"] | plan["prod"]) & deploy
    assert not any(subject.endswith(":pull_request") for subject in plan["prod"])
    assert set(infra.locals["plan_subjects_by_stage"]) == set(STAGES)


@pytest.mark.parametrize("document", ["deploy", "plan"])
def test_role_policies_grant_no_wildcard_action(infra: Module, document: str) -> None:
    for action in _actions(infra.policy(document)):
        service, _, name = action.partition(":")
        assert service, action
        assert name, action
        assert name != "*", action
        assert "*" not in service, action


def test_deploy_policy_names_resources_never_star(infra: Module) -> None:
    for statement in infra.policy("deploy"):
        assert "*" not in statement["resources"], statement["sid"]
        assert statement.get("effect", "Allow") == "Allow"


def test_plan_policy_is_read_only_and_stars_only_list_calls(infra: Module) -> None:
    read_verbs = ("Describe", "Get", "List")
    for statement in infra.policy("plan"):
        for action in statement["actions"]:
            assert action.split(":")[1].startswith(read_verbs), action
        if "*" in statement["resources"]:
            assert statement["resources"] == ["*"]
            assert all(action.split(":")[1].startswith(("List", "Describe")) for action in statement["actions"])
    # Nothing is written (plans run with -lock=false, so not even the lock file), and no data is read: no items,
    # no secret value, no SPA or artifacts objects; the only object it reads is the stage's state.
    resources = [r for s in infra.policy("plan") for r in s["resources"]]
    assert not [r for r in resources if r.endswith(".tflock")]
    assert [s["resources"] for s in infra.policy("plan") if "s3:GetObject" in s["actions"]] == [
        ["arn:${local.partition}:s3:::${local.state_bucket_name}/${local.state_key}"]
    ]
    assert not {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
    } & set(_actions(infra.policy("plan")))


def test_deploy_role_cannot_manage_itself_the_plan_role_or_codedeploys(infra: Module) -> None:
    bindings = {"var.environment": "dev", "local.account_id": "123456789012", "local.partition": "aws"}
    statements = [s for s in infra.policy("deploy") if any(a.startswith("iam:") for a in s["actions"])]
    iam_patterns = [
        infra.substitute(resource, bindings)
        for statement in statements
        if statement["sid"] != "PassCodeDeployRole"
        for resource in statement["resources"]
    ]
    own = [
        f"arn:aws:iam::123456789012:role/{infra.substitute(infra.locals[name], bindings)}"
        for name in ("deploy_role_name", "plan_role_name", "codedeploy_role_name")
    ]

    assert iam_patterns == ["arn:aws:iam::123456789012:role/identity-stack-dev-*"] * len(iam_patterns)
    assert infra.resource("aws_iam_role", "deploy")["name"] == "${local.deploy_role_name}"
    assert infra.resource("aws_iam_role", "plan")["name"] == "${local.plan_role_name}"
    assert infra.resource("aws_iam_role", "codedeploy")["name"] == "${local.codedeploy_role_name}"
    for arn in own:
        assert not any(fnmatch.fnmatchcase(arn, pattern) for pattern in iam_patterns), arn
    # CodeDeploy's role is only ever passed, to CodeDeploy.
    pass_codedeploy = [s for s in statements if "${aws_iam_role.codedeploy.arn}" in s["resources"]]
    assert [(s["sid"], s["actions"]) for s in pass_codedeploy] == [("PassCodeDeployRole", ["iam:PassRole"])]


# Calls that give a role permissions: each needs the boundary on the role (iam:PermissionsBoundary).
GRANTING_ROLE_ACTIONS = {
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:PutRolePermissionsBoundary",
}
# Calls that give none (read, tag, delete, remove a policy) and may run on roles without the boundary yet.
UPKEEP_ROLE_ACTIONS = {
    "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:TagRole", "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
}  # fmt: skip


def test_deploy_role_gives_roles_permissions_only_with_the_boundary(infra: Module) -> None:
    boundary = "${aws_iam_policy.function_boundary.arn}"
    granted = set()
    for statement in infra.policy("deploy"):
        iam_actions = {a for a in statement["actions"] if a.startswith("iam:")}
        granted |= iam_actions
        if iam_actions & GRANTING_ROLE_ACTIONS:
            assert iam_actions <= GRANTING_ROLE_ACTIONS, statement["sid"]
            assert condition(statement, "StringEquals", "iam:PermissionsBoundary") == [boundary], statement["sid"]
        elif iam_actions - {"iam:PassRole"}:
            assert iam_actions <= UPKEEP_ROLE_ACTIONS, statement["sid"]

    # Every role-granting call is there (SAM needs them) and nothing else of IAM: no boundary removal, no call on a
    # managed policy (the boundary is one), no user, group or OIDC provider.
    assert granted == GRANTING_ROLE_ACTIONS | UPKEEP_ROLE_ACTIONS | {"iam:PassRole"}
    assert infra.resource("aws_iam_policy", "function_boundary")["name"] == "${local.function_boundary_name}"
    assert not infra.locals["function_boundary_name"].startswith("${local.sam_stack_name}")


def test_deploy_role_passes_function_roles_to_lambda_and_codedeploys_to_codedeploy(infra: Module) -> None:
    statements = {s["sid"]: s for s in infra.policy("deploy")}
    passing = [s["sid"] for s in infra.policy("deploy") if "iam:PassRole" in s["actions"]]

    assert passing == ["PassFunctionRoles", "PassCodeDeployRole"]
    assert statements["PassFunctionRoles"]["actions"] == ["iam:PassRole"]
    assert statements["PassFunctionRoles"]["resources"] == ["${local.arn_sam_roles}"]
    assert condition(statements["PassFunctionRoles"], "StringEquals", "iam:PassedToService") == ["lambda.amazonaws.com"]
    assert statements["PassCodeDeployRole"]["resources"] == ["${aws_iam_role.codedeploy.arn}"]
    assert condition(statements["PassCodeDeployRole"], "StringEquals", "iam:PassedToService") == [
        "codedeploy.amazonaws.com"
    ]
    attach = statements["BoundedSamManagedPolicies"]
    assert condition(attach, "ArnEquals", "iam:PolicyARN") == "${local.sam_managed_policy_arns}"
    assert not any("CodeDeploy" in arn for arn in infra.locals["sam_managed_policy_arns"])


def test_function_boundary_allows_only_what_functions_use_and_nothing_of_iam(infra: Module) -> None:
    statements = {s["sid"]: s for s in infra.policy("function_boundary")}
    services = {action.split(":")[0] for statement in statements.values() for action in statement["actions"]}

    assert services == {"logs", "xray", "dynamodb", "secretsmanager", "kms", "apigateway"}
    assert all(s.get("effect", "Allow") == "Allow" for s in statements.values())
    assert statements["TenantTableItems"]["resources"] == ["${aws_dynamodb_table.tenant_data.arn}"]
    assert statements["ManagementKey"]["actions"] == ["secretsmanager:GetSecretValue"]
    assert statements["ManagementKey"]["resources"] == ["${aws_secretsmanager_secret.descope_management_key.arn}"]
    assert condition(statements["DataKeyThroughServices"], "StringEquals", "kms:ViaService") is not None
    # Only X-Ray, which has no resource-level permissions, is granted on "*".
    assert [sid for sid, s in statements.items() if "*" in s["resources"]] == ["Tracing"]
    assert infra.resource("aws_iam_policy", "function_boundary")["policy"] == (
        "${data.aws_iam_policy_document.function_boundary.json}"
    )


def _template_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements the template grants its function roles: functions' Policies and AWS::IAM::Policy resources."""
    statements = []
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            statements += [s for policy in resource["Properties"].get("Policies", []) if "Statement" in policy
                           for s in policy["Statement"]]  # fmt: skip
        elif resource["Type"] == "AWS::IAM::Policy":
            statements += resource["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _arn(resource: Any) -> str:
    """A template resource (``!Sub``) as a concrete-looking ARN: pseudo parameters filled, other references ids."""
    if not (isinstance(resource, dict) and "Fn::Sub" in resource):
        return str(resource)  # a parameter's value (Ref TableArn, ...)
    text = resource["Fn::Sub"]
    text = text.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", "us-east-1")
    return re.sub(r"\$\{[A-Za-z]+\}", "id1234", text.replace("${AWS::AccountId}", "123456789012"))


def test_function_boundary_covers_every_action_the_template_grants(infra: Module) -> None:
    template = yaml_parse((ROOT / "template.yaml").read_text())
    bindings = {"local.partition": "aws", "local.region": "us-east-1", "local.account_id": "123456789012"}
    boundary = [
        (set(statement["actions"]), [infra.substitute(r, bindings) for r in _boundary_resources(infra, statement)])
        for statement in infra.policy("function_boundary")
    ]
    granted = [
        (action, _arn(resource))
        for statement in _template_statements(template)
        for action in statement["Action"]
        for resource in (statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]])
    ]

    assert granted
    for action, arn in granted:
        if not arn.startswith("arn:aws:apigateway:"):
            # Table, secret: ARNs from the hand-off parameters, covered by action (their resources are Terraform's).
            assert any(action in actions for actions, _ in boundary), action
            continue
        assert any(action in actions and any(fnmatch.fnmatchcase(arn, r) for r in resources)
                   for actions, resources in boundary), (action, arn)  # fmt: skip


def _boundary_resources(infra: Module, statement: dict[str, Any]) -> list[str]:
    resources = statement["resources"]
    if resources == "${local.arn_usage_plan_keys}":
        resources = infra.locals["arn_usage_plan_keys"]
    return list(resources)


def test_codedeploy_role_is_trusted_by_codedeploy_of_this_account_only(infra: Module) -> None:
    (trust,) = infra.policy("codedeploy_trust")
    actions = _actions(infra.policy("codedeploy"))

    assert trust["principals"] == [{"type": "Service", "identifiers": ["codedeploy.amazonaws.com"]}]
    assert condition(trust, "StringEquals", "aws:SourceAccount") == ["${local.account_id}"]
    assert sorted(actions) == [
        "cloudwatch:DescribeAlarms",
        "lambda:GetAlias",
        "lambda:GetProvisionedConcurrencyConfig",
        "lambda:UpdateAlias",
    ]
    assert all("*" not in s["resources"] for s in infra.policy("codedeploy"))
    assert infra.locals["ssm_parameters"]["iam/codedeploy-role-arn"] == "${aws_iam_role.codedeploy.arn}"
    assert infra.locals["ssm_parameters"]["iam/permissions-boundary-arn"] == "${aws_iam_policy.function_boundary.arn}"


# What the deploy workflow calls with the deploy role itself (sam deploy, aws s3 sync, cloudfront
# create-invalidation, ssm get-parameter, lambda get-alias, cloudformation describe-*); everything else that changes
# something of these services is CloudFormation's, during a change set of this stack.
CLOUDFORMATION_ONLY_SERVICES = ("lambda", "iam", "apigateway", "codedeploy", "logs", "wafv2")
READ_VERBS = ("Get", "List", "Describe", "GET")
VIA_CLOUDFORMATION = ["cloudformation.amazonaws.com"]


def _changes(action: str) -> bool:
    service, _, name = action.partition(":")
    return service in CLOUDFORMATION_ONLY_SERVICES and not name.startswith(READ_VERBS) and action != "iam:PassRole"


def test_deploy_role_changes_functions_roles_apis_and_logs_only_through_cloudformation(infra: Module) -> None:
    changing = [s for s in infra.policy("deploy") if any(_changes(a) for a in s["actions"])]

    assert changing
    for statement in changing:
        via = condition(statement, "ForAnyValue:StringEquals", "aws:CalledVia")
        assert via == VIA_CLOUDFORMATION, statement["sid"]


def test_deploy_role_calls_directly_what_the_deploy_workflow_calls(infra: Module) -> None:
    direct = {
        action
        for statement in infra.policy("deploy")
        if condition(statement, "ForAnyValue:StringEquals", "aws:CalledVia") is None
        for action in statement["actions"]
    }

    assert {
        "cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet", "cloudformation:DescribeStacks",
        "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:GetTemplate",
        "s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket", "cloudfront:CreateInvalidation",
        "ssm:GetParameter", "lambda:GetAlias",
    } <= direct  # fmt: skip
    assert not [action for action in direct if _changes(action)]


def test_deploy_role_lets_only_api_gateway_invoke_and_never_deletes_the_stack(infra: Module) -> None:
    adding = [s for s in infra.policy("deploy") if "lambda:AddPermission" in s["actions"]]

    assert [s["actions"] for s in adding] == [["lambda:AddPermission"]]
    assert condition(adding[0], "StringEquals", "lambda:Principal") == ["apigateway.amazonaws.com"]
    assert "cloudformation:DeleteStack" not in _actions(infra.policy("deploy"))


def test_deploy_role_reaches_only_this_stacks_names(infra: Module) -> None:
    statements = {s["sid"]: s for s in infra.policy("deploy")}
    prefix = "${local.sam_stack_name}-"

    assert infra.locals["sam_stack_name"] == "${local.name_prefix}"
    assert infra.locals["name_prefix"] == "identity-stack-${var.environment}"
    assert infra.locals["arn_stack"].endswith(":stack/${local.sam_stack_name}/*")
    for sid in ("ReadFunctions", "ChangeFunctions", "ApiGatewayInvokesFunctions", "ReadSharedLayer",
                "ChangeSharedLayer", "ReadCodeDeploy", "ChangeCodeDeploy", "StackLogGroups"):  # fmt: skip
        assert all(prefix in r for r in statements[sid]["resources"]), sid
    assert statements["ReadHandOff"]["resources"] == ["${local.arn_ssm_stage}"]
    assert infra.locals["arn_ssm_stage"].endswith(":parameter${local.ssm_prefix}/*")
    assert infra.locals["ssm_prefix"] == "/identity-stack/${var.environment}"
    assert statements["InvalidateSpa"]["resources"] == ["${aws_cloudfront_distribution.spa.arn}"]


def test_role_arns_are_outputs(infra: Module) -> None:
    assert infra.outputs["github_deploy_role_arn"]["value"] == "${aws_iam_role.deploy.arn}"
    assert infra.outputs["github_plan_role_arn"]["value"] == "${aws_iam_role.plan.arn}"


# ---- demo data, origins and stage values -----------------------------------------------------------------------


def test_demo_tenants_and_keys_exist_only_with_create_demo_data(infra: Module) -> None:
    demo = [*infra.resources["descope_tenant"].values(), *infra.resources["descope_access_key"].values()]

    assert demo
    assert all(body["count"] == "${var.create_demo_data ? 1 : 0}" for body in demo)
    assert infra.variables["create_demo_data"]["default"] is False
    assert (_tfvars("dev")["create_demo_data"], _tfvars("prod")["create_demo_data"]) == (True, False)
    assert (
        infra.outputs["integration_tests_access_key_secret"]["value"]
        == "${one(descope_access_key.integration_tests[*].cleartext)}"
    )


@pytest.mark.parametrize(("stage", "seeded"), [("dev", True), ("prod", False)])
def test_the_stages_tfvars_decide_what_the_local_provider_seeds(stage: str, seeded: bool) -> None:
    seed = load_terraform_seed(INFRA, INFRA / "environments" / f"{stage}.tfvars")

    assert bool(seed.tenants) is seeded
    assert bool(seed.access_keys) is seeded
    assert len(seed.roles) == 4  # RBAC is not demo data


def test_one_origin_feeds_cors_and_the_redirect_uris(infra: Module) -> None:
    spa_app = infra.resource("descope_project", "main")["applications"]["oidc_applications"][0]

    assert spa_app["approved_redirect_urls"] == "${local.spa_redirect_urls}"
    assert infra.locals["spa_redirect_urls"] == "${distinct(concat([local.spa_origin], var.spa_extra_redirect_urls))}"
    assert infra.locals["ssm_parameters"]["api/allowed-origin"] == "${local.spa_origin}"
    assert (
        infra.locals["spa_origin"]
        == '${coalesce(var.spa_origin, "https://${aws_cloudfront_distribution.spa.domain_name}")}'
    )
    assert infra.outputs["spa_origin"]["value"] == "${local.spa_origin}"


def test_loopback_redirect_uris_are_dev_only() -> None:
    dev, prod = _tfvars("dev"), _tfvars("prod")

    assert dev["spa_extra_redirect_urls"]
    assert all(url.startswith(LOOPBACK) for url in dev["spa_extra_redirect_urls"])
    assert not any(url.startswith(LOOPBACK) for url in prod.get("spa_extra_redirect_urls", []))


@pytest.mark.parametrize("stage", STAGES)
def test_tfvars_give_every_required_variable_but_the_command_line_ones(infra: Module, stage: str) -> None:
    tfvars = _tfvars(stage)
    required = {name for name, body in infra.variables.items() if "default" not in body}

    assert tfvars["environment"] == stage
    assert required - set(tfvars) == COMMAND_LINE_VARIABLES
    assert not COMMAND_LINE_VARIABLES & set(tfvars)
    assert set(tfvars) <= set(infra.variables)
    assert not any("REPLACE" in str(value) or "example.com" in str(value) for value in tfvars.values())


@pytest.mark.parametrize("directory", [INFRA, INFRA / "bootstrap"], ids=["infra", "bootstrap"])
def test_no_policy_anywhere_allows_every_action(directory: Path) -> None:
    documents = Module.read(directory).data["aws_iam_policy_document"]

    for name, document in documents.items():
        for statement in document["statement"]:
            assert "*" not in statement["actions"], name
            service_wide = [a for a in statement["actions"] if a.endswith(":*")]
            # Service-wide grants only where AWS requires them: the account administering its own key, and denials.
            if service_wide and statement.get("effect", "Allow") == "Allow":
                assert (statement["sid"], service_wide) == ("AccountAdministers", ["kms:*"]), name
                assert statement["principals"][0]["identifiers"][0].endswith(":root"), name
