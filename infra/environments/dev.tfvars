# terraform -chdir=infra plan -var-file=environments/dev.tfvars -var descope_project_id=P... -var github_repository=owner/name
# Applied with credentials of dev's own AWS account: one AWS account per stage (infra/README.md).
# Everything else of the dev stage is here; its SPA origin is the CloudFront domain Terraform creates.
environment          = "dev"
descope_project_name = "identity-stack-dev"
create_demo_data     = true
# Developers run the SPA on their machine against the dev project (the SPA redirects to its own origin).
spa_extra_redirect_urls = ["http://localhost:3000", "http://127.0.0.1:3000"]

session_token_expiration            = "10 minutes"
refresh_token_expiration            = "4 weeks"
enable_inactivity                   = true
inactivity_time                     = "30 minutes"
access_key_session_token_expiration = "3 minutes"
