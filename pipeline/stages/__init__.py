"""The pipeline's stages in run order: ingest → split → langid → ner → resolve (per article)
→ merge → entities (with their doubt scores)."""
