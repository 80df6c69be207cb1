"""The console's production server configuration (console/deploy/nginx.conf and
security-headers.inc, as the container uses them) run by a real nginx on a free port over the
built console: the SPA and its fallback, caching, the runtime config, security headers, /api left
to the Ingress, and an access log without query strings (R-46)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from recoup_local import procs
from recoup_local.console_build import console_dir, ensure_built

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> tuple[str, Path]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: deploy/local/system-packages.sh installs Debian's nginx")
    dist = ensure_built(say=print)
    root = tmp_path_factory.mktemp("nginx")
    deploy = console_dir() / "deploy"
    port = procs.free_port()
    # the container's paths, moved under the temporary directory; nothing else changed
    conf = (deploy / "nginx.conf").read_text()
    for container, here in (("/usr/share/nginx/html", str(dist)),
                            ("/etc/recoup-console/config.json", str(deploy / "config.example.json")),
                            ("/etc/nginx/security-headers.inc", str(deploy / "security-headers.inc")),
                            ("listen 8080", f"listen 127.0.0.1:{port}"),
                            ("access_log /dev/stdout", f"access_log {root / 'access.log'}")):
        assert container in conf, container
        conf = conf.replace(container, here)
    (root / "server.conf").write_text(conf)
    (root / "main.conf").write_text(f"""
pid {root}/nginx.pid;
error_log {root}/error.log;
daemon off;
events {{}}
http {{
  include /etc/nginx/mime.types;
  client_body_temp_path {root}/cb; proxy_temp_path {root}/p; fastcgi_temp_path {root}/f;
  uwsgi_temp_path {root}/u; scgi_temp_path {root}/s;
  include {root}/server.conf;
}}
""")
    proc = subprocess.Popen([NGINX, "-c", str(root / "main.conf")], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url + "/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "nginx exited"
    yield url, root
    proc.terminate()
    proc.wait(timeout=10)


def test_serves_the_console_as_the_container_would(server):
    url, root = server
    with httpx.Client(base_url=url) as c:
        index = c.get("/")
        deep = c.get("/billing/statements/demo-bank/2026-11")
        config = c.get("/config.json")
        dist = Path(ensure_built(say=lambda _: None))
        manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
        entry = next(v["file"] for v in manifest.values() if v.get("isEntry"))   # the entry chunk (> gzip_min_length)
        asset = c.get(f"/{entry}", headers={"accept-encoding": "gzip"})
        missing = c.get("/assets/index-missing.js")
        api = c.get("/api/intake/v1/cases", params={"id_number": "11010519491231002X"})
        hidden = c.get("/.vite/manifest.json")

    assert index.status_code == 200 and '<div id="app">' in index.text
    assert index.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in index.headers["content-security-policy"]
    assert index.headers["x-content-type-options"] == "nosniff" and index.headers["x-frame-options"] == "DENY"
    assert deep.status_code == 200 and deep.text == index.text  # the router's page
    assert config.json()["auth"]["mode"] == "oidc" and config.headers["cache-control"] == "no-store"
    assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert missing.status_code == 404 and "cache-control" not in missing.headers  # not cached for a year
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    assert hidden.status_code == 404
    log = (root / "access.log").read_text()
    assert "/api/intake/v1/cases" in log and "11010519491231002X" not in log and "id_number" not in log
