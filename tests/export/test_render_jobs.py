"""What a rendering process sends back (render_jobs.Result)."""

import pickle

from podium.export.render_jobs import Result


def crossed(result: Result) -> Result:
    # As multiprocessing sends it: pickled by the worker, read by the exporting process.
    return pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301


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
