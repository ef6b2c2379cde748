"""Liveness of the API: status and version, nothing else."""

from typing import Literal

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from identity_stack import make_handler
from identity_stack.config import get_settings


class Health(BaseModel):
    status: Literal["ok"]
    version: str


router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health")
async def read_health() -> Health:
    """Report that the function answers, and which version is deployed."""
    return Health(status="ok", version=get_settings().app_version)


app = FastAPI(title="health", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(app)
