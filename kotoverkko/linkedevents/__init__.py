"""The directory in the Linked Events v1 format, and import from Linked Events APIs."""
