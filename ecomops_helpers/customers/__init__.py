"""The customer report: segments and lists, lifetime value, and its review."""
