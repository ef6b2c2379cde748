"""Fixture modules shared by every test folder."""

pytest_plugins = [
    "tests.fixtures.aws",
    "tests.fixtures.gateway",
    "tests.fixtures.idp",
    "tests.fixtures.jwks",
    "tests.fixtures.lambda_runtime",
]
