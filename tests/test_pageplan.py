"""The page planner: its placing rules on measured cards made by hand (the page matrix judges real sheets), and
what it remembers between sheets."""

import pytest

import worksheet
from helpers import make_spec
from worksheet.pageplan import SLACK, _Card, _place

LAYOUT = {"frame_height": 600.0 + SLACK, "columns": 2, "card_width": 250.0, "header_width": 520.0}


def card(number: int, height: float, picture_drawn: float = 110.0) -> _Card:
    blocks = [("head", 50.0, False), ("picture", picture_drawn, False), ("purpose", 40.0, False)]
    blocks += [(f"step:{index}", (height - 200.0 - picture_drawn) / 4, True) for index in range(4)]
    blocks += [("note:0", 60.0, True)]
    return _Card(number, height=height, gap=14.0, blocks=blocks, picture=110.0, picture_min=110.0,
                 picture_floor=76.0, picture_drawn=picture_drawn, head=50.0)


def test_a_card_a_little_taller_than_a_column_keeps_whole_with_a_smaller_picture():
    plan = _place(LAYOUT, 0.0, 0.0, [card(1, 620.0)])["cards"][1]
    assert plan["parts"] == [None]  # whole, not continued
    assert 76.0 <= plan["picture"] <= 110.0 - 20.0


def test_a_card_much_taller_than_a_column_continues_between_blocks_with_its_picture_kept():
    plan = _place(LAYOUT, 0.0, 0.0, [card(1, 800.0)])["cards"][1]
    assert len(plan["parts"]) == 2 and plan["parts"][0][:2] == ["head", "picture"]
    assert plan["parts"][1][0].startswith(("step:", "note:"))  # never inside the heading or before the purpose
    assert plan["picture"] == 110.0


def test_a_card_taller_than_a_column_continues_from_a_half_empty_one_rather_than_move_whole():
    # 620 pt: taller than the 600-pt column with its own picture, short enough for one with a smaller picture.
    # After a 280-pt card, moving it whole would leave half the column empty; it starts there and continues.
    tall = card(2, 620.0)
    tall.picture_min = 80.0
    plan = _place(LAYOUT, 0.0, 0.0, [card(1, 280.0), tall])["cards"]
    assert plan[1]["parts"] == [None]
    assert len(plan[2]["parts"]) == 2 and plan[2]["parts"][0][:3] == ["head", "picture", "purpose"]
    assert plan[2]["break"] is False
    # At the top of a column it still keeps whole, its picture smaller.
    alone = _place(LAYOUT, 0.0, 0.0, [tall])["cards"][2]
    assert alone["parts"] == [None] and alone["picture"] < 110.0


def test_a_card_that_fits_keeps_its_full_picture():
    plan = _place(LAYOUT, 0.0, 0.0, [card(1, 500.0)])["cards"][1]
    assert plan == {"picture": 110.0, "parts": [None], "break": False}


# What the planner remembers between sheets (one process measures a section once).


def _first_pass(spec) -> str:
    """The RML the planner measures for a spec (the layout's first pass)."""
    from worksheet import compose

    captured = []
    real = compose.planner.plan

    def spy(rml, page):
        captured.append(rml)
        return real(rml, page)

    compose.planner.plan = spy
    try:
        compose.compose(spec)
    finally:
        compose.planner.plan = real
    return captured[0]


def _measured(rml: str):
    layout, header, log, cards = rml
    return layout, header, log, [vars(item) for item in cards]


@pytest.mark.parametrize("layout, lang", [("cards", "es"), ("list", "en")])
def test_remembered_measures_equal_a_fresh_measure_after_other_sheets(library, layout, lang):
    from worksheet import pageplan

    target = _first_pass(make_spec(library, layout=layout, lang=lang, patient="Ana"))
    fresh = _measured(pageplan._measure(pageplan._parse_story(target)))
    pageplan.forget_measurements()
    # Other sheets first: a different patient (a new header, the same cards) and another program, whose cards
    # share exercises with this one but not their numbers or dosage.
    for other in (make_spec(library, layout=layout, lang=lang, patient="Bo"),
                  make_spec(library, layout=layout, lang=lang, program="hip-strength-basics")):  # fmt: skip
        pageplan._measure_remembered(_first_pass(other))
    assert _measured(pageplan._measure_remembered(target)) == fresh
    assert _measured(pageplan._measure_remembered(target)) == fresh  # and again, all remembered


