"""Every form control on the portal pages has a label; errors are tied to their field."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import fault_form

CONTROL = re.compile(r"<(input|select|textarea)\b([^>]*)>")
PAGES = [
    "/portal/",
    "/portal/products/",
    "/portal/knowledge/",
    "/portal/submit/complaint/",
    "/portal/submit/suggestion/",
    "/portal/submit/fault/",
    "/portal/submit/change/",
    "/portal/follow/",
    "/portal/signup/",
    "/portal/logon/",
    "/portal/password/reset/",
]


def unlabelled(page: str) -> list[str]:
    labels = set(re.findall(r'<label[^>]*for="([^"]+)"', page))
    missing = []
    for _tag, attrs in CONTROL.findall(page):
        if 'type="hidden"' in attrs:
            continue
        found = re.search(r'id="([^"]+)"', attrs)
        if found is None or found.group(1) not in labels:
            missing.append(attrs.strip())
    return missing


@pytest.mark.parametrize("url", PAGES)
def test_every_control_has_a_label(client, world, url):
    page = client.get(url).content.decode()
    assert unlabelled(page) == []


def test_a_field_error_is_announced_with_its_field(client, world):
    page = client.post("/portal/submit/fault/", fault_form(subject="")).content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_subject-error"' in page and 'id="id_subject-error"' in page


def test_pages_are_made_for_phones(client, world):
    page = client.get("/portal/").content.decode()
    assert 'name="viewport"' in page and 'href="#main"' in page
