"""Write the hostile-input corpus: one folder per case, and README.md's table of cases.

Run ``python tests/corpus/make_corpus.py`` to regenerate; the files are committed, and
``tests/test_corpus.py`` checks that they are what this script writes and that each case ends
as its row says. Every case is a file a platform, a colleague or an attacker could hand
ecomops; the expected outcome is what a user should see.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
ORDER_HEAD = "订单编号,买家会员名,买家实际支付金额,订单付款时间"
DAILY_HEAD = "统计日期,访客数,支付买家数,支付金额"
RIVAL_HEAD = "店铺名,宝贝标题,宝贝链接,价格,30天销量"
ZIP_TIME = (2026, 10, 21, 0, 0, 0)  # fixed member times: the corpus is byte-for-byte the same


@dataclass(frozen=True)
class Case:
    """One corpus case: its files, what they hold, and how reading them must end.

    ``outcome`` is ``reads`` (the kind loads, ``rows`` rows), ``error`` (loading the kind
    raises an error matching ``says``), ``unreadable`` (the file is listed as unreadable with
    ``says``) or ``warns`` (the customer review warns ``says``).
    """

    name: str
    holds: str
    files: dict[str, bytes]
    kind: str
    outcome: str
    says: str = ""
    rows: int = 0


def _orders(*rows: str, encoding: str = "utf-8") -> bytes:
    return (ORDER_HEAD + "\n" + "\n".join(rows) + "\n").encode(encoding)


def _zip(members: dict[str, bytes], deflate: bool = True) -> bytes:
    import io

    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, compress_type=method)
    return buf.getvalue()


def _bomb() -> bytes:
    """A ZIP of about 100 KB that would unpack to 100 MB of zeros behind a daily header."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        member = zipfile.ZipInfo("report.csv", ZIP_TIME)
        member.compress_type = zipfile.ZIP_DEFLATED
        with z.open(member, "w") as f:
            f.write((DAILY_HEAD + "\n2026-10-01,1,1,1\n").encode())
            for _ in range(100):
                f.write(bytes(2**20))
    return buf.getvalue()


OK_ORDERS = ["1,tb1,10.00,2026-10-01 10:00:00", "2,tb2,12.50,2026-10-02 11:00:00"]
HOSTILE_IDS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@alice", "ann@example.com"]


