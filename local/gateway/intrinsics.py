"""Evaluate the CloudFormation intrinsic functions left in a SAM-translated template, with local values."""

import re
from collections.abc import Callable, Mapping
from typing import Any

from local.gateway.errors import TemplateError

NO_VALUE = "AWS::NoValue"
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _Removed:
    """Marker for ``Ref: AWS::NoValue``: the enclosing key or list item disappears."""


REMOVED = _Removed()


class IntrinsicResolver:
    """Resolve ``Ref``, ``Fn::Sub``, ``Fn::GetAtt``, ``Fn::Join``, ``Fn::Select``, ``Fn::If`` and conditions.

    CloudFormation, not the SAM translator, evaluates these at deploy time; locally the references resolve to the
    values the local stack uses (template parameters with overrides, pseudo parameters, resource names and ARNs).

    Parameters
    ----------
    refs : Mapping[str, str]
        Value of ``Ref: <name>`` for parameters, pseudo parameters and resources.
    attributes : Mapping[str, str]
        Value of ``Fn::GetAtt: [<resource>, <attribute>]``, keyed ``"<resource>.<attribute>"``.
    conditions : Mapping[str, Any]
        The template's ``Conditions`` section, evaluated on first use.

    Notes
    -----
    Semantics follow the CloudFormation intrinsic function reference
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
    An intrinsic this class does not know raises ``TemplateError`` rather than passing through unresolved.
    """

    def __init__(self, refs: Mapping[str, str], attributes: Mapping[str, str], conditions: Mapping[str, Any]) -> None:
        self._refs = refs
        self._attributes = attributes
        self._conditions = conditions
        self._condition_values: dict[str, bool] = {}
        self._functions: dict[str, Callable[[Any], Any]] = {
            "Ref": self._ref,
            "Fn::Sub": self._sub,
            "Fn::GetAtt": self._get_att,
            "Fn::Join": self._join,
            "Fn::Select": self._select,
            "Fn::If": self._if,
            "Fn::Equals": self._equals,
            "Fn::Not": lambda args: not self._boolean(args[0]),
            "Fn::And": lambda args: all(self._boolean(arg) for arg in args),
            "Fn::Or": lambda args: any(self._boolean(arg) for arg in args),
            "Condition": self.condition,
        }

    def resolve(self, value: Any) -> Any:
        """Return ``value`` with every intrinsic replaced by its local value.

        Raises
        ------
        TemplateError
            An unknown intrinsic, reference, attribute or condition.
        """
        resolved = self._resolve(value)
        return None if resolved is REMOVED else resolved

    def condition(self, name: str) -> bool:
        """Evaluate the template condition ``name`` (cached, as CloudFormation evaluates each once)."""
        if name not in self._condition_values:
            if name not in self._conditions:
                raise TemplateError(f"unknown condition {name!r}")
            self._condition_values[name] = self._boolean(self._conditions[name])
        return self._condition_values[name]

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [item for item in map(self._resolve, value) if item is not REMOVED]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key in self._functions:
                return self._functions[key](argument)
            if key.startswith("Fn::"):
                raise TemplateError(f"intrinsic {key} is not supported by the local gateway")
        resolved = {key: self._resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not REMOVED}

    def _boolean(self, value: Any) -> bool:
        result = self._resolve(value)
        if not isinstance(result, bool):
            raise TemplateError(f"condition did not evaluate to a boolean: {value!r}")
        return result

    def _ref(self, name: str) -> Any:
        if name == NO_VALUE:
            return REMOVED
        if name not in self._refs:
            raise TemplateError(f"unresolvable Ref {name!r}")
        return self._refs[name]

    def _get_att(self, argument: str | list[str]) -> str:
        resource, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
        key = f"{resource}.{self._resolve(attribute)}"
        if key not in self._attributes:
            raise TemplateError(f"unresolvable Fn::GetAtt {key!r}")
        return self._attributes[key]

    def _sub(self, argument: str | list[Any]) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        local_values = {name: self._resolve(value) for name, value in variables.items()}

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in local_values:
                return str(local_values[name])
            if "." in name:
                return self._get_att(name)
            return str(self._ref(name))

        return _SUB_VARIABLE.sub(substitute, text)

    def _join(self, argument: list[Any]) -> str:
        delimiter, items = argument
        return str(delimiter).join(str(item) for item in self._resolve(items))

    def _select(self, argument: list[Any]) -> Any:
        index, items = argument
        return self._resolve(items)[int(self._resolve(index))]

    def _if(self, argument: list[Any]) -> Any:
        name, when_true, when_false = argument
        return self._resolve(when_true if self.condition(name) else when_false)

    def _equals(self, argument: list[Any]) -> bool:
        left, right = (self._resolve(item) for item in argument)
        return bool(left == right)
