"""Commands around the pipeline: the audit report, evaluation, ablation, benchmarks, curation."""
