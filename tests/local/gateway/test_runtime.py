"""local.gateway.runtime: handlers imported in isolation, with their environment, warm between invocations."""

import importlib
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from local.gateway.api import FunctionSpec
from local.gateway.errors import FunctionInvocationError, FunctionLoadError
from local.gateway.runtime import FunctionRuntime


def test_runtime_applies_function_environment_at_import_and_invoke_then_restores(sample: Any) -> None:
    assert "GREETING" not in os.environ
    body = sample.json(sample.send("GET", "/items"))
    assert body["greeting_at_import"] == "hello"
    assert body["environment"] == {
        "GREETING": "hello",
        "STAGE_LABEL": "test@us-east-1",
        "LAYER_ARN": body["environment"]["LAYER_ARN"],
        "AWS_LAMBDA_FUNCTION_NAME": "identity-stack-local-EchoFunction",
        "AWS_SAM_LOCAL": "true",
        "EXTRA": "from-local-config",
    }
    assert "GREETING" not in os.environ
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ


def test_runtime_function_environment_overrides_globals(sample: Any) -> None:
    assert sample.json(sample.send("GET", "/state"))["greeting"] == "from-function"


def test_runtime_passes_lambda_context(sample: Any) -> None:
    context = sample.json(sample.send("GET", "/items"))["context"]
    assert context["function_name"] == "identity-stack-local-EchoFunction"
    assert context["invoked_function_arn"].endswith(":function:identity-stack-local-EchoFunction")
    assert context["memory_limit_in_mb"] == 256
    assert 0 < context["remaining_ms"] <= 5000
    assert uuid.UUID(context["aws_request_id"])


def test_runtime_warm_container_keeps_module_state(sample: Any) -> None:
    first, second = (sample.json(sample.send("GET", "/state")) for _ in range(2))
    assert (first["imports"], first["invocations"]) == (1, 1)
    assert (second["imports"], second["invocations"]) == (1, 2)


def test_runtime_new_gateway_starts_cold(sample_factory: Callable[..., Any]) -> None:
    warm = sample_factory()
    warm.send("GET", "/state")
    cold = sample_factory()
    assert cold.json(cold.send("GET", "/state"))["invocations"] == 1


def test_runtime_each_function_has_its_own_layer_copy(sample: Any) -> None:
    echo_layer = sample.json(sample.send("GET", "/items"))["layer"]
    state_layer = sample.json(sample.send("GET", "/state"))["layer"]
    echo_again = sample.json(sample.send("GET", "/items"))["layer"]
    assert echo_layer["copy_id"] != state_layer["copy_id"]
    assert (echo_layer["calls"], state_layer["calls"], echo_again["calls"]) == (1, 1, 2)
    assert echo_again["copy_id"] == echo_layer["copy_id"]


def test_runtime_leaves_host_modules_and_path_untouched(sample: Any) -> None:
    path_before = list(sys.path)
    sample.send("GET", "/items")
    assert "sample_layer" not in sys.modules
    assert "app" not in sys.modules
    assert sys.path == path_before


def make_spec(
    code_dir: Path,
    handler: str = "app.handler",
    *,
    logical_id: str = "ScratchFunction",
    environment: dict[str, str] | None = None,
) -> FunctionSpec:
    return FunctionSpec(
        logical_id=logical_id,
        name=logical_id.lower(),
        arn=f"arn:aws:lambda:us-east-1:123456789012:function:{logical_id.lower()}",
        code_dir=code_dir,
        handler=handler,
        layer_paths=(),
        environment=environment or {},
        timeout_s=5,
        memory_mb=128,
    )


