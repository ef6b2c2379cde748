# terraform -chdir=infra plan -var-file=environments/prod.tfvars -var descope_project_id=P... -var github_repository=owner/name
# Applied with credentials of prod's own AWS account: one AWS account per stage (infra/README.md).
# The prod SPA is served on its CloudFront domain; to serve it on a custom domain set spa_origin = "https://<host>"
# and spa_certificate_arn (an ACM certificate in us-east-1), which also admits TLS 1.2+ only.
environment          = "prod"
descope_project_name = "identity-stack"
create_demo_data     = false

session_token_expiration            = "10 minutes"
refresh_token_expiration            = "4 weeks"
enable_inactivity                   = true
inactivity_time                     = "30 minutes"
access_key_session_token_expiration = "3 minutes"
