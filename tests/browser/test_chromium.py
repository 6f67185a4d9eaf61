"""Without Chromium the browser tests are skipped with the command that installs it, except in
CI, where they must not go quietly unrun."""

import pytest

from .chromium import MISSING, require_chromium


def test_missing_chromium_skips_the_browser_tests_with_the_install_command(tmp_path):
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_chromium(tmp_path / "chromium", environ={})

    assert str(skipped.value) == MISSING
    assert "apt-get install chromium" in MISSING


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_missing_chromium_fails_the_run_in_ci(tmp_path, value):
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        require_chromium(tmp_path / "chromium", environ={"CI": value})


def test_ci_set_to_false_still_skips(tmp_path):
    with pytest.raises(pytest.skip.Exception):
        require_chromium(tmp_path / "chromium", environ={"CI": "false"})


def test_an_installed_chromium_is_used(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.touch()

    require_chromium(chromium, environ={"CI": "true"})
