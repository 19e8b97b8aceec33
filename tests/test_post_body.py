"""Where the parts of a post body are: offsets turned into file lines and columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socialcouncils.post_body import LineMap, Spot, scan_body

texts = st.text(alphabet=st.sampled_from(list("ab \n<[")), max_size=200)


def expected_spot(text: str, offset: int, first_line: int) -> Spot:
    before = text[:offset].split("\n")
    return Spot(first_line + len(before) - 1, len(before[-1]) + 1)


@given(texts, st.lists(st.integers(min_value=0, max_value=200), max_size=20), st.integers(1, 50))
def test_offsets_asked_in_any_order_give_their_line_and_column(
    text: str, offsets: list[int], first_line: int
) -> None:
    lines = LineMap(text, first_line)
    for offset in (min(o, len(text)) for o in offsets):
        assert lines.spot(offset) == expected_spot(text, offset, first_line)


@given(texts, st.integers(1, 50))
def test_html_positions_give_back_their_offset(text: str, first_line: int) -> None:
    """html.parser reports a 1-based line and a 0-based column; LineMap finds the offset."""
    lines = LineMap(text, first_line)
    for offset in range(len(text) + 1):
        spot = expected_spot(text, offset, 1)
        assert lines.offset(spot.line, spot.col - 1) == offset


def test_each_part_of_a_body_is_placed_on_its_own_line_and_column() -> None:
    body = (
        "Intro with a [link](https://example.org/).\n"
        "\n"
        "![A chart](chart.svg)\n"
        "\n"
        '<img src="x.png" alt="x"\n'
        '     onclick="go()">\n'
        "\n"
        "{: .wide }\n"
        "[ref]: photo.png\n"
    )
    scan = scan_body(body, first_line=10)
    assert [link.spot for link in scan.links] == [Spot(10, 14)]
    assert [image.spot for image in scan.images] == [Spot(12, 1)]
    assert [tag.spot for tag in scan.tags] == [Spot(14, 1)]
    assert scan.tags[0].attr_spot("onclick") == Spot(15, 6)
    assert [attrs.spot for attrs in scan.attr_lists] == [Spot(17, 1)]
    assert scan.refs["ref"].spot == Spot(18, 8)
