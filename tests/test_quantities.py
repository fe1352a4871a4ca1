"""Numbers as people write them: unit cases and properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.language.quantities import Quantity, find_quantities, format_quantity, parse_quantity

HEDGES = [
    "roughly",
    "about",
    "around",
    "some",
    "approximately",
    "an estimated",
    "nearly",
    "almost",
    "close to",
    "at least",
    "no fewer than",
    "more than",
    "over",
    "well over",
    "upwards of",
    "up to",
    "as many as",
    "fewer than",
    "less than",
]

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
_ONES += "fifteen sixteen seventeen eighteen nineteen"
ONES = _ONES.split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int, *, use_and: bool = False) -> str:
    """An independent renderer: 1234 -> "one thousand two hundred thirty-four"."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = ONES[n // 100] + " hundred"
        if not rest:
            return head
        return head + (" and " if use_and else " ") + words(rest)
    for scale, name in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            head = words(n // scale, use_and=use_and) + " " + name
            rest = n % scale
            if not rest:
                return head
            joiner = " and " if use_and and rest < 100 else " "
            return head + joiner + words(rest, use_and=use_and)
    raise AssertionError(n)


@pytest.mark.parametrize(
    ("text", "value", "hedge", "approximate", "formatted"),
    [
        ("1,200", 1200, None, False, "1,200"),
        ("1\u00a0200", 1200, None, False, "1,200"),
        ("2.5 million", 2_500_000, None, False, "2,500,000"),
        ("twenty-four", 24, None, False, "24"),
        ("five hundred", 500, None, False, "500"),
        ("twelve hundred", 1200, None, False, "1,200"),
        ("one hundred and twenty-five", 125, None, False, "125"),
        ("a dozen", 12, None, False, "12"),
        ("two dozen", 24, None, False, "24"),
        ("half a dozen", 6, None, False, "6"),
        ("a hundred thousand", 100_000, None, False, "100,000"),
        ("a total of 524", 524, None, False, "524"),
        ("dozens of", 24, None, True, "dozens"),
        ("scores of", 40, None, True, "scores"),
        ("hundreds of", 200, None, True, "hundreds"),
        ("thousands of", 2000, None, True, "thousands"),
        ("tens of thousands of", 20_000, None, True, "tens of thousands"),
        ("hundreds of thousands", 200_000, None, True, "hundreds of thousands"),
        ("several hundred", 300, None, True, "several hundred"),
        ("a few dozen", 36, None, True, "a few dozen"),
        ("roughly 500", 500, "roughly", True, "~500"),
        ("About a dozen", 12, "about", True, "~12"),
        ("some 40", 40, "some", True, "~40"),
        ("nearly a thousand", 1000, "nearly", True, "nearly 1,000"),
        ("at least four", 4, "at least", False, "at least 4"),
        ("more than 40", 40, "more than", False, "40+"),
        ("over 500", 500, "over", False, "500+"),
        ("500 or more", 500, "or more", False, "500+"),
        ("up to 30", 30, "up to", False, "up to 30"),
        ("fewer than 10", 10, "fewer than", False, "under 10"),
        ("more than two dozen", 24, "more than", False, "24+"),
        ("5k", 5000, None, False, "5,000"),
        ("1.5k", 1500, None, False, "1,500"),
        ("2.5M", 2_500_000, None, False, "2,500,000"),
        ("1bn", 10**9, None, False, "1,000,000,000"),
        ("about 5k", 5000, "about", True, "~5,000"),
        ("2,000 to 3,000", 2000, None, False, "2,000\u20133,000"),
        ("2,000-3,000", 2000, None, False, "2,000\u20133,000"),
        ("10\u201315", 10, None, False, "10\u201315"),
        ("two or three", 2, None, False, "2\u20133"),
        ("between 2,000 and 3,000", 2000, None, False, "2,000\u20133,000"),
        ("two to three thousand", 2000, None, False, "2,000\u20133,000"),
        ("some 2,000 to 3,000", 2000, "some", True, "~2,000\u20133,000"),
    ],
)
def test_parse_quantity(text, value, hedge, approximate, formatted):
    q = parse_quantity(text)
    assert q is not None, text
    assert (q.value, q.hedge, q.approximate) == (value, hedge, approximate)
    assert (q.text, q.start, q.end) == (text, 0, len(text))
    assert format_quantity(q) == formatted


@pytest.mark.parametrize(
    "text",
    [
        "",
        "drones",
        "some",
        "about",
        "a",
        "tens",
        "a couple",
        "2.5",  # a measurement, not a count
        "Shahed-136",
        "500 drones",  # more than one expression
        "twenty-four-year-old",
        "four twenty",
        "50%",
        "$500",
        "1990s",
        "5km",
        "$5m",
        "5k5",
        "between 5",
        "2022-2024",  # years, not a range
        "3 to 2",  # not a range: two counts
    ],
)
def test_not_one_quantity(text):
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "firing roughly 500 drones and two dozen missiles",
            [("roughly 500", 500), ("two dozen", 24)],
        ),
        ("In 2024 500 drones were launched", [("2024", 2024), ("500", 500)]),
        ("a Shahed-136 and a Kh-101 hit Kyiv", []),
        ("killed two and injured 30, up 5% on 2.5 km", [("two", 2), ("30", 30)]),
        ("The scores were level; a couple who fled", []),
        ("scores of people", [("scores of", 40)]),
        ("a 500-drone attack", [("500", 500)]),
        ("the score was 2-1 on 2024-05-01 at 10:30", []),
        ("a 0-1 defeat in the 2022-2024 season", []),
        ("fired 40 missiles and 30 to 40 drones", [("40", 40), ("30 to 40", 30)]),
        ("the toll rose from 10 to 20", [("10", 10), ("20", 20)]),  # a change, not a range
        ("it grew by 5 to 20", [("5", 5), ("20", 20)]),
        ("the vote was 52 to 48", [("52", 52), ("48", 48)]),
        ("between them 500 drones", [("500", 500)]),
        ("a 5k-strong force", [("5k", 5000)]),
    ],
)
def test_find_quantities(text, found):
    assert [(q.text, q.value) for q in find_quantities(text)] == found


