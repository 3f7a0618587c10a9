"""Repository conventions: README's commands, CI, and the single home of the repository URL."""
from __future__ import annotations

import re

from course import ROOT, repository_url
from notebooks import KERNEL_ENV


def readme_command(label: str) -> str:
    """Return the shell command that README gives right after the line containing ``label``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(label) + r".*?```bash\n(.+?)\n```", text, re.S)
    assert match, f"README.md has no command block after {label!r}"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_command("Run every test")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines() or any(line.strip().endswith(command) for line in ci.splitlines())


def test_ci_reruns_the_notebooks_under_other_numerics():
    """The second run must differ from the kernel settings the notebooks are saved and first tested with."""
    command = readme_command("Then re-execute the notebooks under another numeric setup")
    ci = " ".join((ROOT / ".ci" / "run").read_text(encoding="utf-8").replace("\\\n", " ").split())
    assert " ".join(command.split()) in ci
    settings = dict(word.split("=", 1) for word in command.split() if "=" in word and word.isascii())
    assert settings["ATEN_CPU_CAPABILITY"] == "default"
    assert settings["OMP_NUM_THREADS"] != KERNEL_ENV["OMP_NUM_THREADS"]
    assert " book" in command


def test_readme_builds_the_site_with_warnings_as_errors():
    assert readme_command("Build the site").startswith("jupyter-book build . -W")


def test_repository_url_has_one_home():
    url = repository_url()
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url)
    holders = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
               if p.is_file() and p.suffix in {".py", ".md", ".yml", ".toml", ".txt", ".cfg"}
               and "_build" not in p.parts and url in p.read_text(encoding="utf-8", errors="ignore")]
    assert holders == ["_config.yml"], holders
