# Alarms the SAM DeploymentPreference of every function watches (by name) while it shifts traffic to a new
# version: any alarm in ALARM rolls the deployment back. Metrics are those of the `live` alias, so a canary's new
# version is judged on the traffic it actually serves. Names are the cross-slice contract:
# identity-stack-<stage>-<folder>-{errors,throttles,p99-duration} and identity-stack-<stage>-api-{5xx,latency}.
locals {
  # One per folder of functions/ (tests/infra checks it), each deployed as identity-stack-<stage>-<folder>.
  function_folders = ["health", "authorizer", "auth", "tenants", "roles", "attributes", "keys", "members"]
  api_name         = "${local.name_prefix}-api"
}

resource "aws_sns_topic" "alarms" {
  name              = "${local.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.data.arn
}

# Only this stage's alarms publish (CloudWatch, for alarms named identity-stack-<stage>-*, of this account); the
# account manages the topic and its subscriptions. Without it SNS's default policy lets every principal of the
# account publish.
resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarm_topic.json
}

data "aws_iam_policy_document" "alarm_topic" {
  statement {
    sid       = "StageAlarmsPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.arn_alarms]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid = "AccountManages"
    actions = [
      "sns:AddPermission",
      "sns:DeleteTopic",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:RemovePermission",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
    ]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = toset(local.function_folders)

  alarm_name          = "${local.name_prefix}-${each.key}-errors"
  alarm_description   = "Invocations of ${local.name_prefix}-${each.key}:live that raised (any in a minute)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.alarm_function_errors_per_minute
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = "${local.name_prefix}-${each.key}"
    Resource     = "${local.name_prefix}-${each.key}:live"
  }
}

resource "aws_cloudwatch_metric_alarm" "function_throttles" {
  for_each = toset(local.function_folders)

  alarm_name          = "${local.name_prefix}-${each.key}-throttles"
  alarm_description   = "Invocations of ${local.name_prefix}-${each.key}:live that Lambda throttled."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.alarm_function_throttles_per_minute
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = "${local.name_prefix}-${each.key}"
    Resource     = "${local.name_prefix}-${each.key}:live"
  }
}

resource "aws_cloudwatch_metric_alarm" "function_p99_duration" {
  for_each = toset(local.function_folders)

  alarm_name          = "${local.name_prefix}-${each.key}-p99-duration"
  alarm_description   = "p99 duration of ${local.name_prefix}-${each.key}:live above ${var.alarm_function_p99_duration_ms} ms in 2 of 3 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.alarm_function_p99_duration_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    FunctionName = "${local.name_prefix}-${each.key}"
    Resource     = "${local.name_prefix}-${each.key}:live"
  }
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.name_prefix}-api-5xx"
  alarm_description   = "5XX answers of ${local.api_name} (gateway- and function-made) in a minute."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = var.alarm_api_5xx_per_minute
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = local.api_name
  }
}

resource "aws_cloudwatch_metric_alarm" "api_latency" {
  alarm_name          = "${local.name_prefix}-api-latency"
  alarm_description   = "p99 latency of ${local.api_name} above ${var.alarm_api_p99_latency_ms} ms in 2 of 3 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = var.alarm_api_p99_latency_ms
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ApiName = local.api_name
  }
}

output "alarm_topic_arn" {
  description = "SNS topic of the stage's alarms (subscribe on-call here)."
  value       = aws_sns_topic.alarms.arn
}