def cases() -> list[Case]:
    """Every case of the corpus, in the README's order."""
    garbled = ORDER_HEAD.encode("gb18030").decode("latin-1")
    return [
        Case(
            "formula_ids",
            "customer ids that are spreadsheet formulas, an @ handle, an e-mail",
            {
                "orders.csv": _orders(
                    *(
                        f'{i},"{c.replace(chr(34), 2 * chr(34))}",10.00,2026-10-0{i} 10:00:00'
                        for i, c in enumerate(HOSTILE_IDS, 1)
                    )
                )
            },
            "orders",
            "reads",
            rows=len(HOSTILE_IDS),
        ),
        Case(
            "inf_amount",
            "an amount of inf",
            {"orders.csv": _orders(OK_ORDERS[0], "2,tb2,inf,2026-10-02 11:00:00")},
            "orders",
            "error",
            r"orders\.csv: column '买家实际支付金额' \(amount\), row 3: expected a finite number",
        ),
        Case(
            "huge_amount",
            "an amount of 1e308",
            {"orders.csv": _orders(OK_ORDERS[0], "2,tb2,1e308,2026-10-02 11:00:00")},
            "orders",
            "error",
            r"\(amount\), row 3: expected a value at most 1,000,000,000,000",
        ),
        Case(
            "negative_price",
            "a rival listing at a negative price",
            {
                "竞品_2026-10-21.csv": (
                    RIVAL_HEAD + "\n好物,收纳盒,https://item.taobao.com/item.htm?id=1,-5.00,10\n"
                ).encode("gb18030")
            },
            "competitor_listings",
            "error",
            r"column '价格' \(price\), row 2: expected a value ≥ 0",
        ),
        Case(
            "date_1900",
            "an order paid on 1900-01-01 (Excel's zero date)",
            {"orders.csv": _orders(OK_ORDERS[0], "2,tb2,12.50,1900-01-01 00:00:00")},
            "orders",
            "error",
            r"\(paid_at\), row 3: expected a date between 1995-01-01 and today",
        ),
        Case(
            "date_2100",
            "an order paid in 2100",
            {"orders.csv": _orders(OK_ORDERS[0], "2,tb2,12.50,2100-01-01 10:00:00")},
            "orders",
            "error",
            r"\(paid_at\), row 3: expected a date between 1995-01-01 and today",
        ),
        Case(
            "mojibake_header",
            "an order export whose GB18030 header was read as Latin-1 and saved again",
            {"orders.csv": (garbled + "\n" + "\n".join(OK_ORDERS) + "\n").encode("utf-8")},
            "orders",
            "unreadable",
            r"orders\.csv: the header line is not readable text",
        ),
        Case(
            "question_header",
            "an order export whose Chinese header became ? (a Latin-1 save)",
            {"orders.csv": ("????,?????,???????,??????\n" + "\n".join(OK_ORDERS) + "\n").encode()},
            "orders",
            "unreadable",
            r"orders\.csv: the header line is not readable text",
        ),
        Case(
            "cut_last_row",
            "a download that stopped in the middle of its last row",
            {"orders.csv": _orders(*OK_ORDERS, "3,tb3,9.").rstrip(b"\n")},
            "orders",
            "error",
            r"orders\.csv: row 4 is cut short: 3 of 4 columns",
        ),
        Case(
            "duplicate_header",
            "two columns headed 买家实际支付金额",
            {
                "orders.csv": (
                    ORDER_HEAD + ",买家实际支付金额\n1,tb1,10.00,2026-10-01 10:00:00,9\n"
                ).encode()
            },
            "orders",
            "error",
            r"columns 3 and 5 are both headed '买家实际支付金额'",
        ),
        Case(
            "crowded_order",
            "one order id on 1,200 lines (the order-id column holds a shop id)",
            {
                "orders.csv": _orders(
                    *(
                        f"SHOP1,tb{i % 50},{10 + i % 9}.00,2026-10-{1 + i % 20:02d} 10:00:00"
                        for i in range(1200)
                    )
                )
            },
            "orders",
            "warns",
            r"order id SHOP1 in orders\.csv is on 1,200 lines",
        ),
        Case(
            "zip_bomb",
            "a ZIP of 100 KB that would unpack to 100 MB",
            {"万相台_计划报表.zip": _bomb()},
            "shop_daily",
            "unreadable",
            r"would unpack to 100 MB .* not unpacked",
        ),
        Case(
            "two_tables_zip",
            "a ZIP holding two CSVs",
            {
                "exports.zip": _zip(
                    {
                        "a.csv": DAILY_HEAD.encode() + b"\n2026-10-01,1,1,1\n",
                        "b.csv": DAILY_HEAD.encode() + b"\n2026-10-02,1,1,1\n",
                    }
                )
            },
            "shop_daily",
            "unreadable",
            r"exports\.zip: a ZIP holding 2 tables \(a\.csv, b\.csv\)",
        ),
        Case(
            "traversal_zip",
            "a ZIP whose one member is named ../../evil.csv (never extracted, read in place)",
            {"万相台.zip": _zip({"../../evil.csv": DAILY_HEAD.encode() + b"\n2026-10-01,5,1,9\n"})},
            "shop_daily",
            "reads",
            rows=1,
        ),
        Case(
            "corrupt_zip",
            "a ZIP cut after its first bytes",
            {"万相台.zip": _zip({"a.csv": b"x" * 5000}, deflate=False)[:60]},
            "shop_daily",
            "unreadable",
            r"万相台\.zip: cannot be read",
        ),
        Case(
            "corrupt_xlsx",
            "an .xlsx that is not a workbook",
            {"整体看板.xlsx": b"PK\x03\x04 not really a workbook"},
            "shop_daily",
            "unreadable",
            r"整体看板\.xlsx: cannot be read",
        ),
        Case(
            "html_in_cells",
            "a rival title holding <script> and a quote (escaped wherever it is shown)",
            {
                "竞品_2026-10-21.csv": (
                    RIVAL_HEAD + '\n好物,"<script>alert(1)</script> ""盒""",'
                    "https://item.taobao.com/item.htm?id=1,5.00,10\n"
                ).encode("gb18030")
            },
            "competitor_listings",
            "reads",
            rows=1,
        ),
        Case(
            "gb18030_title_rows",
            "a 生意参谋 daily export in GB18030 with title rows and 1,234 / 3.45% / -- cells",
            {
                "整体看板.csv": (
                    "生意参谋 > 整体看板\n统计时间：2026-10-01 ~ 2026-10-02\n\n"
                    + DAILY_HEAD
                    + ',跳失率\n2026-10-01,"1,234",62,"5,678.90",61.20%\n'
                    '2026-10-02,980,40,"4,020.50",--\n'
                ).encode("gb18030")
            },
            "shop_daily",
            "reads",
            rows=2,
        ),
    ]


