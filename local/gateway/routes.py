"""Route a request to an API method the way API Gateway REST APIs pick a resource, then a method."""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from local.gateway.api import ANY_METHOD, Method
from local.gateway.errors import TemplateError


class _SegmentKind(enum.IntEnum):
    """How a resource path segment matches; a lower value is more specific and wins."""

    STATIC = 0
    PARAMETER = 1
    GREEDY = 2


@dataclass(frozen=True)
class _Segment:
    kind: _SegmentKind
    text: str  # the literal, or the parameter's name


@dataclass(frozen=True)
class RouteMatch:
    """A matched method and the path parameters taken from the request path (percent-decoded)."""

    method: Method
    path_parameters: dict[str, str]


class RouteTable:
    """API resources with their methods.

    Resource selection follows API Gateway: a static segment beats ``{param}``, which beats a greedy ``{name+}``,
    comparing segments from the left; ``{name+}`` needs at least one segment, so it never matches its parent path.
    The method is then the request's verb, else ``ANY``. A path with no resource, or a resource without that method,
    has no match (API Gateway answers 403 "Missing Authentication Token").

    Parameters
    ----------
    methods : Iterable[Method]
        Every method of the API.

    Raises
    ------
    TemplateError
        A greedy segment that is not the last one.
    """

    def __init__(self, methods: Iterable[Method]) -> None:
        self._methods: dict[str, dict[str, Method]] = {}
        for method in methods:
            self._methods.setdefault(method.resource_path, {})[method.http_method] = method
        self._patterns = {path: _parse_resource_path(path) for path in self._methods}

    def match(self, http_method: str, raw_path: str) -> RouteMatch | None:
        """Find the method serving ``http_method`` on ``raw_path`` (percent-encoded, no query string)."""
        segments = [unquote(part) for part in raw_path.split("/") if part]
        candidates = [
            (score, path, parameters)
            for path, pattern in self._patterns.items()
            if (matched := _match_segments(pattern, segments)) is not None
            for score, parameters in [matched]
        ]
        if not candidates:
            return None
        _, path, parameters = min(candidates, key=lambda candidate: candidate[0])
        methods = self._methods[path]
        method = methods.get(http_method.upper()) or methods.get(ANY_METHOD)
        return RouteMatch(method, parameters) if method else None


def _parse_resource_path(path: str) -> tuple[_Segment, ...]:
    segments = []
    parts = [part for part in path.split("/") if part]
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            if index != len(parts) - 1:
                raise TemplateError(f"{path}: a greedy path variable must be the last segment")
            segments.append(_Segment(_SegmentKind.GREEDY, part[1:-2]))
        elif part.startswith("{") and part.endswith("}"):
            segments.append(_Segment(_SegmentKind.PARAMETER, part[1:-1]))
        else:
            segments.append(_Segment(_SegmentKind.STATIC, part))
    return tuple(segments)


def _match_segments(
    pattern: tuple[_Segment, ...], segments: list[str]
) -> tuple[tuple[_SegmentKind, ...], dict[str, str]] | None:
    parameters: dict[str, str] = {}
    for index, segment in enumerate(pattern):
        if segment.kind is _SegmentKind.GREEDY:
            if index >= len(segments):
                return None
            parameters[segment.text] = "/".join(segments[index:])
            return tuple(part.kind for part in pattern), parameters
        if index >= len(segments):
            return None
        if segment.kind is _SegmentKind.STATIC and segment.text != segments[index]:
            return None
        if segment.kind is _SegmentKind.PARAMETER:
            parameters[segment.text] = segments[index]
    if len(pattern) != len(segments):
        return None
    return tuple(part.kind for part in pattern), parameters
