"""Every shipped JSON Schema is a valid schema of the draft it names (checked here, once, not on every run)."""
from __future__ import annotations

import jsonschema
import pytest

from parscore.core import schema


def test_the_listing_holds_every_schema_and_each_kinds_parameters() -> None:
    names = schema.shipped()
    assert {"bundle", "tree", "manifest", "catalogue", "result"} <= set(names)
    assert "kinds/bands/params" in names and len([n for n in names if n.startswith("kinds/")]) >= 10


@pytest.mark.parametrize("name", schema.shipped())
def test_each_shipped_schema_is_valid_against_its_metaschema(name: str) -> None:
    document = schema.load_schema(name)
    jsonschema.validators.validator_for(document).check_schema(document)


def test_an_invalid_schema_would_be_caught() -> None:
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.validators.validator_for({}).check_schema({"type": "no-such-type"})
