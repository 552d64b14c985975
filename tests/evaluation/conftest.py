"""Fixtures for the eval-harness tests: the slug table in place of the catalogue, a fake
engine, and a small case set "written by someone else" (nested folders, .yml, a
CloudFormation attachment)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from evalkit import CONTRACT_SLUGS, KeywordJudge, fake_assess, write
from grader.evaluation import cases as cases_module


@pytest.fixture
def contract_catalogue(monkeypatch):
    """load_cases() validates against the controls.md table instead of knowledge/."""
    monkeypatch.setattr(cases_module, "catalogue_criteria", lambda: CONTRACT_SLUGS)
    return CONTRACT_SLUGS


@pytest.fixture
def fake_engine(monkeypatch, contract_catalogue):
    """`grader.engine` replaced by a module offering the two functions the harness uses."""
    engine = types.ModuleType("grader.engine")
    engine.assess_control = fake_assess
    engine.make_judge = lambda name=None, settings=None: KeywordJudge()
    monkeypatch.setitem(sys.modules, "grader.engine", engine)
    return engine


@pytest.fixture
def foreign_set(tmp_path) -> Path:
    """Four cases in someone else's layout. With KeywordJudge the run is, by construction:
      verdicts  expected [pass, fail, pass, fail]  got [pass, fail, pass, pass]
      criteria  5 labeled, 4 agree (the hedged NETSEC case's sg-internet: not_met -> met)
    """
    root = tmp_path / "their-cases"
    write(root / "team-a/acct/good.yaml", """
        id: acct-good
        control: ACCT-001
        response: We enforce root-mfa and an org cloudtrail for the customer.
        attachments: [files/sop.md]
        expected:
          verdict: pass
          criteria: {root-mfa: met, cloudtrail: met}
        tags: [good]
        notes: guide's good example
        """)
    write(root / "team-a/acct/files/sop.md", "# Our sop\nroot-usage rules.\n")
    write(root / "team-a/acct/na.yml", """
        id: acct-na
        control: ACCT-001
        response: N/A
        expected:
          verdict: fail
          criteria: {ACCT-001.root-mfa: not_met}
        tags: [unacceptable]
        """)
    write(root / "team-b/rel/deep/iac.yaml", """
        id: rel-iac
        control: REL-001
        response: automation-tooling is CloudFormation; see the stack.
        attachments: [stack.yaml]
        expected:
          verdict: pass
          criteria: {template: met}
        tags: [good, attachment]
        """)
    # A CloudFormation attachment with short-form tags: YAML, but not a case.
    write(root / "team-b/rel/deep/stack.yaml", """
        # template for the VPC
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "${AWS::StackName}-logs"
              Tags: [{Key: control, Value: !Ref AWS::StackName}]
        """)
    write(root / "team-b/net/hedged.yaml", """
        id: net-hedged
        control: NETSEC-001
        response: We plan to tighten sg-internet rules next quarter.
        expected:
          verdict: fail
          criteria: {sg-internet: not_met}
        tags: [planned]
        """)
    write(root / "team-b/notes.yml", "- just\n- a list\n")
    write(root / "README.yaml", "a scalar\n")
    return root
