"""The English interface: complete catalogues, compiled files in step, and real pages in English.

Every catalogue under src/kefu (an app's locale/en/LC_MESSAGES/django.po or djangojs.po, and
the project's src/kefu/locale) must translate every entry, carry no fuzzy entry, and have its
committed .mo compiled from the current .po. Chinese stays the default language; a person
whose saved language is English gets English pages and English API errors.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[1] / "src" / "kefu"
CATALOGUES = sorted(SRC.glob("**/locale/en/LC_MESSAGES/*.po"))
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


# --- the catalogues -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (our own reader: no gettext tools needed)."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, target = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                assert target is not None, f"{path}: text without a keyword"
                if target[0] == "str":
                    entry.strings[target[1]] += _unquote(line)
                else:
                    setattr(entry, target[0], getattr(entry, target[0]) + _unquote(line))
            else:
                keyword, _space, value = line.partition(" ")
                plural_index = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                if keyword == "msgctxt":
                    target, entry.context = ("context",), _unquote(value)
                elif keyword == "msgid":
                    target, entry.msgid = ("msgid",), _unquote(value)
                elif keyword == "msgid_plural":
                    target, entry.plural = ("plural",), _unquote(value)
                elif keyword == "msgstr" or plural_index:
                    index = int(plural_index.group(1)) if plural_index else 0
                    target, entry.strings[index] = ("str", index), _unquote(value)
                else:
                    raise AssertionError(f"{path}: unexpected line {line!r}")
        entries.append(entry)
    return entries


def _messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid and not e.obsolete]


def _name(path: Path) -> str:
    return str(path.relative_to(SRC))


def _key(entry: Entry) -> str:
    return f"{entry.context}\x04{entry.msgid}" if entry.context is not None else entry.msgid


def test_there_are_catalogues():
    names = {_name(p) for p in CATALOGUES}
    assert "locale/en/LC_MESSAGES/django.po" in names
    assert "accounts/locale/en/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_catalogue_translates_every_entry_and_has_no_fuzzy_one(po):
    header = parse_po(po)[0]
    assert header.msgid == "" and "fuzzy" not in header.flags, "fill in the header, drop fuzzy"
    problems = []
    for entry in _messages(po):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        expected = 2 if entry.plural is not None else 1
        if len(entry.strings) != expected or not all(entry.strings.values()):
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"{_name(po)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_committed_mo_is_compiled_from_the_current_po(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"compile {_name(po)} (scripts/messages --compile) and commit the .mo"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in _messages(po):
        if entry.plural is not None:
            for index, text in entry.strings.items():
                expected[(_key(entry), index)] = text
        else:
            expected[_key(entry)] = entry.strings[0]
    compiled = {k: v for k, v in compiled.items() if k != ""}  # "" is the header
    assert compiled == expected, f"{_name(po)} changed: run scripts/messages --compile"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_msgfmt_accepts_the_catalogue(po, tmp_path):
    """Placeholders like %(name)s must match between the Chinese and the English text."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=_name)
def test_django_loads_the_catalogue(po):
    locale_dir = po.parents[2]
    app_dirs = {Path(config.path) / "locale" for config in apps.get_app_configs()}
    locale_paths = {Path(p) for p in settings.LOCALE_PATHS}
    assert locale_dir in app_dirs | locale_paths, (
        f"{locale_dir} belongs to no installed app: add it to LOCALE_PATHS"
    )


def test_no_two_catalogues_translate_the_same_text_differently():
    """Django merges the catalogues, so one translation of a msgid hides the others.
    Where a word means different things, give it a context (pgettext, context "...")."""
    seen: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for po in CATALOGUES:
        if po.name != "django.po":
            continue
        for entry in _messages(po):
            texts = tuple(text.lower() for text in entry.strings.values())
            seen[_key(entry)][texts].append(_name(po).split("/locale")[0])
    clashes = [f"{key!r}: {dict(t)}" for key, t in seen.items() if len(t) > 1]
    assert not clashes, "\n".join(clashes)


# --- every wrapped string has an English translation -----------------------------------------

GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_TRANSLATE = re.compile(
    r"""{%\s*translate\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?[^%]*%}"""
)


def _source_messages() -> dict[str, str]:
    """Every wrapped Chinese text of the source (as a catalogue key), with where it is."""
    wanted: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if name in GETTEXT and isinstance(args[0], str) and CJK.search(args[0]):
                wanted[args[0]] = where
            elif (
                name in PGETTEXT
                and len(args) > 1
                and all(isinstance(a, str) for a in args[:2])
                and CJK.search(args[1])
            ):
                wanted[f"{args[0]}\x04{args[1]}"] = where
    for path in SRC.rglob("templates/**/*.html"):
        for match in TEMPLATE_TRANSLATE.finditer(path.read_text(encoding="utf-8")):
            if CJK.search(match.group(2)):
                context = match.group(4)
                key = f"{context}\x04{match.group(2)}" if context else match.group(2)
                wanted[key] = str(path.relative_to(SRC))
    return wanted


def test_every_wrapped_chinese_string_has_an_english_translation():
    catalog = translation.trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    missing = sorted(
        f"{where}: {key!r}"
        for key, where in _source_messages().items()
        if key not in catalog and (key, 0) not in catalog
    )
    assert not missing, "run scripts/messages, then translate:\n" + "\n".join(missing)


