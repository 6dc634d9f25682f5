"""README's Python examples run as written (in an empty folder that holds only the examples)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("n", range(len(BLOCKS)))
def test_readme_python_example_runs(n: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[n], f"README.md block {n + 1}", "exec"), {"__name__": "readme"})  # noqa: S102 - our own README
    assert set(os.listdir(tmp_path)) >= {"examples"}