def test_format_keeps_vague_words_and_hedged_vague():
    q = parse_quantity("at least dozens of")
    assert q is not None and q.hedge == "at least" and q.vague
    assert format_quantity(q) == "at least dozens"


def test_quantity_is_frozen():
    q = parse_quantity("24")
    assert isinstance(q, Quantity)
    with pytest.raises(AttributeError):
        q.value = 25  # type: ignore[misc]


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_separators_round_trip(n):
    for rendered in (f"{n:,}", str(n), f"{n:,}".replace(",", "\u00a0")):
        q = parse_quantity(rendered)
        assert q is not None and q.value == n, rendered


@given(st.integers(min_value=0, max_value=10**12 - 1), st.booleans())
def test_words_round_trip(n, use_and):
    text = words(n, use_and=use_and)
    q = parse_quantity(text)
    assert q is not None and q.value == n, text
    assert not q.approximate and q.hedge is None


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["million", "thousand"]))
def test_digits_with_scale_words(n, scale):
    q = parse_quantity(f"{n} {scale}")
    factor = 10**6 if scale == "million" else 10**3
    assert q is not None and q.value == n * factor


@given(
    st.sampled_from(HEDGES),
    st.integers(min_value=1, max_value=10**6),
    st.booleans(),
    st.booleans(),
)
def test_hedges_are_kept(hedge, n, in_words, capitalised):
    number = words(n) if in_words else f"{n:,}"
    written = hedge.capitalize() if capitalised else hedge
    q = parse_quantity(f"{written} {number}")
    assert q is not None and q.value == n and q.hedge == hedge
    found = find_quantities(f"Officials said {written} {number} drones were launched.")
    assert [(x.value, x.hedge) for x in found] == [(n, hedge)]


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "at least ", "some "]))
def test_found_in_a_sentence_with_offsets(n, hedge):
    text = f"Russia fired {hedge}{n:,} missiles at Ukraine overnight."
    (q,) = find_quantities(text)
    assert q.value == n and text[q.start : q.end] == q.text == f"{hedge}{n:,}"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_never_crashes_and_offsets_slice_back(text):
    found = find_quantities(text)
    previous_end = 0
    for q in found:
        assert text[q.start : q.end] == q.text
        assert q.start >= previous_end and q.value >= 0
        previous_end = q.end
        assert isinstance(format_quantity(q), str)
    parse_quantity(text)


