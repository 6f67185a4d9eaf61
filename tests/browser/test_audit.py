"""Without axe-core (node_modules/ not installed) the accessibility checks fail with the
command that installs it, rather than going quietly unrun."""

import pytest

from . import audit


def test_a_missing_axe_core_fails_with_the_command_that_installs_it(monkeypatch, tmp_path):
    monkeypatch.setattr(audit, "AXE", tmp_path / "axe.min.js")

    with pytest.raises(pytest.fail.Exception) as failed:
        audit.axe_source()

    assert str(failed.value) == audit.AXE_MISSING
    assert "run `npm ci`" in audit.AXE_MISSING


def test_an_installed_axe_core_is_read_from_node_modules():
    assert audit.axe_source() == audit.AXE
    assert audit.AXE.parts[-3:] == ("node_modules", "axe-core", "axe.min.js")
