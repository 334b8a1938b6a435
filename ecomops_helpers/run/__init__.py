"""Running the reports: the command line, the runner, the browser check, the folder."""
