from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "kotoverkko.signals"
    label = "signals"

    def ready(self) -> None:
        from django.db.models import Q

        from kotoverkko.accounts.personal_data import register_export

        from .models import Signal

        def signals_of(user: object) -> list[dict]:
            # A signal is its organisation's; the export says which ones this person sent or answered.
            mine = Signal.objects.filter(Q(sent_by=user) | Q(answered_by=user)).select_related(
                "sender_organisation"
            )
            return [
                {
                    "signal": signal.pk,
                    "sent_at": signal.created_at.isoformat(),
                    "organisation": str(signal.sender_organisation),
                    "sent_by_you": signal.sent_by_id == user.pk,
                    "answered_by_you": signal.answered_by_id == user.pk,
                    "status": signal.status,
                }
                for signal in mine
            ]

        register_export("signals", signals_of)
