"""Scaling out: the PySpark job (spark.py) and loading its Parquet output into a store (load.py).
Local scaling is ``--processes N`` (pipeline.annotate_many)."""
