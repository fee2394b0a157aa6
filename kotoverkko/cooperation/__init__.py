"""Cooperation bodies, terms, members, meetings, action items, agreements."""
