"""The curators' review UI: a Datasette plugin (queue, diffs, decisions, publishing) and the server that runs it."""
