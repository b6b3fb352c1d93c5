"""Sentences of the distributed path (`parscore batch --engine spark`): what it needs installed."""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "spark_missing": (
        "chưa cài Spark (gói pyspark) để chấm trên cụm máy",
        "pip install 'parscore[distributed]', hoặc bỏ --engine spark để chấm trên máy này",
        "Spark (the pyspark package) is not installed, so the batch cannot run on a cluster",
        "pip install 'parscore[distributed]', or leave out --engine spark to score on this machine"),
    "spark_no_java": (
        "Spark cần Java 17 trở lên nhưng máy này không có lệnh java",
        "cài Java (ví dụ apt-get install default-jre-headless) hoặc đặt JAVA_HOME",
        "Spark needs Java 17 or later and this machine has no java command",
        "install Java (e.g. apt-get install default-jre-headless) or set JAVA_HOME"),
    "spark_master_without_engine": (
        "--master chỉ dùng cùng --engine spark",
        "thêm --engine spark, hoặc bỏ --master",
        "--master is only used with --engine spark",
        "add --engine spark, or leave out --master"),
}
