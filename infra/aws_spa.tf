# SPA hosting: a private bucket that only this stage's CloudFront distribution may read (Origin Access Control),
# client-side routes answered with /index.html, and the API's security headers on every response.
#
# One source of truth for the headers: local.content_security_policy feeds both the response headers policy below
# and SSM api/csp, which template.yaml reads as CspPolicy (the functions' CSP_POLICY and the gateway responses).
# The other values are the layer's SECURITY_HEADERS and HSTS_VALUE (layers/shared/identity_stack/headers.py);
# tests/infra/test_aws_terraform.py checks that they are equal.

data "aws_cloudfront_cache_policy" "caching_optimized" {
  name = "Managed-CachingOptimized"
}

locals {
  # The API's origin: a custom domain if one is configured, else any REST API of this region (the API id is SAM's,
  # created after this apply, so it cannot be named here; CORS on the API still admits only local.spa_origin).
  api_origin = var.api_domain_name == null ? "https://*.execute-api.${local.region}.amazonaws.com" : "https://${var.api_domain_name}"

  # What the SPA (frontend/) loads: its own bundle; styles injected at runtime by sonner and Radix (<style>
  # elements, hence 'unsafe-inline' for styles only); fetches to the API and to the issuer (discovery, token and
  # JWKS endpoints of oidc-client-ts). The authorization request is a top-level navigation, which CSP does not
  # restrict. The API sends the same policy on its JSON answers, where it is inert but harmless.
  csp_directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' ${local.api_origin} ${var.descope_base_url}",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
  content_security_policy = join("; ", local.csp_directives)

  # HSTS on the same stages as the API (template.yaml IsProduction: the prod stage's EnvironmentName is production).
  hsts_enabled = var.environment == "prod"

  spa_custom_domain = var.spa_origin == null ? null : trimprefix(var.spa_origin, "https://")
  # The one allowed origin: CORS (SSM api/allowed-origin) and the Descope redirect URIs (descope_project.tf).
  spa_origin = coalesce(var.spa_origin, "https://${aws_cloudfront_distribution.spa.domain_name}")
}

resource "aws_s3_bucket" "spa" {
  #checkov:skip=CKV_AWS_18:The files are public through CloudFront; CloudTrail records every write and the distribution's metrics show reads.
  #checkov:skip=CKV_AWS_144:The build is reproducible from git; a replica in another region protects nothing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads; event notifications would have no consumer.
  #checkov:skip=CKV_AWS_145:Every object is served to every browser; SSE-KMS would need the key to trust CloudFront and adds a KMS call per cache miss for no confidentiality gain (SSE-S3 below).
  bucket = "${local.name_prefix}-spa-${local.account_id}"
}

resource "aws_s3_bucket_versioning" "spa" {
  bucket = aws_s3_bucket.spa.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "spa" {
  bucket = aws_s3_bucket.spa.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "spa" {
  bucket                  = aws_s3_bucket.spa.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "spa" {
  bucket = aws_s3_bucket.spa.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "spa" {
  bucket = aws_s3_bucket.spa.id

  rule {
    id     = "expire-replaced-files"
    status = "Enabled"

    filter {}

    # Versions replaced by a deploy stay long enough to roll the SPA back by hand.
    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_policy" "spa" {
  bucket = aws_s3_bucket.spa.id
  policy = data.aws_iam_policy_document.spa_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.spa]
}

data "aws_iam_policy_document" "spa_bucket" {
  statement {
    sid       = "CloudFrontReadsThroughOac"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.spa.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.spa.arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.spa.arn, "${aws_s3_bucket.spa.arn}/*"]

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

resource "aws_cloudfront_origin_access_control" "spa" {
  name                              = "${local.name_prefix}-spa"
  description                       = "CloudFront reads the SPA bucket of ${local.name_prefix}."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "spa" {
  #checkov:skip=CKV_AWS_259:HSTS is sent in prod (the dynamic block below), on the same stages as the API (headers.py, template IsProduction), so the SPA and the API never disagree.
  name    = "${local.name_prefix}-spa-security-headers"
  comment = "The API's security headers and CSP (infra/aws_spa.tf)."

  security_headers_config {
    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    # protection = false sends "X-XSS-Protection: 0" (OWASP: the legacy auditor enabled cross-site leaks).
    xss_protection {
      protection = false
      override   = true
    }

    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }

    dynamic "strict_transport_security" {
      for_each = local.hsts_enabled ? [true] : []

      content {
        access_control_max_age_sec = 31536000
        include_subdomains         = true
        preload                    = false
        override                   = true
      }
    }
  }
}

resource "aws_cloudfront_distribution" "spa" {
  #checkov:skip=CKV_AWS_68:Static files only: the API, where requests do something, has its own WAF (aws_waf.tf); a CLOUDFRONT-scope ACL must live in us-east-1 and costs per stage.
  #checkov:skip=CKV2_AWS_47:Same as CKV_AWS_68: no WAF on the static distribution; the API's ACL carries the Log4j rules.
  #checkov:skip=CKV_AWS_86:Standard logging needs an ACL-enabled log bucket; CloudFront's metrics cover a static site.
  #checkov:skip=CKV_AWS_310:One origin by design: a failover origin would be a second copy of the same build.
  #checkov:skip=CKV_AWS_374:The SPA serves its tenants wherever they are; no geo restriction.
  enabled             = true
  comment             = "SPA of ${local.name_prefix}"
  default_root_object = "index.html"
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  price_class         = var.spa_price_class
  aliases             = local.spa_custom_domain == null ? [] : [local.spa_custom_domain]

  origin {
    origin_id                = "spa-bucket"
    domain_name              = aws_s3_bucket.spa.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.spa.id
  }

  default_cache_behavior {
    target_origin_id           = "spa-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.spa.id
  }

  # Client-side routes (/members, /roles, ...) are not objects: S3 answers 403 (OAC may not list the bucket) or
  # 404, and the SPA's index.html takes over with 200.
  custom_error_response {
    error_code            = 403
    response_code         = 200
    response_page_path    = "/index.html"
    error_caching_min_ttl = 10
  }

  custom_error_response {
    error_code            = 404
    response_code         = 200
    response_page_path    = "/index.html"
    error_caching_min_ttl = 10
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  # With a custom domain (spa_origin) viewers need TLS 1.2 or later. On the *.cloudfront.net name CloudFront
  # applies its own policy whatever is set here (so the minimum is left unset rather than drift on every plan).
  viewer_certificate {
    cloudfront_default_certificate = var.spa_certificate_arn == null
    acm_certificate_arn            = var.spa_certificate_arn
    ssl_support_method             = var.spa_certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.spa_certificate_arn == null ? null : "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = (var.spa_origin == null) == (var.spa_certificate_arn == null)
      error_message = "spa_origin and spa_certificate_arn go together: a custom domain needs its ACM certificate (us-east-1)."
    }
  }
}

output "spa_origin" {
  description = "The SPA's origin: CORS allowed origin and Descope redirect URI."
  value       = local.spa_origin
}

output "spa_bucket" {
  description = "Bucket the deploy workflow uploads frontend/dist to."
  value       = aws_s3_bucket.spa.bucket
}

output "spa_distribution_id" {
  description = "CloudFront distribution to invalidate after an upload."
  value       = aws_cloudfront_distribution.spa.id
}
