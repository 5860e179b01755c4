"""The Python API: `extract`, `read_tables`, `Tables`, `load_nlp` (see README, "In Python").

The command line is a layer over the same run (`runner.process`): `extract(...)`
gives the tables `python -m pipeline run` writes, and `Tables.write` writes them
byte for byte as it does.
"""

from .extraction import extract
from .nlp import load_nlp
from .tables import EntityView, Tables, read_tables

__all__ = ["EntityView", "Tables", "extract", "load_nlp", "read_tables"]
