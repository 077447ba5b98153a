"""Fail on private names of the frameworks the apps run inside (``make lint``).

A plugin runs inside other people's sites: their next upgrade of Django, Wagtail, DRF,
drf-spectacular or ReportLab must not break it, so the apps use the documented API only. This
reads every ``.py`` file with ``ast`` (nothing is imported) and reports:

* an import of a leading-underscore module or name of a framework (``from x import _y``,
  ``import x._y``);
* an import of a module or name on the deny-list below: public-looking but undocumented;
* ``name._attr`` where ``name`` was imported from a framework (``pdfmetrics._fonts``), and a
  deny-listed attribute of such a name (``TTFont.State``);
* ``super()._attr`` in a class with a framework base, and ``self._attr`` there when the class
  does not define ``_attr`` itself (a private hook of the framework's class);
* ``x._meta.attr`` for an attribute that Django's Model ``_meta`` API does not document.

It cannot follow a name through a variable or one of our own subclasses; review does that.

Usage: ``python scripts/check_public_apis.py [path ...]`` (default: the apps and the demo site).
"""

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

FRAMEWORKS = ("django", "wagtail", "rest_framework", "drf_spectacular", "reportlab")
DEFAULT_PATHS = ("courses", "quizzes", "certificates", "lms")

# Modules no framework documents as API (a module and everything under it).
DENIED_MODULES = {
    "django.db.models.sql": "the ORM's query and SQL compiler internals",
    "django.db.models.utils": "ORM helpers (create_namedtuple_class has moved before)",
    "django.db.backends.base": "database backend internals (use django.db.connection)",
    "reportlab.pdfbase.pdfdoc": "ReportLab's PDF object model, internal to its canvas",
    "wagtail.admin.rich_text.converters": "Draftail's converters, internal to the editor",
}

# Undocumented names of otherwise public modules.
DENIED_NAMES = {
    "django.db.models.query": {
        "ValuesListIterable": "the iterable behind values_list(): use values_list()",
        "NamedValuesListIterable": "the iterable behind values_list(named=True)",
        "FlatValuesListIterable": "the iterable behind values_list(flat=True)",
        "ValuesIterable": "the iterable behind values(): use values()",
        "ModelIterable": "the iterable behind a queryset",
    },
    "reportlab.pdfbase.ttfonts": {
        "SUBSETN": "TTFont's subset naming",
        "FF_SYMBOLIC": "TTFont's font descriptor flags",
        "FF_NONSYMBOLIC": "TTFont's font descriptor flags",
        "makeToUnicodeCMap": "TTFont's embedding",
        "TTFontFace": "TTFont's face: use TTFont",
        "TTFontFile": "TTFont's file reader: use TTFont",
    },
}

# Undocumented attributes of framework classes (read on a name imported from the framework).
DENIED_ATTRIBUTES = {
    "State": "TTFont's per-document subset state",
    "addObjects": "TTFont's embedding into a PDF document",
    "splitString": "TTFont's per-document subsetting",
}

# Leading-underscore attributes that the frameworks document.
DOCUMENTED_UNDERSCORE_ATTRIBUTES = {
    "_meta",  # Django's Model _meta API (docs/ref/models/meta), within META_ATTRIBUTES below
    "_default_manager",  # Django: "Default managers" (docs/topics/db/managers)
    "_base_manager",  # Django: "Base managers" (docs/topics/db/managers)
    "_state",  # Django: Model._state.adding / .db (docs/ref/models/instances)
}

# What ``Model._meta`` documents: the Model _meta API and the Meta options' read-only attributes.
META_ATTRIBUTES = {
    "get_field",
    "get_fields",
    "app_label",
    "model_name",
    "object_name",
    "label",
    "label_lower",
    "verbose_name",
    "verbose_name_plural",
    "db_table",
    "abstract",
    "proxy",
    "managed",
    "ordering",
    "pk",
    "constraints",
    "indexes",
    "default_permissions",
    "permissions",
    "get_latest_by",
}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_framework(module: str) -> bool:
    return module.split(".", 1)[0] in FRAMEWORKS


