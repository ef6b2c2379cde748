"""template.yaml as the local stack sees it: translated by aws-sam-translator, parameters and names resolved locally."""

import logging
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

from local.gateway.errors import TemplateError
from local.gateway.intrinsics import IntrinsicResolver
from local.handoff import format_problems

LOCAL_REGION = "us-east-1"
LOCAL_ACCOUNT_ID = "123456789012"  # moto's default account, so local ARNs match what moto returns
LOCAL_STACK_NAME = "identity-stack-local"
# samtranslator accepts only S3 URIs for code; the key keeps the local path so it can be read back after translation.
SOURCE_BUCKET = "local-source"
_LOCAL_CODE_PROPERTIES = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}
_NAME_PROPERTIES = {
    "AWS::Lambda::Function": "FunctionName",
    "AWS::Lambda::LayerVersion": "LayerName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::IAM::Role": "RoleName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::ApiGateway::RestApi": "Name",
    # Ref of a stage is its name (what usage plans' ApiStages carry).
    "AWS::ApiGateway::Stage": "StageName",
    "AWS::ApiGateway::UsagePlan": "UsagePlanName",
    "AWS::ApiGateway::ApiKey": "Name",
}
_ARN_FORMATS = {
    "AWS::Lambda::Function": "arn:aws:lambda:{region}:{account}:function:{name}",
    "AWS::Lambda::LayerVersion": "arn:aws:lambda:{region}:{account}:layer:{name}:1",
    "AWS::DynamoDB::Table": "arn:aws:dynamodb:{region}:{account}:table/{name}",
    "AWS::IAM::Role": "arn:aws:iam::{account}:role/{name}",
    "AWS::SecretsManager::Secret": "arn:aws:secretsmanager:{region}:{account}:secret:{name}",
}
# CloudFormation's Ref returns the ARN for these types and the physical name (or id) for the others.
_REF_RETURNS_ARN = {"AWS::Lambda::LayerVersion", "AWS::SecretsManager::Secret"}
# The local stack runs every function at $LATEST: a Ref to an alias or a version (AutoPublishAlias) names the
# function itself, so the API's integrations and authorizer reach the real handler. Traffic shifting is CodeDeploy's
# job in AWS and has no local counterpart.
_POINTS_AT_FUNCTION = {"AWS::Lambda::Alias", "AWS::Lambda::Version"}
# CloudFormation resolves these at deploy time from Systems Manager; locally they take literal values, as with
# `sam local invoke`, since no Parameter Store holds the hand-off.
SSM_PARAMETER_TYPE_PREFIX = "AWS::SSM::Parameter::Value<"
# On every load the translator warns that its feature-toggle config (an AWS AppConfig document) is absent and that
# its usage metrics were never published to CloudWatch; neither applies offline.
for _chatty_logger in ("samtranslator.feature_toggle", "samtranslator.metrics"):
    logging.getLogger(_chatty_logger).setLevel(logging.ERROR)


class _NoManagedPolicies:
    """Stands in for samtranslator's IAM ListPolicies lookup, which needs AWS credentials."""

    @staticmethod
    def load() -> dict[str, str]:
        return {}


@dataclass(frozen=True)
class LocalTemplate:
    """A SAM template translated to CloudFormation, with the values it takes in the local stack.

    Attributes
    ----------
    path : Path
        The template file; code locations are relative to its folder.
    parameters : Mapping[str, Any]
        Every template parameter: defaults, then the local overrides.
    resources : Mapping[str, dict]
        CloudFormation resources from the translator whose ``Condition`` (if any) holds; intrinsics left as
        CloudFormation would receive them.
    resolver : IntrinsicResolver
        Resolves intrinsics against the parameters and the local resource names and ARNs.
    """

    path: Path
    parameters: Mapping[str, Any]
    resources: Mapping[str, dict[str, Any]]
    resolver: IntrinsicResolver

    def resources_of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Return ``{logical id: resource}`` for every resource of one CloudFormation type."""
        return {key: value for key, value in self.resources.items() if value["Type"] == resource_type}

    def resolved_properties(self, logical_id: str) -> dict[str, Any]:
        """Return a resource's properties with every intrinsic resolved to its local value."""
        properties: dict[str, Any] = self.resolver.resolve(self.resources[logical_id].get("Properties", {}))
        return properties

    def source_dir(self, location: Mapping[str, Any], owner: str) -> Path:
        """Return the local folder behind a translated ``Code``/``Content`` location.

        Raises
        ------
        TemplateError
            The location is not a local ``CodeUri``/``ContentUri`` (an S3 object or inline code).
        """
        if location.get("S3Bucket") != SOURCE_BUCKET:
            raise TemplateError(f"{owner}: only a local CodeUri/ContentUri folder can run locally")
        folder = (self.path.parent / str(location["S3Key"])).resolve()
        if not folder.is_dir():
            raise TemplateError(f"{owner}: code folder {folder} does not exist")
        return folder


