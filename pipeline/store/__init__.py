"""Where results go: the Parquet writer with its atomic publish, the output lock and the article cache."""
