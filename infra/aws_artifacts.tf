# The bucket `sam deploy --s3-bucket` uploads the built code and templates to (SSM deploy/artifacts-bucket).
# Lambda copies a package when a version is created, so old objects are only needed to redeploy an old build.
# The default encryption is the stage's data key; `sam deploy` asks for SSE-S3 on its own uploads unless given
# --kms-key-id (samcli/lib/package/s3_uploader.py), which is encryption at rest too and needs no KMS permission.
resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_18:Only the deploy role writes here and CloudTrail records it; access logs would need a log bucket of their own.
  #checkov:skip=CKV_AWS_144:Build output, rebuilt from git on demand; a replica in another region protects nothing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads; event notifications would have no consumer.
  bucket = "${local.name_prefix}-artifacts-${local.account_id}"
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-old-builds"
    status = "Enabled"

    filter {}

    # sam deploy checks for an object before skipping its upload, so an expired package is simply uploaded again.
    expiration {
      days = var.artifacts_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifacts_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

data "aws_iam_policy_document" "artifacts_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

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
}

output "artifacts_bucket" {
  description = "SAM artifacts bucket (sam deploy --s3-bucket)."
  value       = aws_s3_bucket.artifacts.bucket
}
