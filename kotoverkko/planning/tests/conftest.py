import pytest

from kotoverkko.planning import reference_data
from kotoverkko.planning.models import ChecklistTemplate


@pytest.fixture(autouse=True)
def _planning_reference_data(db):
    """The checklist and VALKO come from a data migration; a transactional test (the browser tests)
    empties the tables, so put them back when they are missing."""
    if not ChecklistTemplate.objects.exists():
        reference_data.load_checklists()
        reference_data.load_valko()
