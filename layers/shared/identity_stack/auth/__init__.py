"""Token validation, the principal and permission-based RBAC: pure Python, no web framework."""
