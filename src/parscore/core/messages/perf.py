"""Sentences of the large-input paths: tables given twice, Parquet files that cannot be read."""
from __future__ import annotations

# code: (vi message, vi fix, en message, en fix)
ERRORS: dict[str, tuple[str, str, str, str]] = {
    "table_twice": (
        "bảng '{table}' có cả {first} và {second}", "giữ một tệp cho mỗi bảng (CSV hoặc Parquet)",
        "table '{table}' is given twice, as {first} and {second}", "keep one file per table (CSV or Parquet)"),
    "bad_parquet": (
        "không đọc được tệp Parquet: {problem}", "xuất lại bảng ra Parquet hoặc CSV",
        "cannot read the Parquet file: {problem}", "export the table again as Parquet or CSV"),
    "parquet_not_utf8": (
        "cột dạng byte có giá trị không phải văn bản UTF-8 (byte {byte})", "xuất lại cột này dưới dạng văn bản (UTF-8)",
        "a byte column holds a value that is not UTF-8 text (byte {byte})", "export this column again as text (UTF-8)"),
}
