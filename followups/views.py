"""Pages for follow-up: follow-ups and dialogues, assessments, uppdrag, annual focus,
uppföljningsplan, the verksamhetsberättelse (secretariat's work and the public page
per year) and statistics. Thin: selector, form, service, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agreements.selectors import agreement_get
from councils.models import Meeting, Paragraph, RenderJob
from councils.selectors import body_get, paragraph_get_for_secretariat
from followups import selectors, services
from followups.charts import STATISTICS_CHARTS, figures_with_charts
from followups.forms import (
    AgendaChoiceForm,
    AssessmentForm,
    AssignmentForm,
    DialogueForm,
    FindingForm,
    FollowUpForm,
    PlanItemForm,
    PriorityForm,
    QuestionForm,
    ReportStartForm,
    SectionForm,
    StrategicQuestionForm,
)
from followups.models import (
    Assignment,
    Finding,
    PlanItem,
    Priority,
    Question,
    Section,
    StrategicQuestion,
)
from followups.pdfs import report_context
from samverkan.decorators import secretariat_required
from samverkan.exports import csv_response
from samverkan.pages import form_page, year_or_404
from samverkan.roles import is_secretariat

# --- Follow-ups and dialogues -----------------------------------------------------------------


def followup_list(request: HttpRequest) -> TemplateResponse:
    followups = [(f, selectors.dialogue_progress(f)) for f in selectors.followups_list()]
    return TemplateResponse(
        request,
        "followups/followup_list.html",
        {"followups": followups, "this_year": timezone.localdate().year},
    )


def followup_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    followup = selectors.followup_get(pk=pk)
    return TemplateResponse(
        request,
        "followups/followup_detail.html",
        {
            "followup": followup,
            "progress": selectors.dialogue_progress(followup),
            "themes": selectors.findings_by_theme(followup),
            "analysis": selectors.analysis_points(followup),
            "priorities": selectors.priorities_counted(list(followup.priorities.all())),
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def followup_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    followup = selectors.followup_get(pk=pk) if pk else None
    form = FollowUpForm(request.POST or None, instance=followup)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if followup is None:
            questions = data.pop("questions").splitlines()
            followup = services.followup_create(actor=request.user, questions=questions, **data)
        else:
            services.record_save(actor=request.user, instance=followup, **data)
        messages.success(request, _("The follow-up was saved."))
        return redirect(followup)
    return form_page(
        request,
        form,
        heading=_("Edit the follow-up") if followup else _("Start a follow-up"),
        back_url=followup.get_absolute_url() if followup else reverse("followups:list"),
        back_label=str(followup) if followup else _("Follow-up"),
        intro=""
        if followup
        else _("A dialogue is planned for every municipality that is a party."),
    )


#: The parts of a follow-up edited by one generic form view.
PARTS: dict[str, tuple[type[Any], type[Any]]] = {
    "fraga": (Question, QuestionForm),
    "iakttagelse": (Finding, FindingForm),
    "prioritering": (Priority, PriorityForm),
}


@secretariat_required
@require_http_methods(["GET", "POST"])
def part_form(request: HttpRequest, pk: int, part: str, part_pk: int | None = None) -> HttpResponse:
    followup = selectors.followup_get(pk=pk)
    if part not in PARTS:
        raise Http404
    model, form_class = PARTS[part]
    instance = (
        get_object_or_404(model, pk=part_pk, followup=followup)
        if part_pk
        else model(followup=followup)
    )
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if model is Priority:
            services.priority_save(actor=request.user, instance=instance, **data)
        elif model is Finding:
            services.finding_save(actor=request.user, instance=instance, **data)
        else:
            services.record_save(actor=request.user, instance=instance, **data)
        messages.success(request, _("The follow-up was saved."))
        return redirect(followup)
    return form_page(
        request,
        form,
        heading=str(model._meta.verbose_name).capitalize(),
        back_url=followup.get_absolute_url(),
        back_label=followup,
    )


def dialogue_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    dialogue = selectors.dialogue_get(pk=pk)
    answers = {a.question_id: a.text for a in dialogue.answers.all()}
    return TemplateResponse(
        request,
        "followups/dialogue_detail.html",
        {
            "dialogue": dialogue,
            "notes": selectors.dialogue_notes(user=request.user, dialogue=dialogue),
            "questions": [(q, answers.get(q.pk, "")) for q in dialogue.followup.questions.all()],
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def dialogue_form(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_get(pk=pk)
    form = DialogueForm(
        request.POST or None,
        instance=dialogue,
        questions=list(dialogue.followup.questions.all()),
        answers={a.question_id: a.text for a in dialogue.answers.all()},
    )
    if request.method == "POST" and form.is_valid():
        services.dialogue_record(
            actor=request.user,
            dialogue=dialogue,
            answers=form.answers(),
            **form.dialogue_fields(),
        )
        messages.success(request, _("The dialogue was saved."))
        return redirect(dialogue.followup)
    return form_page(
        request,
        form,
        heading=_("Dialogue with %(kommun)s") % {"kommun": dialogue.organisation.name},
        back_url=dialogue.followup.get_absolute_url(),
        back_label=dialogue.followup,
    )


# --- Assessments ------------------------------------------------------------------------------


def assessment_page(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """The assessments of an agreement for a year: the region sees every kommun, a
    kommun user its own (with a form while the year is open) and the average; anyone
    else is sent to what was published."""
    agreement = agreement_get(pk=pk)
    if not agreement.covers_year(year):
        raise Http404
    if not selectors.sees_live_assessments(request.user):
        return redirect("followups:reports-year", year=year)
    kommun = selectors.assessing_kommun(request.user)
    adopted = services.year_is_adopted(agreement=agreement, year=year)
    form = None
    grid = selectors.assessment_grid(user=request.user, agreement=agreement, year=year)
    if kommun is not None and kommun in agreement.kommuner and not adopted:
        current = {a.area_id: a for _k, cells in grid.rows for a in cells if a is not None}
        form = AssessmentForm(request.POST or None, areas=grid.areas, current=current)
        if request.method == "POST" and form.is_valid():
            try:
                services.assessments_save(
                    actor=request.user, agreement=agreement, year=year, scores=form.scores()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your assessment was saved."))
                return redirect("followups:assessments", pk=agreement.pk, year=year)
    elif request.method == "POST":
        raise PermissionDenied
    return TemplateResponse(
        request,
        "followups/assessments.html",
        {
            "agreement": agreement,
            "year": year,
            "grid": grid,
            "form": form,
            "kommun": kommun,
            "adopted": adopted,
            "years": [y for y in agreement.years if y <= timezone.localdate().year],
        },
    )


def assessment_csv(request: HttpRequest, pk: int, year: int) -> StreamingHttpResponse:
    """The assessments as CSV: what the page shows the user (every kommun for the
    region, its own and the average for a kommun), or else what was published."""
    agreement = agreement_get(pk=pk)
    if not agreement.covers_year(year):
        raise Http404
    name = f"bedomning-{agreement.pk}-{year}"
    if not selectors.sees_live_assessments(request.user):
        version = (
            selectors.published_versions(year=year).filter(report__agreement=agreement).first()
        )
        if version is None:
            raise Http404
        figure = version.snapshot["figures"]["assessment_averages"]
        return csv_response(name, figure["columns"], figure["rows"])
    grid = selectors.assessment_grid(user=request.user, agreement=agreement, year=year)
    rows: list[list[Any]] = [
        [kommun.name, area.name, cell.score if cell else None, cell.comment if cell else ""]
        for kommun, cells in grid.rows
        for area, cell in zip(grid.areas, cells, strict=True)
    ]
    rows += [
        [_("Average"), area.name, average, ""]
        for area, average in zip(grid.areas, grid.averages, strict=True)
    ]
    return csv_response(name, [_("Municipality"), _("Area"), _("Assessment"), _("Comment")], rows)


# --- Uppdrag -----------------------------------------------------------------------------------


def assignment_list(request: HttpRequest) -> TemplateResponse:
    show_all = request.GET.get("visa") == "alla"
    assignments = selectors.assignments_for_user(request.user)
    if not show_all:
        assignments = assignments.exclude(status__in=Assignment.CLOSED)
    return TemplateResponse(
        request,
        "followups/assignment_list.html",
        {"assignments": list(assignments), "show_all": show_all},
    )


def assignment_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    agenda_form = None
    if is_secretariat(request.user) and assignment.is_open:
        agenda_form = AgendaChoiceForm(meetings=_upcoming(assignment))
    return TemplateResponse(
        request,
        "followups/assignment_detail.html",
        {"assignment": assignment, "agenda_form": agenda_form},
    )


def _upcoming(assignment: Assignment) -> Any:
    """The coming meetings a report-back can go to: those of the body that gave the
    uppdrag and of the body handling its ärende first, then every other arena's."""
    bodies = [assignment.given_by_id, assignment.case.body_id if assignment.case else 0]
    return (
        Meeting.objects.filter(
            starts_at__gte=timezone.now(),
            status__in=(Meeting.Status.PLANNED, Meeting.Status.CALLED),
        )
        .select_related("body")
        .annotate(own=Case(When(body_id__in=bodies, then=0), default=1))
        .order_by("own", "starts_at")
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def assignment_form(
    request: HttpRequest, pk: int | None = None, paragraph_pk: int | None = None
) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk) if pk else None
    paragraph: Paragraph | None = (
        paragraph_get_for_secretariat(user=request.user, pk=paragraph_pk) if paragraph_pk else None
    )
    from_paragraph = paragraph is not None or bool(assignment and assignment.paragraph_id)
    form = AssignmentForm(
        request.POST or None,
        instance=assignment,
        from_paragraph=from_paragraph,
        initial={"given_on": timezone.localdate()},
    )
    if paragraph is not None:  # the § fills in what the form leaves out
        meeting = paragraph.meeting
        form.instance.given_by = paragraph.body
        form.instance.given_on = meeting.starts_at.date()
        form.instance.case = paragraph.case
    if request.method == "POST" and form.is_valid():
        try:
            if assignment is None:
                assignment = services.assignment_create(
                    actor=request.user, paragraph=paragraph, **form.cleaned_data
                )
            else:
                services.assignment_update(
                    actor=request.user, assignment=assignment, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The uppdrag was saved."))
            return redirect(assignment)
    if assignment is not None:
        back_url, back_label = assignment.get_absolute_url(), str(assignment)
    elif paragraph is not None:
        back_url = reverse("councils:protocol", kwargs={"pk": paragraph.meeting_id})
        back_label = _("Protocol")
    else:
        back_url, back_label = reverse("followups:assignments"), _("Uppdrag")
    return form_page(
        request,
        form,
        heading=_("Uppdrag given by § %(number)s") % {"number": paragraph.number}
        if paragraph
        else _("Uppdrag"),
        back_url=back_url,
        back_label=back_label,
    )


@secretariat_required
@require_POST
def assignment_to_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    form = AgendaChoiceForm(request.POST, meetings=_upcoming(assignment))
    if not form.is_valid():
        messages.error(request, _("Choose one of the arena's coming meetings."))
        return redirect(assignment)
    try:
        item = services.assignment_put_on_agenda(
            actor=request.user, assignment=assignment, meeting=form.cleaned_data["meeting"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assignment)
    messages.success(request, _("The report-back was put on the agenda."))
    return redirect(item.meeting)


# --- Annual focus and uppföljningsplan ----------------------------------------------------------


#: The collaboration's first year (the region and its samverkansråd began in 2015).
FIRST_YEAR = 2015


def annual_focus(request: HttpRequest, slug: str, year: int) -> TemplateResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    questions = list(selectors.strategic_questions(body=body, year=year))
    plan = list(
        PlanItem.objects.filter(body=body, year=year).select_related("agreement", "area", "meeting")
    )
    return TemplateResponse(
        request,
        "followups/annual_focus.html",
        {
            "body": body,
            "year": year,
            "questions": questions,
            "plan": plan,
            "can_add": len(questions) < StrategicQuestion.MAX_PER_YEAR,
            # Years to step to: from the first year of the collaboration to the next one.
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year <= timezone.localdate().year else None,
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def strategic_question_form(
    request: HttpRequest, slug: str, year: int, question_pk: int | None = None
) -> HttpResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    question = (
        get_object_or_404(StrategicQuestion, pk=question_pk, body=body, year=year)
        if question_pk
        else StrategicQuestion(body=body, year=year)
    )
    form = StrategicQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.strategic_question_save(
                actor=request.user,
                question=question,
                cases=data.pop("cases"),
                body=body,
                year=year,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The strategic question was saved."))
            return redirect("followups:annual-focus", slug=body.slug, year=year)
    return form_page(
        request,
        form,
        heading=_("Strategic question"),
        back_url=reverse("followups:annual-focus", kwargs={"slug": body.slug, "year": year}),
        back_label=_("Focus and follow-up plan %(year)d") % {"year": year},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def plan_item_form(
    request: HttpRequest, slug: str, year: int, item_pk: int | None = None
) -> HttpResponse:
    body, year = body_get(slug=slug), year_or_404(year)
    item = (
        get_object_or_404(PlanItem, pk=item_pk, body=body, year=year)
        if item_pk
        else PlanItem(body=body, year=year)
    )
    form = PlanItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.record_save(actor=request.user, instance=item, **form.cleaned_data)
        messages.success(request, _("The follow-up plan was saved."))
        return redirect("followups:annual-focus", slug=body.slug, year=year)
    return form_page(
        request,
        form,
        heading=_("Follow-up plan item"),
        back_url=reverse("followups:annual-focus", kwargs={"slug": body.slug, "year": year}),
        back_label=_("Focus and follow-up plan %(year)d") % {"year": year},
    )


# --- Verksamhetsberättelse ----------------------------------------------------------------------


def reports_public(request: HttpRequest) -> TemplateResponse:
    versions = list(selectors.published_versions())
    years = sorted({v.report.year for v in versions}, reverse=True)
    context: dict[str, Any] = {"years": years, "versions": versions}
    if is_secretariat(request.user):
        context["reports"] = list(selectors.reports_for_user(request.user))
        context["start_form"] = ReportStartForm()
    return TemplateResponse(request, "followups/reports.html", context)


def reports_year(request: HttpRequest, year: int) -> TemplateResponse:
    year = year_or_404(year)
    versions = [
        (version, report_context(version)) for version in selectors.published_versions(year=year)
    ]
    return TemplateResponse(
        request, "followups/reports_year.html", {"year": year, "versions": versions}
    )


@secretariat_required
@require_POST
def report_start(request: HttpRequest) -> HttpResponse:
    form = ReportStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("followups:reports")
    report = services.report_get_or_create(
        actor=request.user, agreement=form.cleaned_data["agreement"], year=form.cleaned_data["year"]
    )
    return redirect(report)


@secretariat_required
def report_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    versions = [(v, services.report_version_job(v)) for v in report.versions.all()]
    return TemplateResponse(
        request,
        "followups/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "adopted": any(v.is_adopted for v, _job in versions),
            "progress": [
                (f, selectors.dialogue_progress(f))
                for f in selectors.followups_list().filter(
                    agreement=report.agreement, year=report.year
                )
            ],
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def section_form(request: HttpRequest, pk: int, section_pk: int | None = None) -> HttpResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    section = get_object_or_404(Section, pk=section_pk, report=report) if section_pk else None
    form = SectionForm(request.POST or None, instance=section or Section(report=report))
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                actor=request.user, report=report, section=section, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(report)
    return form_page(
        request,
        form,
        heading=_("Narrative section"),
        back_url=report.get_absolute_url(),
        back_label=str(report),
        intro=_(
            "Write in Markdown: a blank line between paragraphs, “- ” for a list item, "
            "*italics* and **bold**."
        ),
    )


@secretariat_required
@require_POST
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_secretariat(user=request.user, pk=pk)
    try:
        version = services.report_compile(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(
        request,
        _("Version %(number)d was compiled; the PDF is being made.") % {"number": version.number},
    )
    return redirect(version)


def version_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    job = services.report_version_job(version)
    template = "followups/version_detail.html"
    if getattr(request, "htmx", False):
        template += "#status"
    return TemplateResponse(
        request, template, {**report_context(version), "job": job, "report_obj": version.report}
    )


@secretariat_required
@require_POST
def version_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    try:
        services.report_adopt(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)d is fastställd and published.") % {"number": version.number},
        )
    return redirect(version)


def version_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's PDF: the same file for everyone, through the PDF job's gate."""
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    job = services.report_version_job(version)
    if job is None or job.status != RenderJob.Status.DONE:
        raise Http404
    return redirect("councils:render-job-download", pk=job.pk)


# --- Statistics ----------------------------------------------------------------------------------


def statistics(request: HttpRequest) -> TemplateResponse:
    figures = figures_with_charts(selectors.statistics(), STATISTICS_CHARTS)
    return TemplateResponse(request, "followups/statistics.html", {"figures": figures})


def statistics_csv(request: HttpRequest, key: str) -> StreamingHttpResponse:
    figures = selectors.statistics()
    if key not in figures:
        raise Http404
    figure = figures[key]
    return csv_response(f"statistik-{key}", figure["columns"], figure["rows"])


@login_required
def my_assessments(request: HttpRequest) -> HttpResponse:
    """A kommun user's way in: the agreements the kommun is party to, by year (to
    assess for the bedömningsansvariga, to read for the kommun's other people)."""
    kommun = selectors.reading_kommun(request.user)
    agreements = list(kommun.agreements.all()) if kommun is not None else []
    return TemplateResponse(
        request,
        "followups/my_assessments.html",
        {
            "kommun": kommun,
            "assesses": kommun is not None and kommun == selectors.assessing_kommun(request.user),
            "agreements": [
                (a, [y for y in a.years if y <= timezone.localdate().year]) for a in agreements
            ],
        },
    )