# Cases of a whole run rather than of a file: where each is tested.
RUN_CASES = [
    (
        "$ in campaign, source, item and rival names",
        "every chart draws them as written",
        "test_plots.py::test_names_from_exports_are_drawn_as_written_never_as_math",
    ),
    (
        "hostile ids, $ names and formula titles in a whole run",
        "all four reports ok; no CSV cell a formula; no raw id in a page",
        "test_hostile_run.py::test_every_report_runs_and_every_csv_is_safe",
    ),
    (
        "any customer id, including blank and 5,000 characters",
        "masks without showing it",
        "test_privacy.py::test_every_text_masks",
    ),
    (
        "guessing a masked id by hashing candidates",
        "impossible: the mask is keyed",
        "test_privacy.py::test_a_mask_cannot_be_narrowed_by_hashing_guesses",
    ),
    (
        "raw ids in segments/ and the parse cache",
        "owner-only files (0600) and folders (0700)",
        "test_privacy.py::test_crm_lists_are_owner_only_and_formula_safe",
    ),
    (
        "a file changed at the same size and time",
        "parsed again (the cache keys on bytes)",
        "test_export_cache.py::test_a_new_file_with_yesterdays_size_and_time_is_parsed_again",
    ),
    (
        "temp folders of dead runs, a half-done swap",
        "removed; the old day restored",
        "test_output_folder.py::test_the_next_run_removes_temp_folders_of_dead_runs_and_restores"
        "_a_half_swap",
    ),
    (
        "two runs into one folder",
        "the second waits, says so, exits 5 after --wait",
        "test_output_folder.py::test_a_second_run_waits_and_then_gives_up_with_its_own_exit_code",
    ),
    (
        "a full disk, a read-only folder",
        "one line, exit 4 or 3, yesterday kept",
        "test_output_folder.py::test_a_full_disk_or_read_only_folder_is_one_line_and_its_own_code",
    ),
    (
        "a hung kernel",
        "its report stops after --timeout; the others finish",
        "test_output_folder.py::test_a_hung_kernel_stops_its_report_only",
    ),
    (
        "SIGKILL at random points",
        "the day is yesterday's whole or today's whole",
        "test_output_folder.py::test_sigkill_at_random_points_leaves_yesterdays_day_whole_or_"
        "todays",
    ),
    (
        "any table in any supported format and encoding",
        "reads back equal",
        "test_corpus.py::test_any_table_written_in_any_format_reads_back_equal",
    ),
    (
        "a data folder named with spaces, Chinese and a leading dash",
        "read (`--data=-my shop 店铺`)",
        "test_corpus.py::test_folders_with_spaces_chinese_and_a_leading_dash_are_read",
    ),
]

OUTCOME_TEXT = {
    "reads": "reads {rows} row(s)",
    "error": "error: {says}",
    "unreadable": "listed unreadable: {says}",
    "warns": "warning: {says}",
}


def readme(all_cases: list[Case]) -> str:
    """The corpus table: case, what it holds, the expected outcome, the test."""
    lines = [
        "# Hostile-input corpus",
        "",
        "Written by `make_corpus.py` (do not edit by hand); `tests/test_corpus.py` checks each "
        "case. Patterns are regular expressions.",
        "",
        "| case | holds | expected outcome | test |",
        "|---|---|---|---|",
    ]
    for c in all_cases:
        said = OUTCOME_TEXT[c.outcome].format(rows=c.rows, says=c.says.replace("|", "\\|"))
        lines.append(f"| `{c.name}` | {c.holds} | {said} | `test_corpus.py::test_case[{c.name}]` |")
    lines += [
        "",
        "## Cases of a whole run",
        "",
        "| case | expected outcome | test |",
        "|---|---|---|",
    ]
    lines += [f"| {what} | {outcome} | `{test}` |" for what, outcome, test in RUN_CASES]
    return "\n".join(lines) + "\n"


def write(root: Path = HERE) -> None:
    """Write every case's files under ``root/<case>/`` and the README."""
    for case in cases():
        folder = root / case.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in case.files.items():
            (folder / name).write_bytes(data)
    (root / "README.md").write_text(readme(cases()), encoding="utf-8")


if __name__ == "__main__":
    write()
