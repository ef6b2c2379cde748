"""The rules of tenants, members, access keys and roles, written against the ports in ``domain.ports``."""
