from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "kotoverkko.cooperation"
    label = "cooperation"

    def ready(self) -> None:
        from kotoverkko.accounts.personal_data import register_export

        from .selectors import body_memberships_of_user

        def seats(user: object) -> list[dict]:
            return [
                {"body": str(seat.body), "organisation": str(seat.organisation), "role": seat.role}
                for seat in body_memberships_of_user(user=user)
            ]

        register_export("cooperation_body_seats", seats)
