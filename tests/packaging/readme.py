"""The README's numbered install steps, read from the README itself so that the document and the
packaging test cannot drift apart."""

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Install into your Wagtail site"

_STEP = re.compile(r"^(\d+)\. ", re.MULTILINE)
_BLOCK = re.compile(r"^( *)```(\w+)\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Snippet:
    step: int
    language: str  # "sh": commands to run; "python": lines for the file its first line names
    code: str

    @property
    def target(self) -> str:
        """The file a Python snippet goes at the end of (its first line: ``# path``)."""
        first = self.code.splitlines()[0]
        if not first.startswith("# "):
            raise ValueError(f"step {self.step}: a Python snippet starts with '# <file>'")
        return first[2:].strip()


def install_steps(readme: Path = README) -> list[Snippet]:
    text = readme.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n### ", start)
    section = text[start : end if end != -1 else len(text)]
    marks = list(_STEP.finditer(section))
    snippets = []
    for index, mark in enumerate(marks):
        body_end = marks[index + 1].start() if index + 1 < len(marks) else len(section)
        body = section[mark.start() : body_end]
        for block in _BLOCK.finditer(body):
            code = textwrap.dedent(block.group(3))
            snippets.append(Snippet(int(mark.group(1)), block.group(2), code))
    return snippets
