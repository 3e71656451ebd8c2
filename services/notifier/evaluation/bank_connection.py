"""BANK_CONNECTION_ATTENTION: a linked bank that needs the user (sign in again, or relink after
an error), from the sync service's announcement; alerted once per item, status and day."""

from __future__ import annotations

from collections.abc import Sequence

from services.notifier.evaluation import wording
from services.notifier.evaluation.alert import Alert
from services.notifier.evaluation.announcement import BankConnectionChanged
from services.notifier.rules.service import AlertKind, AlertRuleView
from shared.ids import encode_id


def alerts(change: BankConnectionChanged, rules: Sequence[AlertRuleView]) -> list[Alert]:
    if not rules:
        return []
    return [
        Alert(
            rule=rules[0],  # the kind takes no parameters: one speaks for all
            dedupe_key=(
                f"{AlertKind.BANK_CONNECTION_ATTENTION}:{change.item_id.hex}:{change.status}:"
                f"{change.observed_on.isoformat()}"
            ),
            text=wording.bank_connection_attention(
                change.institution_name, login_required=change.status == "LOGIN_REQUIRED"
            ),
            data={
                "linkedInstitutionId": encode_id("LinkedInstitution", change.item_id),
                "institution": change.institution_name,
                "status": change.status,
                "errorCode": change.error_code,
            },
        )
    ]
