"""A Terraform root directory read with python-hcl2, for the infra tests: its blocks by kind and name, and the
few plain references (``${local.x}``, ``${var.x}``, ``${each.key}``) a test needs to substitute."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
_PLAIN_REFERENCE = re.compile(r"\$\{([a-z_]+\.[A-Za-z0-9_]+)\}")


def load_hcl(path: Path) -> dict[str, Any]:
    """One ``.tf``, ``.tfvars`` or ``.tfbackend`` file as python-hcl2's dictionary."""
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


@dataclass
class Module:
    """Every ``*.tf`` file of one directory, merged."""

    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    terraform: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read(cls, directory: Path) -> "Module":
        """Parse ``directory/*.tf`` (not subdirectories: each is a root of its own)."""
        module = cls()
        for path in sorted(directory.glob("*.tf")):
            document = load_hcl(path)
            for kind, target in (("resource", module.resources), ("data", module.data)):
                for block in document.get(kind, []):
                    for type_name, named in block.items():
                        target.setdefault(type_name, {}).update(named)
            for block in document.get("locals", []):
                module.locals.update(block)
            for block in document.get("variable", []):
                module.variables.update(block)
            for block in document.get("output", []):
                module.outputs.update(block)
            module.terraform.extend(document.get("terraform", []))
        return module

    def resource(self, type_name: str, name: str) -> dict[str, Any]:
        """The body of ``resource "<type_name>" "<name>"``; KeyError when absent."""
        return self.resources[type_name][name]

    def policy(self, name: str) -> list[dict[str, Any]]:
        """The statements of ``data "aws_iam_policy_document" "<name>"``."""
        return self.data["aws_iam_policy_document"][name]["statement"]

    def value(self, item: Any) -> Any:
        """``item``, or the default of the variable it names (``${var.x}``)."""
        if isinstance(item, str) and item.startswith("${var.") and item.endswith("}"):
            return self.variables[item[len("${var.") : -1]].get("default")
        return item

    def substitute(self, text: str, bindings: Mapping[str, str]) -> str:
        """Replace plain references in ``text``: ``bindings`` first (``var.environment``, ``each.key``), then
        locals whose value is itself such a string, until none is left that can be replaced."""

        def replace(match: re.Match[str]) -> str:
            name = match[1]
            if name in bindings:
                return bindings[name]
            local = self.locals.get(name.removeprefix("local.")) if name.startswith("local.") else None
            return self.substitute(local, bindings) if isinstance(local, str) else match[0]

        return _PLAIN_REFERENCE.sub(replace, text)


def condition(statement: dict[str, Any], test: str, variable: str) -> list[Any] | None:
    """Values of the statement's ``condition`` block with this test and variable, or None."""
    for block in statement.get("condition", []):
        if block["test"] == test and block["variable"] == variable:
            return block["values"]
    return None
