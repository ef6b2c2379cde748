"""Create in moto the AWS resources template.yaml declares, from the same definitions CloudFormation deploys."""

from collections.abc import Callable

from botocore.client import BaseClient

from local.aws.tables import TABLE_TYPE, create_tables
from local.aws.usage_plans import create_usage_plans
from local.gateway.template import LocalTemplate

ClientFactory = Callable[[str], BaseClient]
# One creator per kind of resource local code reads; each returns {logical id: physical name}. Add a creator here
# when the template gains a resource type that functions use (a Secrets Manager secret, an SSM parameter, ...).
ResourceCreator = Callable[[LocalTemplate, ClientFactory], dict[str, str]]


def create_dynamodb_tables(template: LocalTemplate, client_for: ClientFactory) -> dict[str, str]:
    """Create every ``AWS::DynamoDB::Table`` with its intrinsics resolved and its local physical name."""
    tables = {
        logical_id: {"Type": TABLE_TYPE, "Properties": template.resolved_properties(logical_id)}
        for logical_id in template.resources_of_type(TABLE_TYPE)
    }
    return create_tables(
        client_for("dynamodb"),
        {"Resources": tables},
        # The name CloudFormation would generate locally: what `Ref` gives the functions' TABLE_NAME.
        name_for=lambda logical_id: str(template.resolver.resolve({"Ref": logical_id})),
    )


RESOURCE_CREATORS: tuple[ResourceCreator, ...] = (create_dynamodb_tables, create_usage_plans)


def create_template_resources(template: LocalTemplate, client_for: ClientFactory) -> dict[str, str]:
    """Create (idempotently) every resource of the template the local functions depend on.

    Parameters
    ----------
    template : LocalTemplate
        The template with its local parameter values.
    client_for : Callable[[str], BaseClient]
        Returns a boto3 client for a service name, pointed at moto.

    Returns
    -------
    dict[str, str]
        Logical id → physical name of each resource created.
    """
    created: dict[str, str] = {}
    for creator in RESOURCE_CREATORS:
        created |= creator(template, client_for)
    return created
