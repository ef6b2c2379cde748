"""Scripts the GitHub Actions workflows run (and the tests under tests/ci check)."""
