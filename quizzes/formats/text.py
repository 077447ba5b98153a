"""Question text between the files' formats and the rich text the bank stores.

Question text is stored as Wagtail rich text (database HTML) limited to the question editor's
features. Choosing how the files' text becomes that HTML:

- plain text (GIFT without a marker, ``[plain]`` or ``[moodle]``; Aiken; Excel cells that are
  not HTML) is escaped, never interpreted: paragraphs are separated by blank lines and become
  ``<p>``, single line breaks ``<br/>``;
- ``[html]`` (GIFT) and Excel cells written as HTML go through Wagtail's own rich text
  sanitiser with the question editor's features (bold, italic, lists, links), after dropping
  ``<script>``, ``<style>`` and similar elements with their content, so nothing the editor
  could not have produced is stored;
- ``[markdown]`` (GIFT) is converted with Wagtail's Markdown converter, then sanitised alike.

Writing goes the other way: text that is only paragraphs and line breaks is written as plain
text, anything richer as HTML.
"""

import html
import re
from enum import StrEnum
from html.parser import HTMLParser

DROPPED_ELEMENTS = ("script", "style", "iframe", "object", "template", "noscript", "head")
BLOCK_ELEMENTS = {"p", "div", "li", "ol", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


class TextFormat(StrEnum):
    PLAIN = "plain"
    HTML = "html"
    MARKDOWN = "markdown"


class TextFormatError(ValueError):
    """Text that cannot be converted; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def plain_to_html(text: str) -> str:
    """``"a & b\\n\\nc\\nd"`` -> ``"<p>a &amp; b</p><p>c<br/>d</p>"``."""
    paragraphs = []
    for paragraph in PARAGRAPH_BREAK.split(text.strip()):
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        if any(lines):
            paragraphs.append("<p>" + "<br/>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(paragraphs)


def plain_inline_html(text: str) -> str:
    """Plain text of a choice or feedback written where HTML is expected."""
    return "<br/>".join(html.escape(line) for line in text.split("\n"))


class _SimpleParagraphs(HTMLParser):
    """Collects paragraphs of text and line breaks; anything else makes the HTML "rich"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = []
        self.open = False
        self.rich = False

    def handle_starttag(self, tag, attrs):
        if tag == "p" and not self.open and all(name == "data-block-key" for name, _ in attrs):
            self.open = True
            self.paragraphs.append([""])
        elif tag == "br" and self.open and not attrs:
            self.paragraphs[-1].append("")
        else:
            self.rich = True

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "p" and self.open:
            self.open = False
        elif tag != "br":
            self.rich = True

    def handle_data(self, data):
        if self.open:
            self.paragraphs[-1][-1] += data
        elif data.strip():
            self.rich = True

    def handle_comment(self, data):
        self.rich = True


def html_to_plain(value: str) -> str | None:
    """The plain text of HTML that is only paragraphs of text and line breaks (what
    ``plain_to_html`` makes), or None if the HTML holds anything richer."""
    parser = _SimpleParagraphs()
    parser.feed(value)
    parser.close()
    if parser.rich or parser.open:
        return None
    paragraphs = []
    for lines in parser.paragraphs:
        lines = [" ".join(line.split()) for line in lines]
        if any(lines):
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_ELEMENTS:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in DROPPED_ELEMENTS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_ELEMENTS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(" ".join(data.split("\n")))


def html_to_text(value: str) -> str:
    """Readable plain text of any HTML: tags dropped, entities decoded, paragraphs separated by
    blank lines. Lossy; for Aiken, names, previews and choice texts written as HTML."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return PARAGRAPH_BREAK.sub("\n\n", "\n".join(lines)).strip()


def one_line(value: str) -> str:
    return " ".join(value.split())


def _features() -> list[str]:
    from quizzes.models.bank import QUESTION_TEXT_FEATURES

    return QUESTION_TEXT_FEATURES


def clean_html(value: str) -> tuple[str, bool]:
    """Sanitise HTML to the question editor's features with Wagtail's rich text sanitiser.
    Returns the clean HTML and whether anything was removed."""
    from bs4 import BeautifulSoup

    from courses.compat import sanitize_rich_text

    soup = BeautifulSoup(value, "html.parser")
    dropped = soup.find_all(DROPPED_ELEMENTS)
    for element in dropped:
        element.decompose()
    cleaned, removed = sanitize_rich_text(str(soup), features=_features())
    return _wrap_inline(cleaned), bool(dropped or removed)


TOP_LEVEL_BLOCKS = {"p", "ol", "ul", "h2", "h3", "h4", "blockquote"}


def _wrap_inline(value: str) -> str:
    """Rich text keeps its text in blocks: wrap runs of loose text and inline elements at the
    top level in paragraphs."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(value, "html.parser")
    parts: list[str] = []
    run: list[str] = []

    def flush():
        inline = "".join(run).strip()
        if inline:
            parts.append(f"<p>{inline}</p>")
        run.clear()

    for node in list(soup.contents):
        if isinstance(node, NavigableString):
            run.append(html.escape(str(node)))
        elif node.name in TOP_LEVEL_BLOCKS:
            flush()
            if node.get_text(strip=True) or node.find("br"):
                parts.append(node.decode(formatter=_escape))
        else:
            run.append(node.decode(formatter=_escape))
    flush()
    return "".join(parts)


def _escape(value: str) -> str:
    return html.escape(value)


def markdown_to_html(value: str) -> tuple[str, bool]:
    """Markdown as rich text; where Wagtail cannot read Markdown (7.4), the text as it is, its
    formatting reported removed."""
    from django.utils.translation import gettext as _

    from courses.compat import MarkdownError, markdown_to_rich_text

    try:
        converted = markdown_to_rich_text(value, features=_features())
    except MarkdownError as error:
        raise TextFormatError(_("The Markdown text could not be read.")) from error
    if converted is None:
        return plain_to_html(value), True
    cleaned, removed = converted
    return cleaned.strip(), removed


def to_rich_text(value: str, fmt: TextFormat) -> tuple[str, bool]:
    """Question text in a file's format -> stored rich text, and whether formatting the
    question editor does not offer was removed."""
    if fmt == TextFormat.HTML:
        return clean_html(value)
    if fmt == TextFormat.MARKDOWN:
        return markdown_to_html(value)
    return plain_to_html(value), False


def looks_like_html(value: str) -> bool:
    """An Excel cell is read as HTML when it starts with a tag and ends with one."""
    text = value.strip()
    return bool(re.match(r"<(p|div|ol|ul|b|i|strong|em|a|br|h\d)[\s/>]", text, re.IGNORECASE)) and (
        text.endswith(">")
    )
