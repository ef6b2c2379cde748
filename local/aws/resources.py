"""Create in moto the AWS resources the functions use: the Terraform-owned table and the template's usage plans."""

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from botocore.client import BaseClient

from local.aws.tables import create_table, load_table_block
from local.aws.usage_plans import create_usage_plans
from local.gateway.template import LocalTemplate

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

ClientFactory = Callable[[str], BaseClient]
# One creator per kind of resource local code reads; each returns {logical id or name: physical name}. Add a creator
# here when the stack gains a resource that functions use (a Secrets Manager secret, an SSM parameter, ...).
ResourceCreator = Callable[[LocalTemplate, ClientFactory], dict[str, str]]
TABLE_NAME_PARAMETER = "TableName"


def create_dynamodb_tables(template: LocalTemplate, client_for: ClientFactory) -> dict[str, str]:
    """Create the tenant data table Terraform owns (infra/aws_dynamodb.tf), named by the local ``TableName`` value."""
    name = str(template.parameters[TABLE_NAME_PARAMETER])
    # The factory answers the client of the service it is asked for; its type names only the base class.
    client = cast("DynamoDBClient", client_for("dynamodb"))
    return {TABLE_NAME_PARAMETER: create_table(client, load_table_block(), name)}


RESOURCE_CREATORS: tuple[ResourceCreator, ...] = (create_dynamodb_tables, create_usage_plans)


def create_template_resources(template: LocalTemplate, client_for: ClientFactory) -> dict[str, str]:
    """Create (idempotently) every resource the local functions depend on.

    Parameters
    ----------
    template : LocalTemplate
        The template with its local parameter values.
    client_for : Callable[[str], BaseClient]
        Returns a boto3 client for a service name, pointed at moto.

    Returns
    -------
    dict[str, str]
        Logical id (or, for the table, the template parameter naming it) → physical name of each resource created.
    """
    created: dict[str, str] = {}
    for creator in RESOURCE_CREATORS:
        created |= creator(template, client_for)
    return created
