"""Sentence splitting for the phrase checks: hard-wrapped prose stays whole."""

from __future__ import annotations

from grader.checks.sentences import sentences


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
