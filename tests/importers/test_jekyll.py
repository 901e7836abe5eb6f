"""Reading a Jekyll seminar page: structure, repairs, and one small fixture per warning."""

from datetime import UTC, datetime

from podium.importers.jekyll import parse_page
from podium.importers.reading import decode_text, read_bytes

LINK = "https://www.timeanddate.com/worldclock/fixedtime.html?msg=Seminar&iso={}&p1=136"
TALK = """
<img src="../images/{photo}" style="float:right;width:100px">
- {when}
**{speaker}**
{title}
{links}<details><br>**Abstract:**<br>{abstract}<br><br>**Bio:**<br>{bio}<br></details>
"""


def talk(**given) -> str:
    values = dict(
        photo="ada.jpg",
        when="13 October 2021, 13:00 (UK time)",
        speaker="Prof. Ada Lovelace (Analytical Engine Society)",
        title="Notes on the Engine",
        links="[[Recording](https://youtu.be/abc)]",
        abstract="An &ndash; abstract.",
        bio="[https://ada.example.org](https://ada.example.org)",
    )
    values.update(given)
    return TALK.format(**values)


def page(*talks: str, intro: str = "Intro **(PriSec-ML)**, tentatively Wednesdays 1pm.") -> str:
    return "---\ntitle: A Seminar\n---\n\n" + intro + "\n\n### Upcoming Seminars\n" + "".join(talks)


def parse(text: str):
    return parse_page(text, "about.md", "Europe/London")


def kinds(parsed) -> list[str]:
    return [w.kind for w in parsed.warnings]


def test_seed_page_is_read_with_its_mojibake_repaired(corpus):
    path = corpus / "seed-homepage-2021-10.md"
    parsed = parse_page(decode_text(read_bytes(path), path.name), path.name, "Europe/London")
    konrad, reza = parsed.talks
    assert konrad.start == datetime(2021, 10, 13, 12, 0, tzinfo=UTC)
    assert konrad.speakers[0].affiliation == "Technische Universität Braunschweig"
    assert konrad.speakers[0].honorific == "Prof."
    assert konrad.speakers[0].homepage == "https://www.tu-braunschweig.de/en/sec/team/rieck"
    assert konrad.registration_url.startswith("https://ucl.zoom.us/meeting/register/")
    assert konrad.livestream_url == "https://youtu.be/kCKayHjZd3E"
    assert konrad.abstract.startswith("The remarkable advances")
    assert konrad.photo == "konrad.jpeg"
    assert reza.abstract == ""  # "TBA" is no abstract
    assert [w.kind for w in parsed.warnings] == ["mojibake"]
    assert parsed.warnings[0].line == 16
    assert parsed.default_weekday == 2 and parsed.default_start_time.hour == 13
    assert parsed.short_name == "PriSec-ML"
    assert [o.name for o in parsed.organizers][:1] == ["Prof. Emiliano De Cristofaro"]


def test_talk_parts_become_clean_markdown():
    parsed = parse(page(talk()))
    (only,) = parsed.talks
    assert only.abstract == "An – abstract."
    assert only.speakers[0].bio == "" and only.speakers[0].homepage == "https://ada.example.org"
    assert only.recording_url == "https://youtu.be/abc"
    assert parsed.warnings == []


def test_several_speakers_and_a_shared_affiliation_line():
    block = (
        "\n- 2 March 2022\n**Alice Liddell**, **Bob Dodgson**, and **Carol Lewis**  \n"
        "**(Meta AI)**<br>Open Tools<br>[[Recording](https://youtu.be/x)]<br><details>"
        "<br>**Abstract:** A.<br>**Bios:** Alice Liddell is here.<br> - Carol Lewis is there."
        "</details>\n"
    )
    (only,) = parse(page(block)).talks
    assert [(s.name, s.affiliation) for s in only.speakers] == [
        ("Alice Liddell", "Meta AI"),
        ("Bob Dodgson", "Meta AI"),
        ("Carol Lewis", "Meta AI"),
    ]
    assert only.title == "Open Tools"
    assert only.speakers[0].bio == "Alice Liddell is here."
    assert only.speakers[2].bio == "Carol Lewis is there."
    assert only.photo == ""


