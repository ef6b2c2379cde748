"""The single DynamoDB table behind the store ports."""
