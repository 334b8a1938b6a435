"""The ecomops command in zh and en: help, check's table and error lines follow --lang,
ECOMOPS_LANG and the locale, in that order."""

import argparse
import inspect
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from ecomops_helpers.page.i18n import LANGUAGES, leaves
from ecomops_helpers.run import cli
from ecomops_helpers.run.cli import cli_language, main

BIN = Path(sys.executable).parent
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
EXPORT_NAMES = ("生意参谋",)  # a Chinese tool's name an English text may hold
COMMANDS = ["run", "run-all", "check", "ingest", "sample", "screenshots", "install-kernel"]


@pytest.fixture
def env(monkeypatch):
    """No language in the environment but what a test sets."""
    for name in ("ECOMOPS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _columns(text: str) -> int:
    """Columns of a terminal, where a Chinese character takes two."""
    return len(text) + sum(unicodedata.east_asian_width(c) in "WF" for c in text)


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _in_language(text: str, lang: str) -> bool:
    for name in EXPORT_NAMES:
        text = text.replace(name, "")
    return bool(CJK.search(text)) == (lang == "zh")


def test_every_command_is_tested(capsys):
    listed = re.search(r"\{(run[^}]*)\}", _help(capsys, "--lang", "en")).group(1)
    assert listed.split(",") == COMMANDS


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_plain_text_in_the_language_asked(capsys, env, command, lang):
    env.setenv("COLUMNS", "80")
    text = _help(capsys, *([command] if command else []), "--lang", lang)
    assert "`" not in text
    assert _in_language(text, lang), text
    assert text.startswith("用法：" if lang == "zh" else "usage: ")
    body = text.split("\n\n", 1)[1].splitlines()  # argparse wraps the usage, cli the texts
    assert max(_columns(line) for line in body) <= 80, body


def test_top_help_says_the_order_of_the_language_settings(capsys):
    text = " ".join(_help(capsys, "--lang", "en").split())
    assert "Language: --lang, else the variable ECOMOPS_LANG, else the locale" in text
    assert "Reports are in Chinese unless --lang or ECOMOPS_LANG says otherwise" in text


def _shop(folder: Path) -> Path:
    (folder / "a.csv").write_text(
        "统计日期,访客数,支付买家数,支付金额\n2026-10-01,1,0,0\n", encoding="utf-8"
    )
    (folder / "notes.csv").write_text("备注,内容\n1,2\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "lang,head,row,total",
    [
        (
            "en",
            ["kind", "rows", "from, dates"],
            "1 row from 1 file(s), 2026-10-01 … 2026-10-01",
            "1 file(s) read, 0 left out, 1 not recognised, 0 error(s)",
        ),
        (
            "zh",
            ["类型", "行数", "来源与日期"],
            "1 行 来自 1 个文件，2026-10-01 … 2026-10-01",
            "读取 1 个文件，排除 0 个，1 个未识别，0 个错误",
        ),
    ],
)
def test_check_table_in_both_languages(export_dir, capsys, env, lang, head, row, total):
    assert main(["check", "--data", str(_shop(export_dir)), "--lang", lang]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split(maxsplit=2) == head
    word = row.split()[1]  # rows / 行
    rows = lines[1][: lines[1].index(head[1]) + len(head[1])]
    unit = lines[2][: lines[2].index(word) + len(word)]
    assert _columns(rows) == _columns(unit)  # the rows heading ends over the rows' unit
    assert lines[2].startswith("  shop_daily") and lines[2].endswith(row)
    assert lines[-1] == total


@pytest.mark.parametrize(
    "lang,line", [("en", "error: {} does not exist"), ("zh", "错误：{} 不存在")]
)
def test_a_missing_data_folder_in_both_languages(tmp_path, capsys, env, lang, line):
    missing = tmp_path / "nope"
    for command in ("check", "run", "ingest"):
        argv = [command, "--data", str(missing), "--lang", lang]
        assert main(argv + (["--store", str(tmp_path)] if command == "ingest" else [])) == 2
        assert capsys.readouterr().err == line.format(missing) + "\n"


def test_argparse_errors_in_chinese(capsys, env):
    with pytest.raises(SystemExit):
        main(["run", "--date", "2026-13-01", "--lang", "zh"])
    err = capsys.readouterr().err
    assert err.startswith("用法：ecomops run")
    assert "ecomops run：错误：参数 --date：不是 YYYY-MM-DD 格式的日期：2026-13-01" in err
    with pytest.raises(SystemExit):
        main(["sample", "--lang", "zh"])
    assert "缺少必需的参数：--out" in capsys.readouterr().err


def test_argparse_words_are_argparses_own():
    """Each English text is argparse's message as this Python writes it, so it is replaced."""
    source = inspect.getsource(argparse)
    for key, leaf in leaves().items():
        if key.startswith("cli.argparse."):
            assert f"_({leaf['en']!r})" in source, key


@pytest.mark.parametrize(
    "argv,env_vars,lang",
    [
        (["--lang", "zh"], {"ECOMOPS_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
        (["check", "--lang=en"], {"ECOMOPS_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"ECOMOPS_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ([], {"ECOMOPS_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        ([], {"LANG": "zh_CN.UTF-8"}, "zh"),
        ([], {"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ([], {"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        ([], {}, "en"),
        (["--lang", "fr"], {"LANG": "zh_CN.UTF-8"}, "zh"),  # argparse then refuses fr
    ],
)
def test_lang_wins_over_ecomops_lang_over_the_locale(argv, env_vars, lang):
    assert cli_language(argv, env_vars) == lang


@pytest.mark.parametrize(
    "argv,env_vars,said,reports",
    [
        (["run"], {"LANG": "zh_CN.UTF-8"}, "zh", "zh"),
        (["run"], {"LANG": "en_US.UTF-8"}, "en", "zh"),  # the locale is the terminal's only
        (["run"], {"LANG": "zh_CN.UTF-8", "ECOMOPS_LANG": "en"}, "en", "en"),
        (["--lang", "zh", "run"], {"ECOMOPS_LANG": "en"}, "zh", "zh"),
        (["run", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}, "en", "en"),
    ],
)
def test_the_reports_follow_lang_and_ecomops_lang_not_the_locale(
    env, argv, env_vars, said, reports
):
    seen = []
    env.setattr(cli, "_cmd_run", lambda args, T: seen.append((T.lang, args.lang)) or 0)
    for name, value in env_vars.items():
        env.setenv(name, value)
    assert main(argv) == 0
    assert seen == [(said, reports)]


def test_a_wrong_ecomops_lang_is_an_error(env, capsys):
    env.setenv("ECOMOPS_LANG", "fr")
    assert main(["check"]) == 2
    assert capsys.readouterr().err == "error: ECOMOPS_LANG=fr: expected zh or en\n"


def test_the_installed_command_follows_the_locale():
    def top_help(**env: str) -> str:
        env = {"PATH": os.environ["PATH"], **env}
        done = subprocess.run(
            [str(BIN / "ecomops"), "--help"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert top_help(LANG="zh_CN.UTF-8").startswith("用法：")
    assert top_help(LANG="zh_CN.UTF-8", ECOMOPS_LANG="en").startswith("usage: ")
