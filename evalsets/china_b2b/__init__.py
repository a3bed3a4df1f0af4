"""Synthetic Chinese B2B customer lists with ground truth, for deduplication evaluation."""
