"""Archivists search archives over HTTP: full text with a highlighted snippet, and filters."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_full_text_and_filters_find_the_right_archive(
    client: TestClient, archivist, closed_case
) -> None:
    food = client.post(
        f"/api/v1/cases/{closed_case(party='南湖区翠湖茶楼有限公司')['id']}/archive",
        headers=archivist,
    ).json()
    major = client.post(
        f"/api/v1/cases/{closed_case(party='北城某某建材商行', major=True)['id']}/archive",
        headers=archivist,
    ).json()
    r = client.get("/api/v1/archives", headers=archivist, params={"q": "茶楼"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [h["archive_no"] for h in body["items"]] == [food["archive_no"]]
    assert "<mark>茶楼</mark>" in body["items"][0]["snippet"]

    by_class = client.get("/api/v1/archives", headers=archivist, params={"class": "D10"}).json()
    assert [h["archive_no"] for h in by_class["items"]] == [major["archive_no"]]
    by_party = client.get("/api/v1/archives", headers=archivist, params={"party": "建材"}).json()
    assert by_party["total"] == 1
    both = client.get(
        "/api/v1/archives", headers=archivist, params={"sort": "archive_no", "limit": 1}
    ).json()
    assert both["total"] == 2 and len(both["items"]) == 1


def test_hostile_search_input_is_harmless(client: TestClient, archivist) -> None:
    for q in ['"', "*", "%", "_", "NEAR(", "'", "a OR b", "\\\\"]:
        r = client.get("/api/v1/archives", headers=archivist, params={"q": q})
        assert r.status_code in (200, 422), (q, r.text)
