"""Pathological inputs, timed once each (the hardening work adds them)."""


def run(bench) -> None:
    bench.heading("Pathological inputs")
    bench.report("(none registered yet)", "")
