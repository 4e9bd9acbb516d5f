"""Driver script for ``spark-submit`` on a cluster (the master comes from spark-submit)::

    spark-submit --master spark://host:7077 --py-files chronicle.whl \\
        "$(python -c 'import chronicle.scale.driver as d; print(d.__file__)')" \\
        hdfs:///news/*.warc.gz --output hdfs:///chronicle/out
"""

from __future__ import annotations

import argparse

from chronicle.scale.spark_job import run_spark


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Chronicle clean + extract on Spark.")
    parser.add_argument("inputs", nargs="+", help="Files, directories or URIs (hdfs://, s3a://)")
    parser.add_argument("--output", required=True, help="Directory for the Parquet tables")
    parser.add_argument("--partitions", type=int, default=0, help="Input partitions")
    args = parser.parse_args(argv)
    counts = run_spark(args.inputs, args.output, master=None, partitions=args.partitions or None)
    print(", ".join(f"{n} {name}" for name, n in counts.items()))


if __name__ == "__main__":
    main()
