"""Choice sets shared across API fields, named once in the OpenAPI schema (drf-spectacular overrides)."""

from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 choices as django-countries offers them (evaluated when the schema is built)."""
    return [(code, str(name)) for code, name in countries]
