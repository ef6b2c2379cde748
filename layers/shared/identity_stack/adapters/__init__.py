"""The ports' implementations: Descope, DynamoDB and API Gateway."""
