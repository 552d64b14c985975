# Adapted from cloudposse/terraform-aws-rds-cloudwatch-sns-alarms, alarms.tf
# Copyright 2017-2018 Cloud Posse, LLC - Apache License 2.0
# Changes by Oakfield Data: trimmed to three alarms; for_each over instance ids replaced by the single
# instance orchardlane-orders-db; thresholds/period set for this customer (values below); README rationale table copied into guide G-05.

resource "aws_cloudwatch_metric_alarm" "cpu_utilization_too_high" {
  alarm_name          = "orchardlane-orders-db-cpu_utilization_too_high"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "CPUUtilization"
  namespace           = "AWS/RDS"
  period              = 600
  statistic           = "Average"
  threshold           = 80
  alarm_description   = "Average database CPU utilization over last 10 minutes too high"
  alarm_actions       = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]
  ok_actions          = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]

  dimensions = {
    DBInstanceIdentifier = "orchardlane-orders-db"
  }
}

resource "aws_cloudwatch_metric_alarm" "freeable_memory_too_low" {
  alarm_name          = "orchardlane-orders-db-freeable_memory_too_low"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = 1
  metric_name         = "FreeableMemory"
  namespace           = "AWS/RDS"
  period              = 600
  statistic           = "Average"
  threshold           = 64000000
  alarm_description   = "Average database freeable memory over last 10 minutes too low, performance may suffer"
  alarm_actions       = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]
  ok_actions          = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]

  dimensions = {
    DBInstanceIdentifier = "orchardlane-orders-db"
  }
}

resource "aws_cloudwatch_metric_alarm" "free_storage_space_too_low" {
  alarm_name          = "orchardlane-orders-db-free_storage_space_threshold"
  comparison_operator = "LessThanThreshold"
  evaluation_periods  = 1
  metric_name         = "FreeStorageSpace"
  namespace           = "AWS/RDS"
  period              = 600
  statistic           = "Average"
  threshold           = 2000000000
  alarm_description   = "Average database free storage space over last 10 minutes too low"
  alarm_actions       = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]
  ok_actions          = ["arn:aws:sns:eu-west-2:246813579024:orchardlane-oncall-critical"]

  dimensions = {
    DBInstanceIdentifier = "orchardlane-orders-db"
  }
}
