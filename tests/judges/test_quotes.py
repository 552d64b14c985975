"""A quote survives only if it occurs in the evidence; survivors carry file/page/span."""

from grader.judges.quotes import locate, verify
from grader.models import Document, Provenance, Quote, Segment

SOP = Document(
    path="evidence/security-sop.pdf",
    kind="pdf",
    text="Page one intro.\nRoot user MFA is enforced with a\nhardware token.\nPage two: CloudTrail is on in all regions.",
    segments=[Segment(start=0, end=65, page=1), Segment(start=65, end=108, page=2)],
    pages=2,
)


def test_quote_is_found_across_line_breaks_and_points_at_its_page() -> None:
    quote = locate("Root user MFA is enforced with a hardware token.", [SOP])
    assert quote is not None
    assert quote.source.file == "evidence/security-sop.pdf"
    assert quote.source.page == 1
    assert SOP.text[quote.source.start:quote.source.end] == quote.text


def test_quote_on_second_page_gets_page_two() -> None:
    quote = locate("CloudTrail is on in all regions", [SOP])
    assert quote is not None and quote.source.page == 2


def test_fabricated_quote_is_dropped() -> None:
    real = Quote(text="CloudTrail is on in all regions", source=Provenance(file="x"))
    fake = Quote(text="CloudTrail logs are kept for ten years", source=Provenance(file="x"))
    kept, dropped = verify([real, fake], [SOP])
    assert [q.text for q in kept] == ["CloudTrail is on in all regions"]
    assert dropped == ["CloudTrail logs are kept for ten years"]
