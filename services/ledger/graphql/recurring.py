"""Recurring series and upcoming bills: the `RecurringSeries` type and its connection,
`recurringSeries`, `recurring(id:)` and `upcomingBills`, and the mutations that detect series
and record the user's verdict (confirm, dismiss, update, delete)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from services.ledger.graphql.inputs import (
    ConfirmRecurringInput,
    DeleteRecurringInput,
    DetectRecurringInput,
    DismissRecurringInput,
    RecurringDirection,
    RecurringInterval,
    RecurringStatus,
    UpdateRecurringInput,
)
from services.ledger.recurring import service as recurring_service
from services.ledger.recurring.detection import Direction
from services.ledger.recurring.schedule import Interval
from services.ledger.recurring.series import Series, Status
from shared.db import read_session, unit_of_work
from shared.graphql import INPUT, After, First, Info, MoneyType, Node, PageInfo
from shared.ids import decode_id, encode_id
from shared.pagination import page_size

KIND = "RecurringSeries"


@strawberry.type(
    name="AmountRange",
    description="The smallest and largest in size of a series' recent occurrences (up to the "
    "last 6): what its usual amount is. Signed like transactions: for a bill, smallest is "
    "the amount closest to zero.",
)
class AmountRange:
    smallest: MoneyType = strawberry.field(description="The recent amount smallest in size.")
    largest: MoneyType = strawberry.field(description="The recent amount largest in size.")


@strawberry.type(
    name="RecurringSeries",
    description="Transactions that recur: the same payee (today: the same description, "
    "store numbers and card-processor prefixes aside), a similar amount, at a regular "
    "interval, in one currency and one direction. Detected from the user's last 18 months; "
    "the user confirms, dismisses or corrects it.",
)
class RecurringSeries(Node):
    name: str = strawberry.field(
        description="The user's name for it, else the latest occurrence's description."
    )
    status: RecurringStatus = strawberry.field(description="The user's verdict.")
    direction: RecurringDirection = strawberry.field(description="Money out or money in.")
    interval: RecurringInterval = strawberry.field(
        description="How often it recurs: the user's correction, else what detection found."
    )
    detected_interval: RecurringInterval = strawberry.field(
        description="How often detection last found it recurring."
    )
    expected_amount: MoneyType = strawberry.field(
        description="What the next occurrence is expected to be, in the series' currency, "
        "signed (money out negative): the user's correction, else the median of the recent "
        "occurrences."
    )
    usual_amounts: AmountRange = strawberry.field(
        description="The range of the recent occurrences (the user's correction aside)."
    )
    occurrence_count: int = strawberry.field(
        description="How many occurrences detection found in the history it read."
    )
    first_date: dt.date = strawberry.field(description="The first occurrence detection read.")
    last_date: dt.date = strawberry.field(description="The latest occurrence detection found.")
    next_date: dt.date = strawberry.field(
        description="The first date it is expected on after the latest occurrence, today "
        "(the caller's) or later."
    )
    detected_at: dt.datetime = strawberry.field(
        description="When detection last found it: occurrences since then are not counted yet."
    )

    @classmethod
    def of(cls, series: Series, today: dt.date) -> RecurringSeries:
        return cls(
            id=strawberry.ID(encode_id(KIND, series.id)),
            name=series.name,
            status=RecurringStatus(series.status.value),
            direction=RecurringDirection(series.direction.value),
            interval=RecurringInterval(series.interval.value),
            detected_interval=RecurringInterval(series.detected_interval.value),
            expected_amount=MoneyType.of(series.expected),
            usual_amounts=AmountRange(
                smallest=MoneyType.of(series.smallest), largest=MoneyType.of(series.largest)
            ),
            occurrence_count=series.occurrence_count,
            first_date=series.first_date,
            last_date=series.last_date,
            next_date=series.next_date(today),
            detected_at=series.detected_at,
        )


@strawberry.type(name="RecurringSeriesEdge", description="A series in a page of series.")
class RecurringSeriesEdge:
    cursor: str = strawberry.field(description="Pass as `after` to list what comes after it.")
    node: RecurringSeries = strawberry.field(description="The series.")


@strawberry.type(
    name="RecurringSeriesConnection",
    description="A page of recurring series, the most recently seen first.",
)
class RecurringSeriesConnection:
    edges: list[RecurringSeriesEdge] = strawberry.field(description="This page's series.")
    page_info: PageInfo = strawberry.field(description="Where this page starts and ends.")
    query: strawberry.Private[recurring_service.SeriesQuery]

    @classmethod
    def from_page(
        cls, page: recurring_service.SeriesPage, after: str | None, today: dt.date
    ) -> RecurringSeriesConnection:
        edges = [
            RecurringSeriesEdge(
                cursor=recurring_service.series_cursor(series),
                node=RecurringSeries.of(series, today),
            )
            for series in page.series
        ]
        return cls(
            edges=edges,
            page_info=PageInfo.of(
                [edge.cursor for edge in edges], has_next_page=page.has_next_page, after=after
            ),
            query=page.query,
        )

    @strawberry.field
    async def total_count(self) -> int:
        """How many series match the filter (all pages)."""
        async with read_session() as session:
            return await recurring_service.count_series(session, self.query)


@strawberry.type(name="UpcomingBill", description="A payment a recurring series expects soon.")
class UpcomingBill:
    date: dt.date = strawberry.field(description="When it is expected.")
    expected_amount: MoneyType = strawberry.field(
        description="How much, in the series' own currency, negative (money out)."
    )
    in_base_currency: MoneyType | None = strawberry.field(
        description="How much in the user's base currency: the expected amount itself when "
        "the series is in it, else converted at the latest exchange rate on or before the "
        "date. Null when no such rate exists: then only the series' own currency tells."
    )
    series: RecurringSeries = strawberry.field(
        description="The series it belongs to (its status says whether it is confirmed)."
    )


async def resolve_recurring_series(info: Info, series_id: uuid.UUID) -> RecurringSeries:
    """The caller's series (for `recurring(id:)` and `node(id:)`); NOT_FOUND otherwise."""
    user_id = info.context.require_user()
    async with read_session() as session:
        found = await recurring_service.series(session, user_id, series_id)
    return RecurringSeries.of(found, info.context.today())


