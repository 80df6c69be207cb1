"""Prometheus metrics shared by every service (one registry per process)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_LATENCY = Histogram(
    "recoup_http_request_duration_seconds", "HTTP request latency",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
EVENTS_CONSUMED = Counter("recoup_events_consumed_total", "Events applied by handlers",
                          ["service", "topic", "event_type"])
EVENTS_DUPLICATE = Counter("recoup_events_duplicate_total", "Events skipped as already processed",
                           ["service", "topic"])
EVENTS_FAILED = Counter("recoup_events_failed_total", "Handler failures (each attempt)",
                        ["service", "topic"])
EVENTS_DEAD_LETTERED = Counter("recoup_events_dead_lettered_total", "Events sent to <topic>.dlq",
                               ["service", "topic", "reason"])
CONSUMER_LAG = Gauge("recoup_consumer_lag", "Messages behind the partition end",
                     ["service", "topic", "partition"])
OUTBOX_BACKLOG = Gauge("recoup_outbox_backlog", "Outbox rows not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("recoup_outbox_published_total", "Outbox rows published", ["service"])
OUTBOX_PUBLISH_FAILURES = Counter("recoup_outbox_publish_failures_total",
                                  "Failed outbox publish attempts (retried)", ["service"])
