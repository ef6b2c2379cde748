"""Local AWS: moto's server on 127.0.0.1 and the resources template.yaml declares."""

from local.aws.resources import RESOURCE_CREATORS, create_template_resources
from local.aws.server import (
    DEFAULT_PORT,
    FAKE_CREDENTIALS,
    MotoServer,
    PortInUseError,
    aws_client,
    aws_environment,
    ensure_port_free,
)

__all__ = [
    "DEFAULT_PORT",
    "FAKE_CREDENTIALS",
    "RESOURCE_CREATORS",
    "MotoServer",
    "PortInUseError",
    "aws_client",
    "aws_environment",
    "create_template_resources",
    "ensure_port_free",
]
