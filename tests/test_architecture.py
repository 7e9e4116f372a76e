"""The layers' dependency rules (the [tool.importlinter] contracts in pyproject.toml) hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_every_import_contract_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert "BROKEN" not in report
    assert exit_code == 0, report
    assert report.count("KEPT") >= 7
