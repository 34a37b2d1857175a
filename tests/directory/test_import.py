"""Spreadsheet import (X14): any bad row imports nothing, and every bad row is reported with why.

Tested twice: on the resources themselves (whoever calls them) and through the real admin import
pages (preview, then confirm), for xlsx and csv files.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.directory.models import (
    CustomerContact,
    CustomerUnit,
    Equipment,
    FaultCause,
    Product,
    Vendor,
)
from kefu.directory.resources import (
    CustomerContactResource,
    CustomerUnitResource,
    EquipmentResource,
    FaultCauseResource,
    ProductResource,
)
from tests.directory import factories

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["单位代码", "单位名称", "客户类别代码", "总机电话", "重要客户"]
GOOD_UNITS = [
    ["U001", "国网南京供电公司", "DL", "025-84512000", "是"],
    ["U002", "中国工商银行南京分行", "", "025-84421000", "否"],
]
BAD_UNITS = [
    *GOOD_UNITS,
    ["U003", "", "XX", "", "也许"],  # spreadsheet line 4: three problems
    ["U001", "重复", "DL", "", ""],  # spreadsheet line 5: same code as line 2
]


def _dataset(headers, rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def _xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(headers, rows, encoding="utf-8") -> bytes:
    return _dataset(headers, rows).export("csv").encode(encoding)


@pytest.fixture
def dl(db):
    return factories.customer_class("DL", "电力")


# --- on the resources ---------------------------------------------------------------------


def test_good_rows_are_imported_with_references_by_code(dl):
    result = CustomerUnitResource().import_data(_dataset(UNIT_HEADERS, GOOD_UNITS))
    assert not result.has_errors() and not result.has_validation_errors()
    first = CustomerUnit.objects.get(code="U001")
    assert first.customer_class == dl and first.vip is True
    assert CustomerUnit.objects.get(code="U002").customer_class is None


def test_one_bad_row_imports_nothing_and_each_bad_row_says_why(dl):
    result = CustomerUnitResource().import_data(_dataset(UNIT_HEADERS, BAD_UNITS))
    assert result.has_validation_errors()
    assert CustomerUnit.objects.count() == 0
    problems = {row.number + 1: row.field_specific_errors for row in result.invalid_rows}
    assert problems == {
        4: {
            "客户类别代码": ["找不到代码为“XX”的客户类别。"],
            "重要客户": ["应填“是”或“否”，而不是“也许”。"],
            "单位名称": ["此字段不能为空。"],
        },
        5: {"单位代码": ["与表格第 2 行重复（U001）。"]},
    }


def test_a_dry_run_writes_nothing_even_when_every_row_is_good(dl):
    result = CustomerUnitResource().import_data(_dataset(UNIT_HEADERS, GOOD_UNITS), dry_run=True)
    assert not result.has_validation_errors()
    assert CustomerUnit.objects.count() == 0


def test_a_caller_cannot_switch_the_all_or_nothing_rule_off(dl):
    result = CustomerUnitResource().import_data(
        _dataset(UNIT_HEADERS, BAD_UNITS), use_transactions=False,
        rollback_on_validation_errors=False,
    )  # fmt: skip
    assert result.has_validation_errors()
    assert CustomerUnit.objects.count() == 0


def test_importing_the_same_file_twice_updates_and_keeps_history_clean(dl):
    data = _dataset(UNIT_HEADERS, GOOD_UNITS)
    CustomerUnitResource().import_data(data)
    result = CustomerUnitResource().import_data(_dataset(UNIT_HEADERS, GOOD_UNITS))
    assert result.totals["skip"] == 2
    assert CustomerUnit.objects.count() == 2
    assert CustomerUnit.history.count() == 2


def test_missing_key_column_or_unknown_column_refuses_the_file(dl):
    result = CustomerUnitResource().import_data(_dataset(["单位名称"], [["国网南京供电公司"]]))
    assert [str(e.error) for e in result.base_errors] == ["文件缺少必需的列：单位代码。"]
    result = CustomerUnitResource().import_data(
        _dataset(["单位代码", "单位名称", "颜色"], [["U9", "x", "红"]])
    )
    assert "文件中有不认识的列：颜色" in str(result.base_errors[0].error)
    assert CustomerUnit.objects.count() == 0


def test_headers_may_be_field_names_and_have_stray_spaces(dl):
    result = CustomerUnitResource().import_data(
        _dataset([" code ", "name", "客户类别代码 "], [["U1", "南京供电", "DL"]])
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert CustomerUnit.objects.get().customer_class == dl


def test_contacts_are_keyed_by_unit_code_and_name_and_phones_normalised(dl):
    owner = factories.unit("U001")
    headers = ["客户单位代码", "联系人", "电话", "手机"]
    rows = [["U001", "周建华", "025-84512301", 13951623301.0], ["U001", "钱晓燕", "", ""]]
    result = CustomerContactResource().import_data(_dataset(headers, rows))
    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    zhou = CustomerContact.objects.get(unit=owner, name="周建华")
    assert zhou.mobile == "13951623301" and zhou.mobile_normalized == "+8613951623301"
    bad = CustomerContactResource().import_data(
        _dataset(headers, [["U001", "孙立强", "", ""], ["U404", "无名", "", "123"]])
    )
    assert {row.number for row in bad.invalid_rows} == {2}
    errors = bad.invalid_rows[0].field_specific_errors
    assert errors["客户单位代码"] == ["找不到代码为“U404”的客户单位。"]
    assert "不是有效的手机号码" in errors["手机"][0]
    assert CustomerContact.objects.count() == 2


def test_equipment_names_vendor_and_project_by_code_and_reads_dates(dl):
    factories.project("PJ01")
    factories.vendor("V001")
    headers = ["设备代码", "设备名称", "项目代码", "厂家代码", "保修截止日"]
    rows = [
        ["E1", "DTU", "PJ01", "V001", "2027/1/31"],
        ["E2", "FTU", "PJ01", "V001", "2026年5月1日"],
        ["E3", "FI", "PJ01", "V404", "31.12.2026"],
    ]
    result = EquipmentResource().import_data(_dataset(headers, rows))
    errors = result.invalid_rows[0].field_specific_errors
    assert errors == {
        "厂家代码": ["找不到代码为“V404”的厂家。"],
        "保修截止日": ["“31.12.2026”不是有效的日期，应写成 2026-05-31。"],
    }
    assert Equipment.objects.count() == 0
    result = EquipmentResource().import_data(_dataset(headers, rows[:2]))
    assert str(Equipment.objects.get(code="E1").warranty_end) == "2027-01-31"


def test_prices_accept_currency_signs_and_refuse_words():
    headers = ["产品代码", "产品名称", "价格（元）"]
    result = ProductResource().import_data(
        _dataset(headers, [["P1", "终端", "¥28,600.00"], ["P2", "软件", "面议"]])
    )
    assert result.invalid_rows[0].field_specific_errors == {
        "价格（元）": ["“面议”不是有效的金额，应填数字，如 1280.00。"]
    }
    ProductResource().import_data(_dataset(headers, [["P1", "终端", "¥28,600.00"]]))
    assert str(Product.objects.get().price) == "28600.00"


def test_export_has_chinese_headers_and_codes_for_references(dl):
    factories.unit("U001", customer_class=dl, vip=True)
    exported = CustomerUnitResource().export()
    assert exported.headers[:3] == ["单位代码", "单位名称", "客户类别代码"]
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert (row["客户类别代码"], row["重要客户"]) == ("DL", "是")


def test_every_code_table_round_trips(db):
    FaultCause.objects.create(code="01", name="软件缺陷", sort_order=10)
    exported = FaultCauseResource().export()
    FaultCause.objects.all().delete()
    result = FaultCauseResource().import_data(tablib.Dataset().load(exported.csv, format="csv"))
    assert not result.has_validation_errors()
    assert FaultCause.objects.get().sort_order == 10


# --- through the admin's import pages -------------------------------------------------------

CSV, XLSX = "0", "1"


def _upload(client, url, content, name, fmt):
    upload = SimpleUploadedFile(name, content)
    return client.post(url, {"import_file": upload, "format": fmt, "resource": "0"})


def _confirm(client, url, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(url, data)


IMPORT_URL = "/admin/directory/customerunit/import/"
PROCESS_URL = "/admin/directory/customerunit/process_import/"


@pytest.mark.parametrize(
    ("fmt", "name", "content"),
    [
        (XLSX, "units.xlsx", _xlsx(UNIT_HEADERS, BAD_UNITS)),
        (CSV, "units.csv", _csv(UNIT_HEADERS, BAD_UNITS)),
        (CSV, "units-gbk.csv", _csv(UNIT_HEADERS, BAD_UNITS, encoding="gbk")),
    ],
)
def test_admin_import_with_a_bad_row_imports_nothing_and_lists_each_bad_row(
    client, sysadmin, dl, fmt, name, content
):
    client.force_login(sysadmin)
    response = _upload(client, IMPORT_URL, content, name, fmt)
    assert response.status_code == 200
    page = response.content.decode()
    assert "本次导入没有执行" in page and "没有写入任何数据" in page
    assert response.context.get("confirm_form") is None  # nothing to confirm
    assert 'data-line="4"' in page and 'data-line="5"' in page
    assert 'data-line="2"' not in page
    assert "找不到代码为“XX”的客户类别。" in page
    assert "应填“是”或“否”，而不是“也许”。" in page
    assert "与表格第 2 行重复（U001）。" in page
    assert CustomerUnit.objects.count() == 0


@pytest.mark.parametrize(
    ("fmt", "name", "content"),
    [(XLSX, "units.xlsx", _xlsx(UNIT_HEADERS, GOOD_UNITS)),
     (CSV, "units.csv", _csv(UNIT_HEADERS, GOOD_UNITS))],
)  # fmt: skip
def test_admin_import_of_a_good_file_previews_then_imports(
    client, sysadmin, dl, fmt, name, content
):
    client.force_login(sysadmin)
    preview = _upload(client, IMPORT_URL, content, name, fmt)
    assert preview.context["confirm_form"] is not None
    assert CustomerUnit.objects.count() == 0  # the preview wrote nothing
    done = _confirm(client, PROCESS_URL, preview)
    assert done.status_code == 302
    assert set(CustomerUnit.objects.values_list("code", flat=True)) == {"U001", "U002"}
    assert CustomerUnit.objects.get(code="U001").history.first().history_user == sysadmin


def test_admin_confirm_imports_nothing_if_a_row_went_bad_after_the_preview(client, sysadmin, dl):
    client.force_login(sysadmin)
    preview = _upload(client, IMPORT_URL, _xlsx(UNIT_HEADERS, GOOD_UNITS), "u.xlsx", XLSX)
    assert preview.context["confirm_form"] is not None
    dl.delete()  # the class row 2 refers to disappears before the person confirms
    done = _confirm(client, PROCESS_URL, preview)
    assert done.status_code == 200
    page = done.content.decode()
    assert "本次导入没有执行" in page and "找不到代码为“DL”的客户类别。" in page
    assert CustomerUnit.objects.count() == 0


def test_admin_import_of_a_file_with_a_missing_column_says_which(client, sysadmin, dl):
    client.force_login(sysadmin)
    content = _csv(["单位名称"], [["国网南京供电公司"]])
    page = _upload(client, IMPORT_URL, content, "u.csv", CSV).content.decode()
    assert "文件缺少必需的列：单位代码。" in page
    assert "Traceback" not in page
    assert CustomerUnit.objects.count() == 0


def test_vendor_import_through_admin(client, sysadmin):
    client.force_login(sysadmin)
    content = _xlsx(["厂家代码", "厂家名称", "网址"], [["V001", "华睿电气", "huarui"]])
    response = _upload(client, "/admin/directory/vendor/import/", content, "v.xlsx", XLSX)
    assert "输入一个有效的 URL。" in response.content.decode()
    assert Vendor.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "table", "status"),
    [
        ("operator", "customerunit", 200),  # operators add and correct units
        ("operator", "equipment", 403),
        ("back_office", "customerunit", 403),
        ("back_office", "equipment", 200),  # back-office add and change equipment
        ("manager", "customerunit", 403),
        ("manager", "equipment", 403),
    ],
)
def test_import_needs_both_add_and_change_rights_on_the_table(
    client, request, persona, table, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/admin/directory/{table}/import/").status_code == status


def test_supervisor_may_import_customer_units(client, supervisor, dl):
    client.force_login(supervisor)
    assert client.get(IMPORT_URL).status_code == 200
    assert client.get("/admin/directory/vendor/import/").status_code == 403


@pytest.mark.filterwarnings("ignore:The 'get_valid_export_item_pks:DeprecationWarning")
def test_admin_export_csv_has_a_bom_and_chinese_headers(client, operator, dl):
    factories.unit("U001", customer_class=dl)
    client.force_login(operator)
    assert client.get("/admin/directory/customerunit/export/").status_code == 200
    response = client.post(
        "/admin/directory/customerunit/export/", {"format": CSV, "resource": "0"}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff单位代码,单位名称,客户类别代码")
    assert "U001,国网南京供电公司,DL" in text


@pytest.mark.filterwarnings("ignore:The 'get_valid_export_item_pks:DeprecationWarning")
def test_admin_export_xlsx_opens_with_chinese_headers(client, operator, dl):
    factories.unit("U001", customer_class=dl)
    client.force_login(operator)
    response = client.post(
        "/admin/directory/customerunit/export/", {"format": XLSX, "resource": "0"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("单位代码", "单位名称", "客户类别代码")
    assert rows[1][:3] == ("U001", "国网南京供电公司", "DL")


def test_customer_cannot_reach_import_or_export(client, customer):
    client.force_login(customer)
    assert client.get(IMPORT_URL).status_code == 404
    assert client.get("/admin/directory/customerunit/export/").status_code == 404
