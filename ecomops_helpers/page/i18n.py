"""The message catalogue: every text a reader sees, in Chinese and English, looked up by key.

The texts live in ``messages.toml`` beside this module and in ``messages/*.toml`` (one file
per report section, merged; a key defined twice is an error). ``Messages("zh")("daily.plan.title")``
gives one text; ``column`` gives a table header and its cell format; ``term`` translates a
vocabulary value (a segment name, a baseline, a status). A missing key is an error, never an
English fallback, so a report cannot quietly mix languages.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..exports.source import day_spans

__all__ = [
    "LANGUAGES",
    "Messages",
    "catalogue",
    "leaves",
    "date_note_text",
    "unusable_text",
    "missing_kind_text",
    "settle_currency",
]

LANGUAGES = ("zh", "en")
CATALOGUE_PATH = Path(__file__).with_name("messages.toml")
PARTS_DIR = Path(__file__).with_name("messages")  # one file per section: messages/<part>.toml


def _merge(into: dict, part: dict, source: str, prefix: str = "") -> None:
    """Add ``part``'s tables to ``into``; a text already there is an error naming ``source``."""
    for key, value in part.items():
        path = f"{prefix}.{key}" if prefix else key
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, dict) and not _is_leaf(value):
            _merge(into[key], value, source, path)
        else:
            raise ValueError(f"{source}: {path!r} is already in the message catalogue")


@cache
def catalogue() -> dict:
    """The parsed catalogue (nested tables, leaves hold ``zh`` and ``en``)."""
    with CATALOGUE_PATH.open("rb") as f:
        merged = tomllib.load(f)
    for path in sorted(PARTS_DIR.glob("*.toml")):
        with path.open("rb") as f:
            _merge(merged, tomllib.load(f), path.name)
    return merged


def _is_leaf(node) -> bool:
    return isinstance(node, dict) and "zh" in node and "en" in node


def leaves(node: dict | None = None, prefix: str = "") -> dict[str, dict]:
    """Every leaf of the catalogue by its dotted key."""
    node = catalogue() if node is None else node
    out = {}
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if _is_leaf(value):
            out[path] = value
        elif isinstance(value, dict):
            out.update(leaves(value, path))
    return out


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# "1 clicks" → "1 click": a count of one, an optional adjective, a plural noun of the catalogue
_NOUNS = (
    "day|click|order|customer|run|row|keyword|impression|unit|item|review|search term|term|"
    "file|line|week|listing|change|action|purchase|rival|shop|campaign|person|warning|"
    "report|list|segment|twin|price cut|sales jump|review surge|best seller|keyword report|hint"
)
_ONE_PLURAL = re.compile(
    rf"(?<![\d.,])(1 (?:(?:more|bad|new|repeat|rising|cheaper|rival) )*)({_NOUNS})s\b"
)


@dataclass(frozen=True)
class Messages:
    """The catalogue in one language; ``explain`` turns on the training-mode texts."""

    lang: str = "zh"
    explain: bool = False

    def __post_init__(self):
        if self.lang not in LANGUAGES:
            raise ValueError(f"language {self.lang!r}: expected one of {', '.join(LANGUAGES)}")

    def _leaf(self, key: str) -> dict:
        node = catalogue()
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no text {key!r} in {CATALOGUE_PATH.name}")
            node = node[part]
        if not _is_leaf(node):
            raise KeyError(f"{key!r} in {CATALOGUE_PATH.name} is a group, not a text")
        return node

    def has(self, key: str) -> bool:
        """True when ``key`` names a text."""
        try:
            self._leaf(key)
        except KeyError:
            return False
        return True

    def __call__(self, key: str, **values) -> str:
        """The text ``key`` in this language, its ``{placeholders}`` filled from ``values``.

        English nouns after a count of one are singular ("1 click", "(1 day)").
        """
        text = self._leaf(key)[self.lang]
        if not values:
            return text
        text = text.format(**values)
        return _ONE_PLURAL.sub(r"\1\2", text) if self.lang == "en" else text

    def column(self, name: str) -> str:
        """A table column's header."""
        return self(f"columns.{name}")

    def column_format(self, name: str) -> str:
        """A table column's cell format (a key of ``formatting.CELL_FORMATS``)."""
        return self._leaf(f"columns.{name}").get("fmt", "text")

    def is_vocab(self, name: str) -> bool:
        """True when a column's cells are catalogue terms (translated), not shop data."""
        return bool(self._leaf(f"columns.{name}").get("vocab", False))

    def term(self, value) -> str:
        """A vocabulary value (segment, baseline, status …) in this language."""
        return self(f"terms.{value}")

    def kind(self, kind: str) -> str:
        """An export kind's name as operators call it."""
        return self(f"kinds.{kind}") if self.has(f"kinds.{kind}") else kind


def date_note_text(T: Messages, note) -> str:
    """How an ambiguous date column was read (an ``exports.DateNote``), in ``T``'s language."""
    files = ", ".join(note.files[:3]) + (f" +{len(note.files) - 3}" if len(note.files) > 3 else "")
    other = "dmy" if note.order == "mdy" else "mdy"
    common = dict(kind=T.kind(note.kind), column=note.column, files=files)
    if note.how == "setting":
        return T(
            "reasons.dates.setting",
            **common,
            code=note.order,
            order=T(f"reasons.dates.{note.order}"),
        )
    example = T("reasons.dates.example", example=note.example) if note.example else ""
    return T(
        "reasons.dates.assumed",
        **common,
        example=example,
        order=T(f"reasons.dates.{note.order}"),
        other=T(f"reasons.dates.{other}"),
        other_code=other,
    )


def unusable_text(T: Messages, kind: str, folder, broken: str) -> str:
    """Why an optional export cannot be used: absent from ``folder``, or ``broken`` (its error)."""
    if broken:
        return T("reasons.broken", kind=T.kind(kind), error=broken)
    return T("reasons.absent", kind=T.kind(kind), folder=Path(folder).name)


def missing_kind_text(T: Messages, folder, kind: str) -> str:
    """Why ``folder`` (an ``exports.ExportSource``) gave no usable ``kind``: absent or broken."""
    return unusable_text(T, kind, folder.path, folder.broken.get(kind, ""))


def left_out_text(T: Messages, gone) -> str:
    """A file left out of its kind (an ``exports.LeftOut``): why, and the days only it held."""
    gap = T("reasons.left_out_days", days=day_spans(gone.uncovered)) if gone.uncovered else ""
    return T("reasons.left_out", file=gone.file, kind=T.kind(gone.kind), gap=gap, why=gone.why)


def source_warnings(T: Messages, folder) -> list[str]:
    """What a report warns of its exports: files left out of the kinds it read, broken kinds.

    A kind whose files are named as left out is not named again as broken.
    """
    gone = folder.left_out_of(folder.asked)
    named = {x.kind for x in gone}
    return [left_out_text(T, x) for x in gone] + [
        unusable_text(T, k, folder.path, err) for k, err in folder.broken.items() if k not in named
    ]


def settle_currency(T: Messages, folder, kinds, default: str) -> tuple[str, list[str]]:
    """The report's currency from ``folder``'s loaded ``kinds``, and what was assumed.

    Amounts are written in it from now on (:func:`formatting.use_currency`). Where no export
    names a currency, ``default`` (the ``currency`` parameter) is taken and the returned note
    says so; exports that name two currencies raise (they are never added).
    """
    from . import formatting

    code, how = folder.currency(kinds, default)
    formatting.use_currency(code)
    said = {"exports": [], "unknown": [T("reasons.currency_unknown")]}
    return code, said.get(how, [T("reasons.currency_assumed", code=code)])