@settings(max_examples=200)
@given(
    st.lists(
        st.sampled_from(
            "a the of and about over some dozen dozens hundred hundreds thousand twenty-four "
            "at least more than 1,200 2.5 million half one two 500 or so - , . %".split()
        ),
        max_size=12,
    )
)
def test_number_like_word_salad_never_crashes(parts):
    text = " ".join(parts)
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
    q = parse_quantity(text)
    assert q is None or q.text == text.strip()


RANGE_JOINERS = [" to ", " or ", "-", "\u2013", " \u2013 ", " - "]


@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from([*RANGE_JOINERS, "between"]),
)
def test_ranges_read_as_their_lower_end(a, b, joiner):
    low, high = sorted((a, b))
    text = f"between {low:,} and {high:,}" if joiner == "between" else f"{low:,}{joiner}{high:,}"
    q = parse_quantity(text)
    if low == high:
        assert q is None  # not a range: two counts
        return
    assert q is not None, text
    assert (q.value, q.upper, q.hedge, q.approximate) == (low, high, None, False)
    found = find_quantities(f"Russia sent {text} troops.")
    assert [(x.text, x.value) for x in found] == [(text, low)]


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_a_falling_pair_is_two_counts_not_a_range(a, b):
    high, low = max(a, b), min(a, b)
    found = find_quantities(f"The vote was {high:,} to {low:,} in the end.")
    assert [q.value for q in found] == [high, low]
    assert all(q.upper is None for q in found)


@given(
    st.integers(min_value=1, max_value=98),
    st.integers(min_value=1, max_value=98),
    st.sampled_from([("dozen", 12), ("hundred", 100), ("thousand", 1000), ("million", 10**6)]),
)
def test_a_bare_lower_end_takes_the_upper_scale(low, step, scale):
    high = min(low + step, 99)
    word, factor = scale
    q = parse_quantity(f"{words(low)} to {words(high)} {word}")
    assert q is not None and (q.value, q.upper) == (low * factor, high * factor)


@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from([("k", 10**3), ("K", 10**3), ("m", 10**6), ("M", 10**6), ("bn", 10**9)]),
    st.booleans(),
)
def test_glued_scales(n, suffix, tenths):
    letters, factor = suffix
    text = f"{n // 10}.{n % 10}{letters}" if tenths else f"{n}{letters}"
    q = parse_quantity(text)
    expected = n * factor // 10 if tenths else n * factor
    assert q is not None and q.value == expected and q.upper is None, text
    assert parse_quantity(f"{text}s") is None  # glued to more letters: not a scale


def test_long_runs_of_number_words_and_digits_stay_readable():
    """Bounded reading: a hostile run does not hide the counts around it."""
    run = "twenty-" * 50_000
    found = find_quantities(f"Russia fired 40 missiles, then {run} and 12 drones.")
    assert [q.value for q in found][:1] == [40] and found[-1].value == 12
    spaced = find_quantities("twenty " * 20_000 + "twenty-four drones")
    assert spaced[-1].value == 24
    digits = find_quantities("code " + "9" * 10_000 + " then 7 drones")
    assert [q.value for q in digits] == [7]
    assert find_quantities("one hundred and twenty-three thousand four hundred")[0].value == (
        123_400
    )
