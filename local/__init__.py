"""Offline local stack: identity provider, API Gateway emulator and AWS (moto) start-up; never deployed."""
