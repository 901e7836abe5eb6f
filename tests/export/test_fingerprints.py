"""What a page's fingerprint is made of (podium/export/fingerprints.py)."""

from pathlib import Path

from podium.export import fingerprints
from podium.export.fingerprints import code_fingerprint


def test_the_code_fingerprint_follows_what_it_is_given_and_reads_the_code_once(monkeypatch):
    before = code_fingerprint("https://a.example/")
    assert before == code_fingerprint("https://a.example/")
    assert before != code_fingerprint("https://b.example/")
    # The code on disk is read once a process: pages are rendered by the code loaded.
    monkeypatch.setattr(fingerprints, "PODIUM_SOURCE", Path("/nonexistent"))
    assert code_fingerprint("https://a.example/") == before
