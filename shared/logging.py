"""structlog JSON logs on stderr; the request id rides in a context variable. Lines of the
standard library's loggers (Alembic's, the drivers') are rendered as the same JSON."""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.types import Processor

_STDLIB_HANDLER = "tally-json"


def configure_logging(level: str = "INFO") -> None:
    every_line: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    _render_stdlib_logging_as_json(every_line, level)
    structlog.configure(
        processors=[
            *every_line,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def _render_stdlib_logging_as_json(every_line: list[Processor], level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_STDLIB_HANDLER)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*every_line, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    for previous in [each for each in root.handlers if each.get_name() == _STDLIB_HANDLER]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level)
    # Request lines of HTTP clients are noise at INFO (and plaid's DEBUG would print bodies).
    for chatty in ("httpx", "httpcore", "urllib3"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
