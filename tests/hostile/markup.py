"""Reading reports and app text the way a browser would: which tags, attributes and links
would be live. Markdown is rendered with raw HTML allowed and every link scheme accepted,
the most permissive viewer there is, so anything left unescaped shows up here."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

# What a partner types to get markup into a page.
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(2)>",
    "javascript link": "[click](javascript:alert(3))",
    "entity": "&lt;b&gt;not bold&lt;/b&gt;",
}
ALL = " ".join(HOSTILE.values())


@dataclass
class Page(HTMLParser):
    tags: set[str] = field(default_factory=set)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def shown(self) -> str:
        """The text a reader sees, entities decoded once, as a browser does."""
        return "".join(self.text)

    def live(self, allowed_tags: set[str]) -> list[str]:
        """Everything that would run or navigate: unexpected tags, event handlers, script links."""
        found = [f"<{t}>" for t in sorted(self.tags - allowed_tags)]
        found += [f"{n}={v}" for n, v in self.attributes if n.startswith("on")]
        found += [f"{n}={v}" for n, v in self.attributes
                  if n in ("href", "src", "action") and v.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
        return found


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # accept javascript: links, so a live one is seen
    return md


def rendered(markdown: str) -> Page:
    """Markdown as the most permissive viewer would display it."""
    return parse(_markdown().render(markdown))


# What Markdown itself produces from plain prose (paragraphs, emphasis, code, lists, quotes,
# tables are not CommonMark): anything else came from the text.
MARKDOWN_TAGS = {"p", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4",
                 "h5", "h6", "hr", "br", "a"}
