"""What the board sees, and when: periods open and close; closed ones are published once and then kept.

- A month is *open* until ``CLOSE_DAYS`` days after it ends (time for late attendance sheets); quarters and
  years close with their last month. The open month has *preliminary* totals only (no breakdowns), perturbed
  like every other figure and shown from ``PRELIMINARY_SHOWN_FROM`` up; they change as the month goes on.
  Open quarters and years show nothing of their own: what the board sees of them are their months.
- When a period closes, every figure of it is published once (``PublishedCell``, status final, revision 1;
  logged in ``PublicationRevision``): the true count plus its cell-key perturbation (``stats.cellkey``),
  audited (``stats.disclosure``) together with everything published before.
- A published figure is kept while the truth behind it stays within ``REVISION_TOLERANCE`` of it, so that a
  single person's late correction, erasure or walk-in changes nothing the board can see. A correction that
  moves a figure further makes a revision of that period: the figures out of tolerance get new values (their
  old ones are kept in ``PublishedCellHistory``), the whole is audited with everything the board has been
  shown, and the revision is logged and shown with the period.

Same contributors, same figure: the perturbation depends only on who is counted, so a figure drawn again (a
revision, a recompute) is the same unless the people behind it changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Max, QuerySet
from django.utils import timezone

from stats.cellkey import MAX_PERTURBATION, perturbed, redraw, truths_for
from stats.dimensions import Period, PeriodKind, periods_of_year
from stats.disclosure import (
    PROTECT_BELOW,
    Known,
    Ranges,
    audited,
    neighbours,
    pinned_small,
    relations_of,
)
from stats.metrics import METRICS, CellCounter, CellKey
from stats.models import (
    CellFields,
    PublicationRevision,
    PublishedCell,
    PublishedCellHistory,
    PublishedStatus,
    RevisionReason,
    cut_of,
)
from tenants.models import Municipality

logger = logging.getLogger(__name__)

# A month closes this many days after its end: coordinators have that long to complete attendance.
CLOSE_DAYS = 10
# Preliminary figures (the open month's) are shown from this value up. Seen day after day with each change
# known, a shown one may be narrowed down to its true value (at least this minus 2): that must not be a
# figure the audit protects.
PRELIMINARY_SHOWN_FROM = PROTECT_BELOW + MAX_PERTURBATION
# A published figure stays while the truth is at most this far from it: one person's change never shows.
REVISION_TOLERANCE = MAX_PERTURBATION + 1
# How often the audit draws a pinned figure's neighbourhood again before it withholds the figure.
MAX_REPAIRS = 30

CELL_FIELDS = CellKey._fields
Row = TypeVar("Row", PublishedCell, PublishedCellHistory)


def closes_on(period: Period) -> dt.date:
    """The first day a period counts as closed."""
    return period.end + dt.timedelta(days=CLOSE_DAYS)


def is_closed(period: Period, today: dt.date) -> bool:
    return today >= closes_on(period)


def key_of(row: CellFields) -> CellKey:
    return CellKey(*(getattr(row, name) for name in CELL_FIELDS))


@dataclass(frozen=True)
class Release:
    """One value the board has been shown of a figure, and the truth when it was released."""

    value: int | None
    truth: int


@dataclass
class PublicationReport:
    """What one refresh did, for logs and tests."""

    preliminary: int = 0
    published: dict[Period, int] = field(default_factory=dict)  # newly closed periods → figures
    revised: dict[Period, int] = field(default_factory=dict)  # revised periods → figures changed
    redrawn: int = 0
    withheld: int = 0


def published_value(key: CellKey, truth: int, cell_key: int, attempt: int = 0) -> int:
    """A figure as it is published: people's counts with their cell-key perturbation, other figures as they
    are (sessions held, hours: no person is counted)."""
    if not METRICS[key.metric].people:
        return truth
    return perturbed(truth, redraw(cell_key, attempt))


def _minutes(truth: int, attendances_truth: int, attendances_published: int | None) -> int | None:
    """Participant minutes follow the attendances behind them: the same perturbation, in proportion."""
    if attendances_published is None:
        return None
    if not attendances_truth:
        return 0
    return round(truth * attendances_published / attendances_truth)


def _still_valid(key: CellKey, published: int | None, truth: int, counter: CellCounter) -> bool:
    if published is None:
        return True  # withheld stays withheld: nothing was shown
    if not METRICS[key.metric].people:
        return published == truth
    if key.metric == "participant_minutes":
        attendances = counter.values.get(key._replace(metric="attendances"), 0)
        per = truth / attendances if attendances else 0
        return abs(published - truth) <= REVISION_TOLERANCE * max(per, 1)
    return abs(published - truth) <= REVISION_TOLERANCE


def _year_rows(model: type[Row], tenant: Municipality, year: int) -> QuerySet[Row]:
    return model.objects.filter(
        tenant=tenant, period__gte=dt.date(year, 1, 1), period__lt=dt.date(year + 1, 1, 1)
    )


def publication_refresh(
    *, tenant: Municipality, year: int, counter: CellCounter, today: dt.date | None = None
) -> PublicationReport:
    """Bring the board's figures of one municipality's year up to date with ``counter`` (its fresh count).

    Runs inside the recompute's transaction (``stats.services.tenant_year_recompute``).
    """
    today = today or timezone.localdate()
    report = PublicationReport()
    periods = periods_of_year(year)
    already = {
        Period(kind, start): revision
        for kind, start, revision in PublicationRevision.objects.filter(
            tenant=tenant, period__gte=dt.date(year, 1, 1), period__lt=dt.date(year + 1, 1, 1)
        )
        .values("period_kind", "period")
        .annotate(last=Max("revision"))
        .values_list("period_kind", "period", "last")
    }
    # A period once published stays published (whatever ``today`` a caller passes).
    closed = {period for period in periods if is_closed(period, today)} | set(already)
    open_months = {
        period
        for period in periods
        if period.kind == PeriodKind.MONTH and period not in closed and period.start <= today
    }

    # 1. The open months' preliminary totals: replaced every time.
    _year_rows(PublishedCell, tenant, year).filter(status=PublishedStatus.PRELIMINARY).delete()
    preliminary: dict[CellKey, int | None] = {}
    month_totals = [
        (key, truth)
        for key, truth in counter.values.items()
        if Period(key.period_kind, key.period) in open_months and not cut_of(key._asdict())
    ]
    for key, truth in month_totals:
        if key.metric != "participant_minutes":
            preliminary[key] = published_value(key, truth, counter.cell_keys.get(key, 0))
    for key, truth in month_totals:
        if key.metric == "participant_minutes":
            attendances = key._replace(metric="attendances")
            preliminary[key] = _minutes(
                truth, counter.values.get(attendances, 0), preliminary.get(attendances)
            )
    PublishedCell.objects.bulk_create(
        [
            PublishedCell(
                tenant=tenant,
                status=PublishedStatus.PRELIMINARY,
                value=value,
                revision=0,
                true_value=counter.values[key],
                cut="",
                **key._asdict(),
            )
            for key, value in preliminary.items()
        ],
        batch_size=2000,
    )
    report.preliminary = len(preliminary)

    # 2. Closed periods: first publications, figures kept, figures revised.
    newly = {period for period in closed if period not in already}
    existing = {
        key_of(row): row
        for row in _year_rows(PublishedCell, tenant, year).filter(status=PublishedStatus.FINAL)
    }
    history: dict[CellKey, list[Release]] = defaultdict(list)
    for old in _year_rows(PublishedCellHistory, tenant, year).order_by("revision"):
        history[key_of(old)].append(Release(old.value, old.true_value))

    keys = {key for key in counter.values if Period(key.period_kind, key.period) in closed} | set(existing)
    candidate: dict[CellKey, int | None] = {}
    changed: set[CellKey] = set()
    minutes = [key for key in keys if key.metric == "participant_minutes"]
    for key in keys:
        if key.metric == "participant_minutes":
            continue
        truth = counter.values.get(key, 0)
        row = existing.get(key)
        current = row.value if row is not None else 0
        if Period(key.period_kind, key.period) in newly or not _still_valid(key, current, truth, counter):
            candidate[key] = published_value(key, truth, counter.cell_keys.get(key, 0))
            changed.add(key)
        elif row is not None:
            candidate[key] = current

    def derive_minutes() -> None:
        for key in minutes:
            truth = counter.values.get(key, 0)
            attendances = key._replace(metric="attendances")
            derived = _minutes(truth, counter.values.get(attendances, 0), candidate.get(attendances, 0))
            row = existing.get(key)
            current = row.value if row is not None else None
            due = (
                Period(key.period_kind, key.period) in newly
                or row is None
                or attendances in changed
                or not _still_valid(key, current, truth, counter)
            )
            if due and derived != current:
                candidate[key] = derived
                changed.add(key)
            elif row is not None:
                candidate[key] = current

    derive_minutes()

    # 3. The audit, whenever what the board would know changes: new values, or truths that moved under
    # published ones.
    moved = any(
        row.true_value != counter.values.get(key, 0) for key, row in existing.items() if audited(key.metric)
    ) or any(key not in existing for key in keys if audited(key.metric) and key not in changed)
    if changed or moved:
        redrawn, withheld = _audit(
            counter=counter,
            candidate=candidate,
            changed=changed,
            existing=existing,
            history=history,
            closed=closed,
            newly=newly,
            open_months=open_months,
        )
        report.redrawn, report.withheld = len(redrawn), len(withheld)
        if redrawn or withheld:
            derive_minutes()

    # 4. Write what changed, keep what was replaced, log each period's publication or revision.
    by_period: dict[Period, list[CellKey]] = defaultdict(list)
    for key in changed:
        if candidate.get(key) != (existing[key].value if key in existing else None) or key not in existing:
            by_period[Period(key.period_kind, key.period)].append(key)
    for period in newly:
        by_period.setdefault(period, [])
    created: list[PublishedCell] = []
    updated: list[PublishedCell] = []
    replaced: list[PublishedCellHistory] = []
    log: list[PublicationRevision] = []
    figures_of: dict[Period, int] = defaultdict(int)
    for key in candidate:
        figures_of[Period(key.period_kind, key.period)] += 1
    for period, period_keys in sorted(by_period.items()):
        revision = already.get(period, 0) + 1
        if period not in newly and not period_keys:
            continue
        for key in period_keys:
            value, truth = candidate[key], counter.values.get(key, 0)
            row = existing.get(key)
            if row is None:
                if value == 0 and truth == 0:
                    continue  # nothing to say: a figure of zero has no row
                created.append(
                    PublishedCell(
                        tenant=tenant,
                        status=PublishedStatus.FINAL,
                        value=value,
                        revision=revision,
                        true_value=truth,
                        cut=cut_of(key._asdict()),
                        **key._asdict(),
                    )
                )
                continue
            replaced.append(
                PublishedCellHistory(
                    tenant=tenant,
                    value=row.value,
                    revision=row.revision,
                    true_value=row.true_value,
                    cut=row.cut,
                    **key._asdict(),
                )
            )
            row.value, row.revision, row.true_value = value, revision, truth
            updated.append(row)
        log.append(
            PublicationRevision(
                tenant=tenant,
                period_kind=period.kind,
                period=period.start,
                revision=revision,
                reason=RevisionReason.PUBLISHED if period in newly else RevisionReason.CORRECTION,
                figures=figures_of[period],
                changed=len(period_keys),
            )
        )
        if period in newly:
            report.published[period] = figures_of[period]
        else:
            report.revised[period] = len(period_keys)
    PublishedCell.objects.bulk_create(created, batch_size=2000)
    PublishedCell.objects.bulk_update(updated, ["value", "revision", "true_value"], batch_size=1000)
    PublishedCellHistory.objects.bulk_create(replaced, batch_size=2000)
    PublicationRevision.objects.bulk_create(log)
    return report


def _knowledge(
    *,
    keys: Iterable[CellKey],
    counter: CellCounter,
    candidate: dict[CellKey, int | None],
    changed: set[CellKey],
    existing: dict[CellKey, PublishedCell],
    history: dict[CellKey, list[Release]],
    closed: set[Period],
    newly: set[Period],
    open_months: set[Period],
) -> dict[CellKey, Known]:
    """What the board would know of each figure's true value now: every value ever shown of it, read back
    through the documented table and shifted by how far the truth has moved since (the strongest attacker
    knows each later change exactly)."""
    known: dict[CellKey, Known] = {}
    for key in keys:
        truth = counter.values.get(key, 0)
        period = Period(key.period_kind, key.period)
        month_total = key.period_kind == PeriodKind.MONTH and not cut_of(key._asdict())
        if period in closed:
            releases = list(history.get(key, ()))
            row = existing.get(key)
            if row is not None:
                releases.append(Release(row.value, row.true_value))
            elif key not in changed or Period(key.period_kind, key.period) not in newly:
                releases.append(Release(0, 0))  # never published: shown as zero, and zero then
            if key in changed:
                releases.append(Release(candidate.get(key), truth))
            values: frozenset[int] | None = None
            for release in releases:
                if release.value is None:
                    continue
                shifted = frozenset(t + truth - release.truth for t in truths_for(release.value))
                values = shifted if values is None else values & shifted
            if (
                month_total
                and max([truth, *(r.truth for r in releases)]) >= PRELIMINARY_SHOWN_FROM - MAX_PERTURBATION
            ):
                values = frozenset({truth})  # its preliminary values may all have been seen and combined
            known[key] = frozenset(v for v in values if v >= 0) if values is not None else None
        elif period in open_months and month_total:
            if truth >= PRELIMINARY_SHOWN_FROM - MAX_PERTURBATION:
                known[key] = frozenset({truth})
            else:
                known[key] = frozenset(range(PRELIMINARY_SHOWN_FROM + MAX_PERTURBATION))
        else:
            known[key] = None
    return known


def _audit(
    *,
    counter: CellCounter,
    candidate: dict[CellKey, int | None],
    changed: set[CellKey],
    existing: dict[CellKey, PublishedCell],
    history: dict[CellKey, list[Release]],
    closed: set[Period],
    newly: set[Period],
    open_months: set[Period],
) -> tuple[set[CellKey], set[CellKey]]:
    """Audit the year as the board would then know it; draw pinned figures' neighbourhoods again, withhold
    what cannot be freed. Changes ``candidate`` and ``changed``; returns the figures drawn again and withheld.

    Only figures being released now are drawn again or withheld: what the board has seen, it keeps.
    """
    equations, orders = relations_of(counter)
    keys = set(counter.values) | set(existing) | set(candidate)
    for parent, children in equations:
        keys.add(parent)
        keys.update(children)
    keys = {key for key in keys if audited(key.metric)}
    releasing = set(changed)
    redrawn: set[CellKey] = set()
    withheld: set[CellKey] = set()

    def pins(values: dict[CellKey, int | None]) -> Ranges:
        known = _knowledge(
            keys=keys,
            counter=counter,
            candidate=values,
            changed=changed,
            existing=existing,
            history=history,
            closed=closed,
            newly=newly,
            open_months=open_months,
        )
        ranges = Ranges.build(known, equations, orders)
        if not ranges.narrow():
            raise AssertionError("the audit's knowledge contradicts itself: a bug, not a disclosure")
        return ranges

    def to_free() -> tuple[list[CellKey], set[CellKey]]:
        ranges = pins(candidate)
        found = [key for key in pinned_small(ranges, counter.values) if key not in settled]
        return found, (neighbours(ranges, found) & releasing if found else set())

    # Figures pinned whatever is released now (by what the board was shown before, and changes it may know
    # of, such as a year deleted) cannot be freed by drawing again: leave them be.
    settled: set[CellKey] = set()
    found, around = to_free()
    if found:
        unreleased = {**candidate, **dict.fromkeys(releasing)}
        settled = set(pinned_small(pins(unreleased), counter.values))
        found, around = to_free()
    for attempt in range(1, MAX_REPAIRS + 1):
        if not found or not around:
            break
        for key in around:
            candidate[key] = published_value(
                key, counter.values.get(key, 0), counter.cell_keys.get(key, 0), attempt
            )
            redrawn.add(key)
        found, around = to_free()
    if found and around:
        # Drawing again did not free them: withhold what is being released around them.
        for key in around:
            candidate[key] = None
            withheld.add(key)
        found, around = to_free()
    if found or settled:
        logger.warning(
            "Statistics audit: %s figures pinned by earlier releases, %s left pinned",
            len(settled),
            len(found),
        )
    return redrawn, withheld
