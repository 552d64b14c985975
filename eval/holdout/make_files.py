"""Build the binary attachments of the held-out eval set.

Run from anywhere: `.venv/bin/python eval/holdout/make_files.py`.
Only the COST-001 cost model is binary (.xlsx); every other attachment is
kept as text next to its case. Values are fixed so the file is reproducible.
"""
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
BOLD = Font(bold=True)

# Inputs gathered from the customer (why: the guide asks for the inputs behind the estimate).
INPUTS = [
    ("Source", "Input", "Value", "Unit"),
    ("Migration Evaluator (30-day collection, Feb 2024)", "Virtual machines in scope", 42, "VMs"),
    ("Migration Evaluator", "Peak vCPU in use (P95)", 118, "vCPU"),
    ("Migration Evaluator", "Peak memory in use (P95)", 512, "GiB"),
    ("vCenter / storage array report", "Provisioned block storage", 18.4, "TB"),
    ("Firewall logs (avg of 3 months)", "Internet egress", 2.1, "TB/month"),
    ("Redwater finance", "Windows Server licences (BYOL not eligible)", 30, "VMs"),
    ("Redwater finance", "SQL Server Standard cores", 16, "cores"),
    ("Redwater finance", "Colocation lease + power (annual)", 96000, "USD/year"),
    ("Redwater finance", "Hardware refresh due Q3 2024 (quote)", 310000, "USD"),
    ("Redwater IT", "Infrastructure admin effort", 1.5, "FTE"),
    ("Assumption agreed with customer", "Compute Savings Plan", "3-year, no upfront", ""),
    ("Assumption agreed with customer", "Non-prod schedule (Instance Scheduler)", "12h x 5d", ""),
]

# Monthly AWS estimate after right-sizing (why: summary of the estimate given before implementation).
ESTIMATE_LINES = [
    ("Amazon EC2 (Windows)", "22 x m6i.large, 6 x r6i.xlarge, Compute Savings Plan 3y", 6240),
    ("Amazon EC2 (Linux)", "12 x t3.large (non-prod, scheduled 12x5)", 410),
    ("Amazon RDS for SQL Server", "db.r6i.xlarge Multi-AZ, License Included, 1 TB gp3", 3380),
    ("Amazon EBS", "14 TB gp3 after removing 4.4 TB of orphaned volumes", 1150),
    ("Amazon S3", "Backups + file archive 9 TB, Intelligent-Tiering", 215),
    ("AWS Backup", "Daily, 35-day retention, cross-Region copy", 540),
    ("Data transfer out", "2.1 TB/month", 190),
    ("AWS Site-to-Site VPN + NAT gateways", "2 tunnels, 2 NAT GW", 260),
    ("AWS Business Support", "Greater of 10% / tiered", 1240),
]
# Totals are written as values, not formulas: openpyxl stores no cached results,
# so a reader without Excel would otherwise see empty cells.
MONTHLY_TOTAL = sum(line[2] for line in ESTIMATE_LINES)
CALCULATOR_LINK = "https://calculator.aws/#/estimate?id=4f1c9a7e2b0d8c6e5a3f1b9d7c5e3a1f0b2d4c6e"
ESTIMATE = [
    ("Service", "Configuration", "Monthly USD"),
    *ESTIMATE_LINES,
    ("Total monthly", "", MONTHLY_TOTAL),
    ("Total annual", "", MONTHLY_TOTAL * 12),
    ("AWS Pricing Calculator estimate", CALCULATOR_LINK, ""),
]

# Three-year TCO and value (why: the guide asks for business value analysis, not only a bill).
TCO_LINES = [
    ("Hardware refresh", 310000, 0),
    ("Colocation, power, cooling", 288000, 0),
    ("Hardware/software maintenance", 126000, 0),
    ("AWS consumption", 0, MONTHLY_TOTAL * 36),
    ("Migration services (one-off)", 0, 68000),
    ("Infrastructure admin effort (1.5 FTE -> 0.6 FTE)", 405000, 162000),
]
ON_PREM_TOTAL = sum(line[1] for line in TCO_LINES)
AWS_TOTAL = sum(line[2] for line in TCO_LINES)
TCO = [
    ("Cost line (3 years, USD)", "On-premises", "AWS"),
    *TCO_LINES,
    ("Total", ON_PREM_TOTAL, AWS_TOTAL),
    ("Saving", "", ON_PREM_TOTAL - AWS_TOTAL),
]
VALUE = [
    ("Value driver", "Current state", "Target state on AWS", "How measured"),
    ("Avoid capital outlay", "USD 310k refresh in Q3 2024", "No hardware purchase", "Finance capex report"),
    ("IT staff time", "1.5 FTE on hardware, patching, backups", "0.6 FTE; 0.9 FTE moved to ERP analytics", "Timesheets"),
    ("Time to provision a server", "3-6 weeks (procure + rack)", "< 1 day via Service Catalog", "Ticket lead time"),
    ("Recovery from site failure", "No secondary site", "Cross-Region backups, RTO 8h", "Annual DR test"),
    ("Seasonal capacity (brewing season)", "Sized for peak all year", "Scheduled scaling Mar-Sep", "Monthly AWS bill vs. plan"),
]


def _sheet(wb: Workbook, title: str, rows: list[tuple]) -> None:
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = BOLD
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = 38


def build_redwater_cost_model(path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "Inputs", INPUTS)
    _sheet(wb, "Estimate", ESTIMATE)
    _sheet(wb, "TCO 3yr", TCO)
    _sheet(wb, "Business value", VALUE)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


if __name__ == "__main__":
    build_redwater_cost_model(HERE / "cost-001" / "files" / "redwater-tco-model.xlsx")
