"""Scale: running the same pipeline on Apache Spark (``chronicle spark``, ``chronicle load``)."""
