"""The OpenAPI document is valid 3.1 and real responses match it."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from openapi_schema_validator import OAS31Validator, validate
from openapi_spec_validator import validate as validate_spec

from webui.openapi import openapi_document


@pytest.fixture(scope="module")
def spec(real_app):
    return real_app.test_client().get("/api/openapi.json").get_json()


def check(spec: dict, schema_name: str, instance: object) -> None:
    """Validate `instance` against components/schemas/<schema_name>, resolving $refs."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    validate(instance, schema, cls=OAS31Validator)


def response_schema(spec: dict, path: str, method: str, status: str) -> str:
    content = spec["paths"][path][method]["responses"][status]["content"]
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_document_is_valid_openapi_31(spec):
    assert spec["openapi"] == "3.1.0"
    validate_spec(spec)


def test_served_document_is_the_module_document(spec):
    assert spec == openapi_document()


def test_every_schema_is_valid_json_schema(spec):
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


# Routes for programs outside /api/: feed readers poll the Atom twin of every search.
MACHINE_ROUTES = {"/feed.atom"}


def test_documented_routes_are_exactly_the_api_and_feed_routes(real_app, spec):
    routes = {
        (str(rule).replace("<path:article_id>", "{id}"), method.lower())
        for rule in real_app.url_map.iter_rules()
        if str(rule).startswith("/api/") or str(rule) in MACHINE_ROUTES
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert routes == documented


@pytest.mark.parametrize(
    "query",
    [
        "q=科技",
        "q=",
        "q=稀土&sort=newest&per_page=1",
        "q=不存在的词语组合",
        "q=注入测试",
        "year=unknown",
    ],
)
def test_search_responses_match(real_client, spec, query):
    response = real_client.get("/api/search?" + query)
    assert response.status_code == 200
    check(spec, response_schema(spec, "/api/search", "get", "200"), response.get_json())


def test_article_response_matches(real_client, spec):
    hit = real_client.get("/api/search?q=科技").get_json()["hits"][0]
    body = real_client.get(f"/api/articles/{hit['id']}?q=科技").get_json()
    check(spec, response_schema(spec, "/api/articles/{id}", "get", "200"), body)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/search?page=x", "400"),
        ("/api/search?q=" + "x" * 201, "400"),
        ("/api/articles/zz", "404"),
    ],
)
def test_error_responses_match(real_client, spec, url, status):
    response = real_client.get(url)
    assert str(response.status_code) == status
    path = "/api/search" if url.startswith("/api/search") else "/api/articles/{id}"
    check(spec, response_schema(spec, path, "get", status), response.get_json())


def test_schema_rejects_a_wrong_shape(spec):
    """The schemas are strict enough to catch a renamed key."""
    from jsonschema.exceptions import ValidationError

    bad = {
        "query": "",
        "total": 0,
        "page": 1,
        "per_page": 10,
        "took_ms": 1,
        "hits": [],
        "facets": {"source": [], "site": [], "year": [], "month": []},
    }
    with pytest.raises(ValidationError):
        check(spec, "SearchResponse", bad)


def test_parameter_limits_match_the_code(spec):
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params["per_page"]["maximum"] == 100
    assert params["q"]["maxLength"] == 200
    assert params["sort"]["enum"] == ["relevance", "newest", "oldest"]
    assert params["source"]["type"] == "array"
