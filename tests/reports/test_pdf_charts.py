"""Charts in the print view and the PDF: drawn server-side as inline SVG (kefu.reports.svgchart)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kefu.reports.svgchart import COLOURS, nice_ceiling, svg_chart
from tests.reports.test_pages import MARCH, inflated, log_on

SVG = "{http://www.w3.org/2000/svg}"
DATA = {
    "type": "bar",
    "categories": ["3月1日", "3月2日", "3月3日"],
    "series": [
        {"name": "接待次数", "data": [4, 0, 10]},
        {"name": "回复次数", "data": [2, 5, None]},
    ],
}


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_nice_ceiling():
    assert [nice_ceiling(v) for v in (0, 1, 7, 10, 11, 23, 240, 251, 999)] == [
        1, 1, 10, 10, 20, 25, 250, 500, 1000,
    ]  # fmt: skip


def test_bar_chart_has_a_bar_per_value_scaled_to_the_axis():
    root = parsed(svg_chart(DATA, "接待与回复"))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("y") != "10"]  # legend swatches at y=10
    assert len(bars) == 6
    heights = [float(r.get("height")) for r in bars]
    # axis top is 10: the value 10 fills the plot, 4 two fifths of it, 0 and None nothing
    plot = heights[2]
    assert plot > 0 and abs(heights[0] - plot * 0.4) < 0.05
    assert heights[1] == 0 and heights[5] == 0 and abs(heights[4] - plot * 0.5) < 0.05
    assert {r.get("fill") for r in bars} == {COLOURS[0], COLOURS[1]}
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"接待次数", "回复次数", "3月1日", "3月3日", "0", "10"} <= set(texts)
    assert root.get("aria-label") == "接待与回复"


def test_line_chart_and_escaping():
    data = {"type": "line", "categories": [f"<{h}>" for h in range(24)],
            "series": [{"name": "A & <B>", "data": list(range(24))}]}  # fmt: skip
    markup = svg_chart(data)
    root = parsed(markup)  # well-formed although the labels hold markup characters
    line = root.find(f"{SVG}polyline")
    assert line is not None and len(line.get("points").split()) == 24
    assert "A &amp; &lt;B&gt;" in markup and "<B>" not in markup
    slanted = [t for t in root.iter(f"{SVG}text") if t.get("transform")]
    assert len(slanted) == 24  # more than 12 labels are slanted


def test_no_chart_without_figures():
    assert svg_chart(None) == ""
    assert svg_chart({"type": "bar", "categories": [], "series": []}) == ""


def test_print_view_and_pdf_show_the_chart(client, dataset):
    log_on(client, dataset["manager"])
    html = client.get("/reports/work/print/", MARCH).content.decode()
    figure = re.search(r'<figure class="chart">(<svg.*?</svg>)</figure>', html, re.S)
    assert figure, "the print view has no chart"
    texts = [t.text for t in parsed(figure[1]).iter(f"{SVG}text")]
    assert "接待次数" in texts and "回复次数" in texts
    assert "echarts" not in html  # no script: the PDF renderer runs none

    pdf = client.get("/reports/work/report.pdf", MARCH).content
    body = inflated(pdf)
    # The bars are filled with the first series colour (#5470c6 = 84, 112, 198 of 255) ...
    assert re.search(rb"0\.329\d* 0\.439\d* 0\.776\d* rg", body), "no chart bars in the PDF"
    # ... and the Chinese labels (legend, table headers) have glyphs in the embedded font.
    assert set("接待次数回复") <= set(pdf_text(body))


def pdf_text(body: bytes) -> str:
    """The characters the PDF's embedded fonts map back to Unicode (ToUnicode CMaps)."""
    chars = []
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
        for _glyph, code in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            chars.append(bytes.fromhex(code.decode()).decode("utf-16-be", "replace"))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
        for low, high, code in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(code, 16)
            chars += [chr(start + n) for n in range(int(high, 16) - int(low, 16) + 1)]
    return "".join(chars)
