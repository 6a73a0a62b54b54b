"""The benchmark corpus (``manage.py generate_scale_data``, used by ``make bench``):
the councils' records, then the agreements and follow-up built on them and the
recommendations with each organisation's decision. Above the
apps, so that no app imports another's generator."""

from __future__ import annotations

from typing import Any

from samverkan.scale import councils as scale
from samverkan.scale.councils import Plan
from samverkan.scale.followups import agreements_and_followups
from samverkan.scale.recommendations import recommendations


def generate(plan: Plan, *, log: Any = print) -> dict[str, int]:
    return scale.generate(plan, log=log, extensions=[agreements_and_followups, recommendations])
