"""Read use-cases for accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Membership, User


def memberships_of_user(*, user: Any) -> QuerySet[Membership]:
    return user.memberships.select_related("organisation").order_by("organisation__sort_name")


def account_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def user_by_email(*, email: str) -> User:
    return User.objects.get(email__iexact=email)
