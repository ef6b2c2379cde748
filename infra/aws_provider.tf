# The AWS provider, configured from the environment (AWS_REGION, credentials from OIDC or a profile), and the names
# every aws_*.tf file builds on. The stage's resources are all named "identity-stack-<stage>-..." so that the
# deploy role (aws_github_oidc.tf) can be limited to them by prefix.
provider "aws" {
  default_tags {
    tags = {
      Project     = "identity-stack"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  name_prefix = "identity-stack-${var.environment}"
  account_id  = data.aws_caller_identity.current.account_id
  region      = data.aws_region.current.region
  partition   = data.aws_partition.current.partition
  # The SAM stack of this stage (samconfig.toml stack_name); its API, functions, layer and roles carry this prefix.
  sam_stack_name = local.name_prefix
}
