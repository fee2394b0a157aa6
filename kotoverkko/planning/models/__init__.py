"""The planning models, one module per aggregate: the programme and its content (programme.py),
consultation (consultation.py) and the kotoutumisohjelma description (initial_phase.py)."""

from .consultation import *  # noqa: F403
from .initial_phase import *  # noqa: F403
from .programme import *  # noqa: F403
