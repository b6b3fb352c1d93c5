"""`parscore serve`: the web page for the commune office and the province's appraisers (see docs/serve.md)."""
