"""The overview's chart widget: axis arithmetic, colours per theme, geometry and tooltips."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette

from planner.ui.widgets.chart_bar import BarChart, Series
from planner.ui.widgets.chart_palette import is_dark, series_color
from planner.ui.widgets.chart_scale import format_tick, format_ticks, nice_ticks


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (97, [0, 20, 40, 60, 80, 100]),
        (100, [0, 20, 40, 60, 80, 100]),
        (33_000, [0, 10_000, 20_000, 30_000, 40_000]),
    ],
)
def test_nice_ticks_cover_the_data_with_round_steps(maximum: float, ticks: list[float]) -> None:
    assert nice_ticks(maximum) == ticks


def test_tick_labels_stay_short() -> None:
    assert [format_tick(v) for v in (0, 5, 1500, 12_000, 2_500_000)] == [
        "0",
        "5",
        "1,500",
        "12k",
        "2.5M",
    ]


def test_one_axis_uses_one_unit() -> None:
    assert format_ticks([0, 5000, 10_000, 15_000]) == ["0", "5k", "10k", "15k"]
    assert format_ticks([0, 2000, 4000]) == ["0", "2,000", "4,000"]
    assert format_ticks([0, 500_000, 1_000_000]) == ["0", "0.5M", "1M"]


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    palette.setColor(QPalette.ColorRole.Base, QColor(window))
    return palette


def test_series_colours_follow_the_theme() -> None:
    light, dark = _palette("#f4f4f4", "#111111"), _palette("#202124", "#eeeeee")
    assert not is_dark(light) and is_dark(dark)
    for name in ("blue", "green", "red", "amber", "purple"):
        on_light, on_dark = series_color(name, light), series_color(name, dark)
        assert on_light != on_dark
        # The dark-theme shade is the lighter one, so bars stand out from the background.
        assert on_dark.lightnessF() > on_light.lightnessF()


@pytest.fixture
def chart(qtbot: Any) -> BarChart:
    widget = BarChart("Test chart")
    qtbot.addWidget(widget)
    widget.resize(500, 320)
    widget.set_data(
        ["Jan", "Feb", "Mar"],
        [Series("A", (10, 0, 5), "blue"), Series("B", (4, 2, 0), "orange")],
        x_title="Month",
        y_title="Count",
    )
    return widget


def test_grouped_bars_are_proportional(chart: BarChart) -> None:
    a_jan, b_jan, a_mar = chart.bar_rect(0, 0), chart.bar_rect(1, 0), chart.bar_rect(0, 2)
    assert a_jan.height() == pytest.approx(2 * a_mar.height())
    assert a_jan.height() == pytest.approx(2.5 * b_jan.height())
    assert a_jan.right() <= b_jan.left()  # side by side
    assert chart.bar_rect(0, 1).height() == 0


def test_stacked_bars_sit_on_each_other(chart: BarChart) -> None:
    chart.set_data(["x"], [Series("A", (3,)), Series("B", (1,))], stacked=True)
    low, high = chart.bar_rect(0, 0), chart.bar_rect(1, 0)
    assert high.bottom() == pytest.approx(low.top())
    assert low.height() == pytest.approx(3 * high.height())


def test_horizontal_bars_grow_to_the_right(chart: BarChart) -> None:
    chart.set_data(
        ["Colleague", "Industry leader"],
        [Series("On time", (2, 4)), Series("Overdue", (2, 0))],
        stacked=True,
        horizontal=True,
    )
    first, second = chart.bar_rect(0, 0), chart.bar_rect(0, 1)
    assert second.width() == pytest.approx(2 * first.width())
    assert first.top() < second.top()
    assert chart.bar_rect(1, 0).left() == pytest.approx(first.right())
    point = QPoint(int(second.center().x()), int(second.center().y()))
    assert chart.category_at(point) == 1
    assert "Industry leader" in chart.tooltip_at(point)
    assert "Total" in chart.tooltip_at(point)


def test_tooltip_and_summary_name_every_value(chart: BarChart) -> None:
    bar = chart.bar_rect(0, 2)
    tip = chart.tooltip_at(QPoint(int(bar.center().x()), int(bar.center().y())))
    assert tip.startswith("<b>Mar</b>")
    assert "<b>5</b>" in tip and "<b>0</b>" in tip
    assert chart.summary() == "Test chart. Jan: A 10, B 4; Feb: A 0, B 2; Mar: A 5, B 0"
    chart.set_data(["Jan"], [Series("A", (0,))], empty_text="Nothing yet")
    assert chart.is_empty()
    assert chart.summary() == "Test chart: Nothing yet"


def test_chart_paints_in_light_and_dark(chart: BarChart) -> None:
    for palette in (_palette("#f4f4f4", "#111111"), _palette("#202124", "#eeeeee")):
        chart.setPalette(palette)
        image = chart.grab().toImage()
        bar = chart.bar_rect(0, 0)
        colour = image.pixelColor(int(bar.center().x()), int(bar.center().y()))
        assert colour == series_color("blue", palette)


def test_a_long_title_on_a_narrow_card_is_cut_with_an_ellipsis_and_shown_whole_on_hover(
    qtbot: Any,
) -> None:
    title = "Touches and new contacts per month"
    widget = BarChart(title)
    qtbot.addWidget(widget)
    widget.resize(500, 320)
    assert widget.shown_title() == title
    assert widget.tooltip_at(QPoint(30, 12)) == ""  # whole: nothing to add
    widget.resize(180, 320)  # the Overview at 200 % on a small screen
    shown = widget.shown_title()
    assert shown.endswith("…") and title.startswith(shown[:-1])
    assert widget.tooltip_at(QPoint(30, 12)) == title
