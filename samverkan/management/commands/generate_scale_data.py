"""Generate the benchmark corpus (see ``samverkan/scale/``)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.scale import councils as scale
from samverkan.scale import generate


class Command(BaseCommand):
    help = "Generate ten years of records for the benchmarks (deterministic from --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=scale.Plan.seed)
        parser.add_argument("--bodies", type=int, default=scale.Plan.bodies)
        parser.add_argument("--years", type=int, default=scale.Plan.years)
        parser.add_argument(
            "--if-missing", action="store_true", help="Do nothing if the corpus is there."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if scale.exists():
            if options["if_missing"]:
                self.stdout.write("The scale corpus is already there.")
                return
            raise CommandError("The scale corpus is already there (use a new database).")
        plan = scale.Plan(seed=options["seed"], bodies=options["bodies"], years=options["years"])
        started = time.perf_counter()
        counts = generate(plan, log=self.stdout.write)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{key} {value}" for key, value in counts.items())
        self.stdout.write(f"Generated in {seconds:.0f} s: {summary}")
