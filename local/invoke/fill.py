"""``python -m local.invoke.fill EVENT --token TOKEN [--id-token TOKEN]``: a sample event ready for an invoke.

Prints ``functions/<group>/events/<name>.json`` with ``${ACCESS_TOKEN}``/``${ID_TOKEN}`` and the authorizer context
they give (``${AUTHORIZER_*}``, ``${ID_AUTHORIZER_*}``: what API Gateway would pass after the authorizer allowed the
token) filled in, for ``python -m local invoke -e -`` or ``sam local invoke -e -``; other placeholders
(``${RESOURCE_ID}``) stay as they are. The tokens are not verified here: the function under test trusts the context.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from string import Template

from local.invoke.sample_events import token_placeholders


def main(argv: Sequence[str] | None = None) -> int:
    """Print the filled event; 0 on success (argparse exits 2 on bad arguments)."""
    parser = argparse.ArgumentParser(prog="python -m local.invoke.fill", description=__doc__)
    parser.add_argument("event", type=Path, help="sample event file")
    parser.add_argument("--token", required=True, help="access token (python -m local.idp token <login id>)")
    parser.add_argument("--id-token", help="ID token, for the events of POST /api/validate-id-token")
    arguments = parser.parse_args(argv)
    placeholders = token_placeholders(arguments.token, arguments.id_token or arguments.token)
    if arguments.id_token is None:
        placeholders = {name: value for name, value in placeholders.items() if not name.startswith("ID_")}
    sys.stdout.write(Template(arguments.event.read_text()).safe_substitute(placeholders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
