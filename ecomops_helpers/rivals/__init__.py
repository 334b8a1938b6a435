"""Competitor tracking: the change log, the 同款 matcher, the review and its sample."""
