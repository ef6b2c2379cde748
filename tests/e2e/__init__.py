"""Browser end-to-end tests (a package, so package-scoped fixtures end with this folder)."""
