# Excerpt - adapted from cloudposse/terraform-aws-rds-cloudwatch-sns-alarms alarms.tf (Apache License 2.0)
locals {
  thresholds = {
    CPUUtilizationThreshold   = min(max(var.cpu_utilization_threshold, 0), 100)
    FreeableMemoryThreshold   = max(var.freeable_memory_threshold, 0)
    FreeStorageSpaceThreshold = max(var.free_storage_space_threshold, 0)
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu_utilization_too_high" {
  for_each            = var.db_instance_ids
  alarm_name          = "${var.name_prefix}${each.value}-cpu_utilization_too_high"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = var.evaluation_periods
  metric_name         = "CPUUtilization"
  namespace           = "AWS/RDS"
  period              = var.period
  statistic           = "Average"
  threshold           = local.thresholds["CPUUtilizationThreshold"]
  alarm_description   = "Average database CPU utilization over last ${var.period / 60} minutes too high"
  alarm_actions       = [var.aws_sns_topic_arn]
  ok_actions          = [var.aws_sns_topic_arn]

  dimensions = {
    DBInstanceIdentifier = each.value
  }
}

resource "aws_cloudwatch_metric_alarm" "freeable_memory_too_low" {
  for_each            = var.db_instance_ids
  alarm_name          = "${var.name_prefix}${each.value}-freeable_memory_too_low"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = var.evaluation_periods
  metric_name         = "FreeableMemory"
  namespace           = "AWS/RDS"
  period              = var.period
  statistic           = "Average"
  threshold           = local.thresholds["FreeableMemoryThreshold"]
  alarm_description   = "Average database freeable memory over last ${var.period / 60} minutes too low, performance may suffer"
  alarm_actions       = [var.aws_sns_topic_arn]
  ok_actions          = [var.aws_sns_topic_arn]

  dimensions = {
    DBInstanceIdentifier = each.value
  }
}

resource "aws_cloudwatch_metric_alarm" "free_storage_space_too_low" {
  for_each            = var.db_instance_ids
  alarm_name          = "${var.name_prefix}${each.value}-free_storage_space_threshold"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = var.evaluation_periods
  datapoints_to_alarm = var.datapoints_to_alarm
  metric_name         = "FreeStorageSpace"
  namespace           = "AWS/RDS"
  period              = var.period
  statistic           = "Average"
  threshold           = local.thresholds["FreeStorageSpaceThreshold"]
  alarm_description   = "Average database free storage space over last ${var.period / 60} minutes too low"
  alarm_actions       = [var.aws_sns_topic_arn]
  ok_actions          = [var.aws_sns_topic_arn]

  dimensions = {
    DBInstanceIdentifier = each.value
  }
}
