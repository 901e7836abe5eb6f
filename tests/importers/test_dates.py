"""Reading talk date lines in every form the corpus uses."""

from datetime import date, datetime, time

import pytest

from podium.importers.dates import DateProblem, edit_distance, month_number, parse_date_line

LINK = "https://www.timeanddate.com/worldclock/fixedtime.html?msg=Seminar&iso={}&p1=136"


@pytest.mark.parametrize(
    ("line", "day", "clock", "zone"),
    [
        (f"13 October 2021, 13:00 ([UK time]({LINK.format('20211013T13')}))",
         date(2021, 10, 13), time(13), "Europe/London"),
        ("January 27, 2021", date(2021, 1, 27), None, None),
        ("5th April 2023, 3:30pm (CET)", date(2023, 4, 5), time(15, 30), "Europe/Berlin"),
        ("3:30pm (CET), 15th March 2023", date(2023, 3, 15), time(15, 30), "Europe/Berlin"),
        ("27-Oct-2021, 1.30pm (UK time): Prof. Reza",
         date(2021, 10, 27), time(13, 30), "Europe/London"),
        ("9 Feb 2022", date(2022, 2, 9), None, None),
        ("23 February 2022,", date(2022, 2, 23), None, None),
        ("31st May 2023.", date(2023, 5, 31), None, None),
        ("May 4, 2022, 14:30", date(2022, 5, 4), time(14, 30), None),
        ("15 June 2022, ~~14:30~~ 14:00 (UK time)", date(2022, 6, 15), time(14), "Europe/London"),
        ("2 March 2022, 18:00 (UTC time)", date(2022, 3, 2), time(18), "UTC"),
    ],
)  # fmt: skip
def test_date_line_forms(line, day, clock, zone):
    when = parse_date_line(line)
    assert (when.day, when.clock, when.zone) == (day, clock, zone)


def test_link_time_is_read_in_the_links_place():
    when = parse_date_line(f"1 June 2022, 13:30 ([UK time]({LINK.format('20220601T1330')}))")
    assert when.link_local == datetime(2022, 6, 1, 13, 30)
    assert when.link_zone == "Europe/London"


@pytest.mark.parametrize(
    ("line", "moved_from", "day"),
    [
        ("~~27 October~~ 17 November 2021, 13:30", date(2021, 10, 27), date(2021, 11, 17)),
        ("~~3 November 2021~~ 10 November, 16:00", date(2021, 11, 3), date(2021, 11, 10)),
    ],
)
def test_struck_date_is_where_the_talk_moved_from(line, moved_from, day):
    when = parse_date_line(line)
    assert (when.moved_from, when.day) == (moved_from, day)


def test_misspelt_month_is_read_with_a_note():
    when = parse_date_line("27 Octber 2021, 13:30 (UK time)")
    assert when.day == date(2021, 10, 27)
    assert when.notes == ["read the misspelt month “Octber” as October"]


def test_one_line_form_keeps_what_follows():
    when = parse_date_line("13-Oct-2021, 1pm (UK time): Prof. Konrad Rieck, TU, *Title*")
    assert when.rest == "Prof. Konrad Rieck, TU, *Title*"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("31 February 2022, 13:00", "February 2022 has no day 31"),
        ("February 2022, Details TBA", "gives a month but no day"),
        ("We're taking a break", "no date"),
    ],
)
def test_lines_without_a_real_date_are_refused(line, message):
    with pytest.raises(DateProblem, match=message):
        parse_date_line(line)


def test_month_words():
    assert month_number("Sept") == 9
    assert month_number("Octber") == 10
    assert month_number("Foo") is None
    assert month_number("Ju") is None


def test_edit_distance_counts_a_transposition_once():
    assert edit_distance("shorki", "shokri") == 1  # "rk" for "kr"
    assert edit_distance("ab", "ba") == 1
    assert edit_distance("kunal", "kumal") == 1
