"""`python -m bench [NAME ...]` — run bench/bench_*.py (all, or those whose name contains NAME).

A benchmark module defines one of:
    async def main(stack)   a fresh throw-away stack (recoup_local.stack.Stack, exactly what the
                            tests' `stack` fixture gives) is started for it and removed after;
    async def main() / def main()   it manages whatever it needs itself.
Each benchmark prints its own numbers — and only those: what the stack and the services log goes
to .local/bench/<benchmark>.log (JSON), never to the console (RECOUP_LOG_CONSOLE=false for the
services run in-process; those run as processes log to the throw-away stack's files). The exit
code is 1 if any benchmark raised.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import sys
import time
import traceback
from pathlib import Path


def discover(filters: list[str]) -> list[str]:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    return names


def quiet_logs(name: str) -> Path:
    """This process's logs (the stack's start, in-process services) to a file, not the console."""
    import os

    from recoup_shared.logging import configure_logging

    os.environ["RECOUP_LOG_CONSOLE"] = "false"
    folder = Path(__file__).resolve().parent.parent / ".local" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.log"
    configure_logging("bench", "INFO", str(path), console=False)
    return path


async def run_one(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    main = getattr(module, "main", None)
    if main is None:
        raise RuntimeError(f"bench/{name}.py has no main()")
    if inspect.signature(main).parameters:
        from recoup_local.stack import throwaway_stack

        async with throwaway_stack() as stack:
            with stack.environ():
                result = main(stack)
                if inspect.isawaitable(result):
                    await result
    else:
        result = main()
        if inspect.isawaitable(result):
            await result


def main(argv: list[str]) -> int:
    names = discover(argv)
    if not names:
        print("bench: no benchmarks found (bench/bench_*.py)" + (f" matching {argv}" if argv else ""))
        return 0
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        log = quiet_logs(name)
        t0 = time.monotonic()
        try:
            asyncio.run(run_one(name))
        except Exception:  # noqa: BLE001 - report and go on with the next benchmark
            traceback.print_exc()
            failed.append(name)
            print(f"=== {name}: FAILED after {time.monotonic() - t0:.1f}s ===", flush=True)
        else:
            print(f"=== {name}: done in {time.monotonic() - t0:.1f}s (logs: {log}) ===", flush=True)
    if failed:
        print(f"\nbench: {len(failed)} of {len(names)} failed: {', '.join(failed)}")
        return 1
    print(f"\nbench: {len(names)} benchmark(s) ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
