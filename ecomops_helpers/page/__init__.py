"""The report page: template, message catalogue, formatting, charts, action cards."""
