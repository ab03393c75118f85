"""Debian packages the stack needs, installed with apt-get when they are missing."""

import os
import shutil
from pathlib import Path

from stacklib import procs
from stacklib.procs import StackError, say


def install(package: str) -> None:
    """`apt-get install` one package (as root; otherwise say what to run)."""
    if os.geteuid() != 0:
        raise StackError(f"{package} is not installed: sudo apt-get install -y {package}")
    say(f"{package}: installing Debian's package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    procs.run(["apt-get", "update"], what="apt-get update", env=env)
    procs.run(["apt-get", "install", "-y", package], what="apt-get install", env=env)


def ensure_command(command: str, package: str) -> None:
    """Make `command` available, from `package` when it is not on PATH yet."""
    if shutil.which(command) is None:
        install(package)
    if shutil.which(command) is None:
        raise StackError(f"apt-get installed {package} but there is no {command} on PATH")


def ensure_file(path: Path, package: str) -> None:
    """Make `path` exist, from `package` when it does not yet (fonts and other data)."""
    if not path.exists():
        install(package)
    if not path.exists():
        raise StackError(f"apt-get installed {package} but there is no {path}")
