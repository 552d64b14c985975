# CodePipeline for the Orbit Travel booking API (excerpt). Stages match the
# release readiness workbook gates 1-10.

resource "aws_codepipeline" "booking_api" {
  name     = "orbit-booking-api"
  role_arn = aws_iam_role.pipeline.arn

  artifact_store {
    location = aws_s3_bucket.artifacts.bucket
    type     = "S3"
  }

  stage {
    name = "Source"
    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeCommit"
      version          = "1"
      output_artifacts = ["src"]
      configuration = {
        RepositoryName = "orbit-booking-api"
        BranchName     = "main"
      }
    }
  }

  stage {
    name = "BuildAndUnitTest"
    action {
      name             = "UnitTests"
      category         = "Build"
      owner            = "AWS"
      provider         = "CodeBuild"
      version          = "1"
      input_artifacts  = ["src"]
      output_artifacts = ["build"]
      configuration    = { ProjectName = aws_codebuild_project.unit_tests.name }
    }
  }

  stage {
    name = "DeployTest"
    action {
      name            = "CreateChangeSet"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CloudFormation"
      version         = "1"
      input_artifacts = ["build"]
      run_order       = 1
      configuration = {
        ActionMode    = "CHANGE_SET_REPLACE"
        StackName     = "orbit-booking-api-test"
        ChangeSetName = "release"
        TemplatePath  = "build::packaged.yaml"
        RoleArn       = "arn:aws:iam::730215846603:role/cfn-deploy-test"
      }
    }
    action {
      name            = "ExecuteChangeSet"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CloudFormation"
      version         = "1"
      run_order       = 2
      configuration = {
        ActionMode    = "CHANGE_SET_EXECUTE"
        StackName     = "orbit-booking-api-test"
        ChangeSetName = "release"
      }
    }
    action {
      name            = "ApiTests"
      category        = "Test"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["src"]
      run_order       = 3
      configuration   = { ProjectName = aws_codebuild_project.api_tests.name }
    }
  }

  stage {
    name = "PreProd"
    action {
      name            = "Deploy"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CloudFormation"
      version         = "1"
      input_artifacts = ["build"]
      run_order       = 1
      configuration = {
        ActionMode   = "CREATE_UPDATE"
        StackName    = "orbit-booking-api-preprod"
        TemplatePath = "build::packaged.yaml"
        RoleArn      = "arn:aws:iam::730215846604:role/cfn-deploy-preprod"
      }
    }
    action {
      name            = "EndToEndAndPerformance"
      category        = "Test"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["src"]
      run_order       = 2
      configuration   = { ProjectName = aws_codebuild_project.e2e_perf_tests.name }
    }
  }

  stage {
    name = "Approve"
    action {
      name     = "ReleaseManagerApproval"
      category = "Approval"
      owner    = "AWS"
      provider = "Manual"
      version  = "1"
      configuration = {
        CustomData = "Check the release readiness workbook gates 1-7 before approving."
      }
    }
  }

  stage {
    name = "Production"
    action {
      name            = "CanaryDeploy"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CodeDeploy"
      version         = "1"
      input_artifacts = ["build"]
      configuration = {
        ApplicationName     = "orbit-booking-api"
        DeploymentGroupName = "prod-canary10-10min"
      }
    }
  }
}
