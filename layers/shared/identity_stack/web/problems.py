"""RFC 9457 problem responses of a FastAPI app: the exception handlers and the response builder."""

import logging
import uuid
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from identity_stack.errors import PROBLEM_CONTENT_TYPE, InvalidRequestError, ProblemError
from identity_stack.web.correlation import CORRELATION_ID_HEADER, get_correlation_id, is_valid_correlation_id

logger = logging.getLogger(__name__)


def current_correlation_id(request: Request | None = None) -> str:
    """Correlation id for a response: the invocation's, else a valid request header, else a new UUID4."""
    correlation_id = get_correlation_id()
    if correlation_id:
        return correlation_id
    header = request.headers.get(CORRELATION_ID_HEADER) if request is not None else None
    return header if is_valid_correlation_id(header) else str(uuid.uuid4())


def problem_response(error: ProblemError, request: Request | None = None) -> JSONResponse:
    """Build the ``application/problem+json`` response for ``error``."""
    instance = request.url.path if request is not None else None
    body = error.to_problem(instance=instance, correlation_id=current_correlation_id(request))
    return JSONResponse(body, status_code=error.status_code, headers=error.headers, media_type=PROBLEM_CONTENT_TYPE)


def http_status_problem(status: int, headers: Mapping[str, str] | None = None) -> ProblemError:
    """A framework-raised HTTP error (404 no route, 405 wrong method) as a problem named after its status."""
    phrase = HTTPStatus(status).phrase
    error = ProblemError(headers=headers, status=status)
    error.code = phrase.lower().replace(" ", "-")
    error.title = phrase
    return error


async def _handle_problem(request: Request, exc: ProblemError) -> JSONResponse:
    if exc.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
        logger.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc, exc_info=exc.__cause__)
    return problem_response(exc, request)


async def _handle_http_status(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return problem_response(http_status_problem(exc.status_code, exc.headers), request)


async def _handle_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Only location, message and type: pydantic's `input` and `ctx` would echo the caller's data back.
    errors = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    error = InvalidRequestError("The request is not valid.", status=422, errors=errors)
    return problem_response(error, request)


async def _handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(ProblemError(), request)


def add_problem_handlers(app: FastAPI) -> None:
    """Render every error of ``app`` as RFC 9457 problem details.

    Parameters
    ----------
    app : FastAPI
        Gets handlers for :class:`ProblemError` (and subclasses), framework HTTP errors (404, 405), request
        validation errors (422 with ``errors``: ``loc``/``msg``/``type`` only) and any other exception (a generic
        500 that names nothing internal). Idempotent.
    """
    # The mapping add_exception_handler writes to, typed by FastAPI with the handler's exception as Any: Starlette
    # types every handler as taking any Exception, although it calls each only with its own class.
    app.exception_handlers.update(
        {
            ProblemError: _handle_problem,
            StarletteHTTPException: _handle_http_status,
            RequestValidationError: _handle_validation,
            Exception: _handle_unexpected,
        }
    )
