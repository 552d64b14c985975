"""Secrets planted in every format a partner can send, each value distinct per place, so a
leak found anywhere says where it came from.

Six kinds (an AWS access key id, an AWS secret access key, a private key PEM block, a
password in a connection string, a GitHub token, a Terraform variable default), written the
way people really paste them: beside their key name in prose, in a table's next cell, in a
credentials export whose data row names nothing, in templates and variable files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.ingest import evidence

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _draw(seed: str, length: int, alphabet: str) -> str:
    out, counter = [], 0
    while len(out) < length:
        digest = hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        out += [alphabet[b % len(alphabet)] for b in digest]
        counter += 1
    return "".join(out[:length])


@dataclass(frozen=True)
class Secret:
    kind: str
    place: str
    value: str

    @property
    def middle(self) -> str:
        """A distinctive part from the middle: a partial leak counts as a leak."""
        core = self.value
        if self.kind == "private-key":
            core = self.value.splitlines()[2]  # a body line of the block
        half = len(core) // 2
        return core[half - 6: half + 6]


def access_key_id(place: str) -> Secret:
    return Secret("access-key-id", place, "AKIA" + _draw(f"akid:{place}", 16, _UPPER))


def secret_access_key(place: str) -> Secret:
    # Mixed case with a slash, like a real one (and unlike a hex digest).
    body = _draw(f"sak:{place}", 37, _MIXED)
    return Secret("secret-access-key", place, f"{body[:18]}/Kq{body[18:]}")  # 40 characters


def private_key(place: str) -> Secret:
    lines = [_draw(f"pem:{place}:{n}", 64, _MIXED) for n in range(3)]
    return Secret("private-key", place,
                  "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END RSA PRIVATE KEY-----")


def db_password(place: str) -> Secret:
    return Secret("connection-password", place, "Pw7" + _draw(f"pw:{place}", 10, _MIXED) + "#x")


def github_token(place: str) -> Secret:
    return Secret("github-token", place, "ghp_" + _draw(f"gh:{place}", 36, _MIXED))


def terraform_default(place: str) -> Secret:
    return Secret("terraform-default", place, "Tf9" + _draw(f"tf:{place}", 11, _MIXED) + "!q")


@dataclass
class Planted:
    """Every secret planted so far."""

    secrets: list[Secret] = field(default_factory=list)

    def five(self, place: str) -> tuple[Secret, Secret, Secret, Secret, Secret]:
        found = (access_key_id(place), secret_access_key(place), private_key(place),
                 db_password(place), github_token(place))
        self.secrets.extend(found)
        return found

    def terraform(self, place: str) -> Secret:
        found = terraform_default(place)
        self.secrets.append(found)
        return found


def prose(planted: Planted, place: str) -> str:
    """The five kinds said in sentences, the way an answer or an SOP says them."""
    akid, sak, pem, pw, gh = planted.five(place)
    return (
        f"Our CI user had the access key id {akid.value} and the secret access key {sak.value}; "
        "both were rotated after the audit.\n\n"
        f"The bastion deploy key is kept below.\n{pem.value}\n\n"
        f"The orders service connects with postgresql://orders_app:{pw.value}@db.internal:5432/orders "
        "inside the private subnet.\n\n"
        f"The release bot authenticates with the GitHub token {gh.value} from the pipeline.\n"
    )


def table_rows(planted: Planted, place: str) -> list[list[str]]:
    """The five kinds as a two-column settings table: the key name in one cell, the value in the next."""
    akid, sak, pem, pw, gh = planted.five(place)
    return [
        ["Setting", "Value"],
        ["aws_access_key_id", akid.value],
        ["aws_secret_access_key", sak.value],
        ["Orders DB", f"Server=db.internal;User Id=orders_app;Password={pw.value};Database=orders"],
        ["GitHub token", gh.value],
        ["Deploy key", pem.value],
    ]


def docx_file(planted: Planted, path: Path) -> Path:
    """Secrets in the body paragraphs and in a table."""
    from docx import Document as Docx

    doc = Docx()
    doc.add_heading("Operations handbook", level=1)
    for paragraph in prose(planted, "docx-body").split("\n\n"):
        doc.add_paragraph(paragraph)
    rows = table_rows(planted, "docx-table")
    table = doc.add_table(rows=len(rows), cols=2)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def xlsx_file(planted: Planted, path: Path) -> Path:
    """A settings sheet, and an IAM credentials export whose data row names nothing."""
    settings = table_rows(planted, "xlsx-cell")
    akid, sak = access_key_id("xlsx-export"), secret_access_key("xlsx-export")
    planted.secrets += [akid, sak]
    export = [["User name", "Access key ID", "Secret access key"], ["ci-deployer", akid.value, sak.value]]
    return evidence.xlsx(path, {"Settings": settings, "credentials": export})


def pdf_file(planted: Planted, path: Path) -> Path:
    akid, sak, pem, pw, gh = planted.five("pdf")
    pages = [
        "Credential handling (before the audit)\n"
        f"Access key id: {akid.value}\nSecret access key: {sak.value}\n"
        f"GitHub token: {gh.value}",
        f"Database connection\npostgresql://orders_app:{pw.value}@db.internal:5432/orders\n"
        f"Deploy key\n{pem.value}",
    ]
    return evidence.pdf(path, pages)


def json_file(planted: Planted, path: Path) -> Path:
    akid, sak, pem, pw, gh = planted.five("json")
    data = {
        "AccessKeyId": akid.value, "SecretAccessKey": sak.value,
        "ConnectionString": f"Server=db.internal;User Id=orders_app;Password={pw.value};Database=orders",
        "GitHubToken": gh.value, "PrivateKey": pem.value + "\n",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def yaml_file(planted: Planted, path: Path) -> Path:
    """A CloudFormation template with credentials in it."""
    akid, sak, pem, pw, gh = planted.five("yaml")
    key_block = "\n".join("        " + line for line in pem.value.splitlines())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: true
      MasterUsername: orders_app
      MasterUserPassword: "{pw.value}"
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      GitHubOAuthToken: {gh.value}
  Deployer:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Authentication:
        accessKeyId: {akid.value}
        secretKey: {sak.value}
      DeployKey: |
{key_block}
""", encoding="utf-8")
    return path


def terraform_file(planted: Planted, path: Path) -> Path:
    akid, sak, pem, pw, gh = planted.five("tf")
    default = planted.terraform("tf-variable")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""\
provider "aws" {{
  region     = "eu-west-1"
  access_key = "{akid.value}"
  secret_key = "{sak.value}"
}}

provider "github" {{
  token = "{gh.value}"
}}

variable "db_master_password" {{
  description = "Master password of the orders database"
  type        = string
  default     = "{default.value}"
}}

resource "aws_ssm_parameter" "orders_url" {{
  name  = "/orders/db-url"
  type  = "SecureString"
  value = "postgresql://orders_app:{pw.value}@db.internal:5432/orders"
}}

resource "aws_key_pair" "deployer" {{
  key_name   = "deployer"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG deployer"
}}

locals {{
  deploy_key = <<EOT
{pem.value}
EOT
}}
""", encoding="utf-8")
    return path


def tfvars_file(planted: Planted, path: Path) -> Path:
    akid, sak, pem, pw, gh = planted.five("tfvars")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""\
region             = "eu-west-1"
aws_access_key     = "{akid.value}"
aws_secret_key     = "{sak.value}"
db_master_password = "{pw.value}"
github_token       = "{gh.value}"
deploy_key         = <<EOT
{pem.value}
EOT
""", encoding="utf-8")
    return path
