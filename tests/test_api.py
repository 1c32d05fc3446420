"""The W3C Web Annotation Protocol at /api/annotations/: the container and its pages,
the headers the protocol asks for, creation, replacement and deletion guarded by
ETag and If-Match, tokens, and bad input refused with a JSON reason and nothing
stored. (Who sees what through the API is in tests/test_visibility.py.)"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, ApiToken
from annotations.services.tokens import token_create
from annotations.webannotation.vocabulary import MEDIA_TYPE
from tests.conftest import make_annotation

QUOTES = (
    "The geopolitical proximity of the Middle East to Russia",
    "The potential for Western countries' interference",
    "Russia's naval military base on the western coast of Syria",
)


@pytest.fixture
def article(seed_articles):
    return seed_articles["academic"]


@pytest.fixture
def annotations(article, people):
    return [
        make_annotation(
            author=people["author"],
            paragraph=article.paragraphs.get(text__contains=quote),
            exact=quote,
            claim=f"Claim {index}",
            visibility="team",
            team=people["team"],
        )
        for index, quote in enumerate(QUOTES)
    ]


@pytest.fixture
def token(people):
    return token_create(user=people["author"], name="notebook").secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def new_annotation(article, quote=QUOTES[0], **extra) -> dict:
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "commenting",
        "body": [
            {"type": "TextualBody", "purpose": "describing", "value": "Russia is near"},
            {
                "type": "SpecificResource",
                "purpose": "classifying",
                "source": "urn:crossread:stance:supports",
            },
            {"type": "TextualBody", "purpose": "tagging", "value": "proximity"},
            {
                "type": "SpecificResource",
                "purpose": "classifying",
                "source": "https://www.iso.org/obp/ui/#iso:code:3166:RU",
            },
        ],
        "target": {
            "source": f"http://testserver/articles/{article.slug}/",
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }
    document.update(extra)
    return document


def post(client, document, **headers):
    return client.post(
        "/api/annotations/",
        data=json.dumps(document),
        content_type="application/ld+json",
        **headers,
    )


def put(client, pk, document, **headers):
    return client.put(
        f"/api/annotations/{pk}",
        data=json.dumps(document),
        content_type="application/ld+json",
        **headers,
    )


# ------------------------------------------------------------------ the container


def test_the_container_speaks_the_protocol(client, annotations, people):
    client.force_login(people["viewer"])
    response = client.get("/api/annotations/")
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    assert 'rel="type"' in response["Link"] and "ldp#BasicContainer" in response["Link"]
    assert "ldp#constrainedBy" in response["Link"]
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "Accept" in response["Vary"] and "Prefer" in response["Vary"]
    assert response["Accept-Post"] == MEDIA_TYPE
    assert response["ETag"]
    container = response.json()
    assert container["type"] == ["BasicContainer", "AnnotationCollection"]
    assert container["total"] == 3
    assert response["Content-Location"] == container["id"] == "http://testserver/api/annotations/"
    first = container["first"]
    assert first["type"] == "AnnotationPage" and len(first["items"]) == 3
    assert {item["body"][0]["value"] for item in first["items"]} == {
        "Claim 0",
        "Claim 1",
        "Claim 2",
    }


def test_pages_name_first_next_prev_last_and_total(client, annotations, people, monkeypatch):
    from annotations.api import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(people["viewer"])
    container = client.get("/api/annotations/").json()
    assert container["last"] == "http://testserver/api/annotations/?page=2"
    assert container["first"]["next"] == container["last"]
    second = client.get("/api/annotations/?page=2")
    assert second.status_code == 200 and "ldp#Page" in second["Link"]
    page = second.json()
    assert page["partOf"] == {"id": "http://testserver/api/annotations/", "total": 3}
    assert page["startIndex"] == 2 and len(page["items"]) == 1
    assert page["prev"] == "http://testserver/api/annotations/?page=1"
    assert "next" not in page
    ids = [item["id"] for item in container["first"]["items"] + page["items"]]
    assert len(set(ids)) == 3
    missing = client.get("/api/annotations/?page=3")
    assert missing.status_code == 404 and missing.json() == {"error": "No page 3: the last is 2."}


@pytest.mark.parametrize(
    ("prefer", "first_is"),
    [
        ('return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"', "iri"),
        ('return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"', "iris"),
        (
            'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"',
            "descriptions",
        ),
    ],
)
def test_prefer_chooses_a_minimal_container_iris_or_descriptions(
    client, annotations, people, prefer, first_is
):
    client.force_login(people["viewer"])
    response = client.get("/api/annotations/", HTTP_PREFER=prefer)
    assert response["Preference-Applied"] == "return=representation"
    first = response.json()["first"]
    if first_is == "iri":
        assert first == "http://testserver/api/annotations/?page=1"
    elif first_is == "iris":
        assert all(item.startswith("http://testserver/api/annotations/") for item in first["items"])
        assert first["id"].endswith("page=1&iris=1")
    else:
        assert all(item["type"] == "Annotation" for item in first["items"])


def test_head_and_options_answer_with_headers_and_no_body(client, annotations, people):
    client.force_login(people["viewer"])
    got = client.get("/api/annotations/")
    head = client.head("/api/annotations/")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"] and head["Content-Type"] == got["Content-Type"]
    options = client.options("/api/annotations/")
    assert options.status_code == 204 and options["Allow"] == "GET, HEAD, OPTIONS, POST"
    one = client.head(f"/api/annotations/{annotations[0].pk}")
    assert one.status_code == 200 and one.content == b"" and one["ETag"] == '"1"'
    one_options = client.options(f"/api/annotations/{annotations[0].pk}")
    assert one_options.status_code == 204 and one_options["ETag"] == '"1"'
    assert one_options["Allow"] == "GET, HEAD, OPTIONS, PUT, DELETE"


def test_the_container_filters_as_the_annotation_list_does(client, annotations, people, article):
    client.force_login(people["viewer"])
    Annotation.objects.filter(pk=annotations[0].pk).update(stance="opposes")
    api = client.get("/api/annotations/?stance=opposes").json()
    listing = client.get("/annotations/?stance=opposes").context["listing"]
    assert api["total"] == listing.counts.shown == 1
    assert api["id"] == "http://testserver/api/annotations/?stance=opposes"
    assert client.get(f"/api/annotations/?article={article.slug}").json()["total"] == 3
    assert client.get("/api/annotations/?team=gulf-desk").json()["total"] == 0
    bad = client.get("/api/annotations/?stance=maybe")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/json")
    assert "stance" in bad.json()["error"] and "supports" in bad.json()["error"]


def test_a_page_takes_the_same_queries_however_many_annotations(client, article, people, token):
    paragraphs = list(article.paragraphs.filter(kind="body")[:30])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/annotations/", **bearer(token)).status_code == 200
        return len(queries)

    for paragraph in paragraphs[:3]:
        make_annotation(author=people["author"], paragraph=paragraph, exact=paragraph.text[:20])
    count()  # the token's first use of the minute is recorded
    few = count()
    for paragraph in paragraphs[3:30]:
        make_annotation(author=people["author"], paragraph=paragraph, exact=paragraph.text[:20])
    assert count() == few


# ------------------------------------------------------------------- writing


def test_post_creates_an_annotation_with_location_and_etag(client, article, people, token):
    response = post(client, new_annotation(article), **bearer(token))
    assert response.status_code == 201, response.content
    created = Annotation.objects.get()
    assert response["Location"] == f"http://testserver/api/annotations/{created.pk}"
    assert response["ETag"] == '"1"'
    assert response["Content-Type"] == MEDIA_TYPE
    assert created.author == people["author"] and created.visibility == "private"
    assert (created.claim, created.stance, created.exact) == (
        "Russia is near",
        "supports",
        QUOTES[0],
    )
    assert list(created.tags.names()) == ["proximity"]
    assert [region.code for region in created.regions.all()] == ["RU"]
    assert created.paragraph.text[created.start : created.end] == QUOTES[0]
    assert response.json()["id"] == response["Location"]


def test_post_for_a_team_follows_the_audience(client, article, people, token):
    document = new_annotation(
        article, audience=[{"id": "http://testserver/teams/levant-desk/", "type": "Audience"}]
    )
    assert post(client, document, **bearer(token)).status_code == 201
    assert Annotation.objects.get().visibility == "team"
    foreign = new_annotation(
        article, audience=[{"id": "http://testserver/teams/gulf-desk/", "type": "Audience"}]
    )
    refused = post(client, foreign, **bearer(token))
    assert refused.status_code == 400 and "Gulf Desk" in refused.json()["error"]
    assert Annotation.objects.count() == 1


def test_a_session_write_needs_the_csrf_token(article, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["author"])
    refused = post(client, new_annotation(article))
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    client.get("/settings/")  # the page sets the CSRF cookie
    accepted = post(
        client, new_annotation(article), HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    assert accepted.status_code == 201
    assert Annotation.objects.count() == 1


def test_put_needs_if_match_and_refuses_a_stale_version(client, annotations, token):
    annotation = annotations[0]
    url = f"/api/annotations/{annotation.pk}"
    document = client.get(url, **bearer(token)).json()
    document["body"][0]["value"] = "A new claim"
    missing = put(client, annotation.pk, document, **bearer(token))
    assert missing.status_code == 428 and "If-Match" in missing.json()["error"]
    stale = put(client, annotation.pk, document, HTTP_IF_MATCH='"7"', **bearer(token))
    assert stale.status_code == 412
    assert Annotation.objects.get(pk=annotation.pk).claim == "Claim 0"
    done = put(client, annotation.pk, document, HTTP_IF_MATCH='"1"', **bearer(token))
    assert done.status_code == 200, done.content
    assert done["ETag"] == '"2"'
    assert Annotation.objects.get(pk=annotation.pk).claim == "A new claim"


def test_two_editors_of_one_annotation_never_lose_an_update(client, annotations, people, token):
    """Both read version 1; the first write wins, the second is refused (412), not
    written over it."""
    annotation = annotations[0]
    editor = Client()
    editor.force_login(people["editor"])
    url = f"/api/annotations/{annotation.pk}"
    mine, theirs = client.get(url, **bearer(token)), editor.get(url)
    assert mine["ETag"] == theirs["ETag"] == '"1"'
    first = mine.json()
    first["body"][0]["value"] = "Author's reading"
    second = theirs.json()
    second["body"][0]["value"] = "Editor's reading"
    assert (
        put(client, annotation.pk, first, HTTP_IF_MATCH='"1"', **bearer(token)).status_code == 200
    )
    assert put(editor, annotation.pk, second, HTTP_IF_MATCH='"1"').status_code == 412
    assert Annotation.objects.get(pk=annotation.pk).claim == "Author's reading"


def test_put_with_another_passage_moves_the_annotation(client, annotations, token, article):
    annotation = annotations[0]
    document = client.get(f"/api/annotations/{annotation.pk}", **bearer(token)).json()
    document["target"] = {
        "source": f"http://testserver/articles/{article.slug}/",
        "selector": {"type": "TextQuoteSelector", "exact": QUOTES[2]},
    }
    response = put(client, annotation.pk, document, HTTP_IF_MATCH='"1"', **bearer(token))
    assert response.status_code == 200, response.content
    moved = Annotation.objects.get(pk=annotation.pk)
    assert moved.exact == QUOTES[2] and moved.paragraph.text[moved.start : moved.end] == QUOTES[2]
    assert response["ETag"] == f'"{moved.version}"'


def test_delete_moves_to_the_bin_with_if_match(client, annotations, token):
    annotation = annotations[1]
    url = f"/api/annotations/{annotation.pk}"
    assert client.delete(url, **bearer(token)).status_code == 428
    assert client.delete(url, HTTP_IF_MATCH='"9"', **bearer(token)).status_code == 412
    assert client.delete(url, HTTP_IF_MATCH='"1"', **bearer(token)).status_code == 204
    annotation.refresh_from_db()
    assert annotation.deleted_at is not None  # in the bin: recoverable
    assert client.get(url, **bearer(token)).status_code == 404


# ------------------------------------------------------------- who and bad input


def test_a_revoked_token_is_refused_at_once_even_for_reading(client, annotations, people):
    new = token_create(user=people["author"], name="script")
    assert client.get("/api/annotations/", **bearer(new.secret)).json()["total"] == 3
    ApiToken.objects.filter(pk=new.token.pk).update(revoked_at="2026-01-01T00:00:00Z")
    response = client.get("/api/annotations/", **bearer(new.secret))
    assert response.status_code == 401
    assert response.json() == {
        "error": "This token opens nothing: it was revoked, or never existed."
    }


def test_tokens_are_stored_hashed(people):
    new = token_create(user=people["author"], name="script")
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64
    assert new.secret.startswith(stored.prefix)


def test_anonymous_clients_read_public_annotations_and_write_nothing(client, article, people):
    make_annotation(
        author=people["author"],
        paragraph=article.paragraphs.get(text__contains=QUOTES[1]),
        exact=QUOTES[1],
        visibility="public",
        team=people["team"],
    )
    assert client.get("/api/annotations/").json()["total"] == 1
    response = post(client, new_annotation(article))
    assert response.status_code == 401 and "token" in response.json()["error"]
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ("{not json", 400, "not JSON"),
        ('"a string"', 400, ""),
        ('{"type": "Annotation"}', 400, "target"),
        ('{"type": "Annotation", "target": 5}', 400, "a target must be an object"),
        ('{"type": "Annotation", "target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": 5}}}', 400, "must be text"),
        ("[" * 50000 + "]" * 50000, 400, "not JSON"),
        ('{"type": "Annotation", "target": {"source": "x", "selector": {"type": "TextQuoteSelector", "exact": "a\\u0000b"}}}', 400, "NUL"),
    ],
)  # fmt: skip
def test_malformed_bodies_get_a_json_reason_and_store_nothing(
    client, article, token, body, status, reason
):
    response = client.post(
        "/api/annotations/", data=body, content_type="application/ld+json", **bearer(token)
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert reason in response.json()["error"]
    assert not Annotation.objects.exists()


def test_unknown_articles_and_quotes_that_match_nothing_are_refused(client, article, token):
    elsewhere = new_annotation(article)
    elsewhere["target"]["source"] = "http://testserver/articles/no-such-article/"
    elsewhere["target"]["selector"]["exact"] = "words that stand in no article of the corpus"
    response = post(client, elsewhere, **bearer(token))
    assert response.status_code == 400 and "No article you may see" in response.json()["error"]
    absent = new_annotation(article, target={
        "source": f"http://testserver/articles/{article.slug}/",
        "selector": {"type": "TextQuoteSelector", "exact": "Moscow withdrew entirely in 2016"},
    })  # fmt: skip
    response = post(client, absent, **bearer(token))
    assert response.status_code == 400 and "is not in" in response.json()["error"]
    unknown_region = new_annotation(article)
    unknown_region["body"].append(
        {"type": "SpecificResource", "purpose": "classifying", "source": "https://example.org/x"}
    )
    assert post(client, unknown_region, **bearer(token)).status_code == 400
    assert not Annotation.objects.exists()


def test_a_body_of_ten_megabytes_is_refused_before_it_is_read(client, article, token):
    document = new_annotation(article)
    document["body"][0]["value"] = "x" * (10 * 1024 * 1024)
    response = post(client, document, **bearer(token))
    assert response.status_code == 413, response.content[:300]
    assert "at most" in response.json()["error"]
    assert not Annotation.objects.exists()


def test_the_openapi_schema_documents_the_protocol(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/annotations/", "/api/annotations/{pk}", "/api/links/{pk}"} <= set(schema["paths"])
    one = schema["paths"]["/api/annotations/{pk}"]
    assert {"get", "put", "delete", "head", "options"} <= set(one)
    assert MEDIA_TYPE in one["get"]["responses"]["200"]["content"]
    assert "412" in one["put"]["responses"] and "428" in one["delete"]["responses"]
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()


def test_filter_values_are_escaped_in_the_iris_and_headers(client, annotations, people):
    """Found by schemathesis: a carriage return in a filter went raw into the
    Content-Location header (a server error)."""
    client.force_login(people["viewer"])
    response = client.get("/api/annotations/", {"author": "a\rb c&d"})
    assert response.status_code == 200
    assert response.json()["id"] == "http://testserver/api/annotations/?author=a%0Db+c%26d"
    assert response["Content-Location"] == response.json()["id"]
