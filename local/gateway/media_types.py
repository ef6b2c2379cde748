"""Media-type matching against API Gateway ``binaryMediaTypes``."""

from collections.abc import Iterable


def is_binary(header_value: str | None, binary_media_types: Iterable[str]) -> bool:
    """Tell whether a ``Content-Type`` or ``Accept`` value names a binary media type of the API.

    Parameters
    ----------
    header_value : str or None
        A header value; for ``Accept`` only the first media range counts, as in API Gateway.
    binary_media_types : Iterable[str]
        Patterns such as ``image/png``, ``image/*`` or ``*/*``.

    Returns
    -------
    bool
        ``False`` for a missing header.

    Notes
    -----
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html
    """
    if not header_value:
        return False
    media_type = header_value.split(",", 1)[0].split(";", 1)[0].strip().lower()
    main, _, sub = media_type.partition("/")
    for pattern in binary_media_types:
        pattern_main, _, pattern_sub = pattern.lower().partition("/")
        if pattern_main in ("*", main) and pattern_sub in ("*", sub):
            return True
    return False
