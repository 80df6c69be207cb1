"""The console's production server configuration (console/deploy/nginx.conf and
security-headers.inc, as the container uses them) run by a real nginx on a free port over the
built console: the SPA and its fallback, caching, the runtime config, security headers, /api left
to the Ingress, and an access log without query strings (R-46). Then the docker compose copy
(deploy/docker/console-nginx.conf, generated): /api/<service>/v1/ proxied to each service with the
prefix stripped, streaming a large upload, and nothing else of a service reachable."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml

from recoup_local import procs
from recoup_local.console_build import console_dir, ensure_built

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _serve(conf: str, root: Path, replacements: dict[str, str]):
    """nginx over `conf` with the container's paths moved under `root`; nothing else changed."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: deploy/local/system-packages.sh installs Debian's nginx")
    dist = ensure_built(say=print)
    deploy = console_dir() / "deploy"
    port = procs.free_port()
    for container, here in (("/usr/share/nginx/html", str(dist)),
                            ("/etc/recoup-console/config.json", str(deploy / "config.example.json")),
                            ("/etc/nginx/security-headers.inc", str(deploy / "security-headers.inc")),
                            ("listen 8080", f"listen 127.0.0.1:{port}"),
                            ("access_log /dev/stdout", f"access_log {root / 'access.log'}"),
                            *replacements.items()):
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
    return url, proc


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("nginx")
    url, proc = _serve((console_dir() / "deploy" / "nginx.conf").read_text(), root, {})
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


class _Upstream(BaseHTTPRequestHandler):
    """A service stand-in: answers what it was asked (path with query, body size)."""

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        received = 0
        while received < length:
            received += len(self.rfile.read(min(65536, length - received)))
        body = json.dumps({"service": self.server.name, "path": self.path, "bytes": received}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


def test_compose_copy_routes_each_service_api_with_the_prefix_stripped(tmp_path):
    services = yaml.safe_load((console_dir().parent / "deploy" / "k8s" / "services.yaml").read_text())["services"]
    spec = {n: s["port"] for n, s in services.items() if not s.get("planned")}
    upstreams = {}
    for name in spec:
        srv = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
        srv.name = name
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        upstreams[name] = srv
    conf = (console_dir().parent / "deploy" / "docker" / "console-nginx.conf").read_text()
    # the compose service names, pointed at the stand-ins
    moves = {f"http://{n}:{port}/": f"http://127.0.0.1:{upstreams[n].server_port}/" for n, port in spec.items()}
    url, proc = _serve(conf, tmp_path, moves)
    try:
        with httpx.Client(base_url=url, timeout=30) as c:
            for name in spec:
                r = c.get(f"/api/{name}/v1/cases/abc", params={"status": "open"})
                assert r.status_code == 200 and r.json() == {"service": name, "path": "/v1/cases/abc?status=open", "bytes": 0}
                hidden = c.get(f"/api/{name}/metrics")
                assert hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"
            big = c.post("/api/fieldops/v1/visits/v1/evidence", content=b"x" * (3 * 1024 * 1024))
            assert big.json() == {"service": "fieldops", "path": "/v1/visits/v1/evidence", "bytes": 3 * 1024 * 1024}
            assert c.get("/api/nosuch/v1/x").status_code == 404
            assert '<div id="app">' in c.get("/fieldops/my-day").text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        for srv in upstreams.values():
            srv.shutdown()
    log = (tmp_path / "access.log").read_text()
    assert "/api/intake/v1/cases/abc" in log and "status=open" not in log   # no query strings
