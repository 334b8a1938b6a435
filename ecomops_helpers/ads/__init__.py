"""The paid-ads audit: its arithmetic, its review and its part of the sample shop."""
