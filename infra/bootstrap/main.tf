# The Terraform state bucket of this AWS account, applied once per account with local state, before any stage:
#   AWS_REGION=us-east-1 terraform -chdir=infra/bootstrap init && terraform -chdir=infra/bootstrap apply
# Every stage of infra/ keeps its state here under its own key (infra/environments/<stage>.s3.tfbackend), locked
# by the S3 backend's lock file (use_lockfile). State holds secrets (the Descope access keys' cleartext), hence the
# KMS key, the private bucket, TLS only and kept versions to recover a broken state.
terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  default_tags {
    tags = {
      Project   = "identity-stack"
      ManagedBy = "terraform"
    }
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days an overwritten state version is kept (to roll a broken state back)."
  type        = number
  default     = 90
}

variable "break_glass_admin_arns" {
  description = "IAM principal ARNs (ArnLike patterns, e.g. an SSO administrator role's) that may read and write the state besides the stages' Terraform apply and plan roles: whoever runs infra/ by hand."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.break_glass_admin_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:", arn))])
    error_message = "break_glass_admin_arns are IAM ARNs of this account: arn:aws:iam::<account id>:role/<name>."
  }
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # infra/aws_github_oidc.tf derives the same name (the plan role reads its stage's state).
  state_bucket_name = "identity-stack-tfstate-${local.account_id}"

  # The only principals that may touch the state objects and use the state key: each stage's apply role
  # (github.tf), its plan role (infra/aws_github_oidc.tf, read only by its own policy) and the break-glass admins.
  state_principal_arns = concat(
    [for stage in sort(var.stages) : "${local.arn_iam}:role/identity-stack-terraform-${stage}"],
    [for stage in sort(var.stages) : "${local.arn_iam}:role/identity-stack-github-plan-${stage}"],
    var.break_glass_admin_arns,
  )
}

# Like the AWS managed aws/s3 key, principals use it only through S3, and only the state's principals
# (local.state_principal_arns, as in the bucket policy). In a key policy "Resource": "*" means this key.
resource "aws_kms_key" "state" {
  description             = "Encrypts the Terraform state of identity-stack."
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30

  policy = data.aws_iam_policy_document.state_key.json

  # Destroying the key would make everything it encrypted unreadable (the table outlives any stack).
  lifecycle {
    prevent_destroy = true
  }
}

data "aws_iam_policy_document" "state_key" {
  #checkov:skip=CKV_AWS_109:A key policy: resources = ["*"] is this key, and the account root must administer it (AWS KMS default key policy).
  #checkov:skip=CKV_AWS_111:A key policy: resources = ["*"] is this key; use is limited by kms:ViaService and kms:CallerAccount.
  #checkov:skip=CKV_AWS_356:A key policy: resources = ["*"] is this key, nothing else.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AccountUsesThroughS3"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = local.state_principal_arns
    }
  }
}

resource "aws_kms_alias" "state" {
  name          = "alias/identity-stack-terraform-state"
  target_key_id = aws_kms_key.state.key_id
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_18:CloudTrail records access to the state; server access logs would need a log bucket of their own.
  #checkov:skip=CKV_AWS_144:Versions protect the state; a replica in another region is left to the account's backup policy.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to state writes; event notifications would have no consumer.
  bucket = local.state_bucket_name

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # State holds secrets (the dev demo access keys): no one but the state's principals reads or writes an object,
  # whatever their IAM policies allow (an account administrator too, unless listed in break_glass_admin_arns).
  statement {
    sid       = "DenyObjectsToOthers"
    effect    = "Deny"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.state_principal_arns
    }
  }

  # A writer that asks for another encryption (e.g. the backend's `encrypt = true`, which means SSE-S3) is refused
  # instead of silently weakening the state's encryption; writes without the header get the bucket's KMS default.
  statement {
    sid       = "DenyOtherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }
}

output "state_bucket" {
  description = "Bucket for infra/'s backend (terraform init -backend-config=bucket=...)."
  value       = aws_s3_bucket.state.bucket
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the state."
  value       = aws_kms_key.state.arn
}
