"""No page loads anything from a public CDN: the services run on a closed government network.

The scan is a plain, case-insensitive search for the known CDN host names in every page,
template, script, stylesheet and Python file under services/ and libs/, vendored minified files
included. It needs no smarter parsing (only src=/href=/url()/@import): the vendored files
(swagger-ui-dist 5.35.0, htmx 2.0.11) name none of these hosts, not even in a comment. A mention
in a comment or docstring of ours is flagged too: rewording it is cheap, a missed reference is a
blank page. Should a future vendored file name a host in a string that never loads, list that
file here with the reason rather than loosening the search for every file.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED_DIRS = ("services", "libs")
SUFFIXES = {".html", ".htm", ".jinja", ".jinja2", ".j2", ".py", ".js", ".mjs", ".css"}
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "code.jquery.com",
)


def _files() -> list[Path]:
    """Tracked files, and new ones not yet added (git's ignore rules apply); a walk without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", *SCANNED_DIRS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        paths = [ROOT / name for name in listed]
    except (OSError, subprocess.CalledProcessError):  # e.g. an image without .git
        paths = [
            p for d in SCANNED_DIRS for p in (ROOT / d).rglob("*") if "__pycache__" not in p.parts
        ]
    return sorted(p for p in paths if p.suffix in SUFFIXES and p.is_file())


def _cdn_hosts_in(text: str) -> list[str]:
    lowered = text.lower()
    return [host for host in CDN_HOSTS if host in lowered]


def test_no_file_refers_to_a_cdn() -> None:
    found = {
        str(path.relative_to(ROOT)): hosts
        for path in _files()
        if (hosts := _cdn_hosts_in(path.read_text(encoding="utf-8", errors="replace")))
    }

    assert found == {}, f"vendor these under the service's static/ instead: {found}"


def test_the_scan_sees_the_vendored_files() -> None:
    """Guards against a scan that passes because it listed nothing."""
    names = {path.name for path in _files()}

    assert {"swagger-ui-bundle.js", "swagger-ui.css", "htmx.min.js", "app.py"} <= names


def test_a_cdn_reference_is_found_whatever_its_case() -> None:
    page = '<script src="https://UNPKG.com/htmx.org@2"></script>'

    assert _cdn_hosts_in(page) == ["unpkg.com"]