def _denied_module(module: str) -> str | None:
    for denied, why in DENIED_MODULES.items():
        if module == denied or module.startswith(denied + "."):
            return f"{denied} ({why})"
    return None


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.framework_names: set[str] = set()  # names bound by importing from a framework
        self.classes: list[tuple[bool, set[str]]] = []  # (has a framework base, own names)

    def report(self, node: ast.AST, message: str) -> None:
        self.findings.append(Finding(self.path, node.lineno, message))

    # Imports

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not is_framework(alias.name):
                continue
            self._check_module(node, alias.name)
            self.framework_names.add(alias.asname or alias.name.split(".", 1)[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or not is_framework(module):
            return
        module_denied = self._check_module(node, module)
        for alias in node.names:
            if is_private(alias.name):
                self.report(node, f"private name {module}.{alias.name}")
            elif alias.name in DENIED_NAMES.get(module, {}):
                why = DENIED_NAMES[module][alias.name]
                self.report(node, f"undocumented name {module}.{alias.name} ({why})")
            elif not module_denied:
                denied = _denied_module(f"{module}.{alias.name}")  # a submodule
                if denied:
                    self.report(node, f"undocumented module {denied}")
            self.framework_names.add(alias.asname or alias.name)

    def _check_module(self, node: ast.AST, module: str) -> bool:
        """Report a private or deny-listed module; whether it was one."""
        if any(is_private(part) for part in module.split(".")):
            self.report(node, f"private module {module}")
            return True
        denied = _denied_module(module)
        if denied:
            self.report(node, f"undocumented module {denied}")
        return denied is not None

    # Classes: which have a framework base, and what they define themselves

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        framework_base = any(_root(base) in self.framework_names for base in node.bases)
        own = {
            target.attr
            for sub in ast.walk(node)
            for target in _assigned(sub)
            if isinstance(target, ast.Attribute)
        }
        own |= {
            sub.name
            for sub in ast.walk(node)
            if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        own |= {
            target.id
            for statement in node.body
            for target in _assigned(statement)
            if isinstance(target, ast.Name)
        }
        self.classes.append((framework_base, own))
        self.generic_visit(node)
        self.classes.pop()

    # Attributes

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr, value = node.attr, node.value
        if isinstance(value, ast.Attribute) and value.attr == "_meta":
            if attr not in META_ATTRIBUTES:
                self.report(node, f"_meta.{attr} is not in Django's documented _meta API")
        elif isinstance(value, ast.Name) and value.id in self.framework_names:
            if is_private(attr) and attr not in DOCUMENTED_UNDERSCORE_ATTRIBUTES:
                self.report(node, f"private attribute {value.id}.{attr}")
            elif attr in DENIED_ATTRIBUTES:
                self.report(
                    node, f"undocumented attribute {value.id}.{attr} ({DENIED_ATTRIBUTES[attr]})"
                )
        elif is_private(attr) and attr not in DOCUMENTED_UNDERSCORE_ATTRIBUTES and self.classes:
            framework_base, own = self.classes[-1]
            # super()._x is always the base's; self._x is when the class does not define it
            from_base = _is_super(value) or (_is_self(value) and attr not in own)
            if framework_base and from_base:
                self.report(node, f"private attribute {attr} of a framework base class")
        self.generic_visit(node)


def _assigned(node: ast.AST) -> Iterator[ast.expr]:
    if isinstance(node, ast.Assign):
        yield from node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        yield node.target


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _is_super(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def check_source(source: str, path: str = "<source>") -> list[Finding]:
    checker = _Checker(path)
    checker.visit(ast.parse(source, filename=path))
    return sorted(checker.findings)


def python_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*.py") if "node_modules" not in p.parts)


def check_paths(paths: Iterable[str | Path]) -> list[Finding]:
    findings: list[Finding] = []
    for file in python_files(paths):
        findings += check_source(file.read_text(encoding="utf-8"), str(file))
    return findings


def main(argv: list[str]) -> int:
    findings = check_paths(argv or DEFAULT_PATHS)
    for finding in findings:
        print(finding)  # noqa: T201 (a command-line report)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
