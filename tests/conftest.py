"""Fixture modules shared by every test folder."""

pytest_plugins = [
    "tests.fixtures.idp",  # first: the gateway fixture module imports it
    "tests.fixtures.aws",
    "tests.fixtures.gateway",
    "tests.fixtures.jwks",
    "tests.fixtures.lambda_runtime",
]
