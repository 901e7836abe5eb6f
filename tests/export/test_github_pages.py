"""The GitHub Pages workflow of docs/github-pages.md, run step by step (but the install)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.core.management import call_command

from tests.export.linkcheck import broken_links
from tests.factories import make_organizer

ROOT = Path(__file__).resolve().parents[2]
PAGES_URL = "https://user.github.io/repo"  # what actions/configure-pages gives, no slash


def workflow() -> dict:
    text = (ROOT / "docs" / "github-pages.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", text, re.DOTALL).group(1)
    return yaml.safe_load(block)


def github_expressions(command: str, runner_temp: Path) -> str:
    """Replace the `${{ ... }}` expressions the way GitHub Actions would in this run."""
    values = {
        "steps.pages.outputs.base_url": PAGES_URL,
        "runner.temp": str(runner_temp),
        "vars.PODIUM_PACKAGE": str(ROOT),
        "vars.PODIUM_LIVE_URL": "",
        "vars.PODIUM_EXPORT_FORMS": "",
    }
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values[m.group(1)], command)


def test_the_workflow_builds_the_site(site, tmp_path):
    make_organizer(site.series, username="ada-organizer")
    repository = tmp_path / "site-repository"
    call_command("dumppublic", str(repository / "podium-site"))
    job = workflow()["jobs"]["build"]
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({name: github_expressions(str(v), runner_temp) for name, v in job["env"].items()})
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    ran = []
    for step in job["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue  # actions are GitHub's; Podium is installed in this venv already
        command = github_expressions(step["run"], runner_temp)
        done = subprocess.run(
            ["bash", "-e", "-c", command], cwd=repository, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{step['name']}:\n{done.stdout}\n{done.stderr}"
        ran.append(step["name"])
    assert ran == ["Load the series", "Export the site"]

    exported = repository / "_site"
    for page in (
        "index.html",
        "prisec-ml/index.html",
        "prisec-ml/past/index.html",
        f"prisec-ml/talks/{site.past.slug}/index.html",
        "404.html",
        ".nojekyll",
        f"media/{site.speaker.photo.name}",
    ):
        assert (exported / page).is_file(), page
    assert broken_links(exported, PAGES_URL + "/") == []
    everything = b"".join(p.read_bytes() for p in exported.rglob("*") if p.is_file())
    assert b"Secret Draft" not in everything
    dump = (repository / "podium-site" / "series.json").read_text()
    assert "Secret Draft" not in dump and "password" not in dump
    # The organizer is on the page, without the account behind it.
    assert "ada-organizer" in (exported / "prisec-ml" / "index.html").read_text()
    assert '"user": null' in dump
