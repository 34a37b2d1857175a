"""Connection, SMS, base URL and report settings come from the environment, typed (issue 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; print(json.dumps({'age': db['CONN_MAX_AGE'], "
    "'checks': db['CONN_HEALTH_CHECKS'], 'options': db.get('OPTIONS', {}), "
    "'base': s.KEFU_BASE_URL, 'sms': [s.KEFU_SMS_BACKEND, s.KEFU_SMS_URL, s.KEFU_SMS_TIMEOUT], "
    "'live': s.KEFU_REPORTS_LIVE}))"
)


def load(tmp_path, **variables: str) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KEFU_") and key != "DATABASE_URL"
    }
    environ |= {"DJANGO_SETTINGS_MODULE": "kefu.settings", "KEFU_DATA_DIR": str(tmp_path)}
    environ |= variables
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environ, capture_output=True, text=True, timeout=60
    )


def loaded(tmp_path, **variables: str) -> dict:
    result = load(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults(tmp_path):
    found = loaded(tmp_path)
    assert found["age"] == 600  # each HTTP thread keeps its SQLite connection (kefu.serving)
    assert found["checks"] is True
    assert found["options"]["transaction_mode"] == "IMMEDIATE"  # SQLite: writers queue
    assert found["base"] == "http://127.0.0.1:8000"
    assert found["sms"] == ["log", "", 10]
    assert found["live"] is True


def test_postgresql_connections_come_from_a_pool_by_default(tmp_path):
    url = "postgres://kefu@db.example.cn/kefu"
    pooled = loaded(tmp_path, DATABASE_URL=url)
    assert pooled["options"]["pool"]["max_size"] == 10
    assert pooled["age"] == 0  # the pool keeps the connections
    sized = loaded(tmp_path, DATABASE_URL=url, KEFU_DB_POOL_SIZE="25")
    assert sized["options"]["pool"]["max_size"] == 25
    aged = loaded(tmp_path, DATABASE_URL=url, KEFU_DB_POOL="0", KEFU_DB_CONN_MAX_AGE="300")
    assert aged["age"] == 300
    assert "pool" not in aged["options"]


def test_values_are_read_and_normalised(tmp_path):
    found = loaded(
        tmp_path,
        KEFU_BASE_URL="https://kefu.example.cn/",
        KEFU_SMS_BACKEND="http",
        KEFU_SMS_URL="https://sms.example.cn/send",
        KEFU_SMS_TIMEOUT="3",
        KEFU_REPORTS_LIVE="off",
        KEFU_DB_CONN_HEALTH_CHECKS="no",
    )
    assert found["base"] == "https://kefu.example.cn"
    assert found["sms"] == ["http", "https://sms.example.cn/send", 3]
    assert found["live"] is False
    assert found["checks"] is False


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"KEFU_DB_CONN_MAX_AGE": "-1"}, "KEFU_DB_CONN_MAX_AGE=-1 is below the minimum 0"),
        ({"KEFU_DB_CONN_MAX_AGE": "1m"}, "KEFU_DB_CONN_MAX_AGE='1m' is not an integer"),
        ({"KEFU_DB_POOL": "maybe"}, "KEFU_DB_POOL='maybe' is not a boolean"),
        ({"KEFU_DB_POOL_SIZE": "0"}, "KEFU_DB_POOL_SIZE=0 is below the minimum 1"),
        (
            {"DATABASE_URL": "postgres://kefu@db/kefu", "KEFU_DB_CONN_MAX_AGE": "60"},
            "KEFU_DB_CONN_MAX_AGE needs KEFU_DB_POOL=0 on PostgreSQL",
        ),
        ({"KEFU_BASE_URL": "kefu.example.cn"}, "KEFU_BASE_URL must start with http"),
        ({"KEFU_SMS_BACKEND": "smpp"}, "KEFU_SMS_BACKEND='smpp' is not one of: http, log"),
        ({"KEFU_SMS_BACKEND": "http"}, "KEFU_SMS_URL must be an http(s) URL"),
        ({"KEFU_SMS_TIMEOUT": "ten"}, "KEFU_SMS_TIMEOUT='ten' is not an integer"),
        ({"KEFU_REPORTS_LIVE": "sometimes"}, "KEFU_REPORTS_LIVE='sometimes' is not a boolean"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variables, message):
    result = load(tmp_path, **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
