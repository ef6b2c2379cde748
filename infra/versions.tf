# Terraform and provider pins for the whole infra/ module. The AWS part (aws_*.tf) adds its provider here.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    # The jamescrowley321 fork: the official descope/descope provider has no standalone tenant, role or
    # permission resources (see README.md). Pinned exactly because it is a single-maintainer provider.
    descope = {
      source  = "jamescrowley321/descope"
      version = "= 1.2.2"
    }
    # aws_*.tf (WAF). Configured from the environment (AWS_REGION, credentials); 6.x has data.aws_region.region.
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
