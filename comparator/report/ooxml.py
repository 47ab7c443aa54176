"""Report zip files (xlsx, docx): entries and document properties stamped with the pinned date.

Part of the report stage (compare/checks -> **report** -> cli/ui), shared by
:mod:`.xlsx` and :mod:`.docx` so that the same report is the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from .views import ReportOptions, resolve_generated_at


def _zip_time(generated: str) -> tuple[int, int, int, int, int, int]:
    """Zip entry time for the pinned date (zip cannot store dates before 1980)."""
    stamp = dt.datetime.strptime(generated[:16], "%Y-%m-%d %H:%M") if len(generated) > 10 else \
        dt.datetime.fromisoformat(generated)
    stamp = max(stamp, dt.datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, 0)


def _pinned_datetime(options: ReportOptions) -> dt.datetime:
    return dt.datetime(*_zip_time(resolve_generated_at(options.generated_at)))


def _normalise_zip(data: bytes, options: ReportOptions) -> bytes:
    """Rewrite a zip (xlsx, docx) with every entry stamped with the pinned date, so the same
    report is the same bytes (openpyxl and python-docx stamp entries with the current time)."""
    when = _zip_time(resolve_generated_at(options.generated_at))
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*when)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl overwrites "modified" with the clock while saving, whatever we set.
                content = _CORE_MODIFIED.sub(lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


_CORE_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)([^<]*)(</dcterms:modified>)")
