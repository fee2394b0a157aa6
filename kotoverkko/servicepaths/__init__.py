"""Service paths per client group: who does what, in which order, within which deadline."""
