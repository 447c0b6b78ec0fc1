"""compendium: publish an awards compendium (PDF, EPUB, HTML) from one YAML file per entry."""
__version__ = "0.1.0"
