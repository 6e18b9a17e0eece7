"""The one exception family the query parsers raise.

Every parser in ``cruddy_django.query`` turns any input, however broken, either into a tree or into a
``QueryError``; the filter backend turns the error into a 400 that names the parameter and the bad part.

    try:
        node = parse_where(request.GET["where"])
    except QueryError as error:
        raise ValidationError({error.param: [str(error)]})
"""

from __future__ import annotations

from typing import Any

__all__ = ["MalformedValue", "QueryError", "TooComplex", "UnknownOperator", "clip"]



class QueryError(ValueError):
    """A query the client wrote is not valid.

    ``param`` is the query parameter or body key that holds the mistake (``where``, ``.crew.lead.id``,
    ``sort``, ``age.$lt``); ``path`` locates the bad part inside it (``where.*or[1].name``), or is None
    when the whole parameter is at fault; ``code`` is a stable machine-readable name.
    """

    default_code = "invalid_query"

    def __init__(self, message: str, *, param: str, path: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.path = path
        self.code = code or self.default_code

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments defeat Exception's default pickling (used by test runners and loggers).
        return _rebuild, (type(self), self.message, self.param, self.path, self.code)

    def to_dict(self) -> dict[str, str | None]:
        """The error as a JSON-ready dict: ``{"detail", "param", "path", "code"}``."""
        return {"detail": self.message, "param": self.param, "path": self.path, "code": self.code}


def _rebuild(cls: type[QueryError], message: str, param: str, path: str | None, code: str) -> QueryError:
    return cls(message, param=param, path=path, code=code)


class UnknownOperator(QueryError):
    """An operator spelling the dialect does not know."""

    default_code = "unknown_operator"


class MalformedValue(QueryError):
    """A value, path or key that does not follow the dialect's grammar."""

    default_code = "malformed"


class TooComplex(QueryError):
    """The query exceeds one of the ``QueryLimits``."""

    default_code = "too_complex"


def clip(text: str, size: int = 60) -> str:
    """Shorten client text quoted in messages, so that an error never echoes a huge input back."""
    return text if len(text) <= size else text[: size - 1] + "…"
