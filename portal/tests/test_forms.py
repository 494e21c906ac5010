"""The sign-up forms' birth year: its upper limit is this year, on the day the form is filled in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.forms import MemberForm, SignupForm


@pytest.fixture
def next_new_year(monkeypatch: pytest.MonkeyPatch) -> int:
    """The clock on the first morning of next year, long after the forms' module was imported."""
    year = timezone.localdate().year + 1
    morning = dt.datetime(year, 1, 1, 9, tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: morning)
    return year


def test_a_child_born_after_new_year_can_be_signed_up_by_a_worker_started_before(next_new_year: int) -> None:
    newborn = MemberForm(data={"first_name": "Nour", "birth_year": str(next_new_year)})
    assert newborn.is_valid(), newborn.errors
    assert f'max="{next_new_year}"' in str(newborn["birth_year"])


def test_a_birth_year_after_this_year_is_still_refused(next_new_year: int) -> None:
    unborn = MemberForm(data={"first_name": "Nour", "birth_year": str(next_new_year + 1)})
    assert not unborn.is_valid()
    assert unborn.errors["birth_year"] == ["Året kan inte ligga i framtiden."]
    signup = SignupForm(data={"birth_year": str(next_new_year + 1)})
    assert not signup.is_valid()
    assert signup.errors["birth_year"] == ["Året kan inte ligga i framtiden."]
    signup = SignupForm(data={"birth_year": str(next_new_year)})
    signup.is_valid()
    assert "birth_year" not in signup.errors
