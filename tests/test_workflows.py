"""The GitHub Actions workflows, checked offline: schema, security audit, and what they do.

check-jsonschema validates every workflow against the GitHub workflow schema that the package
ships (``--builtin-schema vendor.github-workflows``), and zizmor audits them with ``--offline``.
Each tool is also shown a broken workflow, so a tool that checks nothing fails here. The rest
reads the workflows: pull requests run ``.ci/run``; a push to main also builds the site and
deploys it to GitHub Pages, from a job that needs the build.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from course import ROOT
from notebooks import site_url

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
SITE = "_build/html"
ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    """The console script installed with this Python (pip's scripts folder), else from PATH."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        path = Path(folder) / name
        if path.exists():
            return str(path)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: python3 -m pip install -r requirements.txt")
    return found


def run(*command: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=120, cwd=ROOT)


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, path)


def zizmor(path: Path) -> subprocess.CompletedProcess:
    return run(tool("zizmor"), "--offline", "--strict-collection", "--no-progress", "--format", "plain", path)


def load(path: Path) -> dict:
    """A workflow as data. YAML 1.1 reads the key ``on`` as True; give it back its name."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def jobs() -> dict[str, dict]:
    """Every job of every workflow, by 'file:job'."""
    return {f"{path.name}:{name}": job for path in WORKFLOW_FILES for name, job in load(path)["jobs"].items()}


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def action(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def one_job(predicate, what: str) -> tuple[str, dict]:
    found = [(name, job) for name, job in jobs().items() if predicate(job)]
    assert len(found) == 1, f"expected one job that {what}, found {[name for name, _ in found]}"
    return found[0]


BROKEN = """\
name: broken
on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
"""


def test_there_is_a_workflow():
    assert WORKFLOW_FILES, f"no workflow in {WORKFLOWS.relative_to(ROOT)}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_workflow_matches_github_schema(path):
    result = check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_its_schema():
    result = check_jsonschema("vendor.dependabot", DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_offline_finds_nothing():
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout, result.stdout + result.stderr
    result = zizmor(DEPENDABOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checkers_reject_a_broken_workflow(tmp_path):
    """The same commands fail on a workflow that breaks the schema or zizmor's rules."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "unsafe.yml").write_text(BROKEN, encoding="utf-8")
    result = zizmor(folder)
    assert result.returncode != 0, result.stdout
    for audit in ("unpinned-uses", "artipacked", "template-injection"):
        assert audit in result.stdout, (audit, result.stdout)
    invalid = folder / "invalid.yml"
    invalid.write_text(BROKEN.replace("runs-on: ubuntu-24.04", "runs_on: ubuntu-24.04"), encoding="utf-8")
    result = check_jsonschema("vendor.github-workflows", invalid)
    assert result.returncode != 0, result.stdout


def test_triggers_are_pull_requests_and_pushes_to_main():
    triggers = [load(path)["on"] for path in WORKFLOW_FILES]
    assert any("pull_request" in on for on in triggers), triggers
    assert any(on.get("push", {}).get("branches") == ["main"] for on in triggers if isinstance(on, dict)), triggers


def test_every_pull_request_runs_ci_run():
    """The job that runs .ci/run does so on every event: neither it nor its step is conditional."""
    _, job = one_job(lambda job: any(".ci/run" in step.get("run", "") for step in steps(job)), "runs .ci/run")
    assert "if" not in job
    step = next(step for step in steps(job) if ".ci/run" in step.get("run", ""))
    assert step["run"].strip() == "bash .ci/run" and "if" not in step


def test_main_builds_the_site_and_its_pdfs_and_uploads_them():
    name, job = one_job(lambda job: any(action(step) == "actions/upload-pages-artifact" for step in steps(job)),
                        "uploads the Pages artifact")
    by_run = {step.get("run", "").strip(): step for step in steps(job)}
    build = by_run.get("jupyter-book build . -W")
    assert build is not None, f"{name} does not run `jupyter-book build . -W`"
    pdfs = by_run.get(f"python3 tools/pdf.py {SITE} {SITE}")
    assert pdfs is not None, f"{name} does not print the PDFs into the site"
    upload = next(step for step in steps(job) if action(step) == "actions/upload-pages-artifact")
    assert upload["with"]["path"] == SITE
    order = [steps(job).index(step) for step in (build, pdfs, upload)]
    assert order == sorted(order), "build, then the PDFs, then upload"
    for step in (build, pdfs, upload):
        assert step.get("if") == ON_MAIN, step
    assert any(".ci/run" in step.get("run", "") for step in steps(job)[:order[0]]), "the tests run first"


def test_main_deploys_pages_after_the_build():
    build_name, _ = one_job(lambda job: any(action(step) == "actions/upload-pages-artifact" for step in steps(job)),
                            "uploads the Pages artifact")
    name, job = one_job(lambda job: any(action(step) == "actions/deploy-pages" for step in steps(job)),
                        "deploys Pages")
    needs = job.get("needs", [])
    assert build_name.split(":")[1] in ([needs] if isinstance(needs, str) else needs), needs
    assert job.get("if") == ON_MAIN
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [action(step) for step in steps(job)] == ["actions/configure-pages", "actions/deploy-pages"]


def test_least_privilege_and_no_persisted_credentials():
    for path in WORKFLOW_FILES:
        assert load(path).get("permissions") == {}, f"{path.name}: top-level permissions must be {{}}"
    for name, job in jobs().items():
        assert "permissions" in job, f"{name} must say which permissions it needs"
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        deploys = any(action(step) == "actions/deploy-pages" for step in steps(job))
        assert writes <= ({"pages", "id-token"} if deploys else set()), (name, job["permissions"])
        for step in steps(job):
            if action(step) == "actions/checkout":
                assert step.get("with", {}).get("persist-credentials") is False, name


def test_actions_are_pinned_by_commit_sha_with_their_tag():
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*(?:-\s+)?uses:\s*(\S+)(.*)", line)
            if match:
                assert SHA_PIN.match(match.group(1)), f"{path.name}: not pinned by full SHA: {line.strip()}"
                assert re.fullmatch(r"\s*# v\d+(\.\d+)*", match.group(2)), f"{path.name}: no tag comment: {line}"


def test_readme_says_where_the_site_is_published():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert site_url() in readme
    assert "Source: GitHub Actions" in readme
