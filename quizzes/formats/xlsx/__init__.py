"""The Excel question template that trainers fill in, read and written.

One sheet of questions, one row each, under a header row in Vietnamese with English in
brackets; a second sheet, "Hướng dẫn", explains each type with an example row. Export writes
the same layout, so an exported workbook imports again unchanged.

========================  ==============================================================
column                    content
========================  ==============================================================
Loại câu hỏi (type)       a code (``single``) or its Vietnamese name (``một lựa chọn``)
Tên (name)                optional: the start of the question text otherwise
Câu hỏi (question)        plain text (a blank line starts a paragraph), or HTML if the
                          cell starts with a tag such as ``<p>``
Điểm (marks)              optional, 1 if empty
Đáp án A … F (G, H, …)    the options; matching ``item => match``; ordering in the right
                          order; short answer and numerical may list accepted answers here
Đáp án đúng (correct)     letters ``A, C`` (with credit ``A:50, C:-50``); short answer: the
                          answer (several separated by ``|``); numerical ``2.5±0.1`` or
                          ``1..5``; true/false ``Đúng``/``Sai`` (or a letter)
Phản hồi chung            general feedback
Danh mục (category)       optional: the category chosen on import otherwise
Phản hồi A … F            optional feedback for each option
Tùy chọn (options)        optional grading options (see ``quizzes.formats.OPTION_ALIASES``)
========================  ==============================================================
"""

from quizzes.formats.xlsx.guide import EXAMPLES, example_rows
from quizzes.formats.xlsx.layout import (
    GUIDE_TITLE,
    HEADER_ALIASES,
    HEADINGS,
    LETTERS,
    SHEET_TITLE,
    TEMPLATE_OPTIONS,
    TYPE_ALIASES,
    TYPE_NAMES,
    Column,
    headings,
    key,
)
from quizzes.formats.xlsx.reader import parse
from quizzes.formats.xlsx.writer import export, template, unsuitable

__all__ = [
    "EXAMPLES",
    "GUIDE_TITLE",
    "HEADER_ALIASES",
    "HEADINGS",
    "LETTERS",
    "SHEET_TITLE",
    "TEMPLATE_OPTIONS",
    "TYPE_ALIASES",
    "TYPE_NAMES",
    "Column",
    "example_rows",
    "export",
    "headings",
    "key",
    "parse",
    "template",
    "unsuitable",
]
