"""Fault-injection control endpoint; mounted only when the provider starts with ``--faults``."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from local.idp.faults import FaultKind
from local.idp.routes.deps import RuntimeDep

router = APIRouter(prefix="/_control", tags=["control"])


class FaultRequest(BaseModel):
    path: str = Field(description="Exact path or fnmatch pattern, e.g. /v1/mgmt/user/*")
    kind: FaultKind
    count: int = Field(1, ge=1)
    status: int = Field(500, ge=400, le=599)
    delay_s: float = Field(30.0, ge=0)
    retry_after_s: int = Field(1, ge=0)


@router.post("/faults", status_code=201)
async def add_fault(body: FaultRequest, runtime: RuntimeDep) -> dict[str, Any]:
    """Arm a fault for the next ``count`` matching calls."""
    runtime.faults.add(
        body.path, body.kind, count=body.count, status=body.status, delay_s=body.delay_s,
        retry_after_s=body.retry_after_s,
    )  # fmt: skip
    return {"faults": [vars(fault) for fault in runtime.faults.pending()]}


@router.delete("/faults")
async def clear_faults(runtime: RuntimeDep) -> dict[str, Any]:
    """Disarm every fault."""
    runtime.faults.clear()
    return {"faults": []}
