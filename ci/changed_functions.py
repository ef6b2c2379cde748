"""Which Lambda functions a change deploys: changed paths in, template.yaml logical ids out.

The rule, read from the template (never from a list kept here):

- a path under a function's ``CodeUri`` (or ``Globals.Function.CodeUri``) deploys that function;
- a path under a layer's ``ContentUri`` (its code and the requirements.txt it ships), the template itself or the
  ``samconfig.toml`` beside it deploys every function;
- any other path (docs, tests, frontend, infra, workflows) deploys none.

Command line (the deploy workflow's)::

    python -m ci.changed_functions --base <deployed commit> [--head HEAD] [--github-output "$GITHUB_OUTPUT"]
    git diff --name-only A B | python -m ci.changed_functions --stdin
    python -m ci.changed_functions --all

prints ``{"functions": [...], "all": bool}`` and, with ``--github-output``, appends the GitHub step outputs
``functions`` (the JSON list), ``names`` (space-separated) and ``count``.
"""

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from samtranslator.yaml_helper import yaml_parse

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATE = REPOSITORY_ROOT / "template.yaml"
FUNCTION_TYPE = "AWS::Serverless::Function"
LAYER_TYPE = "AWS::Serverless::LayerVersion"
# `sam deploy` reads it beside the template: its parameters and deploy settings apply to every function.
SAM_CONFIG = "samconfig.toml"


class ChangeDetectionError(RuntimeError):
    """Base of the errors below."""


class TemplateError(ChangeDetectionError):
    """Raised when a function's code location cannot be read as a folder of this repository."""


class UnknownRevisionError(ChangeDetectionError):
    """Raised when the base or head commit is not in the clone (shallow fetch, force-push, wrong SHA)."""


@dataclass(frozen=True)
class TemplateSources:
    """Where each function's code lives, and what every function shares; paths relative to the repository root.

    Attributes
    ----------
    functions : Mapping[str, PurePosixPath | None]
        Logical id → its ``CodeUri`` folder; ``None`` for ``InlineCode`` (in the template, so shared below).
    shared : tuple[PurePosixPath, ...]
        Files and folders whose change deploys every function: layer ``ContentUri``s, the template, samconfig.toml.
    """

    functions: Mapping[str, PurePosixPath | None]
    shared: tuple[PurePosixPath, ...]


def read_template(template: Path, repository_root: Path = REPOSITORY_ROOT) -> TemplateSources:
    """Read the function and layer code locations of a SAM template.

    Parameters
    ----------
    template : Path
        The SAM template, parsed with samtranslator's ``yaml_parse`` (CloudFormation short tags allowed).
        ``CodeUri``/``ContentUri`` are relative to its folder, as for ``sam build``.
    repository_root : Path
        The folder git paths are relative to.

    Raises
    ------
    TemplateError
        A function has neither a local ``CodeUri`` (string) nor ``InlineCode``, or a location is outside the
        repository.
    """
    document: dict[str, Any] = yaml_parse(template.read_text())
    resources: dict[str, dict[str, Any]] = document.get("Resources") or {}
    global_code_uri = ((document.get("Globals") or {}).get("Function") or {}).get("CodeUri")
    root = repository_root.resolve()

    def local_path(logical_id: str, uri: object) -> PurePosixPath:
        if not isinstance(uri, str):
            # An S3 location or an intrinsic has no folder here to compare git paths with.
            raise TemplateError(f"{logical_id}: code location {uri!r} is not a local path")
        resolved = (template.parent / uri).resolve()
        if not resolved.is_relative_to(root):
            raise TemplateError(f"{logical_id}: {uri} is outside the repository {root}")
        return PurePosixPath(resolved.relative_to(root).as_posix())

    functions: dict[str, PurePosixPath | None] = {}
    shared = [local_path("template", str(template.name)), local_path("samconfig", SAM_CONFIG)]
    for logical_id, resource in resources.items():
        properties = resource.get("Properties") or {}
        if resource.get("Type") == FUNCTION_TYPE:
            if "InlineCode" in properties:
                functions[logical_id] = None
                continue
            code_uri = properties.get("CodeUri", global_code_uri)
            if code_uri is None:
                raise TemplateError(f"{logical_id}: no CodeUri (nor Globals.Function.CodeUri, nor InlineCode)")
            functions[logical_id] = local_path(logical_id, code_uri)
        elif resource.get("Type") == LAYER_TYPE:
            shared.append(local_path(logical_id, properties.get("ContentUri")))
    return TemplateSources(functions=functions, shared=tuple(shared))


