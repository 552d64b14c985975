# Adapted from terraform-aws-modules/terraform-aws-iam,
# examples/iam-assumable-role-with-saml/main.tf - Apache License 2.0
# Changes by Brightwater: second SAML provider removed; provider renamed to the customer's Entra ID;
# role name, session length and the attached policy replaced (the example attached
# AmazonEKS_CNI_Policy); a second role for the deploy pipeline added below.

provider "aws" {
  region = "eu-west-2"
}

resource "aws_iam_saml_provider" "idp_saml" {
  name                   = "redwing-entra-id"
  saml_metadata_document = file("redwing-entra-metadata.xml")
}

###############################
# Role that Brightwater support engineers pick after signing in through Redwing's Entra ID
###############################
module "iam_assumable_role_support" {
  source = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-saml"

  create_role          = true
  role_name            = "bw-support-booking"
  max_session_duration = 3600

  tags = {
    Role = "bw-support-booking"
  }

  provider_id = aws_iam_saml_provider.idp_saml.id

  role_policy_arns = [
    aws_iam_policy.support_booking.arn,
  ]
}

resource "aws_iam_policy" "support_booking" {
  name   = "bw-support-booking"
  policy = file("bw-support-booking-policy.json")
}