def write_function(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, source in files.items():
        (folder / name).write_text(source)
    return folder


SIBLING_APP = """
import os

import services

GREETING_AT_IMPORT = os.environ.get("GREETING")


def handler(event, context):
    return {"owner": services.OWNER, "services_id": id(services), "at_import": services.GREETING_AT_IMPORT,
            "at_invoke": services.greeting_now()}
"""


def sibling_services(owner: str) -> str:
    return (
        f"import os\n\nOWNER = {owner!r}\nGREETING_AT_IMPORT = os.environ.get('GREETING')\n\n"
        "def greeting_now():\n    return os.environ.get('GREETING')\n"
    )


def test_runtime_sibling_modules_of_the_same_name_belong_to_their_own_function(tmp_path: Path) -> None:
    first = write_function(tmp_path / "first", {"app.py": SIBLING_APP, "services.py": sibling_services("first")})
    second = write_function(tmp_path / "second", {"app.py": SIBLING_APP, "services.py": sibling_services("second")})
    runtime = FunctionRuntime()
    try:
        answers = [
            runtime.invoke(make_spec(folder, logical_id=logical_id), {})
            for folder, logical_id in ((first, "FirstFunction"), (second, "SecondFunction"), (first, "FirstFunction"))
        ]
    finally:
        runtime.close()
    assert [answer["owner"] for answer in answers] == ["first", "second", "first"]
    # Warm: the first function's container kept its own services module between invocations.
    assert answers[0]["services_id"] == answers[2]["services_id"] != answers[1]["services_id"]
    assert "services" not in sys.modules


def test_runtime_sibling_module_sees_the_container_environment(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", {"app.py": SIBLING_APP, "services.py": sibling_services("fn")})
    runtime = FunctionRuntime()
    try:
        answer = runtime.invoke(make_spec(folder, environment={"GREETING": "bonjour"}), {})
    finally:
        runtime.close()
    assert (answer["at_import"], answer["at_invoke"]) == ("bonjour", "bonjour")
    assert "GREETING" not in os.environ


def test_runtime_host_module_of_the_same_name_does_not_shadow_the_functions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host_services = ModuleType("services")
    monkeypatch.setitem(sys.modules, "services", host_services)
    folder = write_function(tmp_path / "fn", {"app.py": SIBLING_APP, "services.py": sibling_services("fn")})
    runtime = FunctionRuntime()
    try:
        assert runtime.invoke(make_spec(folder), {})["owner"] == "fn"
    finally:
        runtime.close()
    assert sys.modules["services"] is host_services


def test_runtime_sibling_importing_the_handler_module_gets_the_same_module(tmp_path: Path) -> None:
    # On Lambda the handler module is the top-level module ``app``: a sibling that imports it must not run it twice.
    folder = write_function(
        tmp_path / "fn",
        {
            "app.py": "import sys\n\nimport helper\n\ndef handler(event, context):\n"
            "    return {'name': __name__, 'same': helper.app is sys.modules[__name__]}\n",
            "helper.py": "import app\n",
        },
    )
    runtime = FunctionRuntime()
    try:
        assert runtime.invoke(make_spec(folder), {}) == {"name": "app", "same": True}
    finally:
        runtime.close()


def test_runtime_relative_import_in_the_handler_fails_as_on_lambda(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", {"app.py": "from . import services\n", "services.py": "X = 1\n"})
    runtime = FunctionRuntime()
    try:
        with pytest.raises(FunctionLoadError, match="no known parent package"):
            runtime.invoke(make_spec(folder), {})
    finally:
        runtime.close()


def test_runtime_failed_init_is_retried_from_scratch(tmp_path: Path) -> None:
    log = tmp_path / "imports.log"
    folder = write_function(
        tmp_path / "fn",
        {
            "app.py": "import services\nimport settings\n\ndef handler(event, context):\n    return 'ok'\n",
            "services.py": f"with open({str(log)!r}, 'a') as log:\n    log.write('services\\n')\n",
        },
    )
    runtime = FunctionRuntime()
    try:
        with pytest.raises(FunctionLoadError, match="settings"):
            runtime.invoke(make_spec(folder), {})
        (folder / "settings.py").write_text("READY = True\n")
        importlib.invalidate_caches()  # the folder changed after this process listed it
        assert runtime.invoke(make_spec(folder), {}) == "ok"
    finally:
        runtime.close()
    # A new execution environment: the module imported by the failed init is imported again, not reused.
    assert log.read_text().splitlines() == ["services", "services"]


@pytest.mark.parametrize(
    ("source", "handler"),
    [
        ("raise ImportError('missing dependency')\n", "app.handler"),
        ("handler = 42\n", "app.handler"),
        ("def handler(event, context):\n    return {}\n", "absent.handler"),
    ],
    ids=["import-raises", "handler-not-callable", "module-missing"],
)
def test_runtime_unloadable_handler_raises_function_load_error(tmp_path: Path, source: str, handler: str) -> None:
    (tmp_path / "app.py").write_text(source)
    runtime = FunctionRuntime()
    try:
        with pytest.raises(FunctionLoadError, match="ScratchFunction"):
            runtime.invoke(make_spec(tmp_path, handler), {})
    finally:
        runtime.close()


def test_runtime_handler_exception_raises_function_invocation_error(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("def handler(event, context):\n    raise ValueError('boom')\n")
    runtime = FunctionRuntime()
    try:
        with pytest.raises(FunctionInvocationError, match="raised ValueError"):
            runtime.invoke(make_spec(tmp_path), {})
    finally:
        runtime.close()


@pytest.mark.parametrize(
    ("message", "traced"),
    [("Unauthorized", False), ("boom", True)],
    ids=["authorizer-unauthorized", "real-fault"],
)
def test_runtime_traces_faults_but_not_an_authorizer_unauthorized(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, message: str, traced: bool
) -> None:
    # Regression: every refused token printed a chained traceback in `make dev`, burying the useful output.
    (tmp_path / "app.py").write_text(f"def handler(event, context):\n    raise Exception({message!r})\n")
    runtime = FunctionRuntime()
    try:
        with caplog.at_level("INFO", logger="local.gateway.runtime"), pytest.raises(FunctionInvocationError):
            runtime.invoke(make_spec(tmp_path), {})
    finally:
        runtime.close()
    records = [record for record in caplog.records if record.name == "local.gateway.runtime"]
    assert records
    assert any(record.exc_info for record in records) is traced


def test_runtime_each_container_has_its_own_snapstart_hook_registry(tmp_path: Path) -> None:
    import snapshot_restore_py

    app = (
        "import snapshot_restore_py\n\nsnapshot_restore_py.register_after_restore(print)\n\n"
        "def handler(event, context):\n"
        "    return [id(snapshot_restore_py), len(snapshot_restore_py.get_after_restore())]\n"
    )
    first = write_function(tmp_path / "first", {"app.py": app})
    second = write_function(tmp_path / "second", {"app.py": app})
    host_hooks = list(snapshot_restore_py.get_after_restore())
    runtime = FunctionRuntime()
    try:
        answers = [
            runtime.invoke(make_spec(first, logical_id="FirstFunction"), {}),
            runtime.invoke(make_spec(second, logical_id="SecondFunction"), {}),
        ]
    finally:
        runtime.close()
    assert answers[0][0] != answers[1][0] != id(snapshot_restore_py)
    assert [count for _, count in answers] == [1, 1]
    assert snapshot_restore_py.get_after_restore() == host_hooks
