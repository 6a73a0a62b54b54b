"""The benchmark corpus's agreements and follow-up: an extension of the councils'
corpus (``samverkan/scale/councils.py``), run by ``samverkan/scale/``."""

from __future__ import annotations

import datetime
import random

from agreements.models import Agreement, Area
from councils.models import Body, Case, Diarium, Organisation
from followups.models import Answer, Assessment, Dialogue, FollowUp, Question
from samverkan.scale.councils import Plan, Words, save_rows


def agreements_and_followups(
    plan: Plan,
    rng: random.Random,
    words: Words,
    bodies: list[Body],
    organisations: list[Organisation],
    first_year: int,
) -> dict[str, int]:
    """Agreements of four years each, chained, with areas; a follow-up every year with
    questions, a dialogue per kommun party and its answers, and the kommuner's
    assessments of every area."""
    kommuner = [o for o in organisations if o.kind == "kommun"]
    diarium = Diarium.objects.create(prefix="SKAVT", name="Skaldiarium för överenskommelser")
    counts = {"agreements": 0, "followups": 0, "dialogues": 0, "assessments": 0}
    previous = None
    for start in range(first_year, plan.last_year + 1, 4):
        number = start - first_year + 1
        case = Case.objects.create(
            diarium=diarium,
            year=start,
            number=number,
            diarienummer=f"{diarium.prefix}/{number}/{start}",
            title=f"Överenskommelse om regional samverkan {start}–{start + 3}",
            registered_on=datetime.date(start - 1, 10, 1),
            body=bodies[0],
        )
        agreement = Agreement.objects.create(
            case=case,
            kind=Agreement.Kind.KOMMUNAL,
            title=f"Överenskommelse om regional samverkan {start}–{start + 3} (skala)",
            valid_from=datetime.date(start, 1, 1),
            valid_until=datetime.date(start + 3, 12, 31),
            responsible_body=bodies[0],
            replaces=previous,
        )
        agreement.parties.set(kommuner)
        areas = save_rows(
            Area,
            [
                Area(
                    agreement=agreement,
                    kind="omrade",
                    position=i,
                    name=f"Område {i}: {words.sentence(3)[:-1]}",
                    goals=words.text(2),
                )
                for i in range(1, 7)
            ],
        )
        counts["agreements"] += 1
        previous = agreement
        for year in range(start, min(start + 4, plan.last_year + 1)):
            followup = FollowUp.objects.create(
                agreement=agreement, year=year, title=f"Uppföljning {year}", body=bodies[0]
            )
            questions = save_rows(
                Question,
                [
                    Question(followup=followup, position=i, text=words.sentence(8))
                    for i in range(1, 5)
                ],
            )
            dialogues = save_rows(
                Dialogue,
                [
                    Dialogue(
                        followup=followup,
                        organisation=kommun,
                        planned_on=datetime.date(year, 5, 1),
                        held_on=datetime.date(year, 5, rng.randint(2, 28)),
                        participants=words.sentence(6),
                    )
                    for kommun in kommuner
                ],
            )
            save_rows(
                Answer,
                [
                    Answer(dialogue=d, question=q, text=words.text(3))
                    for d in dialogues
                    for q in questions
                ],
            )
            save_rows(
                Assessment,
                [
                    Assessment(area=area, organisation=kommun, year=year, score=rng.randint(1, 4))
                    for area in areas
                    for kommun in kommuner
                ],
            )
            counts["followups"] += 1
            counts["dialogues"] += len(dialogues)
            counts["assessments"] += len(areas) * len(kommuner)
    return counts
