"""The tree helpers the compiler relies on, the error type, and the purity of the package."""

from __future__ import annotations

import ast
import pickle
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cruddy_django import query
from cruddy_django.query import (
    OPERATORS,
    And,
    Condition,
    MalformedValue,
    Or,
    Pattern,
    QueryError,
    TooComplex,
    UnknownOperator,
    Wildcard,
    conjunction,
    format_path,
    parse_dotted,
    parse_where,
)
from cruddy_django.query.tree import PathStep

ANY, ONE = Wildcard.ANY, Wildcard.ONE
PACKAGE = Path(query.__file__).parent
ROOT = PACKAGE.parent.parent


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["a", "b", ANY, ANY, "", "c"], ("ab", ANY, "c")),
        ([ANY, ONE, ANY], (ANY, ONE, ANY)),
        (["", ""], ()),
    ],
)
def test_pattern_build_is_canonical(parts: list[object], expected: tuple[object, ...]) -> None:
    assert Pattern.build(parts).parts == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pattern", "simple"),
    [
        (Pattern(()), ("exact", "")),
        (Pattern(("a%",)), ("exact", "a%")),
        (Pattern(("a", ANY)), ("startswith", "a")),
        (Pattern((ANY, "2")), ("endswith", "2")),
        (Pattern((ANY, "x_", ANY)), ("contains", "x_")),
        (Pattern((ANY,)), ("contains", "")),
        (Pattern(("a", ANY, "b")), None),
        (Pattern(("a", ONE)), None),
    ],
)
def test_pattern_simple_lookup(pattern: Pattern, simple: tuple[str, str] | None) -> None:
    assert pattern.simple() == simple


def test_pattern_to_like_escapes_literal_wildcards() -> None:
    assert Pattern(("100%_\\", ANY, ONE)).to_like() == "100\\%\\_\\\\%_"
    assert Pattern(("a!", ANY)).to_like(escape="!") == "a!!%"


PATTERN_TEXT = st.text(alphabet="ab%_*\\\n.é", max_size=8)
SUBJECT = st.text(alphabet="ab%_*\\\n.é", max_size=8)


@given(PATTERN_TEXT, SUBJECT)
def test_regex_like_and_simple_forms_agree(text: str, subject: str) -> None:
    """The compiler may use any of the three forms: they select the same strings (checked on SQLite)."""
    try:
        node = parse_where({"a": {"*like": text}})
    except QueryError:
        return
    assert isinstance(node, Condition) and isinstance(node.value, Pattern)
    pattern = node.value
    by_regex = re.search(pattern.to_regex(), subject) is not None
    with sqlite3.connect(":memory:") as connection:
        connection.execute("PRAGMA case_sensitive_like = ON")
        (by_like,) = connection.execute(
            "SELECT ? LIKE ? ESCAPE '\\'", (subject, pattern.to_like())
        ).fetchone()
    assert by_regex == bool(by_like)
    simple = pattern.simple()
    if simple:
        lookup, literal = simple
        by_lookup = {
            "exact": subject == literal,
            "startswith": subject.startswith(literal),
            "endswith": subject.endswith(literal),
            "contains": literal in subject,
        }[lookup]
        assert by_lookup == by_regex


def test_conjunction_flattens() -> None:
    a = Condition((PathStep("a"),), "eq", 1, param="p", source="p")
    b = Condition((PathStep("b"),), "eq", 2, param="p", source="p")
    assert conjunction([]) == And(())
    assert conjunction([a]) is a
    assert conjunction([And((a,)), And((b, a)), Or((a, b))]) == And((a, b, a, Or((a, b))))


def test_format_path() -> None:
    path = (PathStep("crew"), PathStep("astronauts", True), PathStep("name", False))
    assert format_path(path) == "crew.astronauts*.name"


def test_every_emitted_operator_is_canonical() -> None:
    from cruddy_django.query import BACKO_OPERATORS, DOTTED_OPERATORS, WHERE_OPERATORS

    emitted = set(DOTTED_OPERATORS) | set(BACKO_OPERATORS.values())
    emitted |= set(WHERE_OPERATORS.values()) - {"is", "isnot"}
    assert emitted == OPERATORS


@pytest.mark.parametrize("kind", [QueryError, UnknownOperator, MalformedValue, TooComplex])
def test_errors_pickle_and_serialise(kind: type[QueryError]) -> None:
    error = kind("Bad 'x'.", param="where", path="where.a")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is kind
    assert (str(copy), copy.param, copy.path, copy.code) == ("Bad 'x'.", "where", "where.a", error.code)
    assert copy.to_dict() == {"detail": "Bad 'x'.", "param": "where", "path": "where.a", "code": error.code}
    assert isinstance(error, ValueError)


def test_error_codes() -> None:
    assert [kind.default_code for kind in (QueryError, UnknownOperator, MalformedValue, TooComplex)] == [
        "invalid_query",
        "unknown_operator",
        "malformed",
        "too_complex",
    ]


def test_messages_clip_huge_client_text() -> None:
    with pytest.raises(QueryError) as caught:
        parse_dotted([(".id", "x" * 5000 + "~1")])
    assert len(str(caught.value)) < 400


def test_sources_import_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for source in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level in (0, 1), f"{source.name} imports from outside cruddy_django.query"
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{source.name} imports {name}"


def test_importing_the_package_loads_no_third_party_module() -> None:
    code = (
        "import sys; before = set(sys.modules); import cruddy_django.query; "
        "allowed = set(sys.stdlib_module_names) | {'cruddy_django'}; "
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] not in allowed))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
