"""The closed vocabulary of rule kinds. Importing this package registers every kind once."""
from parscore.kinds import adjustments, all_of, bands, count_at_least, deadlines, document, manual, pro_rata  # noqa: F401
from parscore.kinds.base import REGISTRY, STATUSES, Kind, LeafView, Outcome, Recovery

__all__ = ["REGISTRY", "STATUSES", "Kind", "LeafView", "Outcome", "Recovery"]
