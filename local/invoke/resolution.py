"""One function of a template as an invocation needs it, resolved by the local gateway's loader and cached.

Resolving means translating the SAM template (aws-sam-translator) and evaluating its intrinsics with the parameter
values (:func:`local.gateway.template.load_template`, :func:`local.gateway.api.load_functions`): about a second of
imports and translation that every ``python -m local invoke`` would pay again. The result depends only on the
template's text, the parameter values, the translator's version and the loader's own code, so it is kept under
``.aws-sam/local-invoke/`` keyed by a hash of all four (as ``sam build --cached`` keeps builds); a change to any of
them resolves again. The gateway is imported only then.
"""

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from local import REPOSITORY_ROOT
from local.invoke.samconfig import InvokeConfigError

CACHE_DIR = REPOSITORY_ROOT / ".aws-sam" / "local-invoke"
# The modules whose code decides what a template resolves to.
LOADER_SOURCES = tuple(
    REPOSITORY_ROOT / "local" / "gateway" / name for name in ("template.py", "intrinsics.py", "api.py")
)
TRANSLATOR_DISTRIBUTION = "aws-sam-translator"
CACHE_FORMAT = 1


@dataclass(frozen=True)
class ResolvedFunction:
    """What an invocation of one function needs, in JSON-able form.

    Attributes
    ----------
    logical_id, handler : str
    code_dir : str
        ``CodeUri`` folder (``LAMBDA_TASK_ROOT``, the process's working directory).
    paths : tuple[str, ...]
        Put first on ``sys.path``: the code folder, then each layer's folder (``/opt/python``).
    declared : Mapping[str, str]
        The template's ``Environment.Variables`` (Globals merged, intrinsics resolved).
    runtime : Mapping[str, str]
        Lambda's own variables (:func:`local.gateway.runtime.runtime_environment`).
    context : Mapping[str, Any]
        The Lambda context's attributes but its request id and deadline (:func:`local.gateway.runtime.context_fields`).
    timeout_s, memory_mb : int
    """

    logical_id: str
    handler: str
    code_dir: str
    paths: tuple[str, ...]
    declared: Mapping[str, str]
    runtime: Mapping[str, str]
    context: Mapping[str, Any]
    timeout_s: int
    memory_mb: int


def resolve_function(
    template: Path, overrides: Mapping[str, str], logical_id: str, cache_dir: Path = CACHE_DIR
) -> ResolvedFunction:
    """Resolve ``logical_id`` of ``template`` with ``overrides``, from the cache when nothing it depends on changed.

    Raises
    ------
    InvokeConfigError
        The template cannot be resolved locally (a parameter without a value, a bad value, a construct the loader
        does not run), or has no such function.
    """
    key = _cache_key(template, overrides)
    cached = cache_dir / f"{key}.json"
    if cached.is_file():
        functions = json.loads(cached.read_text())
    else:
        functions = _resolve_all(template, overrides)
        _write_atomically(cached, json.dumps(functions))
    if logical_id not in functions:
        raise InvokeConfigError(f"{template} has no function {logical_id!r}; functions: {', '.join(sorted(functions))}")
    record = functions[logical_id]
    return ResolvedFunction(**{**record, "paths": tuple(record["paths"])})


def _resolve_all(template: Path, overrides: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    from local.gateway.api import load_functions
    from local.gateway.errors import TemplateError
    from local.gateway.runtime import context_fields, runtime_environment
    from local.gateway.template import load_template

    try:
        specs = load_functions(load_template(template, overrides)).values()
    except TemplateError as exc:
        raise InvokeConfigError(str(exc)) from exc
    functions = {}
    for spec in specs:
        context = context_fields(spec)
        del context["aws_request_id"]  # new for every invocation
        resolved = ResolvedFunction(
            logical_id=spec.logical_id,
            handler=spec.handler,
            code_dir=str(spec.code_dir),
            paths=(str(spec.code_dir), *(str(path) for path in spec.layer_paths)),
            declared=dict(spec.environment),
            runtime=runtime_environment(spec),
            context=context,
            timeout_s=spec.timeout_s,
            memory_mb=spec.memory_mb,
        )
        functions[spec.logical_id] = asdict(resolved)
    return functions


def _cache_key(template: Path, overrides: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    parts = [
        str(CACHE_FORMAT),
        str(template.resolve()),
        template.read_text(),
        json.dumps(dict(overrides), sort_keys=True),
        version(TRANSLATOR_DISTRIBUTION),
        *(source.read_text() for source in LOADER_SOURCES),
    ]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    # Invocations run in parallel (tests): each writes its own temporary file and renames it into place.
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".resolving-")
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    os.replace(temporary, path)
