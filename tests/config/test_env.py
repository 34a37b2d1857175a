"""Settings from the environment: typed, loud on bad values, secrets from files (issue 4 #3)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from kefu.config.env import (
    ImproperlyConfiguredValue,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    persistent_secret_key,
)


def test_a_missing_variable_gives_the_default():
    assert env_str("KEFU_X", "fallback", {}) == "fallback"
    assert env_bool("KEFU_X", True, {}) is True
    assert env_int("KEFU_X", 7, {}) == 7
    assert env_list("KEFU_X", ["a"], {}) == ["a"]
    assert env_choice("KEFU_X", "zh-hans", {"zh-hans", "en"}, {}) == "zh-hans"


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_true_spellings(raw):
    assert env_bool("KEFU_FLAG", False, {"KEFU_FLAG": raw}) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_false_spellings(raw):
    assert env_bool("KEFU_FLAG", True, {"KEFU_FLAG": raw}) is False


@pytest.mark.parametrize("raw", ["2", "ture", "y", "enabled"])
def test_a_bad_boolean_fails_loudly_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfiguredValue, match="KEFU_FLAG") as caught:
        env_bool("KEFU_FLAG", False, {"KEFU_FLAG": raw})
    assert repr(raw) in str(caught.value)


def test_integers_are_parsed_and_checked_against_their_bounds():
    assert env_int("KEFU_PORT", 25, {"KEFU_PORT": " 587 "}, minimum=1, maximum=65535) == 587
    with pytest.raises(ImproperlyConfiguredValue, match="KEFU_PORT='25x' is not an integer"):
        env_int("KEFU_PORT", 25, {"KEFU_PORT": "25x"})
    with pytest.raises(ImproperlyConfiguredValue, match="below the minimum 1"):
        env_int("KEFU_PORT", 25, {"KEFU_PORT": "0"}, minimum=1)
    with pytest.raises(ImproperlyConfiguredValue, match="above the maximum 65535"):
        env_int("KEFU_PORT", 25, {"KEFU_PORT": "70000"}, maximum=65535)


def test_lists_are_comma_separated_and_ignore_blanks():
    hosts = env_list("KEFU_HOSTS", [], {"KEFU_HOSTS": " kefu.example.cn, ,10.0.0.5 ,"})
    assert hosts == ["kefu.example.cn", "10.0.0.5"]
    assert env_list("KEFU_HOSTS", ["x"], {"KEFU_HOSTS": ""}) == []


def test_a_choice_outside_the_allowed_set_fails_loudly():
    assert (
        env_choice("KEFU_LANGUAGE", "zh-hans", {"zh-hans", "en"}, {"KEFU_LANGUAGE": "en"}) == "en"
    )
    with pytest.raises(ImproperlyConfiguredValue, match="KEFU_LANGUAGE='fr' is not one of: en, zh"):
        env_choice("KEFU_LANGUAGE", "zh-hans", {"zh-hans", "en"}, {"KEFU_LANGUAGE": "fr"})


def test_a_secret_can_come_from_a_file_and_wins_over_the_plain_variable(tmp_path):
    secret = tmp_path / "db_password"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    environ = {"KEFU_EMAIL_PASSWORD_FILE": str(secret), "KEFU_EMAIL_PASSWORD": "plain"}
    assert env_str("KEFU_EMAIL_PASSWORD", "", environ) == "s3cret-from-file"


def test_typed_helpers_read_files_too(tmp_path):
    (tmp_path / "port").write_text("2525\n", encoding="utf-8")
    assert env_int("KEFU_EMAIL_PORT", 25, {"KEFU_EMAIL_PORT_FILE": str(tmp_path / "port")}) == 2525


def test_an_unreadable_secret_file_fails_loudly_naming_the_variable(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ImproperlyConfiguredValue, match="KEFU_SECRET_KEY_FILE: cannot read"):
        env_str("KEFU_SECRET_KEY", "", {"KEFU_SECRET_KEY_FILE": str(missing)})


def test_the_secret_key_is_generated_once_private_and_then_kept(tmp_path):
    path = tmp_path / "data" / "secret_key"
    first = persistent_secret_key(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert persistent_secret_key(path) == first


def test_a_too_short_stored_key_fails_loudly_instead_of_being_replaced(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("short\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfiguredValue, match="shorter than 50"):
        persistent_secret_key(path)
    assert path.read_text(encoding="utf-8") == "short\n"


def test_processes_starting_together_share_one_generated_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "fresh" / "secret_key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _i: persistent_secret_key(path), range(16)))
    assert len(keys) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def start_django(tmp_path, **variables: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter that loads the settings, as `kefu serve` would."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KEFU_") and key != "DATABASE_URL"
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "kefu.settings", "KEFU_DATA_DIR": str(tmp_path)}
    environ |= variables
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )


def test_production_mode_without_a_secret_key_refuses_to_start(tmp_path):
    result = start_django(tmp_path, KEFU_PRODUCTION="1", KEFU_ALLOWED_HOSTS="kefu.example.cn")
    assert result.returncode != 0
    assert "KEFU_SECRET_KEY is required when KEFU_PRODUCTION=1" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_production_mode_without_allowed_hosts_refuses_to_start(tmp_path):
    result = start_django(tmp_path, KEFU_PRODUCTION="1", KEFU_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "KEFU_ALLOWED_HOSTS is required" in result.stderr


def test_production_mode_with_key_and_hosts_starts_without_debug(tmp_path):
    result = start_django(
        tmp_path,
        KEFU_PRODUCTION="1",
        KEFU_SECRET_KEY="k" * 60,
        KEFU_ALLOWED_HOSTS="kefu.example.cn",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_bad_value_in_the_environment_stops_start_up(tmp_path):
    result = start_django(tmp_path, KEFU_EMAIL_PORT="smtp")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "KEFU_EMAIL_PORT='smtp' is not an integer" in result.stderr


def test_the_embedded_default_generates_and_stores_a_secret_key(tmp_path):
    result = start_django(tmp_path)
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret_key").read_text(encoding="utf-8").strip()) >= 50
