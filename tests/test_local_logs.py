"""Logs a person can read (issue 15): `make up` shows each service's JSON log lines readable on the
console — time, service, level, message, key fields, coloured on a terminal — while the files keep
JSON; a benchmark prints its figures, not logs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import structlog

from recoup_local.procs import LinePump, readable

LINE = {"laps": {"validate": 0.7}, "placement_ref": "DEMO-1", "accepted": 100000, "event": "placement imported",
        "correlation_id": "11d5a3fb-6f84-4e02-ac08-caf02bf2f8f9", "level": "info", "logger": "recoup_intake.x",
        "timestamp": "2026-12-05T08:47:39.024964Z", "service": "intake"}


def test_a_json_line_reads_as_time_level_message_and_key_fields():
    text = readable(json.dumps(LINE, ensure_ascii=False))
    clock, level, *rest = text.split()
    assert clock.count(":") == 2 and clock.endswith(".024") and level == "INFO"
    assert rest[:2] == ["placement", "imported"]
    assert 'laps={"validate":0.7}' in text and "placement_ref=DEMO-1" in text and "accepted=100000" in text
    assert "correlation_id=11d5a3fb " in text + " "       # shortened: enough to follow a request
    assert "logger" not in text and "timestamp" not in text and "{" not in text.split("laps=")[0]
    coloured = readable(json.dumps(LINE), colour=True)
    assert "\x1b[32mINFO" in coloured and "\x1b[" not in text


def test_errors_keep_their_traceback_and_other_lines_pass_through():
    line = json.dumps({"event": "job failed", "level": "error", "timestamp": "2026-12-05T08:47:39Z",
                       "exception": "Traceback (most recent call last):\n  File \"x\"\nValueError: boom"})
    text = readable(line)
    assert text.splitlines()[0].split()[1:] == ["ERROR", "job", "failed"]
    assert text.splitlines()[-1].strip() == "ValueError: boom"
    for other in ("INFO:     Uvicorn running on http://127.0.0.1:8001", "{not json", '{"no": "event"}'):
        assert readable(other) == other


def _pump(sink) -> None:
    r, w = os.pipe()
    with os.fdopen(w, "wb") as out:
        out.write((json.dumps(LINE) + "\n").encode() + b"plain\n")
    pump = LinePump(os.fdopen(r, "rb"), "intake     | ", sink)
    pump.start()
    pump.join(5)


def test_the_console_gets_readable_lines_a_file_gets_json(capsys):
    _pump(None)                                   # the console (make up)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("intake     | ") and "INFO    placement imported" in out[0]
    assert out[1] == "intake     | plain"
    f = io.StringIO()                             # a file (a throw-away stack's console log)
    _pump(f)
    assert json.loads(f.getvalue().splitlines()[0].split(" | ", 1)[1])["event"] == "placement imported"


def test_a_benchmark_logs_to_its_file_not_the_console(tmp_path):
    """bench/__main__.py's quiet_logs: structlog and stdlib logging go to .local/bench/<name>.log."""
    code = ("import logging, structlog, bench.__main__ as b; p = b.quiet_logs('selftest'); "
            "structlog.get_logger('x').info('migration applied', migration='0001.sql'); "
            "logging.getLogger('y').warning('a stdlib warning'); print('FIGURES'); print(p)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "RECOUP_LOG_CONSOLE": ""})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "FIGURES" and proc.stderr == ""
    logged = open(lines[1], encoding="utf-8").read()
    assert "migration applied" in logged and "a stdlib warning" in logged
    assert structlog  # (the module under test configures it)
