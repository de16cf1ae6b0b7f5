"""``hkex-monitor parse``: read any document the product understands and say what kind it is."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def parse(file: str, *, as_json: bool) -> int:
    """Read any document the product understands; exit 0 when it was read, 1 when it was not (a
    kind that is recognised and not read, or a file that cannot be read), with one JSON object
    either way under --json."""
    from parsers.errors import ParseError
    from parsers.reading import read_document
    from parsers.report import ResultsReport
    from parsers.table import render_notice, render_table

    try:
        reading = read_document(Path(file))
    except ParseError as exc:
        return parse_failed(file, str(exc), as_json=as_json)
    if reading.record is None:
        if as_json:
            print(json.dumps({**reading.to_json_dict(), "error": f"not read: {reading.reason}"},
                             ensure_ascii=False))
        else:
            print(f"hkex-monitor parse: {file}: {reading.kind.value}, not read: {reading.reason}",
                  file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(reading.to_json_dict(), ensure_ascii=False))
    elif isinstance(reading.record, ResultsReport):
        print(render_table(reading.record))
    else:
        print(render_notice(reading.record))
    return 0


def parse_failed(file: str, error: str, *, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"file": file, "error": error}, ensure_ascii=False))
    else:
        print(f"hkex-monitor parse: {file}: {error}", file=sys.stderr)
    return 1
