import pytest

pytestmark = pytest.mark.django_db


def test_console_links_to_prompt_and_ivr_admin(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/desk/console/").content.decode()
    assert "/admin/telephony/prompt/" in page and "/admin/telephony/ivrtree/" in page
    assert client.get("/admin/telephony/prompt/").status_code == 200
    assert client.get("/admin/telephony/ivrtree/").status_code == 200
