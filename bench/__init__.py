"""On-demand benchmarks of the Lambda functions: cold starts and the warm request path (results in README.md)."""
