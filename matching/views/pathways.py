"""Pathway pages for admins and coordinators: who is on the way into which arena, with whom, at what stage."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from core.errors import error_on_form
from ivplatform.http import StaffRequest
from matching.choices import PATHWAY_ARENA_CHOICES, PATHWAY_ARENAS, PathwayStage
from matching.forms.matching import PersonSearchForm
from matching.forms.pathways import PathwayCreateForm, PathwayStageForm
from matching.selectors.matching import people_search
from matching.selectors.pathways import (
    get_pathway_for_actor,
    pathway_history,
    pathways_for_household,
    pathways_for_person,
    pathways_for_user,
)
from matching.services.pathways import PathwayError, pathway_create, pathway_stage_change
from people.selectors.people import Purpose, get_person_for_actor

manages_pathways = role_required(Role.ADMIN, Role.COORDINATOR)


@manages_pathways
def pathway_list(request: StaffRequest) -> HttpResponse:
    arena = request.GET.get("arena")
    arena = arena if arena in [value.value for value in PATHWAY_ARENAS] else None
    stage = request.GET.get("stage")
    stage = stage if stage in PathwayStage.values else None
    return render(
        request,
        "matching/pathways/list.html",
        {
            "pathways": pathways_for_user(actor=request.user, arena=arena, stage=stage),
            "arena": arena,
            "stage": stage,
            "arenas": PATHWAY_ARENA_CHOICES,
            "stages": PathwayStage.choices,
        },
    )


@manages_pathways
def pathway_create_view(request: StaffRequest) -> HttpResponse:
    person_id = request.GET.get("person", "")
    if not person_id.isdigit():
        search = PersonSearchForm(request.GET)
        query = search.data.get("q", "")
        results = people_search(actor=request.user, query=query) if search.is_valid() else []
        return render(
            request,
            "matching/pathways/find.html",
            {"search": search, "query": query, "results": results, "choose_url": request.path},
        )
    person = get_person_for_actor(actor=request.user, pk=int(person_id), purpose=Purpose.MANAGE)
    form = PathwayCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway = pathway_create(
                actor=request.user,
                person=person,
                arena=data["arena"],
                goal=data["goal"],
                partner=data["partner"],
                interest_on=data["interest_on"],
                note=data["note"],
            )
        except PathwayError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The pathway is started at the interest stage."))
            return redirect("matching:pathway-detail", pathway.pk)
    return render(request, "matching/pathways/form.html", {"form": form, "person": person})


def _pathway_page(request: StaffRequest, pk: int, form: PathwayStageForm | None = None) -> HttpResponse:
    pathway = get_pathway_for_actor(actor=request.user, pk=pk)
    return render(
        request,
        "matching/pathways/detail.html",
        {
            "pathway": pathway,
            "history": pathway_history(pathway),
            "form": form or PathwayStageForm(initial={"partner": pathway.partner_id}),
        },
    )


@manages_pathways
def pathway_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _pathway_page(request, pk)


@require_POST
@manages_pathways
def pathway_stage_view(request: StaffRequest, pk: int) -> HttpResponse:
    pathway = get_pathway_for_actor(actor=request.user, pk=pk)
    form = PathwayStageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pathway_stage_change(
                actor=request.user,
                pathway=pathway,
                stage=data["stage"],
                on=data["on"],
                partner=data["partner"],
                outcome=data["outcome"],
                end_reason=data["end_reason"],
                note=data["note"],
            )
        except PathwayError as error:
            error_on_form(form, error)
        else:
            messages.success(request, _("The stage is recorded."))
            return redirect("matching:pathway-detail", pathway.pk)
    return _pathway_page(request, pk, form)


@manages_pathways
def person_pathways(request: StaffRequest, person_id: int) -> HttpResponse:
    """A person and their family's pathways at a glance (until the household page includes the same)."""
    person = get_person_for_actor(actor=request.user, pk=person_id, purpose=Purpose.MANAGE)
    members = pathways_for_household(person.household) if person.household else pathways_for_person(person)
    return render(request, "matching/pathways/person.html", {"person": person, "household_pathways": members})