def load_template(
    path: Path,
    parameter_overrides: Mapping[str, str] | None = None,
    *,
    stack_name: str = LOCAL_STACK_NAME,
) -> LocalTemplate:
    """Translate a SAM template the way CloudFormation's transform does, and resolve it for the local stack.

    Parameters
    ----------
    path : Path
        SAM template (template.yaml).
    parameter_overrides : Mapping[str, str], optional
        Template parameter values, as ``sam deploy --parameter-overrides`` takes them.
    stack_name : str
        Value of ``AWS::StackName``; also the prefix of generated physical names.

    Returns
    -------
    LocalTemplate

    Raises
    ------
    TemplateError
        A parameter without a value (an SSM-typed one has no local value but an override), a value that breaks
        ``AllowedValues``/``AllowedPattern`` (for SSM-typed ones, the hand-off format of ``local.handoff``), a
        non-local code location, or anything the SAM translator rejects.
    """
    template = yaml_parse(path.read_text())
    parameters = _resolve_parameters(template.get("Parameters", {}), parameter_overrides or {})
    _point_code_at_local_bucket(template)
    translator = Translator(
        managed_policy_map={}, sam_parser=Parser(), boto_session=boto3.session.Session(region_name=LOCAL_REGION)
    )
    try:
        translated = translator.translate(
            template,
            parameter_values=dict(parameters),
            get_managed_policy_map=_NoManagedPolicies.load,
            passthrough_metadata=True,
        )
    except Exception as exc:  # samtranslator raises several unrelated types; all mean "invalid template"
        raise TemplateError(f"{path}: SAM translation failed: {exc}") from exc
    pseudo = {
        "AWS::Region": LOCAL_REGION,
        "AWS::AccountId": LOCAL_ACCOUNT_ID,
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:aws:cloudformation:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:stack/{stack_name}/local",
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    conditions = translated.get("Conditions", {})
    resources = translated["Resources"]
    base_refs = {**parameters, **pseudo}
    names = _physical_names(resources, IntrinsicResolver(base_refs, {}, conditions), stack_name)
    refs: dict[str, Any] = dict(base_refs)
    attributes: dict[str, str] = {}
    for logical_id, resource in resources.items():
        if resource["Type"] in _POINTS_AT_FUNCTION:
            continue
        arn_format = _ARN_FORMATS.get(resource["Type"], "arn:aws:{service}:{region}:{account}:{name}")
        arn = arn_format.format(
            service=resource["Type"].split("::")[1].lower(),
            region=LOCAL_REGION,
            account=LOCAL_ACCOUNT_ID,
            name=names[logical_id],
        )
        refs[logical_id] = arn if resource["Type"] in _REF_RETURNS_ARN else names[logical_id]
        attributes[f"{logical_id}.Arn"] = arn
        attributes[f"{logical_id}.RootResourceId"] = f"{names[logical_id]}-root"
    for logical_id, resource in resources.items():
        if resource["Type"] in _POINTS_AT_FUNCTION:
            function = resource["Properties"]["FunctionName"]["Ref"]
            refs[logical_id] = attributes[f"{logical_id}.Arn"] = attributes[f"{function}.Arn"]
    resolver = IntrinsicResolver(refs, attributes, conditions)
    # Resources whose Condition is false do not exist, as in CloudFormation (the WAF association, locally).
    present = {
        logical_id: resource
        for logical_id, resource in resources.items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }
    return LocalTemplate(path=path.resolve(), parameters=parameters, resources=present, resolver=resolver)


def _resolve_parameters(declared: Mapping[str, Any], overrides: Mapping[str, str]) -> dict[str, Any]:
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise TemplateError(f"overrides for parameters the template does not declare: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, spec in declared.items():
        if name in overrides:
            value = str(overrides[name])
        elif "Default" in spec:
            value = str(spec["Default"])
        elif str(spec.get("Type", "")).startswith(SSM_PARAMETER_TYPE_PREFIX):
            problems.append(f"{name} is read from SSM when deployed and needs a literal local value (an override)")
            continue
        else:
            problems.append(f"{name} has no default and no override")
            continue
        # CloudFormation matches AllowedPattern against the whole value.
        if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
            problems.append(f"{name}={value!r} does not match {spec['AllowedPattern']}")
        if "AllowedValues" in spec and value not in [str(allowed) for allowed in spec["AllowedValues"]]:
            problems.append(f"{name}={value!r} is not one of {spec['AllowedValues']}")
        values[name] = value.split(",") if spec.get("Type") == "CommaDelimitedList" else value
    # What AllowedPattern no longer checks for SSM-typed parameters (local.handoff).
    problems += format_problems(
        {
            name: value
            for name, value in values.items()
            if str(declared[name].get("Type", "")).startswith(SSM_PARAMETER_TYPE_PREFIX)
        }
    )
    if problems:
        raise TemplateError("template parameters: " + "; ".join(problems))
    return values


def _point_code_at_local_bucket(template: dict[str, Any]) -> None:
    global_code = template.get("Globals", {}).get("Function", {})
    sections = [global_code] if "CodeUri" in global_code else []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") in _LOCAL_CODE_PROPERTIES:
            sections.append(resource.setdefault("Properties", {}))
    for properties in sections:
        for key in _LOCAL_CODE_PROPERTIES.values():
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = f"s3://{SOURCE_BUCKET}/{posixpath.normpath(properties[key])}"


def _physical_names(
    resources: Mapping[str, dict[str, Any]], resolver: IntrinsicResolver, stack_name: str
) -> dict[str, str]:
    names = {}
    for logical_id, resource in resources.items():
        name_property = _NAME_PROPERTIES.get(resource["Type"])
        explicit = resource.get("Properties", {}).get(name_property) if name_property else None
        names[logical_id] = str(resolver.resolve(explicit)) if explicit else f"{stack_name}-{logical_id}"
    return names
