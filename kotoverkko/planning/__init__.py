"""The integration-promotion programme: checklist, goals, measures, indicators, monitoring, documents."""