def test_commented_out_talks_are_not_imported():
    parsed = parse(page("<!--" + talk() + "-->", talk(when="27 October 2021")))
    assert [t.day.isoformat() for t in parsed.talks] == ["2021-10-27"]


def test_tba_title_is_no_title():
    (only,) = parse(page(talk(title="TBD"))).talks
    assert only.title == ""


def test_warning_time_mismatch_keeps_the_link_on_the_same_day():
    when = f"15 June 2022, 14:30 ([UK time]({LINK.format('20220615T1400')}))"
    parsed = parse(page(talk(when=when)))
    assert kinds(parsed) == ["time_mismatch"]
    assert parsed.talks[0].start == datetime(2022, 6, 15, 13, 0, tzinfo=UTC)
    assert "kept the link's time" in parsed.warnings[0].message
    assert parsed.warnings[0].line == 10


def test_warning_time_mismatch_keeps_the_text_when_the_link_is_for_another_day():
    when = f"12 July 2022, 13:30 ([UK time]({LINK.format('20220705T1330')}))"
    parsed = parse(page(talk(when=when)))
    assert kinds(parsed) == ["time_mismatch"]
    assert parsed.talks[0].start == datetime(2022, 7, 12, 12, 30, tzinfo=UTC)
    assert "kept the text" in parsed.warnings[0].message


def test_warning_unknown_date():
    parsed = parse(page(talk(when="February 2022, Details TBA"), talk(when="31 February 2022")))
    assert kinds(parsed) == ["unknown_date", "unknown_date", "no_talks"]
    assert "has no day 31" in parsed.warnings[1].message


def test_warning_recording_passcode():
    links = "[[Recording](https://ucl.zoom.us/rec/share/abc?startTime=1 (Passcode: Z*13P))]"
    parsed = parse(page(talk(links=links)))
    assert kinds(parsed) == ["recording_passcode"]
    assert parsed.talks[0].recording_url == "https://ucl.zoom.us/rec/share/abc?startTime=1"
    assert "Z*13P" in parsed.warnings[0].message


def test_warning_same_slot():
    parsed = parse(page(talk(), talk(speaker="Charles Babbage (Cambridge)", title="Other")))
    assert kinds(parsed) == ["same_slot"]
    assert "line 10" in parsed.warnings[0].message
    assert parsed.warnings[0].line == 16


def test_warning_cet_in_summer_reads_central_european_local_time():
    parsed = parse(page(talk(when="14th June 2023, 4:30pm (CET)")))
    assert kinds(parsed) == ["zone_label"]
    assert parsed.talks[0].start == datetime(2023, 6, 14, 14, 30, tzinfo=UTC)
    winter = parse(page(talk(when="15th March 2023, 3:30pm (CET)")))
    assert winter.warnings == []
    assert winter.talks[0].start == datetime(2023, 3, 15, 14, 30, tzinfo=UTC)


def test_warning_misspelt_month():
    parsed = parse(page(talk(when="27 Octber 2021, 13:30 (UK time)")))
    assert kinds(parsed) == ["misspelt_date"]


def test_warning_bad_link():
    parsed = parse(page(talk(links="[[Zoom Registration](Notes on the Engine)]")))
    assert kinds(parsed) == ["bad_link"]


def test_warning_unclosed_details_reads_up_to_the_next_talk():
    broken = talk().replace("</details>", "")
    parsed = parse(page(broken, talk(when="27 October 2021")))
    assert kinds(parsed) == ["unclosed_details"]
    assert len(parsed.talks) == 2
    assert parsed.talks[0].abstract == "An – abstract."


def test_warning_mojibake_and_unclosed_comment():
    parsed = parse(page(talk(speaker="Ada (Technische Universit√§t)"), "<!-- forgotten"))
    assert kinds(parsed) == ["mojibake", "unclosed_comment"]
    assert parsed.talks[0].speakers[0].affiliation == "Technische Universität"


