"""``python -m local dev``'s wiring: each service is pointed at the others' ports."""

import argparse

from local.__main__ import plan_services


def test_plan_services_spa_moves_to_the_origin_the_gateway_allows() -> None:
    # Regression: the dev server answered on http://127.0.0.1:3000 too, where every API call failed CORS.
    args = argparse.Namespace(
        gateway_port=18000, idp_port=18400, aws_port=18500, spa_port=13000, no_spa=False, idp_state_dir=None
    )
    services = {service.name: service for service in plan_services(args)}

    allowed_origin = next(
        argument.split("=", 1)[1] for argument in services["gateway"].command if argument.startswith("AllowedOrigin=")
    )
    assert allowed_origin == "http://localhost:13000"
    assert services["spa"].env["VITE_CANONICAL_ORIGIN"] == allowed_origin
    assert services["spa"].env["VITE_API_BASE_URL"] == "http://127.0.0.1:18000"
    # Regression: with --spa-port other than 3000 the identity provider refused the SPA's redirect URI.
    idp_command = services["idp"].command
    assert idp_command[idp_command.index("--redirect-uri") + 1] == allowed_origin
