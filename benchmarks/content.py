"""Realistic module bodies for the benchmark: StreamField data built from ``data/module_vi.txt``.

Pure: no Django imports, so the body a module and the bare page share is plain data.
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "data" / "module_vi.txt"

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<!\w)_(.+?)_(?!\w)")


@dataclass
class Section:
    heading: str
    blocks: list[dict] = field(default_factory=list)
    words: int = 0


def _rich(text: str) -> str:
    """A paragraph of rich text: escaped, with **bold** and _italic_ spans."""
    escaped = html.escape(text, quote=False)
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", escaped))


def _word_count(text: str) -> int:
    return len(text.replace("**", "").split())


def parse(text: str) -> list[Section]:
    sections: list[Section] = []
    facts: list[dict] | None = None
    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("== "):
            heading = line[3:].strip()
            sections.append(Section(heading=heading, words=_word_count(heading)))
            sections[-1].blocks.append(
                {"type": "heading", "value": {"text": heading, "level": "h2"}}
            )
            facts = None
            continue
        if not sections:
            raise ValueError(f"Text before the first section: {line!r}")
        section = sections[-1]
        section.words += _word_count(line.lstrip("-!* "))
        if line.startswith("* ") and facts is not None:
            figure, _sep, fact = line[2:].partition("|")
            facts.append({"figure": figure.strip(), "text": fact.strip()})
            continue
        facts = None
        if line.startswith("-- "):
            block = {"type": "heading", "value": {"text": line[3:].strip(), "level": "h3"}}
        elif line.startswith("!! "):
            tone, title, body = (part.strip() for part in line[3:].split("|", 2))
            block = {
                "type": "callout",
                "value": {"tone": tone, "title": title, "body": f"<p>{_rich(body)}</p>"},
            }
        elif line.startswith("** "):
            facts = []
            block = {"type": "key_facts", "value": {"title": line[3:].strip(), "facts": facts}}
        else:
            block = {"type": "paragraph", "value": f"<p>{_rich(line)}</p>"}
        section.blocks.append(block)
    return sections


def module_body(index: int, *, target_words: int = 1500) -> tuple[list[dict], int]:
    """The StreamField data of module ``index`` and its word count.

    Sections are taken in an order rotated by ``index`` (so modules differ) until the body has at
    least ``target_words`` words.
    """
    sections = parse(SOURCE.read_text(encoding="utf-8"))
    body: list[dict] = []
    words = 0
    position = index
    while words < target_words:
        section = sections[position % len(sections)]
        body.extend(section.blocks)
        words += section.words
        position += 1
    return body, words
