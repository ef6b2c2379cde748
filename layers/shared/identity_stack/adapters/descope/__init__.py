"""The Descope management API behind the identity-provider port."""
