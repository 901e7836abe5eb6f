"""Schemathesis over /api/v1/openapi.json, in process against the WSGI application.

Every operation in the document is called with generated parameters, valid and invalid;
every answer must be documented, match its schema, and never be a server error.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from podium.seminars.talks import cancel_talk, save_talk
from tests.factories import PersonFactory, SeriesFactory, TalkFactory

# The document is read at collection (no database needed); each case runs with the data below.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Called straight through WSGI, Django would close the test's database connection at the
    end of each request (as its own test client prevents): keep it open, as the client does.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def published_talks(db, frozen):
    series = SeriesFactory(slug="prisec-ml")
    series.links.create(label="Slack", url="https://example.org/slack")
    series.organizers.create(name="Organizer One", affiliation="UCL")
    past = TalkFactory(series=series, start=frozen - timedelta(days=30))
    save_talk(past, links=[("Paper", "https://example.org/paper")])
    TalkFactory(series=series, speakers=[PersonFactory(), PersonFactory(honorific="Dr.")])
    cancel_talk(TalkFactory(series=series), "Moved")
    TalkFactory(series=SeriesFactory(visibility="unlisted", slug="hidden"))


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case):
    case.call_and_validate()
