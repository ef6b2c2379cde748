"""The stand-in handlers the floors were measured on (bench/README.md), rebuilt so today's runs give the same ratios.

Each stand-in is a folder with one ``app.py`` exporting ``handler``, loaded like a function folder:

* ``fastapi_mangum`` (a): FastAPI + Mangum (lifespan off) + Powertools Logger + one header middleware, one async route;
* ``powertools_resolver`` (b): the same with Powertools' ``APIGatewayRestResolver`` instead of FastAPI + Mangum;
* ``eager_imports`` (c): (a) plus ``import descope`` and ``import py_identity_model`` at module top.

Every one answers ``GET /api/health``.
"""
