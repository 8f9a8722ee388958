"""``waspada users create|token|list``: accounts with a role and a region scope."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from waspada.accounts import audit
from waspada.accounts.access import actor_for
from waspada.accounts.models import ApiToken, Profile, Role
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region

NATIONAL = {"", "0", "id", "nasional", "national"}


def resolve_scope(raw: str) -> Region | None:
    """A scope argument to a region; '' / 'nasional' mean the whole country."""
    if raw.strip().lower() in NATIONAL:
        return None
    try:
        code = normalize_code(raw)
    except InvalidCode as exc:
        raise CommandError(f"--scope: {exc}") from None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(
            f"--scope: region {code} is not in the gazetteer (run `waspada regions load` first)"
        )
    return region


def upsert_user(username: str, role: str, scope: Region | None, password: str | None) -> tuple[Any, bool]:
    """Create or update a user with a profile; returns (user, created).

    Idempotent: the same details a second time write nothing. In particular a password that already matches
    keeps its hash, since a new hash (a new salt) would end the user's open sessions."""
    User = get_user_model()
    # Administrators manage everything through the Django admin as well. The Django admin shows every
    # region's data to a superuser, so only a national administrator becomes one.
    is_staff = role == Role.ADMIN
    is_superuser = role == Role.ADMIN and scope is None
    scope_code = scope.code if scope else None
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username)
        changed = created
        if password is not None and (created or not user.check_password(password)):
            user.set_password(password)
            changed = True
        elif created:
            user.set_unusable_password()
        if (user.is_staff, user.is_superuser) != (is_staff, is_superuser):
            user.is_staff, user.is_superuser = is_staff, is_superuser
            changed = True
        if changed:
            user.save()
        profile = Profile.objects.filter(user=user).first()
        if profile is None or (profile.role, profile.scope_id) != (role, scope_code):
            Profile.objects.update_or_create(user=user, defaults={"role": role, "scope": scope})
            changed = True
        if changed:
            audit.record(
                None,
                "user.created" if created else "user.updated",
                object_type="auth.user",
                object_id=str(user.pk),
                region_code=scope_code or "",
                after={"username": username, "role": role, "scope": scope_code},
            )
    return user, created


class Command(BaseCommand):
    help = "Manage Waspada accounts: create users with a role and region scope, issue API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create or update a user")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=[r.value for r in Role])
        create.add_argument("--scope", required=True, help="region code (e.g. 65 or 65.71), or 'nasional'")
        create.add_argument("--password", help="password; a random one is generated and printed when omitted")
        token = sub.add_parser("token", help="issue an API token (printed once)")
        token.add_argument("username")
        token.add_argument("--name", default="cli")
        sub.add_parser("list", help="list users with role and scope")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "token":
            self._token(options)
        else:
            for p in Profile.objects.select_related("user").order_by("user__username"):
                self.stdout.write(f"{p.user.username}\t{p.role}\t{p.scope_id or 'nasional'}")

    def _create(self, options: dict[str, Any]) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("username must not be empty")
        User = get_user_model()
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            raise CommandError(f"username {username[:40]!r}: " + " ".join(exc.messages)) from None
        scope = resolve_scope(options["scope"])
        password = options.get("password")
        generated = False
        if password is None:
            password = secrets.token_urlsafe(12)
            generated = True
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("--password: " + " ".join(exc.messages)) from None
        _, created = upsert_user(username, options["role"], scope, password)
        verb = "created" if created else "updated"
        self.stdout.write(
            f"{verb} {username} role={options['role']} scope={scope.code if scope else 'nasional'}"
        )
        if generated:
            self.stdout.write(f"password: {password}")

    def _token(self, options: dict[str, Any]) -> None:
        User = get_user_model()
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        if actor_for(user) is None:
            raise CommandError(
                f"{user.get_username()!r} has no role or is inactive, so a token would not work; "
                "give them one first with `waspada users create USERNAME --role ROLE --scope CODE`"
            )
        _, raw = ApiToken.issue(user, options["name"])
        audit.record(None, "token.issued", object_type="auth.user", object_id=str(user.pk))
        self.stdout.write(raw)
