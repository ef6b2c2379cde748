"""Fixture ``fresh_idp`` for the members tests: the provider re-seeded and the suspension memory emptied."""

import pytest

from tests.fixtures.idp import LocalIdp


@pytest.fixture
def fresh_idp(fresh_idp: LocalIdp, no_suspensions: None) -> LocalIdp:
    """The provider re-seeded and no member suspended, before and after: these tests change memberships."""
    return fresh_idp
