"""Situation picture: Statistics Finland data for a municipality (issue 5). Parsers and API client so far."""
