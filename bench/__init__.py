"""Benchmarks behind `make bench`: each bench/bench_<name>.py has `async def main(stack)` (run on
a throw-away stack of its own, the same one the tests use) or `def main()` / `async def main()`."""
