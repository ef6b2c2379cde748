"""A function resolved from the template once, then read back from the cache without importing the gateway."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from local.gateway.config import REPOSITORY_ROOT
from local.invoke.resolution import resolve_function
from local.invoke.samconfig import InvokeConfigError

SAMPLE_TEMPLATE = REPOSITORY_ROOT / "tests" / "local" / "gateway" / "sample" / "template.yaml"


def test_resolve_function_gives_code_layers_environment_and_context(tmp_path: Path) -> None:
    function = resolve_function(SAMPLE_TEMPLATE, {"Greeting": "hi"}, "EchoFunction", cache_dir=tmp_path)

    assert function.handler == "app.handler"
    assert Path(function.code_dir) == SAMPLE_TEMPLATE.parent / "functions" / "echo"
    assert function.paths[0] == function.code_dir
    assert Path(function.paths[1]) == SAMPLE_TEMPLATE.parent / "layer"
    assert function.declared["GREETING"] == "hi"
    assert function.runtime["AWS_LAMBDA_FUNCTION_NAME"] == function.context["function_name"]
    assert "aws_request_id" not in function.context
    assert (function.timeout_s, function.memory_mb) == (5, 256)


def test_resolve_function_is_cached_per_template_and_parameter_values(tmp_path: Path) -> None:
    first = resolve_function(SAMPLE_TEMPLATE, {"Greeting": "hi"}, "EchoFunction", cache_dir=tmp_path)
    again = resolve_function(SAMPLE_TEMPLATE, {"Greeting": "hi"}, "StateFunction", cache_dir=tmp_path)
    other = resolve_function(SAMPLE_TEMPLATE, {"Greeting": "ho"}, "EchoFunction", cache_dir=tmp_path)

    assert len(list(tmp_path.glob("*.json"))) == 2
    assert again.declared["GREETING"] == "from-function"
    assert (first.declared["GREETING"], other.declared["GREETING"]) == ("hi", "ho")


def test_resolve_function_from_cache_never_imports_the_gateway_or_translator(tmp_path: Path) -> None:
    resolve_function(SAMPLE_TEMPLATE, {"Greeting": "hi"}, "EchoFunction", cache_dir=tmp_path)
    probe = (
        "import sys, json; from pathlib import Path; from local.invoke.resolution import resolve_function; "
        f"resolve_function(Path({str(SAMPLE_TEMPLATE)!r}), {{'Greeting': 'hi'}}, 'EchoFunction', "
        f"cache_dir=Path({str(tmp_path)!r})); "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('samtranslator', 'local.gateway')))))"
    )

    completed = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPOSITORY_ROOT, check=True
    )

    assert json.loads(completed.stdout) == []


@pytest.mark.parametrize(
    ("overrides", "logical_id", "message"),
    [({"Greeting": "hi"}, "NoSuchFunction", "has no function"), ({}, "EchoFunction", "Greeting has no default")],
    ids=["unknown-function", "missing-parameter"],
)
def test_resolve_function_unresolvable_is_refused(
    tmp_path: Path, overrides: dict[str, str], logical_id: str, message: str
) -> None:
    with pytest.raises(InvokeConfigError, match=message):
        resolve_function(SAMPLE_TEMPLATE, overrides, logical_id, cache_dir=tmp_path)