# --- pages and API errors in the chosen language ---------------------------------------------


def _english(user):
    type(user).objects.filter(pk=user.pk).update(language="en")
    user.refresh_from_db()
    return user


def _leftover_chinese(page: str) -> list[str]:
    """Chinese text on a page other than data (names of people, teams and roles)."""
    from django.contrib.auth.models import Group

    from kefu.accounts.models import Team, User

    data = {"简体中文"}
    data |= set(User.objects.values_list("name", flat=True))
    data |= set(Team.objects.values_list("name", flat=True))
    data |= set(Group.objects.values_list("name", flat=True))
    for text in sorted(data, key=len, reverse=True):
        page = page.replace(text, "")
    return CJK.findall(page)


def test_logon_page_is_chinese_by_default(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "员工登录" in page and 'lang="zh-hans"' in page


def test_logon_page_is_english_with_the_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in page
    assert "Staff log-on" in page and "Employee number" in page and "Password" in page
    assert _leftover_chinese(page) == []


HOME_CAPABILITIES = {
    "operator": ({"Operator seat"}, {"Reports", "Staff management"}),
    "supervisor": ({"Operator seat", "Supervisor seat", "Reports", "Staff management"}, set()),
    "back_office": ({"Back office"}, {"Operator seat", "Reports"}),
    "manager": ({"Supervisor seat", "Reports", "Staff management"}, {"Operator seat"}),
    "sysadmin": ({"Operator seat", "Supervisor seat", "Back office", "Reports"}, set()),
}


@pytest.mark.parametrize("persona", sorted(HOME_CAPABILITIES))
def test_home_page_is_english_for_each_role(client, db, request, persona):
    user = _english(request.getfixturevalue(persona))
    client.force_login(user)
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and f"Hello, {user.name}" in page
    start = page.index('id="capabilities"')
    capabilities = page[start : page.index("</ul>", start)]
    shown, hidden = HOME_CAPABILITIES[persona]
    assert all(label in capabilities for label in shown), capabilities
    assert not any(label in capabilities for label in hidden), capabilities
    assert "Log out" in page
    assert _leftover_chinese(page) == []


def test_home_page_stays_chinese_by_default(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert 'lang="zh-hans"' in page and "话务席" in page and "班长席" in page
    assert "Operator seat" not in page


def test_saved_language_wins_over_the_cookie(client, operator):
    client.force_login(_english(operator))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "Operator seat" in client.get("/").content.decode()


@pytest.mark.parametrize("url_name", ["accounts:staff", "accounts:logons", "accounts:tokens"])
def test_staff_pages_are_all_english(client, supervisor, operator, url_name):
    client.force_login(_english(supervisor))
    client.get("/")  # a logged-on event or two for the log
    page = client.get(reverse(url_name)).content.decode()
    assert 'lang="en"' in page
    assert _leftover_chinese(page) == []


def test_admin_index_is_english(client, sysadmin):
    client.force_login(_english(sysadmin))
    page = client.get("/admin/").content.decode()
    assert "Customer Service Center · Tables" in page
    assert "Staff and permissions" in page and "Customer units" in page
    assert "客服系统 · 表格管理" not in page


def test_admin_index_is_chinese_by_default(client, sysadmin):
    client.force_login(sysadmin)
    page = client.get("/admin/").content.decode()
    assert "客服系统 · 表格管理" in page and "客户单位" in page


def test_lockout_message_is_english_with_the_language_cookie(client, operator):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _attempt in range(6):
        response = client.post(reverse("accounts:login"), {"username": "3001", "password": "x"})
    page = response.content.decode()
    assert "This account has been locked" in page
    assert "已被冻结" not in page


def test_wrong_password_count_down_is_english(client, operator):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        reverse("accounts:login"), {"username": "3001", "password": "x"}
    ).content.decode()
    assert "5 more wrong attempts will lock the account" in page


def test_logon_switches_to_the_employees_language(client, operator):
    _english(operator)
    response = client.post(reverse("accounts:login"), {"username": "3001", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Operator seat" in client.get("/").content.decode()


def _token(user) -> str:
    from kefu.accounts.actions import do_issue_api_token

    return do_issue_api_token(user, name="i18n")[1]


def test_api_errors_follow_the_token_owners_language(client, operator, sysadmin):
    headers = {"HTTP_AUTHORIZATION": f"Token {_token(_english(operator))}"}
    missing = client.get("/api/v1/directory/customer-units/999999", **headers)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "The record does not exist."
    forbidden = client.delete("/api/v1/directory/vendors/1", **headers)
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == "Your role does not allow this."


def test_api_errors_are_chinese_by_default(client, operator):
    headers = {"HTTP_AUTHORIZATION": f"Token {_token(operator)}"}
    missing = client.get("/api/v1/directory/customer-units/999999", **headers)
    assert missing.json()["detail"] == "记录不存在。"


def test_api_errors_follow_the_session_users_language(client, operator):
    client.force_login(_english(operator))
    bad = client.post("/api/v1/me/language", {"language": "fr"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith("Unsupported language")


def test_api_without_credentials_answers_in_the_cookie_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "log on" in response.json()["detail"]
