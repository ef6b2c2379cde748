"""HTTP routes of the local identity provider, one module per API family."""
