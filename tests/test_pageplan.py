"""The page planner's placing rules, on measured cards made by hand (the page matrix judges real sheets)."""

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


def test_a_card_that_fits_keeps_its_full_picture():
    plan = _place(LAYOUT, 0.0, 0.0, [card(1, 500.0)])["cards"][1]
    assert plan == {"picture": 110.0, "parts": [None], "break": False}
