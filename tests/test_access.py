"""The one visibility helper (waspada.accounts.access) as a matrix of role × scope × action."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from waspada.accounts import audit
from waspada.accounts.access import (
    ROLE_ACTIONS,
    Action,
    actor_for,
    covers,
    get_region_for,
    may,
    scope_q,
    visible_regions,
)
from waspada.accounts.models import AuditLog, Profile, Role
from waspada.regions.models import Region

A = Action

# What each role may do, written out independently of ROLE_ACTIONS (this is the specification).
EXPECTED_ACTIONS: dict[str, set[Action]] = {
    Role.PELAPOR: {A.SUBMIT_REPORT, A.VIEW_OWN_REPORTS, A.VIEW_REGION},
    Role.ANALIS: {
        A.VIEW_MAP,
        A.VIEW_REGION,
        A.VIEW_INCIDENTS,
        A.VIEW_AGGREGATES,
        A.SUBMIT_REPORT,
        A.VIEW_OWN_REPORTS,
        A.VIEW_REPORTS,
        A.REVIEW_REPORTS,
        A.EDIT_INCIDENTS,
        A.ACKNOWLEDGE_ALERTS,
        A.EXPORT_DATA,
    },
    Role.KOORDINATOR: {
        A.VIEW_MAP,
        A.VIEW_REGION,
        A.VIEW_INCIDENTS,
        A.VIEW_AGGREGATES,
        A.SUBMIT_REPORT,
        A.VIEW_OWN_REPORTS,
        A.VIEW_REPORTS,
        A.REVIEW_REPORTS,
        A.EDIT_INCIDENTS,
        A.ACKNOWLEDGE_ALERTS,
        A.EXPORT_DATA,
        A.VIEW_REPORTER_IDENTITY,
        A.VIEW_AUDIT,
    },
    Role.PIMPINAN: {A.VIEW_MAP, A.VIEW_REGION, A.VIEW_INCIDENTS, A.VIEW_AGGREGATES, A.EXPORT_DATA},
    Role.ADMIN: set(Action),
}

# Read-only leadership must never change anything.
WRITE_ACTIONS = {
    A.SUBMIT_REPORT,
    A.REVIEW_REPORTS,
    A.EDIT_INCIDENTS,
    A.ACKNOWLEDGE_ALERTS,
    A.MANAGE_USERS,
    A.MANAGE_SETTINGS,
}

# One user per role; the scope is what the role typically has in Kaltara.
ROLE_SCOPES: dict[str, str | None] = {
    Role.PELAPOR: "65.03.01",  # Kecamatan Sebatik
    Role.ANALIS: "65.03",  # Kabupaten Nunukan
    Role.KOORDINATOR: "65",  # Kalimantan Utara
    Role.PIMPINAN: "65",
    Role.ADMIN: None,  # the whole country
}

# Region codes and the scopes that cover them.
COVERED_BY: dict[str, set[str | None]] = {
    "65": {None, "65"},
    "65.03": {None, "65", "65.03"},
    "65.03.01": {None, "65", "65.03", "65.03.01"},
    "65.03.01.2001": {None, "65", "65.03", "65.03.01"},  # desa Tanjungkarang, Sebatik
    "65.03.08": {None, "65", "65.03"},  # Sebatik Barat: a sibling of the pelapor's kecamatan
    "65.03.08.2001": {None, "65", "65.03"},
    "65.71": {None, "65"},  # Kota Tarakan
    "65.71.01": {None, "65"},
    "64": {None},  # Kalimantan Timur
    "64.71": {None},
    "31.71.01": {None},  # Gambir, Jakarta
}
SCOPES: list[str | None] = [None, "65", "65.03", "65.03.01"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(make_user: Any) -> dict[str, Any]:
    return {role: make_user(f"u-{role}", role, scope) for role, scope in ROLE_SCOPES.items()}


def test_the_specification_names_every_role() -> None:
    assert set(EXPECTED_ACTIONS) == {r.value for r in Role} == set(ROLE_ACTIONS)


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("action", list(Action))
def test_each_role_may_do_exactly_its_actions(users: dict[str, Any], role: str, action: Action) -> None:
    assert may(users[role], action) is (action in EXPECTED_ACTIONS[role])


@pytest.mark.parametrize("action", sorted(WRITE_ACTIONS))
def test_read_only_leadership_changes_nothing(users: dict[str, Any], action: Action) -> None:
    assert not may(users[Role.PIMPINAN], action, "65.71")


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("code", list(COVERED_BY))
def test_a_scope_covers_its_region_and_everything_under_it(scope: str | None, code: str) -> None:
    assert covers(scope, code) is (scope in COVERED_BY[code])


@pytest.mark.parametrize(
    ("scope", "code"),
    [("65.0", "65.03"), ("65", "650"), ("65.03", "65.031"), ("65.03", "65.03x"), ("65", ""), ("65", None)],
)
def test_a_scope_is_not_a_plain_text_prefix(scope: str, code: str | None) -> None:
    assert not covers(scope, code)


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("code", list(COVERED_BY))
def test_a_user_may_view_a_region_only_inside_their_scope(
    users: dict[str, Any], role: str, code: str
) -> None:
    assert may(users[role], A.VIEW_REGION, code) is (ROLE_SCOPES[role] in COVERED_BY[code])


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("action", [A.VIEW_MAP, A.EDIT_INCIDENTS, A.VIEW_REPORTER_IDENTITY, A.MANAGE_USERS])
@pytest.mark.parametrize("code", ["65.03.01.2001", "65.71.01", "31.71.01"])
def test_role_and_scope_must_both_allow(users: dict[str, Any], role: str, action: Action, code: str) -> None:
    expected = action in EXPECTED_ACTIONS[role] and ROLE_SCOPES[role] in COVERED_BY[code]
    assert may(users[role], action, code) is expected


def _descendants(code: str) -> set[str]:
    """Every unit under ``code``, found through the parent links (not through code prefixes)."""
    found = {code}
    frontier = {code}
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("code", flat=True))
        found |= frontier
    return found


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_scope_q_keeps_exactly_the_regions_under_the_scope(users: dict[str, Any], role: str) -> None:
    scope = ROLE_SCOPES[role]
    expected = set(Region.objects.values_list("code", flat=True)) if scope is None else _descendants(scope)
    kept = set(Region.objects.filter(scope_q(users[role], "code")).values_list("code", flat=True))
    assert kept == expected
    assert len(kept) > 1


def test_scope_q_for_nunukan_keeps_its_kecamatan_and_desa_only(users: dict[str, Any]) -> None:
    kept = Region.objects.filter(scope_q(users[Role.ANALIS], "code"))
    assert kept.filter(code="65.03.08.2001").exists()
    assert not kept.filter(code__in=["65", "65.01", "65.71", "65.71.01"]).exists()
    assert set(kept.values_list("level", flat=True)) == {2, 3, 4}


def test_scope_q_works_on_a_foreign_key_to_region(users: dict[str, Any]) -> None:
    # Profile.scope and Region.parent are foreign keys to Region, like every object's ``region`` field.
    def scopes_seen(role: str) -> set[str | None]:
        return set(Profile.objects.filter(scope_q(users[role], "scope")).values_list("scope_id", flat=True))

    assert scopes_seen(Role.ANALIS) == {"65.03", "65.03.01"}
    assert scopes_seen(Role.PELAPOR) == {"65.03.01"}
    assert scopes_seen(Role.KOORDINATOR) == {"65", "65.03", "65.03.01"}
    assert scopes_seen(Role.ADMIN) == {None, "65", "65.03", "65.03.01"}
    under_nunukan = Region.objects.filter(scope_q(users[Role.ANALIS], "parent"))
    assert set(under_nunukan.values_list("code", flat=True)) == _descendants("65.03") - {"65.03"}


def test_scope_q_works_on_a_text_field_holding_a_code(users: dict[str, Any]) -> None:
    for code in ("65.03.08.2001", "65.03", "65.71.01", ""):
        audit.record(None, "uji", object_type="uji", region_code=code)
    rows = AuditLog.objects.filter(action="uji")
    seen = set(rows.filter(scope_q(users[Role.ANALIS], "region_code")).values_list("region_code", flat=True))
    assert seen == {"65.03.08.2001", "65.03"}


def test_visible_regions_follow_the_scope(users: dict[str, Any]) -> None:
    assert set(visible_regions(users[Role.PELAPOR]).values_list("code", flat=True)) == _descendants(
        "65.03.01"
    )


@pytest.mark.parametrize(
    ("role", "code"),
    [(Role.ANALIS, "65.71"), (Role.ANALIS, "65"), (Role.PELAPOR, "65.03.08"), (Role.PIMPINAN, "64")],
)
def test_get_region_for_hides_regions_out_of_scope_as_not_found(
    users: dict[str, Any], role: str, code: str
) -> None:
    with pytest.raises(Http404):
        get_region_for(users[role], code)


@pytest.mark.parametrize(
    ("role", "code"), [(Role.ANALIS, "65.03.08.2001"), (Role.PELAPOR, "65.03.01"), (Role.ADMIN, "65.71")]
)
def test_get_region_for_returns_regions_in_scope(users: dict[str, Any], role: str, code: str) -> None:
    assert get_region_for(users[role], code).code == code


def test_get_region_for_a_code_missing_from_the_gazetteer_is_not_found(users: dict[str, Any]) -> None:
    with pytest.raises(Http404):
        get_region_for(users[Role.ADMIN], "99.99")


def _nobodies(db: Any) -> dict[str, Any]:
    User = get_user_model()
    inactive = User.objects.create_user("nonaktif", password="kata-sandi-uji-123")
    Profile.objects.create(user=inactive, role=Role.ADMIN, scope=None)
    inactive.is_active = False
    inactive.save()
    return {
        "anonymous": AnonymousUser(),
        "none": None,
        "inactive admin": User.objects.get(pk=inactive.pk),
        "no profile": User.objects.create_user("tanpa-profil", password="kata-sandi-uji-123"),
    }


@pytest.mark.parametrize("who", ["anonymous", "none", "inactive admin", "no profile"])
def test_users_without_a_valid_role_see_nothing(db: Any, who: str) -> None:
    user = _nobodies(db)[who]
    assert actor_for(user) is None
    assert not any(may(user, action) for action in Action)
    assert not may(user, A.VIEW_REGION, "65")
    assert not Region.objects.filter(scope_q(user, "code")).exists()
    assert not visible_regions(user).exists()
    with pytest.raises(Http404):
        get_region_for(user, "65")


def test_a_superuser_without_profile_acts_as_national_admin(db: Any) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.org", "kata-sandi-uji-123")
    actor = actor_for(root)
    assert actor is not None
    assert (actor.role, actor.scope) == (Role.ADMIN, None)
    assert all(may(root, action, "31.71.01") for action in Action)
    assert Region.objects.filter(scope_q(root, "code")).count() == Region.objects.count()
    assert get_region_for(root, "65.71").name == "Kota Tarakan"


def test_a_superuser_with_a_profile_is_held_to_that_profile(make_user: Any) -> None:
    user = make_user("super.nunukan", Role.PIMPINAN, "65.03")
    user.is_superuser = True
    user.save()
    fresh = get_user_model().objects.get(pk=user.pk)
    assert not may(fresh, A.MANAGE_USERS)
    assert not may(fresh, A.VIEW_REGION, "65.71")