def functions_to_deploy(paths: Iterable[str], sources: TemplateSources) -> list[str]:
    """Logical ids (sorted) of the functions that ``paths`` change.

    Parameters
    ----------
    paths : Iterable[str]
        Repository-relative POSIX paths, as ``git diff --name-only`` prints them; blank entries are ignored.
    sources : TemplateSources
        From :func:`read_template`.
    """
    changed = [PurePosixPath(path) for path in paths if path.strip()]
    if any(path.is_relative_to(shared) for path in changed for shared in sources.shared):
        return sorted(sources.functions)
    return sorted(
        logical_id
        for logical_id, code in sources.functions.items()
        if code is not None and any(path.is_relative_to(code) for path in changed)
    )


def changed_paths(base: str, head: str, repository_root: Path = REPOSITORY_ROOT) -> list[str]:
    """Paths that differ between two commits' trees (``git diff --name-only --no-renames base head``).

    ``--no-renames`` lists a moved file under its old and its new path, so moving code out of a function's folder
    deploys that function too.

    Raises
    ------
    UnknownRevisionError
        ``base`` or ``head`` does not name a commit in this clone.
    """
    for revision in (base, head):
        verify = ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"]
        if subprocess.run(verify, cwd=repository_root, capture_output=True, check=False).returncode != 0:  # noqa: S603
            raise UnknownRevisionError(f"{revision!r} is not a commit of this clone")
    diff = ["git", "diff", "--name-only", "--no-renames", "-z", base, head]
    output = subprocess.run(diff, cwd=repository_root, capture_output=True, check=True, text=True).stdout  # noqa: S603
    return [path for path in output.split("\0") if path]


def github_output_lines(functions: list[str]) -> str:
    """The ``name=value`` lines of GitHub's step-output file (one-line values, so no heredoc delimiter)."""
    return f"functions={json.dumps(functions)}\nnames={' '.join(functions)}\ncount={len(functions)}\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ci.changed_functions", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--base",
        metavar="REV",
        help="the deployed commit; paths come from git diff BASE HEAD. Empty: nothing deployed yet (all functions)",
    )
    source.add_argument("--stdin", action="store_true", help="read changed paths from standard input, one a line")
    source.add_argument("--all", action="store_true", help="every function (a first or forced deployment)")
    parser.add_argument("--head", default="HEAD", metavar="REV", help="the commit to deploy (default %(default)s)")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="default: the repository's")
    parser.add_argument("--repository-root", type=Path, default=REPOSITORY_ROOT, help="git work tree")
    parser.add_argument("--github-output", type=Path, metavar="FILE", help="append step outputs ($GITHUB_OUTPUT)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 on a template or git error)."""
    args = _parser().parse_args(argv)
    try:
        sources = read_template(args.template, args.repository_root)
        every_function = sorted(sources.functions)
        if args.all or args.base == "":
            functions = every_function
        elif args.stdin:
            functions = functions_to_deploy(sys.stdin.read().splitlines(), sources)
        else:
            try:
                functions = functions_to_deploy(changed_paths(args.base, args.head, args.repository_root), sources)
            except UnknownRevisionError as exc:
                # Deploying too much only publishes identical code again; deploying too little skips a change.
                print(f"changed_functions: {exc}; deploying every function", file=sys.stderr)
                functions = every_function
    except (ChangeDetectionError, subprocess.CalledProcessError, OSError) as exc:
        print(f"changed_functions: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"functions": functions, "all": functions == every_function}))
    if args.github_output:
        with args.github_output.open("a", encoding="utf-8") as output:
            output.write(github_output_lines(functions))
    return 0


if __name__ == "__main__":
    sys.exit(main())
