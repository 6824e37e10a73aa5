"""The curators' review UI: a Datasette plugin (queue, diffs, decisions, publishing) and its server."""
