"""docker/compose.yaml must be valid compose; checked without a Docker engine."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_validates() -> None:
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: `make test` installs Debian's docker-compose package"
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker" / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50},
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert {"web", "worker", "beat", "db", "redis"} <= set(config["services"])


def test_dockerfile_runs_as_non_root_with_gunicorn_and_collected_static() -> None:
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text()
    assert "\nUSER " in dockerfile
    assert "USER root" not in dockerfile
    assert "collectstatic" in dockerfile
    assert "gunicorn" in dockerfile
