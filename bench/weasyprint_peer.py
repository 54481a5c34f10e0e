"""The usual Python alternative, for comparison: the same worksheet as Jinja2 HTML + CSS, printed by WeasyPrint.

Same exercises, words and dosage lines (from the same compose context), figures as inline SVG (ReportLab's SVG
renderer over the same drawings, made once per process as ours are), the same fonts, page size, margins,
header, cards, weekly log, running header, disclaimer and "Page N of M" (CSS paged media counters).
Optional: installed by `pip install -e '.[bench]'`; bench/run.py skips it when WeasyPrint is missing.
"""

from __future__ import annotations

import functools
import json

import jinja2

from worksheet._paths import bundled
from worksheet.compose import _context, _picture

PICTURE_COLUMN = 180

_TEMPLATE = """<!doctype html>
<html lang="{{ spec.lang }}"><head><meta charset="utf-8"><title>{{ spec.title }}</title>
<style>
@font-face { font-family: Sans; src: url("{{ fonts }}/LiberationSans-Regular.ttf"); }
@font-face { font-family: Sans; font-weight: bold; src: url("{{ fonts }}/LiberationSans-Bold.ttf"); }
@page { size: {{ page.width }}pt {{ page.height }}pt; margin: {{ page.margin + 20 }}pt {{ page.margin }}pt {{ page.margin + page.footer_height }}pt;
  @top-left { content: "{{ running }}"; font: 9pt Sans; color: #555; }
  @bottom-left { content: "{{ disclaimer }}"; font: 8.5pt/10.5pt Sans; color: #333; width: 80%; vertical-align: top; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 10pt Sans; vertical-align: top; } }
body { font: 13pt/17pt Sans; margin: 0; }
h1 { font-size: 22pt; line-height: 27pt; margin: 0 0 4pt; border-bottom: 2pt solid #222; }
.label { font-size: 12pt; color: #444; } .field { font-weight: bold; }
table.header { width: 100%; border-collapse: collapse; } table.header td { vertical-align: top; width: 50%; }
table.card { width: 100%; border: 1.2pt solid #222; border-collapse: collapse; margin-bottom: 8pt; break-inside: avoid; }
table.card td { vertical-align: top; padding: 6pt 8pt; }
table.card .head td { background: #ececec; border-bottom: 0.8pt solid #222; }
.card-title { font-weight: bold; font-size: 17pt; line-height: 21pt; } .dose { font-weight: bold; font-size: 14pt; }
ol { margin: 0; padding-left: 24pt; } p { margin: 0 0 3pt; }
.log { break-inside: avoid; } .log table { width: 100%; border-collapse: collapse; }
.log td, .log th { border: 0.8pt solid #222; padding: 5pt 2pt; font-size: 12pt; }
.log th { background: #ececec; } .log td.box { text-align: center; font-size: 17pt; width: 54pt; }
</style></head><body>
<h1>{{ spec.title }}</h1>
<table class="header"><tr><td><div class="label">Patient</div><div class="field">{{ spec.patient or "____" }}</div></td>
<td><div class="label">Date</div><div class="field">{{ date_text }}</div></td></tr>
<tr><td><div class="label">Time for one session</div><div class="field">{{ session }}</div></td><td></td></tr></table>
<p>{{ spec.introduction }}</p>
{% for card in cards %}
<table class="card">
<tr class="head"><td colspan="2"><div class="card-title">{{ card.number }}. {{ card.name }}</div><div class="dose">{{ card.dosage }}</div></td></tr>
<tr>{% if svg(card) %}<td style="width: {{ picture_column - 16 }}pt">{{ svg(card) | safe }}</td>{% endif %}
<td><p>{{ card.purpose }}</p><ol>{% for step in card.steps %}<li>{{ step }}</li>{% endfor %}</ol>
{% if card.tips %}<p><b>Tip:</b> {{ card.tips | join(" ") }}</p>{% endif %}
{% if card.progression %}<p><b>When it gets easy:</b> {{ card.progression | join(" ") }}</p>{% endif %}
{% if card.stop_if %}<p><b>Stop and call your clinician if:</b> {{ card.stop_if | join(" ") }}</p>{% endif %}
{% for caution in card.cautions %}<p><b>Ask your clinician first:</b> {{ caution }}</p>{% endfor %}
{% for condition in card.ask_first %}<p><b>Ask your clinician first</b> {{ condition }}</p>{% endfor %}
</td></tr></table>
{% endfor %}
<div class="log"><h2 style="font-size: 16pt">My week: tick a box each time you do an exercise</h2>
<table><tr><th>Exercise</th>{% for day in days %}<th>{{ day }}</th>{% endfor %}</tr>
{% for card in cards %}<tr><td>{{ card.number }}. {{ card.name }}</td>{% for day in days %}
<td class="box">{{ ([tick_box] * card.per_day) | join(" ") if planned(card, 0, loop.index0) else "–" }}</td>{% endfor %}</tr>{% endfor %}
</table></div>
</body></html>
"""


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(_TEMPLATE)


@functools.lru_cache(maxsize=256)
def _svg_for(params: str) -> str:
    from reportlab.graphics import renderSVG

    from worksheet.figures import Figure, figure_drawing, fitted_size

    data = json.loads(params)
    figure = Figure.model_validate(data["figure"])
    mirror = bool(data.get("mirror"))
    width, height = fitted_size(figure, data["width"], data["height"], mirror=mirror)
    svg = renderSVG.drawToString(figure_drawing(figure, width, height, mirror=mirror))
    return svg[svg.index("<svg") :]  # inline: without the XML declaration and doctype


def _svg(card) -> str:
    placed = _picture(card, PICTURE_COLUMN - 16, 130)
    return _svg_for(placed["params"]) if placed and placed["kind"] == "figure" else ""


def build_weasyprint(spec) -> bytes:
    from weasyprint import HTML

    context = _context(spec, pad_to_even=False)
    running = spec.title + (f" · {spec.patient}" if spec.patient else "")
    css_string = lambda text: text.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
    html = _template().render(
        context, svg=_svg, picture_column=PICTURE_COLUMN, fonts=(bundled("assets") / "fonts").as_uri(),
        running=css_string(running), disclaimer=css_string(context["disclaimer"]),
    )  # fmt: skip
    return HTML(string=html).write_pdf()
