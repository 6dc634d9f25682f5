"""pytest plugin: every row of every ``tests/law/*.yaml`` sheet is a test item named by the row.

A failing row prints the sheet, the row, each field with expected and got, and the citations the
compared conclusions used, without a Python traceback. Loaded from ``tests/conftest.py`` (a second
``conftest.py`` here would shadow the one the test modules import their builders from).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fdiscreen.errors import FdiscreenError
from fdiscreen.testsheet import Row, RowResult, format_failure, load_sheet, run_row

LAW_DIR = Path(__file__).resolve().parent


class RowFailed(Exception):
    """A row whose expectations the engine did not meet."""

    def __init__(self, result: RowResult) -> None:
        super().__init__(result.name)
        self.result = result


class SheetFile(pytest.File):
    """One sheet: a test item per row; a broken sheet is one collection error in one line."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            rows = load_sheet(self.path)
        except FdiscreenError as exc:
            raise self.CollectError(f"broken test sheet: {exc.one_line()}") from None
        for row in rows:
            yield SheetRow.from_parent(self, name=row.name, row=row)


class SheetRow(pytest.Item):
    def __init__(self, *, row: Row, **kw: Any) -> None:
        super().__init__(**kw)
        self.row = row

    def runtest(self) -> None:
        result = run_row(self.row)
        if not result.passed:
            raise RowFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RowFailed):
            return format_failure(excinfo.value.result)
        if isinstance(excinfo.value, FdiscreenError):
            return f"{self.row.where}: {self.row.name}\n  error: {excinfo.value.one_line()}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.row.where}: {self.row.name}"


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> SheetFile | None:
    """Collect the sheets in this folder (and sheets given on the command line)."""
    if file_path.suffix == ".yaml" and (file_path.parent == LAW_DIR or parent.session.isinitpath(file_path)):
        return SheetFile.from_parent(parent, path=file_path)
    return None
