"""`python -m pipeline`: see `pipeline.launch` (and `pipeline.cli` for the commands)."""

from .launch import main

main()
