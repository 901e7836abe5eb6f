"""Exported pages carry the live site's Content-Security-Policy, since a static host sends
no header; what a `<meta>` policy cannot hold is left out."""

import re

from django.test import Client

from podium.export.security import csp_meta
from podium.export.static_forms import FormPolicy


def meta_policy(page: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert len(found) == 1
    return found[0].replace("&#x27;", "'")


def directives(policy: str) -> set[str]:
    return {" ".join(part.split()) for part in policy.split(";") if part.strip()}


def test_pages_carry_the_servers_policy_but_frame_ancestors(site, export, tmp_path):
    export()
    header = Client().get("/prisec-ml/").headers["Content-Security-Policy"]
    for name in (
        "index.html",
        "prisec-ml/index.html",
        f"prisec-ml/talks/{site.past.slug}/index.html",
        "404.html",
    ):
        page = (tmp_path / "site" / name).read_text()
        policy = meta_policy(page)
        assert directives(policy) == {
            d for d in directives(header) if not d.startswith("frame-ancestors")
        }
        # First in the head: before the stylesheet and the script it governs.
        assert page.index("Content-Security-Policy") < page.index('<link rel="stylesheet"')


def test_forms_posting_to_the_live_server_are_allowed_by_the_policy():
    meta = csp_meta(FormPolicy("live", "https://podium.example.org/")).decode()
    policy = directives(meta_policy(meta))
    assert "form-action 'self' https://podium.example.org" in policy
    assert not any(d.startswith("frame-ancestors") for d in policy)
    assert "form-action 'self'" in directives(meta_policy(csp_meta(FormPolicy("remove")).decode()))
