"""Evaluation helpers shared by eval/ scripts and tests (scoring, not extraction)."""
