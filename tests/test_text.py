"""Sentence spans of wrapped prose, bullets, tables and headings (grader.text)."""

from __future__ import annotations

from grader.text import sentence_spans as sentences


def texts(text: str) -> list[str]:
    return [" ".join(s.text.split()) for s in sentences(text)]


def test_a_hard_wrapped_paragraph_is_split_only_at_sentence_ends() -> None:
    text = ("Root has MFA. The root email and the alternate\ncontacts were set to the\n"
            "IT manager's address, d.okafor@crestview.example. Done.")
    assert texts(text) == ["Root has MFA.",
                           "The root email and the alternate contacts were set to the IT manager's address, "
                           "d.okafor@crestview.example.",
                           "Done."]


def test_blank_lines_list_items_and_colons_end_a_sentence() -> None:
    text = "Security groups:\n- web allows 443\n- db allows 3306 from web\n\nNACLs restrict subnets"
    assert texts(text) == ["Security groups:", "- web allows 443", "- db allows 3306 from web",
                           "NACLs restrict subnets"]


def test_spans_index_the_original_text() -> None:
    text = "  First line\n  continues here.  Second one."
    for span in sentences(text):
        assert text[span.start:span.end] == span.text


def test_a_pdf_heading_is_its_own_sentence_but_a_wrapped_line_is_not() -> None:
    text = ("1. When the root user may be used\nThe root user is never used for daily work.\n"
            "Contacts were set to the\nIT manager's distribution list.")
    assert texts(text) == ["When the root user may be used",
                           "The root user is never used for daily work.",
                           "Contacts were set to the IT manager's distribution list."]


def test_find_normalised_locates_a_quote_across_line_breaks() -> None:
    from grader.text import find_normalised

    haystack = "Root user MFA is enforced with a\nhardware   token."
    start, end = find_normalised("MFA is enforced with a hardware token.", haystack)
    assert haystack[start:end] == "MFA is enforced with a\nhardware   token."
    assert find_normalised("MFA is disabled", haystack) is None


def test_a_sentence_may_start_with_a_lowercase_resource_name() -> None:
    assert texts("sg-api allows 8080 from sg-alb only. sg-db allows 1433 from 0.0.0.0/0.") == [
        "sg-api allows 8080 from sg-alb only.", "sg-db allows 1433 from 0.0.0.0/0."]


def test_each_row_of_a_table_without_outer_bars_is_a_sentence_of_its_own():
    text = ("Routine tasks:\nID | Task | Frequency\nRT-01 | Review the dashboard | Daily\n"
            "RT-02 | TBD | Weekly\nAfter the table, prose again.")
    assert [s.text for s in sentences(text)] == [
        "Routine tasks:", "ID | Task | Frequency", "RT-01 | Review the dashboard | Daily", "RT-02 | TBD | Weekly",
        "After the table, prose again."]


def test_a_line_ending_in_a_joining_word_runs_on_whatever_the_next_line_looks_like():
    text = 'Wildcards in Action (e.g. s3:*) or\nResource: "*" are rejected at review.'
    assert [s.text for s in sentences(text)] == [text]
