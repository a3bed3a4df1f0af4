"""Evaluation data sets, written apart from the code they evaluate."""
