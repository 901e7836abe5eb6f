"""What a rendering process sends back (render_jobs.Result)."""

import pickle
from datetime import UTC, datetime

from podium.export.plan import PAST, Job, ListPage
from podium.export.render_jobs import Result


def crossed(thing):
    # As multiprocessing sends it: pickled on one side, read on the other.
    return pickle.loads(pickle.dumps(thing, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301


def test_a_job_reaches_a_rendering_process_whole():
    job = Job("/s/past/page/2/", "f" * 32, list_page=ListPage(PAST, 3, 2, (9, 8), 51))
    assert crossed(job) == job and crossed(Job("/s/talks/t/", "f", 7)).talk_id == 7
    assert crossed(job).list_page == (PAST, 3, 2, (9, 8), 51)


def test_a_result_reaches_the_exporting_process_whole():
    result = Result(
        "/s/talks/t/",
        "s/talks/t/index.html",
        "ab" * 16,
        1234,
        ["/s/", "/static/x.css"],
        "f" * 32,
        in_sitemap=True,
        problem="",
        staged=True,
    )
    assert crossed(result) == result
    assert crossed(Result("/gone/", problem="answered 404")).problem == "answered 404"
    moment = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    with_event = Result("/s/talks/t/calendar.ics", event=((7, 2, moment), b"BEGIN:VEVENT"))
    assert crossed(with_event).event == ((7, 2, moment), b"BEGIN:VEVENT")
