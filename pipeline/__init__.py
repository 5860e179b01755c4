"""civic-entities: multilingual entity extraction for civil-society news."""

__version__ = "0.1.0"
