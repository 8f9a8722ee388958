"""The regions API, /api/me, the OpenAPI schema, and the one JSON error shape on every endpoint."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from waspada.accounts.models import ApiToken

# A point in Kota Tarakan, near the port (lon, lat).
TARAKAN = (117.6, 3.3)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def assert_error_shape(response: Any) -> dict[str, Any]:
    """Every non-2xx answer: {"error": {"status", "code", "message"[, "details"]}}, status = HTTP status."""
    where = f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']}"
    assert response.status_code != 500, f"{where} answered 500"
    assert response["Content-Type"].startswith("application/json"), f"{where}: {response['Content-Type']}"
    body = response.json()
    assert set(body) == {"error"}, f"{where}: {body}"
    error = body["error"]
    assert {"status", "code", "message"} <= set(error) <= {"status", "code", "message", "details"}, where
    assert error["status"] == response.status_code, where
    assert isinstance(error["code"], str) and error["code"], where
    assert isinstance(error["message"], str) and error["message"], where
    return error  # type: ignore[no-any-return]


# --- regions -------------------------------------------------------------------------------------------


def test_it_returns_a_region_with_its_parent_chain(client: Client, db: Any) -> None:
    response = client.get("/api/regions/65.03.08.2001")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["level"], body["kind"]) == (
        "65.03.08.2001",
        "Liang Bunyu",
        4,
        "desa",
    )
    assert [(p["code"], p["name"]) for p in body["parents"]] == [
        ("65", "Kalimantan Utara"),
        ("65.03", "Kabupaten Nunukan"),
        ("65.03.08", "Sebatik Barat"),
    ]
    assert body["timezone"] == "WITA"
    assert body["has_geometry"] is True
    assert body["children_count"] == 0


def test_it_accepts_the_undotted_kpu_form_of_a_code(client: Client, db: Any) -> None:
    dotted = client.get("/api/regions/65.03.08.2001").json()
    undotted = client.get("/api/regions/6503082001")
    assert undotted.status_code == 200
    assert undotted.json() == dotted


def test_a_province_has_no_parents_and_counts_its_children(client: Client, db: Any) -> None:
    body = client.get("/api/regions/65").json()
    assert body["parents"] == []
    assert body["children_count"] == 5
    assert body["kind"] == "provinsi"


def test_it_lists_the_children_of_a_region(client: Client, db: Any) -> None:
    response = client.get("/api/regions/65/children")
    assert response.status_code == 200
    body = response.json()
    assert body["region"]["code"] == "65"
    assert [c["code"] for c in body["children"]] == ["65.01", "65.02", "65.03", "65.04", "65.71"]
    assert {c["kind"] for c in body["children"]} == {"kabupaten", "kota"}


def test_it_lists_children_for_an_undotted_code(client: Client, db: Any) -> None:
    body = client.get("/api/regions/6571/children").json()
    assert [c["code"] for c in body["children"]] == ["65.71.01", "65.71.02", "65.71.03", "65.71.04"]


def test_a_desa_has_no_children(client: Client, db: Any) -> None:
    assert client.get("/api/regions/65.03.08.2001/children").json()["children"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kab. Bulungan", "65.01"),
        ("kabupaten bulungan", "65.01"),
        ("kota tarakan", "65.71"),
        ("KOTA TARAKAN", "65.71"),
        ("Tj. Selor", "65.01.05"),
        ("kec sebatik barat", "65.03.08"),
        ("Kec. Sebatik Barat", "65.03.08"),
    ],
)
def test_search_finds_a_region_by_a_common_variant_of_its_name(
    client: Client, db: Any, query: str, expected: str
) -> None:
    response = client.get("/api/regions/search", {"q": query})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == query
    assert body["results"], f"nothing found for {query!r}"
    assert body["results"][0]["code"] == expected


def test_search_results_name_their_parents(client: Client, db: Any) -> None:
    first = client.get("/api/regions/search", {"q": "sebatik barat", "level": 3}).json()["results"][0]
    assert first["path"] == "Sebatik Barat, Kabupaten Nunukan, Kalimantan Utara"
    assert 0 < first["score"] <= 1


def test_search_can_be_limited_to_a_level_and_a_region(client: Client, db: Any) -> None:
    body = client.get(
        "/api/regions/search", {"q": "sebatik", "level": 3, "within": "6503", "limit": 3}
    ).json()
    assert 1 <= len(body["results"]) <= 3
    assert all(r["level"] == 3 and r["code"].startswith("65.03.") for r in body["results"])


def test_search_for_nonsense_finds_nothing(client: Client, db: Any) -> None:
    body = client.get("/api/regions/search", {"q": "qwxzv plorkt"}).json()
    assert body["results"] == []


def test_locate_puts_a_point_in_tarakan_in_a_tarakan_desa(client: Client, db: Any) -> None:
    response = client.get("/api/regions/locate", {"lon": TARAKAN[0], "lat": TARAKAN[1]})
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == 4
    assert body["code"].startswith("65.71.")
    assert [p["code"] for p in body["parents"]][:2] == ["65", "65.71"]
    min_lon, min_lat, max_lon, max_lat = body["bbox"]
    assert min_lon <= TARAKAN[0] <= max_lon and min_lat <= TARAKAN[1] <= max_lat


def test_locate_a_point_outside_every_boundary_is_not_found(client: Client, db: Any) -> None:
    response = client.get("/api/regions/locate", {"lon": 106.8, "lat": -6.2})  # Jakarta: not imported here
    assert response.status_code == 404
    assert_error_shape(response)


# --- /api/me and tokens --------------------------------------------------------------------------------


def test_me_answers_for_a_bearer_token(client: Client, personas: dict[str, Any], token_for: Any) -> None:
    token = token_for(personas["analis_nunukan"])
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {"username": "analis.nunukan", "role": "analis", "scope": "65.03"}


def test_me_answers_for_a_national_admin_token(
    client: Client, personas: dict[str, Any], token_for: Any
) -> None:
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token_for(personas['admin'])}")
    assert response.json() == {"username": "admin", "role": "admin", "scope": None}


def test_me_answers_for_a_logged_in_browser_session(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["pimpinan"])
    assert client.get("/api/me").json()["role"] == "pimpinan"


def test_a_token_is_stored_only_as_a_hash(personas: dict[str, Any], token_for: Any) -> None:
    token = token_for(personas["analis"])
    row = ApiToken.objects.get(user=personas["analis"])
    assert token.startswith("wsp_")
    assert token not in {row.key_hash, row.hint} and len(row.hint) < len(token)


def _revoke(user: Any) -> None:
    ApiToken.objects.filter(user=user).update(revoked_at=timezone.now())


def _deactivate(user: Any) -> None:
    user.is_active = False
    user.save()


@pytest.mark.parametrize(
    "how", ["missing", "wrong token", "not bearer", "empty bearer", "revoked", "inactive user", "no profile"]
)
def test_me_refuses_a_request_without_a_valid_token(
    client: Client, personas: dict[str, Any], token_for: Any, how: str
) -> None:
    user = personas["analis"]
    token = token_for(user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if how == "missing":
        headers = {}
    elif how == "wrong token":
        headers = {"HTTP_AUTHORIZATION": "Bearer wsp_" + "x" * 43}
    elif how == "not bearer":
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    elif how == "empty bearer":
        headers = {"HTTP_AUTHORIZATION": "Bearer "}
    elif how == "revoked":
        _revoke(user)
    elif how == "inactive user":
        _deactivate(user)
    elif how == "no profile":
        user.profile.delete()
    response = client.get("/api/me", **headers)
    assert response.status_code == 401
    assert assert_error_shape(response)["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_records_when_it_was_last_used(
    client: Client, personas: dict[str, Any], token_for: Any
) -> None:
    token = token_for(personas["analis"])
    client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ApiToken.objects.get(user=personas["analis"]).last_used_at is not None


# --- the schema ----------------------------------------------------------------------------------------


@pytest.fixture
def schema(client: Client, db: Any) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_openapi_schema_lists_every_endpoint(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Waspada API"
    assert {
        "/api/regions/{code}",
        "/api/regions/{code}/children",
        "/api/regions/search",
        "/api/regions/locate",
        "/api/me",
    } <= set(schema["paths"])
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert any(code.startswith("2") for code in operation["responses"]), f"{method.upper()} {path}"


def test_the_openapi_schema_resolves_every_reference(schema: dict[str, Any]) -> None:
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', _dumps(schema)))
    assert refs
    assert refs <= set(schema["components"]["schemas"])


def test_the_schema_marks_me_as_needing_authentication(schema: dict[str, Any]) -> None:
    assert schema["paths"]["/api/me"]["get"].get("security")
    assert not schema["paths"]["/api/regions/{code}"]["get"].get("security")


def test_the_api_docs_page_loads_nothing_from_the_internet(client: Client, db: Any, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "https://" not in response.content.decode()


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value)


# --- bad input on every endpoint ------------------------------------------------------------------------

BAD_CODES = ["99", "65.99", "65.03.99.9999", "65.x", "6", "abc", "65..03", "6503122001004", "00", "%20"]
BAD_IDS = ["0", "-1", "abc", "1.5", "9" * 30, "99999999"]
BAD_JSON_BODIES = ["{", "[]", "{}", "null", '"teks"', '{"region": 5, "event_type": [], "description": {}}']
WRONG_METHODS = ["get", "post", "put", "patch", "delete", "options"]


class Call:
    """One request of the walk: method, URL, query, body (raw text or a form), extra headers."""

    def __init__(
        self,
        method: str,
        url: str,
        query: dict[str, Any] | None = None,
        body: str | dict[str, Any] | None = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.method, self.url, self.query, self.body = method, url, query or {}, body
        self.content_type, self.headers = content_type, headers or {}

    def send(self, client: Client, auth: dict[str, str]) -> Any:
        headers = {**auth, **self.headers}
        send = getattr(client, self.method)
        if self.method == "get":
            return send(self.url, self.query, **headers)
        url = self.url + ("?" + urlencode(self.query) if self.query else "")
        if isinstance(self.body, dict):
            return send(url, self.body, **headers)  # multipart form
        return send(url, self.body or "", content_type=self.content_type, **headers)

    def __repr__(self) -> str:
        return f"{self.method.upper()} {self.url} {self.query} {str(self.body)[:60]!r} {self.headers}"


def _param_type(param: dict[str, Any]) -> str:
    schema = param.get("schema", {})
    alternatives = [schema, *schema.get("anyOf", [])]
    for alt in alternatives:
        if "$ref" in alt:
            return "enum"
        if alt.get("format") == "date-time":
            return "date-time"
    kinds = [alt.get("type") for alt in alternatives]
    for kind in ("integer", "number", "string"):
        if kind in kinds:
            return kind
    return "string"


def _good_value(param: dict[str, Any]) -> str:
    if param["name"] == "code":
        return "65"
    if param["name"] == "lon":
        return "117.6"
    if param["name"] == "lat":
        return "3.3"
    return "1" if _param_type(param) in {"integer", "number"} else "tarakan"


def _wrong_values(param: dict[str, Any]) -> list[str]:
    kind = _param_type(param)
    schema = param.get("schema", {})
    if kind in {"integer", "number"}:
        wrong = ["abc", "", "1e999", "nan", "-inf", "9" * 40]
        if kind == "integer":
            wrong.append("1.5")
        for alt in [schema, *schema.get("anyOf", [])]:
            if "maximum" in alt:
                wrong.append(str(alt["maximum"] + 1))
            if "minimum" in alt:
                wrong.append(str(alt["minimum"] - 1))
        return wrong
    wrong = ["x" * 500, "\x00"]
    if kind == "date-time":
        wrong += ["kemarin", "2024-13-45T25:00:00"]
    if kind == "enum":
        wrong += ["bukan-kode"]
    if param["name"] in {"within", "region", "code"}:
        wrong += ["99", "abc", "65.x", "6503122001004"]
    return wrong


def _fill(template: str, path_params: list[dict[str, Any]], values: dict[str, str] | None = None) -> str:
    """The URL of a path template with good values, except those given."""
    for p in path_params:
        template = template.replace("{" + p["name"] + "}", (values or {}).get(p["name"], _good_value(p)))
    return template


def _bad_calls(schema: dict[str, Any]) -> list[Call]:
    """Bad input for every operation of the schema: path, query, header, body, and method."""
    calls: list[Call] = []
    for template, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = operation.get("parameters", [])
            path_params = [p for p in params if p["in"] == "path"]
            good_url = template
            good_url = _fill(template, path_params)
            query = {p["name"]: _good_value(p) for p in params if p["in"] == "query" and p.get("required")}
            content = operation.get("requestBody", {}).get("content", {})
            good_body: str | dict[str, Any] | None = "{}" if "application/json" in content else None
            if "multipart/form-data" in content:
                good_body = {}

            def call(
                url: str = good_url,
                *,
                _method: str = method,
                _query: dict[str, str] = query,
                _body: str | dict[str, Any] | None = good_body,
                **kw: Any,
            ) -> Call:
                kw.setdefault("query", _query)
                kw.setdefault("body", _body)
                return Call(_method, url, **kw)

            for p in path_params:
                bad_values = BAD_CODES if p["name"] == "code" else BAD_IDS
                calls.extend(call(_fill(template, path_params, {p["name"]: bad})) for bad in bad_values)
            for p in params:
                if p["in"] == "query":
                    if p.get("required"):
                        calls.append(call(query={k: v for k, v in query.items() if k != p["name"]}))
                    calls.extend(call(query={**query, p["name"]: wrong}) for wrong in _wrong_values(p))
                elif p["in"] == "header":
                    calls.extend(
                        call(headers={"HTTP_" + p["name"].upper().replace("-", "_"): v})
                        for v in ("", "x" * 500)
                    )
            if "application/json" in content:
                calls.extend(call(body=bad) for bad in BAD_JSON_BODIES)
                calls.append(call(body="halo", content_type="text/plain"))
            if "multipart/form-data" in content:
                calls.append(call(body={"client_id": "x" * 500}))
            calls.extend(
                Call(wrong, good_url, query=query) for wrong in WRONG_METHODS if wrong not in methods
            )
            calls.append(call())
    return calls


def test_every_endpoint_answers_bad_input_with_the_error_shape(
    client: Client, schema: dict[str, Any], personas: dict[str, Any], token_for: Any
) -> None:
    calls = _bad_calls(schema)
    assert len(calls) > 100
    credentials = [{}, {"HTTP_AUTHORIZATION": f"Bearer {token_for(personas['admin'])}"}]
    seen_statuses = set()
    for auth in credentials:
        for call in calls:
            response = call.send(client, auth)
            if 200 <= response.status_code < 300:
                continue
            assert response.status_code != 500, f"{call!r} with {list(auth)} answered 500"
            assert_error_shape(response)
            seen_statuses.add(response.status_code)
    assert {400, 401, 404, 405, 422} <= seen_statuses


@pytest.mark.parametrize(
    "path", ["/api/", "/api/nope", "/api/regions", "/api/regions/", "/api/regions/65/", "/api/regions/65/x"]
)
def test_an_unknown_api_path_answers_404_in_the_error_shape(client: Client, db: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert assert_error_shape(response)["code"] == "not_found"


def test_a_wrong_method_answers_405_in_the_error_shape_with_allow(client: Client, db: Any) -> None:
    response = client.post("/api/regions/65", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert assert_error_shape(response)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_a_malformed_code_is_a_400_that_explains_the_form(client: Client, db: Any) -> None:
    response = client.get("/api/regions/65.x")
    assert response.status_code == 400
    error = assert_error_shape(response)
    assert error["code"] == "invalid_code"
    assert "65.03.12.2001" in error["message"]


def test_an_unknown_code_is_a_404_naming_the_code(client: Client, db: Any) -> None:
    response = client.get("/api/regions/6599")
    assert response.status_code == 404
    assert "65.99" in assert_error_shape(response)["message"]


def test_a_missing_query_parameter_is_a_422_naming_the_field(client: Client, db: Any) -> None:
    response = client.get("/api/regions/locate", {"lon": 117.6})
    assert response.status_code == 422
    error = assert_error_shape(response)
    assert [d["field"] for d in error["details"]] == ["query.lat"]


def test_a_request_for_an_unknown_host_answers_in_the_error_shape(client: Client, db: Any) -> None:
    response = client.get("/api/regions/65", HTTP_HOST="penyerang.example")
    assert response.status_code == 400
    assert_error_shape(response)


def test_an_unexpected_failure_is_a_500_in_the_error_shape(
    client: Client, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from waspada.api import regions

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(regions, "search_names", broken)
    response = client.get("/api/regions/search", {"q": "tarakan"})
    assert response.status_code == 500
    body = response.json()["error"]
    assert body["status"] == 500 and body["code"] == "server_error"
    assert "boom" not in body["message"]