def test_warning_no_talks():
    assert kinds(parse("---\ntitle: Me\n---\n\nI am a professor.\n")) == ["no_talks"]


def test_every_corpus_file_parses(corpus):
    files = sorted(corpus.rglob("*.md"))
    assert len(files) >= 90
    for path in files:
        parsed = parse_page(decode_text(read_bytes(path), path.name), path.name, "Europe/London")
        assert all(t.speakers or t.title for t in parsed.talks), path


def test_get_involved_links_are_labelled_in_plain_text():
    involved = (
        "### Get Involved\n"
        "- Join our **[Slack](https://join.slack.com/t/example)**\n"
        "- Follow us on __[BlueSky](https://bsky.app/profile/example)__ &amp; more\n"
        "- Subscribe to our **[YouTube channel](https://youtube.com/@example)** where we "
        "keep the recordings.\n\n"
    )
    parsed = parse(page(talk(), intro="Intro.\n\n" + involved))
    assert parsed.links == [
        ("Join our Slack", "https://join.slack.com/t/example"),
        ("Follow us on BlueSky & more", "https://bsky.app/profile/example"),
        (
            "Subscribe to our YouTube channel where we keep the recordings",
            "https://youtube.com/@example",
        ),
    ]


def test_the_earlier_iterations_note_loses_the_sentence_that_led_into_their_talks():
    previous = (
        "\n### Previous Iteration\nThis is a reboot of the [Turing](https://turing.example)'s "
        "group. After that, we branched out. Here are the talks in that series:\n"
    )
    parsed = parse(page(talk()) + previous + talk(title="An Earlier Talk"))
    assert parsed.earlier_iterations == (
        "This is a reboot of the [Turing](https://turing.example)'s group. "
        "After that, we branched out."
    )
    assert [t.title for t in parsed.talks] == ["Notes on the Engine", "An Earlier Talk"]
    # A note with no such sentence stays whole, colons inside it included.
    kept = "\n### Previous Iteration\nRun by: the Turing. It ended in 2021.\n"
    assert parse(page(talk()) + kept).earlier_iterations == "Run by: the Turing. It ended in 2021."


def test_news_in_a_heading_above_the_first_section_stays_with_the_introduction(corpus):
    news = "Intro.\n\n## New! We are planning a reboot of this series! Stay tuned!\nMore soon."
    parsed = parse(page(talk(), intro=news))
    assert parsed.description == (
        "Intro.\n\n**New! We are planning a reboot of this series! Stay tuned!**\n\nMore soon."
    )
    assert [t.title for t in parsed.talks] == ["Notes on the Engine"]
    # A section's name is no news, even when nothing is under it.
    assert parse(page(talk(), intro="Intro.\n\n### Seminars")).description == "Intro."
    newest = sorted((corpus / "about").glob("about-*.md"))[-1]
    real = parse_page(decode_text(read_bytes(newest), newest.name), newest.name, "Europe/London")
    assert real.description.endswith(
        "\n\n**New! We are planning a reboot of this seminar series! Stay tuned!**"
    )


def test_warning_left_out_names_a_section_whose_text_is_not_imported():
    contact = "\n### Contact\n- [us@example.org](mailto:us@example.org)\n"
    parsed = parse(page(talk()) + contact + "\n### Sponsors\n\n### Code of Conduct\nBe kind.\n")
    assert kinds(parsed) == ["left_out", "left_out"]  # the empty Sponsors section loses nothing
    assert [w.line for w in parsed.warnings] == [15, 20]
    assert "“Contact” was not imported" in parsed.warnings[0].message
    assert "“Code of Conduct”" in parsed.warnings[1].message
    # A page with no talks is left out whole, which its one warning says.
    assert kinds(parse("---\ntitle: Me\n---\n\nHi.\n\n### Personal\nI run.\n")) == ["no_talks"]
