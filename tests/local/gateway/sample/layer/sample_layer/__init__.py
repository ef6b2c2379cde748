"""Layer of the sample API: module-level state that shows whether two functions share one copy."""

CALLS: list[str] = []


def record(caller: str) -> dict[str, int]:
    """Count a call from ``caller``; returns this copy's identity and its call count."""
    CALLS.append(caller)
    return {"copy_id": id(CALLS), "calls": len(CALLS)}
