"""`python -m compendium`: the same command line as the `compendium` command."""
try:
    from compendium.cli import main  # installed: cli.py is wrapped into the package
except ImportError:  # a checkout: cli.py sits beside the package
    from cli import main  # type: ignore[no-redef]

main()
