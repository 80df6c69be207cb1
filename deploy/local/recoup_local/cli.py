"""`recoup` — the local developer command.

    recoup up [--no-services]            the local stack in the foreground (what `make up` runs)
    recoup token --role ROLE [...]       a bearer token valid against the local stack
    recoup demo [...]                    a realistic sample placement through the client API
    recoup new-service NAME --port PORT  a new service from services/_template
    recoup clock fixed:2026-12-05T21:05:00+08:00 | real   the local stack's business clock

Commands that live in their own module are registered in LAZY_COMMANDS and imported only when
run, so `recoup token` stays fast and a module still being written breaks only its own command.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from pathlib import Path

# name → (module, function, help). The function takes the remaining arguments (a list of
# strings) and returns an exit code or None. Add e.g. "dlq-replay" here when it is written.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("recoup_local.demo", "main",
             "push a realistic sample placement (a few hundred cases) through the client API"),
    "dlq-replay": ("recoup_shared.bus.replay", "main",
                   "re-publish dead-lettered events of a topic after a fix (idempotent)"),
    "new-service": ("recoup_local.newservice", "main",
                    "a new service from services/_template (NAME --port PORT)"),
    "console": ("recoup_local.console_build", "main",
                "the staff console: `build` (when its sources changed) or `api-types` (from the OpenAPI)"),
}


def _cmd_up(args: argparse.Namespace) -> int:
    from .stack import LOCAL_KAFKA_PORT, LOCAL_PG_PORT, run_up

    wanted: bool | list[str] = not args.no_services
    if args.services and not args.no_services:
        wanted = [n.strip() for n in args.services.split(",") if n.strip()]
    return asyncio.run(run_up(
        with_services=wanted,
        root=Path(args.data_dir) if args.data_dir else None,
        pg_port=args.pg_port or LOCAL_PG_PORT,
        kafka_port=args.kafka_port or LOCAL_KAFKA_PORT,
    ))


def mint(role: list[str], *, sub: str | None = None, client_id: str | None = None,
         team_id: str | None = None, ttl: int | None = None) -> str:
    """A token signed with the local key; `client` needs a client id; sub defaults sensibly."""
    from recoup_shared.auth import Role, mint_token

    known = {r.value for r in Role}
    unknown = [r for r in role if r not in known]
    if unknown:
        raise ValueError(f"unknown role {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if Role.CLIENT.value in role and not client_id:
        raise ValueError("a client token must be bound to a client: give --client-id")
    if sub is None:
        sub = client_id if Role.CLIENT.value in role else role[0]
    kwargs = {} if ttl is None else {"ttl_seconds": ttl}
    return mint_token(sub=sub, roles=role, client_id=client_id, team_id=team_id, **kwargs)


def _cmd_clock(args: argparse.Namespace) -> int:
    """Move the business clock of the running local stack (local profile only)."""
    from recoup_shared.clock import ClockSpecError

    from .stack import Stack

    stack = Stack.local(root=Path(args.data_dir) if args.data_dir else None)
    try:
        stack.set_clock(None if args.spec == "real" else args.spec)
    except ClockSpecError as exc:
        print(f"recoup clock: {exc}", file=sys.stderr)
        return 2
    print(f"business clock: {args.spec} ({stack.clock_file})")
    return 0


def _cmd_token(args: argparse.Namespace) -> int:
    try:
        token = mint(args.role, sub=args.sub, client_id=args.client_id, team_id=args.team_id,
                     ttl=args.ttl)
    except ValueError as exc:
        print(f"recoup token: {exc}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _run_lazy(name: str, argv: list[str]) -> int:
    module_name, func_name, _ = LAZY_COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        print(f"recoup {name}: not available yet ({module_name} is not written)", file=sys.stderr)
        return 2
    func = getattr(module, func_name)
    result = func(argv) if inspect.signature(func).parameters else func()
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recoup", description="Recoup local developer command")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="run the local stack in the foreground (Ctrl-C stops it)")
    up.add_argument("--no-services", action="store_true",
                    help="only PostgreSQL and the broker (databases migrated, topics created)")
    up.add_argument("--services", metavar="NAMES",
                    help="comma-separated services to start (default: every one that exists)")
    up.add_argument("--pg-port", type=int, help="PostgreSQL port (default 55432)")
    up.add_argument("--kafka-port", type=int, help="broker port (default 9092)")
    up.add_argument("--data-dir", help="where data and logs live (default .local/ in the checkout)")
    up.set_defaults(func=_cmd_up)

    tok = sub.add_parser("token", help="print a bearer token valid against the local stack")
    tok.add_argument("--role", action="append", required=True,
                     help="a role (repeat for several): collector, team_lead, supervisor, "
                          "field_agent, letters_clerk, data_specialist, finance, auditor, admin, client")
    tok.add_argument("--sub", help="subject (user or system id); default: the client id or the role")
    tok.add_argument("--client-id", help="the client a `client` token is bound to (required for it)")
    tok.add_argument("--team-id", help="team of a collector or team lead")
    tok.add_argument("--ttl", type=int, help="lifetime in seconds (default 12 hours)")
    tok.set_defaults(func=_cmd_token)

    clk = sub.add_parser("clock", help="set the business clock of the local stack's services")
    clk.add_argument("spec", help="real | fixed:<ISO with offset> | from:<ISO> | offset:<+-1d2h30m>")
    clk.add_argument("--data-dir", help="the stack's data directory (default .local/)")
    clk.set_defaults(func=_cmd_clock)

    for name, (_, _, help_text) in LAZY_COMMANDS.items():
        lazy = sub.add_parser(name, help=help_text, add_help=False)
        lazy.add_argument("rest", nargs=argparse.REMAINDER)
        lazy.set_defaults(func=lambda a, _n=name: _run_lazy(_n, a.rest))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in LAZY_COMMANDS:  # its arguments are its own business
        return _run_lazy(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