# --- payloads (their inputs are in inputs.py) ----------------------------------------------


@strawberry.type(description="What detectRecurring found.")
class DetectRecurringPayload:
    detected_count: int = strawberry.field(
        description="Series found recurring today, whatever their status."
    )
    new_suggestions: list[RecurringSeries] = strawberry.field(
        description="Series suggested by this detection: new ones, and dismissed ones found "
        "recurring at another interval."
    )
    removed_suggestion_count: int = strawberry.field(
        description="Earlier suggestions that no longer recur, now removed."
    )


@strawberry.type(description="What confirmRecurring changed.")
class ConfirmRecurringPayload:
    recurring_series: RecurringSeries = strawberry.field(description="The confirmed series.")


@strawberry.type(description="What dismissRecurring changed.")
class DismissRecurringPayload:
    recurring_series: RecurringSeries = strawberry.field(description="The dismissed series.")


@strawberry.type(description="What updateRecurring changed.")
class UpdateRecurringPayload:
    recurring_series: RecurringSeries = strawberry.field(description="The series as it is now.")


@strawberry.type(description="What deleteRecurring removed.")
class DeleteRecurringPayload:
    deleted_recurring_series_id: strawberry.ID = strawberry.field(
        description="The id of the series that is gone."
    )


# --- root fields ---------------------------------------------------------------------------


