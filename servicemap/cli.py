"""Command line: `python -m servicemap validate [PATH]`, `python -m servicemap export` and
`python -m servicemap template --out 登记表模板.xlsx`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from servicemap import export, template
from servicemap.registry import RegistryUnreadable, data_path, load_registry

EXIT_VALID = 0
EXIT_ROWS_REJECTED = 1
EXIT_UNREADABLE = 2


TEMPLATE_NAME = "登记表模板.xlsx"


def _write_template(out: Path, chosen_format: str | None) -> int:
    # Never over an existing file: `--out 登记表.xlsx` would otherwise wipe the office's own registry.
    if out.exists():
        print(f"{out}: 文件已存在，没有覆盖；请换一个文件名", file=sys.stderr)
        return EXIT_UNREADABLE
    as_csv = (chosen_format or ("csv" if out.suffix.lower() == ".csv" else "xlsx")) == "csv"
    out.write_bytes(template.csv_text().encode("utf-8") if as_csv else template.xlsx_bytes())
    print(f"已写出空白登记表模板：{out}" + ("" if as_csv else "（填写说明在“说明”工作表）"), file=sys.stderr)
    return EXIT_VALID


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m servicemap", description="站点登记表工具：检查、导出、空白模板")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="检查登记表（CSV/XLSX），逐行报告问题")
    validate.add_argument("path", nargs="?", help="默认：$SERVICEMAP_DATA 或 data/sites.csv")
    exporter = commands.add_parser("export", help="导出校验后的登记表（WGS-84 坐标）")
    exporter.add_argument("--format", choices=("csv", "xlsx", "geojson"), default="csv")
    exporter.add_argument("--out", help="输出文件；省略则写到标准输出")
    exporter.add_argument("--data", help="登记表文件；默认：$SERVICEMAP_DATA 或 data/sites.csv")
    blank = commands.add_parser(
        "template",
        help="写出空白登记表模板：中文表头，xlsx 另有“说明”工作表（每列是否必填、可写哪些词）",
        description="新街道开始自己的登记表：写出程序认得的中文表头；模板里没有示例行（示例在“说明”工作表里，不会被读入）。",
    )
    blank.add_argument(
        "--out", default=TEMPLATE_NAME, help=f"输出文件；默认：{TEMPLATE_NAME}（已存在的文件不会被覆盖）"
    )
    blank.add_argument("--format", choices=("xlsx", "csv"), help="默认按 --out 的扩展名，否则 xlsx")
    args = parser.parse_args(argv)
    if args.command == "template":
        return _write_template(Path(args.out), args.format)

    source = Path(getattr(args, "path", None) or getattr(args, "data", None) or data_path())
    try:
        result = load_registry(source)
    except RegistryUnreadable as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE

    if args.command == "validate":
        for issue in result.issues:
            print(issue)
        # Notes reject nothing: on standard error with the summary, so standard output stays the rows to fix.
        for note in result.notes:
            print(f"提示：{note}", file=sys.stderr)
        kept = len(result.sites)
        print(
            f"{source}: {result.total_rows} 行，有效 {kept} 行，拒收 {len(result.rejected_rows)} 行",
            file=sys.stderr,
        )
        # A required column missing leaves the whole file unusable, as a title row does: not "some rows left out".
        if result.header_problems:
            return EXIT_UNREADABLE
        return EXIT_VALID if result.ok else EXIT_ROWS_REJECTED

    if args.format == "xlsx":  # the registry kept in Excel, as many offices keep it; it loads back as it is
        content = export.to_xlsx_bytes(result.sites)
    elif args.format == "csv":
        content = export.to_csv_text(result.sites).encode("utf-8")
    else:
        content = (export.to_geojson_text(result.sites) + "\n").encode("utf-8")
    if args.out:
        Path(args.out).write_bytes(content)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    for issue in result.issues:
        print(issue, file=sys.stderr)
    return EXIT_VALID if result.ok else EXIT_ROWS_REJECTED
