# terraform plan -var-file=environments/dev.tfvars -var descope_project_id=P...
descope_project_name = "identity-stack-dev"
environment          = "dev"
spa_redirect_urls    = ["http://localhost:3000", "http://127.0.0.1:3000"]

session_token_expiration            = "10 minutes"
refresh_token_expiration            = "4 weeks"
enable_inactivity                   = true
inactivity_time                     = "30 minutes"
access_key_session_token_expiration = "3 minutes"
