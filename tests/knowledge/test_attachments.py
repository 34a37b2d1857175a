"""Attachments: size and type limits, downloads only where the article may be read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, article, name: str, content: bytes):
    return client.post(
        f"/api/v1/knowledge/articles/{article.pk}/attachments",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def test_an_editor_attaches_a_pdf_that_customers_can_download(client, supervisor, public_article):
    client.force_login(supervisor)
    created = upload(client, public_article, "维修手册.pdf", PDF)
    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "application/pdf"

    client.logout()
    detail = client.get(f"/api/v1/portal/knowledge/articles/{public_article.pk}").json()
    download = client.get(detail["attachments"][0]["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_html_renamed_to_pdf_is_refused(client, supervisor, public_article):
    client.force_login(supervisor)
    response = upload(client, public_article, "手册.pdf", b"<html><script>alert(1)</script>")
    assert response.status_code == 422
    assert "不符" in response.json()["errors"][0]["message"]


def test_unlisted_types_are_refused(client, supervisor, public_article):
    client.force_login(supervisor)
    assert upload(client, public_article, "tool.exe", b"MZ\x90\x00").status_code == 422
    assert upload(client, public_article, "page.html", b"<html></html>").status_code == 422


def test_files_over_the_size_limit_are_refused(client, supervisor, public_article, settings):
    settings.KEFU_KNOWLEDGE_ATTACHMENT_MAX_BYTES = 16
    client.force_login(supervisor)
    response = upload(client, public_article, "big.pdf", PDF)
    assert response.status_code == 422
    assert "太大" in response.json()["errors"][0]["message"]


def test_internal_attachments_are_not_reachable_from_the_portal(
    client, supervisor, internal_article
):
    client.force_login(supervisor)
    attachment_id = upload(client, internal_article, "内部.pdf", PDF).json()["id"]
    assert client.get(f"/api/v1/knowledge/attachments/{attachment_id}").status_code == 200
    client.logout()
    response = client.get(f"/api/v1/portal/knowledge/attachments/{attachment_id}")
    assert response.status_code == 404


def test_an_editor_removes_an_attachment(client, supervisor, public_article):
    client.force_login(supervisor)
    attachment_id = upload(client, public_article, "a.txt", "说明文字".encode()).json()["id"]
    assert client.delete(f"/api/v1/knowledge/attachments/{attachment_id}").status_code == 204
    assert client.get(f"/api/v1/knowledge/attachments/{attachment_id}").status_code == 404
