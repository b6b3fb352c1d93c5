"""parscore: scores a Vietnamese commune's administrative-reform compliance from its evidence."""
__version__ = "0.1.0"
