"""Errors of the local API Gateway emulator."""


class GatewayEmulatorError(Exception):
    """Base of every error the emulator raises."""


class TemplateError(GatewayEmulatorError):
    """Raised when template.yaml cannot be turned into a local API (bad parameter, unsupported construct)."""


class FunctionLoadError(GatewayEmulatorError):
    """Raised when a function's handler cannot be imported or is not callable."""


class FunctionInvocationError(GatewayEmulatorError):
    """Raised when a handler raises, times out or returns something API Gateway cannot map (502 in AWS)."""


class GatewayRejection(GatewayEmulatorError):  # noqa: N818 - a control-flow signal, not a fault of the emulator
    """Raised by a request check to answer with a gateway response instead of invoking the function.

    Parameters
    ----------
    response_type : str
        API Gateway response type, e.g. ``UNAUTHORIZED``, ``THROTTLED`` (AWS gateway response types).
    message : str
        ``$context.error.message`` of the response.
    """

    def __init__(self, response_type: str, message: str) -> None:
        super().__init__(f"{response_type}: {message}")
        self.response_type = response_type
        self.message = message
