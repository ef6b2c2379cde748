# Terraform and provider pins for the whole infra/ module.
terraform {
  # 1.10: the S3 backend's native lock file (use_lockfile); 1.9: variable validations that name other variables.
  required_version = ">= 1.10.0"

  # Partial configuration: environments/<stage>.s3.tfbackend holds the stage's key, the bucket is passed by
  # `terraform init -backend-config=bucket=...` (its name carries the account id; see README.md "Bootstrap").
  backend "s3" {}

  required_providers {
    # The jamescrowley321 fork: the official descope/descope provider has no standalone tenant, role or
    # permission resources (see README.md). Pinned exactly because it is a single-maintainer provider.
    descope = {
      source  = "jamescrowley321/descope"
      version = "= 1.2.2"
    }
    # aws_*.tf. Configured from the environment (AWS_REGION, credentials); 6.x has data.aws_region.region.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
