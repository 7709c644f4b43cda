"""Command line: `python -m servicemap validate [PATH]` and `python -m servicemap export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from servicemap import export
from servicemap.registry import RegistryUnreadable, data_path, load_registry

EXIT_VALID = 0
EXIT_ROWS_REJECTED = 1
EXIT_UNREADABLE = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m servicemap", description="卢街颐养 站点登记表工具")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="检查登记表（CSV/XLSX），逐行报告问题")
    validate.add_argument("path", nargs="?", help="默认：$SERVICEMAP_DATA 或 data/sites.csv")
    exporter = commands.add_parser("export", help="导出校验后的登记表（WGS-84 坐标）")
    exporter.add_argument("--format", choices=("csv", "xlsx", "geojson"), default="csv")
    exporter.add_argument("--out", help="输出文件；省略则写到标准输出")
    exporter.add_argument("--data", help="登记表文件；默认：$SERVICEMAP_DATA 或 data/sites.csv")
    args = parser.parse_args(argv)

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
