# terraform plan -var-file=environments/prod.tfvars -var descope_project_id=P...
descope_project_name = "identity-stack"
environment          = "prod"
# Replace with the SPA's production origin(s); loopback URLs must never be approved in production.
spa_redirect_urls = ["https://app.example.com"]

session_token_expiration            = "10 minutes"
refresh_token_expiration            = "4 weeks"
enable_inactivity                   = true
inactivity_time                     = "30 minutes"
access_key_session_token_expiration = "3 minutes"
