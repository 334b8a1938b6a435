"""The daily review: its arithmetic (metrics, anomalies) and its review."""
