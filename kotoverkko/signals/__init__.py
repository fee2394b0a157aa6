"""Observations that NGOs and volunteers raise to the authorities; no personal data."""
