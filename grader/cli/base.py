"""The `grader` Typer app, its error handling and --version: what every command module shares."""

from __future__ import annotations

import click
import typer
from typer.core import TyperGroup, TyperOption

from grader import __version__
from grader.errors import UserError


class _Commands(TyperGroup):
    """Turns a UserError raised by any command into one red line and exit code 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except UserError as exc:
            typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
            raise typer.Exit(code=2) from None


# Typer 0.29 prints a type beside every option, so plain flags (--quiet, --help) read
# "<bool>" as if they took a value. A flag takes none: show no type for it.
_option_type = TyperOption.display_type_rich


def _flag_shows_no_type(self: TyperOption, ctx: click.Context) -> str | None:
    return None if self.is_flag and not self.metavar else _option_type(self, ctx)


TyperOption.display_type_rich = _flag_shows_no_type  # type: ignore[method-assign]


app = typer.Typer(
    cls=_Commands,
    name="grader",
    help="First-pass reviewer for AWS Competency / SDP technical-validation evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"grader {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """First-pass reviewer for AWS Competency / SDP technical-validation evidence."""


def fail(message: str) -> "typer.Exit":
    """Print one clear error line and return the exit to raise (code 2)."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=2)
