"""The message catalogue: complete in both languages, and every key the code asks for exists."""

import re
from pathlib import Path

import pytest

from ecomops_helpers.page import formatting
from ecomops_helpers.page.i18n import LANGUAGES, Messages, catalogue, leaves, placeholders
from ecomops_helpers.paths import NOTEBOOKS_DIR

PACKAGE = Path(__file__).parents[1] / "ecomops_helpers"
CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_text_in_both_languages_with_the_same_placeholders():
    for key, leaf in leaves().items():
        zh, en = leaf["zh"], leaf["en"]
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key


def _one_language_only(node: dict, path: str = ""):
    """Tables holding a text in some languages only: ``leaves`` would take them for groups."""
    for key, value in node.items():
        if isinstance(value, dict):
            if set(LANGUAGES) & set(value) and not set(LANGUAGES) <= set(value):
                yield f"{path}{key}"
            yield from _one_language_only(value, f"{path}{key}.")


def test_no_text_is_in_one_language_only():
    assert not list(_one_language_only(catalogue()))
    assert list(_one_language_only({"cli": {"new": {"en": "usage"}}})) == ["cli.new"]


def test_english_texts_hold_no_chinese_but_the_names_of_chinese_tools():
    allowed = {
        "生意参谋",
        "直通车",
        "引力魔方",
        "淘宝客",
        "万相台",
    }  # platform names the reader knows
    for key, leaf in leaves().items():
        text = leaf["en"]
        for name in allowed:
            text = text.replace(name, "")
        assert not CJK.search(text), key


def test_column_formats_exist():
    for key, leaf in leaves().items():
        if key.startswith("columns."):
            assert leaf.get("fmt", "text") in formatting.CELL_FORMATS, key


def _asked_keys() -> set[str]:
    """Literal keys the package and the notebooks pass to a catalogue lookup.

    A section asks for its text (``<key>.text``, or the key itself when it is one text).
    """
    sources = [p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")]
    sources += [p.read_text(encoding="utf-8") for p in NOTEBOOKS_DIR.glob("*.ipynb")]
    pattern = re.compile(r"""(?:\bT|Messages\([^)]*\))\(\\?["']([a-z_]+(?:\.[a-z_0-9]+)+)\\?["']""")
    sections = re.compile(r"""section\(T, \\?["']([a-z_.]+)\\?["']""")
    keys = set()
    for src in sources:
        keys |= set(pattern.findall(src))
        keys |= {f"{k}.text" if Messages().has(f"{k}.text") else k for k in sections.findall(src)}
    return keys


def test_every_key_the_code_asks_for_exists():
    keys = _asked_keys()
    assert len(keys) > 40  # the scan found the lookups
    missing = [k for k in sorted(keys) if not Messages("zh").has(k)]
    assert not missing


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_missing_key_is_an_error_not_a_fallback(lang):
    with pytest.raises(KeyError, match="no text 'daily.nope'"):
        Messages(lang)("daily.nope")
    with pytest.raises(ValueError, match="expected one of zh, en"):
        Messages("fr")
