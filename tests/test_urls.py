"""Site-wide addresses in podium/urls.py."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert not response.cookies


@pytest.mark.parametrize("path", ["/api/v1/series", "/organize/", "/healthz"])
def test_the_public_site_alone_has_no_api_or_organizers_address(path):
    from django.urls import Resolver404, resolve

    served = resolve(path)
    assert served.view_name != "seminars:series"
    try:
        alone = resolve(path, urlconf="podium.site_urls")
    except Resolver404:
        return
    # At most the address a series called "organize" would have (the server puts the
    # organizers' side first), never the organizers' side itself.
    assert alone.view_name == "seminars:series"


def test_the_public_site_loads_without_the_api(tmp_path):
    """What the static export renders against never imports ninja (0.1 s of every export)."""
    import os
    import subprocess
    import sys

    script = (
        "import sys, django; django.setup()\n"
        "from django.urls import reverse\n"
        "assert reverse('index', urlconf='podium.site_urls') == '/'\n"
        "from podium.export.management.commands import export\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ninja', 'pydantic')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "podium.settings"}
    env["PODIUM_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
