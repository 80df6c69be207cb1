"""The console's own checks inside `make test`: its unit tests (vitest), TypeScript over the
sources and tests, and the first-load budget of the production build (issue 13: < 500 KB gzipped)."""

from __future__ import annotations

import re
import subprocess

import pytest

from recoup_local.console_build import check_node, console_dir, ensure_built, ensure_deps


@pytest.fixture(scope="module")
def npm() -> str:
    ensure_deps(say=print)
    return check_node()


def _run(argv: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=console_dir(), capture_output=True, text=True, timeout=timeout,
                          env={**__import__("os").environ, "NO_COLOR": "1", "FORCE_COLOR": "0"})


def test_vitest_unit_tests(npm, capsys):
    proc = _run([npm, "run", "test:unit"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    summary = re.search(r"Tests\s+(\d+) passed", out)
    assert summary and int(summary.group(1)) >= 20, out[-3000:]
    with capsys.disabled():
        print(f"\n  console: vitest {summary.group(1)} passed")


def test_typescript_strict_over_sources_and_tests(npm):
    proc = _run(["npx", "--no-install", "vue-tsc", "--noEmit", "-p", "tsconfig.vitest.json"])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-6000:]


def test_first_load_is_under_500_kb_gzipped(npm, capsys):
    ensure_built(say=print)
    proc = _run(["node", "scripts/size.mjs"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = re.search(r"first load ([\d.]+) KB gzipped", proc.stdout)
    assert m, proc.stdout
    assert float(m.group(1)) < 500
    with capsys.disabled():
        print(f"\n  console: {proc.stdout.strip()}")


def test_api_types_match_the_services_openapi(npm, tmp_path, capsys):
    """The typed client follows the services: a changed route or schema shows here first.
    A service without types yet (one just written) is named, not failed: its screens come later."""
    from recoup_local.console_build import api_types

    api_types(tmp_path, say=lambda _: None)
    committed = console_dir() / "src" / "api" / "schema"
    stale = [f.name for f in sorted(tmp_path.glob("*.ts"))
             if (committed / f.name).is_file() and (committed / f.name).read_text() != f.read_text()]
    assert not stale, (f"console/src/api/schema/{', '.join(stale)} no longer match the services' OpenAPI: "
                       "run `make console-api`, then fix what `npm run typecheck` in console/ reports")
    new = [f.stem for f in sorted(tmp_path.glob("*.ts")) if not (committed / f.name).is_file()]
    if new:
        with capsys.disabled():
            print(f"\n  console: no API types yet for {', '.join(new)} (`make console-api` adds them)")