@strawberry.type
class RecurringQueries:
    @strawberry.field
    async def recurring_series(
        self,
        info: Info,
        status: Annotated[
            RecurringStatus | None, strawberry.argument(description="Only those with it.")
        ] = None,
        direction: Annotated[
            RecurringDirection | None, strawberry.argument(description="Only money out, or in.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> RecurringSeriesConnection:
        """The caller's recurring series (detectRecurring finds them), the most recently seen
        first."""
        user_id = info.context.require_user()
        size = page_size(first)
        async with read_session() as session:
            page = await recurring_service.series_page(
                session,
                user_id,
                status=Status(status.value) if status is not None else None,
                direction=Direction(direction.value) if direction is not None else None,
                first=size,
                after=after,
            )
        return RecurringSeriesConnection.from_page(page, after, info.context.today())

    @strawberry.field
    async def recurring(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Its id.")]
    ) -> RecurringSeries:
        """One of the caller's recurring series."""
        return await resolve_recurring_series(info, decode_id(KIND, id))

    @strawberry.field
    async def upcoming_bills(
        self,
        info: Info,
        days: Annotated[
            int | None,
            strawberry.argument(
                description="How many days ahead, today (the caller's) included: 1..366."
            ),
        ] = recurring_service.DEFAULT_UPCOMING_DAYS,
        include_suggested: Annotated[
            bool | None,
            strawberry.argument(
                description="Also the series the user has not confirmed yet (flagged by their "
                "status); true when null."
            ),
        ] = True,
    ) -> list[UpcomingBill]:
        """Every payment the caller's money-out series expect in the coming days, by date: a
        weekly bill once a week. Dismissed series are left out."""
        user_id = info.context.require_user()
        window = recurring_service.upcoming_days(days, "days")
        today = info.context.today()
        async with read_session() as session:
            bills = await recurring_service.upcoming_bills(
                session,
                user_id,
                today=today,
                days=window,
                include_suggested=include_suggested is not False,
            )
        return [
            UpcomingBill(
                date=bill.date,
                expected_amount=MoneyType.of(bill.expected),
                in_base_currency=(
                    MoneyType.of(bill.in_base_currency)
                    if bill.in_base_currency is not None
                    else None
                ),
                series=RecurringSeries.of(bill.series, today),
            )
            for bill in bills
        ]


@strawberry.type
class RecurringMutations:
    @strawberry.mutation
    async def detect_recurring(
        self, info: Info, input: Annotated[DetectRecurringInput | None, INPUT] = None
    ) -> DetectRecurringPayload:
        """Look for recurring series in the caller's history (the last 18 months unless told)
        and suggest the new ones. Confirmed and dismissed series keep their status and the
        user's corrections; suggestions that no longer recur are removed."""
        user_id = info.context.require_user()
        months = recurring_service.history_months(
            input.months if input is not None else None, "input.months"
        )
        today = info.context.today()
        # Read first, then store: no write lock is held while the history streams by.
        async with read_session(in_transaction=True) as session:
            found = await recurring_service.detect_in_history(session, user_id, today, months)
        async with unit_of_work() as work:
            detection = await recurring_service.store_detection(work, user_id, found)
        return DetectRecurringPayload(
            detected_count=detection.detected,
            new_suggestions=[RecurringSeries.of(item, today) for item in detection.suggested],
            removed_suggestion_count=detection.removed,
        )

    @strawberry.mutation
    async def confirm_recurring(
        self, info: Info, input: Annotated[ConfirmRecurringInput, INPUT]
    ) -> ConfirmRecurringPayload:
        """Confirm a series: it stays until deleted, whatever later detections find, and it
        is among the upcoming bills even when suggestions are left out."""
        series = await _set_status(info, input.id, Status.CONFIRMED)
        return ConfirmRecurringPayload(recurring_series=series)

    @strawberry.mutation
    async def dismiss_recurring(
        self, info: Info, input: Annotated[DismissRecurringInput, INPUT]
    ) -> DismissRecurringPayload:
        """Dismiss a series: it leaves the upcoming bills and is not suggested again unless it
        starts recurring at another interval."""
        series = await _set_status(info, input.id, Status.DISMISSED)
        return DismissRecurringPayload(recurring_series=series)

    @strawberry.mutation
    async def update_recurring(
        self, info: Info, input: Annotated[UpdateRecurringInput, INPUT]
    ) -> UpdateRecurringPayload:
        """Correct a series' name, interval or expected amount. Correcting a suggestion
        confirms it."""
        user_id = info.context.require_user()
        series_id = decode_id(KIND, input.id, "input.id")
        interval = input.interval
        changes = recurring_service.SeriesChanges(
            name=recurring_service.KEEP if input.name is strawberry.UNSET else input.name,
            interval=(
                recurring_service.KEEP
                if interval is strawberry.UNSET
                else Interval(interval.value)
                if interval is not None
                else None
            ),
            expected_amount=(
                recurring_service.KEEP
                if input.expected_amount is strawberry.UNSET
                else input.expected_amount
            ),
        )
        async with unit_of_work() as work:
            series = await recurring_service.update_series(work, user_id, series_id, changes)
        return UpdateRecurringPayload(
            recurring_series=RecurringSeries.of(series, info.context.today())
        )

    @strawberry.mutation
    async def delete_recurring(
        self, info: Info, input: Annotated[DeleteRecurringInput, INPUT]
    ) -> DeleteRecurringPayload:
        """Delete a series. Detection may suggest it again: dismiss it to stop that."""
        user_id = info.context.require_user()
        series_id = decode_id(KIND, input.id, "input.id")
        async with unit_of_work() as work:
            await recurring_service.delete_series(work, user_id, series_id)
        return DeleteRecurringPayload(deleted_recurring_series_id=input.id)


async def _set_status(info: Info, given_id: strawberry.ID, status: Status) -> RecurringSeries:
    user_id = info.context.require_user()
    series_id = decode_id(KIND, given_id, "input.id")
    async with unit_of_work() as work:
        series = await recurring_service.set_status(work, user_id, series_id, status)
    return RecurringSeries.of(series, info.context.today())
