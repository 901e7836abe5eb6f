"""The live site's Content-Security-Policy, carried into exported pages as a `<meta>` element.

A static host sends no security headers; the policy in the page keeps its protection (our
own scripts, styles and images only). Directives a `<meta>` policy cannot carry are left out
(browsers ignore them there, with a console error): `frame-ancestors`, `report-uri`,
`report-to`, `sandbox`. Forms posting to the live server get its origin in `form-action`.
"""

import html
from urllib.parse import urlsplit

from csp.utils import build_policy

from podium.export.static_forms import FormPolicy

NOT_IN_META = ("frame-ancestors", "report-uri", "report-to", "sandbox")
CHARSET = b'<meta charset="utf-8">\n'


def csp_meta(forms: FormPolicy) -> bytes:
    """The `<meta http-equiv="Content-Security-Policy">` element for exported pages."""
    directives = []
    for directive in build_policy().split(";"):
        words = directive.split()
        if not words or words[0] in NOT_IN_META:
            continue
        if words[0] == "form-action" and forms.mode == "live":
            address = urlsplit(forms.address)
            words.append(f"{address.scheme}://{address.netloc}")
        directives.append(" ".join(words))
    # Sorted: django-csp's order changes from process to process, an export must not.
    content = html.escape("; ".join(sorted(directives))).encode()
    return b'<meta http-equiv="Content-Security-Policy" content="' + content + b'">\n'


def with_csp_meta(body: bytes, meta: bytes) -> bytes:
    """Put the policy first in the head, right after the character set, before any script."""
    at = body.find(CHARSET)
    if at < 0:
        return body
    at += len(CHARSET)
    return body[:at] + meta + body[at:]
