from cahub.cli import cli

cli(prog_name="cahub")
