"""moto's server on 127.0.0.1 with fake credentials: the AWS endpoint of the local stack."""

import socket
from typing import TYPE_CHECKING, Literal, Self, overload

import botocore.session
from botocore.client import BaseClient
from moto.server import ThreadedMotoServer

from local.gateway.template import LOCAL_REGION

if TYPE_CHECKING:
    from mypy_boto3_apigateway.client import APIGatewayClient
    from mypy_boto3_dynamodb.client import DynamoDBClient

LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 8500
# moto accepts any credentials; fixed fake ones keep boto3 from looking for real ones (profiles, IMDS).
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class PortInUseError(OSError):
    """Raised when the port moto should listen on is already taken."""


class MotoServer:
    """``moto.server.ThreadedMotoServer`` bound to loopback, as a context manager.

    Parameters
    ----------
    port : int
        TCP port on 127.0.0.1; 0 picks a free one (tests).

    Notes
    -----
    The server shares moto's in-process backends: ``mock_aws`` in the same process sees (and resets) its data.
    """

    def __init__(self, port: int = DEFAULT_PORT) -> None:
        self._requested_port = port
        self._server: ThreadedMotoServer | None = None
        self.port = port

    def start(self) -> Self:
        """Start serving; returns once the socket listens.

        Raises
        ------
        PortInUseError
            Another process listens on the port (moto itself would wait forever).
        """
        if self._requested_port:
            ensure_port_free(self._requested_port)
        self._server = ThreadedMotoServer(ip_address=LOCAL_HOST, port=self._requested_port, verbose=False)
        self._server.start()
        self.port = self._server.get_host_and_port()[1]
        return self

    def stop(self) -> None:
        """Stop serving and join the server thread."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``, the value of ``AWS_ENDPOINT_URL`` for clients of this server."""
        return f"http://{LOCAL_HOST}:{self.port}"

    @property
    def environment(self) -> dict[str, str]:
        """Variables that point boto3 (and the functions) at this server."""
        return aws_environment(self.endpoint_url)

    def client(self, service: str) -> BaseClient:
        """A boto3 client for ``service`` on this server."""
        return aws_client(service, self.endpoint_url)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def aws_environment(endpoint_url: str) -> dict[str, str]:
    """Environment variables that point boto3 at a local endpoint with the fake credentials and local region."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": LOCAL_REGION,
        "AWS_DEFAULT_REGION": LOCAL_REGION,
    }


@overload
def aws_client(service: Literal["dynamodb"], endpoint_url: str) -> "DynamoDBClient": ...
@overload
def aws_client(service: Literal["apigateway"], endpoint_url: str) -> "APIGatewayClient": ...
@overload
def aws_client(service: str, endpoint_url: str) -> BaseClient: ...
def aws_client(service: str, endpoint_url: str) -> BaseClient:
    """A client for ``service`` at a local endpoint, with the fake credentials (typed for the services the stack uses).

    A botocore session of its own, typed for any service name, where ``boto3.client`` is typed per literal name.
    """
    return botocore.session.get_session().create_client(
        service,
        endpoint_url=endpoint_url,
        region_name=LOCAL_REGION,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
    )


def ensure_port_free(port: int, host: str = LOCAL_HOST) -> None:
    """Fail fast when something already listens on ``host:port``.

    Raises
    ------
    PortInUseError
        Naming the port.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers themselves do: a port whose old connections linger in TIME_WAIT is free to listen on.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortInUseError(f"{host}:{port} is already in use") from exc
