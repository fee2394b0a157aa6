from typing import Any

from django.core.management.base import BaseCommand

from kotoverkko.activities.seed import seed_directory
from kotoverkko.cooperation.demo import load_demo as load_cooperation_demo
from kotoverkko.organisations.seed import DEMO_PASSWORD, seed_demo
from kotoverkko.planning.demo import load_demo as load_planning_demo
from kotoverkko.reference.services import reference_data_load
from kotoverkko.servicepaths.demo import load_demo as load_servicepaths_demo
from kotoverkko.signals.demo import load_demo as load_signals_demo
from kotoverkko.situation.demo import load_demo as load_situation_demo


class Command(BaseCommand):
    help = "Load reference data and the demo region: organisations, users for every role, listings."

    def handle(self, *args: Any, **options: Any) -> None:
        reference_data_load()
        sign_ins = seed_demo()
        created = seed_directory()
        imported = load_situation_demo()
        # Later areas link to earlier ones (the programme to listings, bodies and indicators).
        load_signals_demo()
        load_cooperation_demo()
        load_servicepaths_demo()
        load_planning_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data is in place ({created} new listings, {imported} new statistics tables)."
            )
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, role, organisation in sign_ins:
            self.stdout.write(f"  {role:<36} {email:<34} {organisation}")