def test_another_patients_sheet_measures_only_its_header_again(library):
    # The patient's name is in the document's title and every page's running header, beside the story: the
    # cards measure the same, so only the header section (which prints the name) is measured anew.
    from worksheet import pageplan

    pageplan.forget_measurements()
    pageplan._measure_remembered(_first_pass(make_spec(library, layout="cards", patient="Bo")))
    known = len(pageplan._measured)
    target = _first_pass(make_spec(library, layout="cards", patient="Ana"))
    remembered = _measured(pageplan._measure_remembered(target))
    assert len(pageplan._measured) == known + 1
    assert remembered == _measured(pageplan._measure(pageplan._parse_story(target)))


def test_a_remembered_card_is_not_reused_when_its_text_changes(library):
    from worksheet import pageplan

    pageplan.forget_measurements()
    short = make_spec(library, layout="list")
    pageplan._measure_remembered(_first_pass(short))
    # A video link on one exercise changes that card (a QR code and its line), and no other.
    longer = make_spec(library, layout="list", videos={"bridge": "https://example.org/bridge"})
    bridge = 1 + [item.exercise.id for item in longer.exercises].index("bridge")
    before = {item.number: item.height for item in pageplan._measure_remembered(_first_pass(short))[3]}
    after = {item.number: item.height for item in pageplan._measure_remembered(_first_pass(longer))[3]}
    fresh = {item.number: item.height for item in pageplan._measure(pageplan._parse_story(_first_pass(longer)))[3]}
    assert after == fresh
    assert [number for number in before if before[number] != after[number]] == [bridge]


def test_a_sheet_builds_the_same_bytes_with_its_measures_remembered(library):
    from worksheet import pageplan

    spec = make_spec(library, layout="cards", lang="es", also="en")
    pageplan.forget_measurements()
    fresh = worksheet.build(spec)
    assert worksheet.build(spec) == fresh


def column_card(number: int, left_steps: float, right_notes: float) -> _Card:
    """A list card: picture, purpose and steps down the left column, notes down the right (as measured)."""
    blocks = [("head", 37.0, False), ("picture", 72.0, False), ("purpose", 33.0, False), ("step:0", left_steps, True),
              ("note:0", right_notes, True)]  # fmt: skip
    columns = {"picture": 0, "purpose": 0, "step:0": 0, "note:0": 1}
    height = 37.0 + max(72.0 + 33.0 + left_steps, right_notes) + 10.0
    return _Card(number, height=height, gap=8.0, blocks=blocks, picture=72.0, picture_min=52.0, picture_floor=48.0,
                 picture_drawn=72.0, stacked=False, columns=columns)  # fmt: skip


LIST = {"frame_height": 600.0 + SLACK, "columns": 1, "card_width": 540.0, "header_width": 540.0}


def test_a_list_card_shrinks_its_picture_to_share_a_page_when_its_left_column_is_the_taller():
    first, second = column_card(1, 150.0, 120.0), column_card(2, 150.0, 100.0)  # 302 pt each
    plan = _place(LIST, 0.0, 0.0, [first, second])["cards"]
    assert plan[1]["picture"] == 72.0
    assert 52.0 <= plan[2]["picture"] <= 72.0 - 12.0  # 302 + 8 + 302 > 600: the second card 12 pt shorter


def test_a_list_card_keeps_its_picture_when_its_right_column_is_the_taller():
    first, second = column_card(1, 150.0, 120.0), column_card(2, 100.0, 255.0)  # the notes set its height
    plan = _place(LIST, 0.0, 0.0, [first, second])["cards"]
    assert plan[2]["picture"] == 72.0  # a smaller picture would not make it shorter
