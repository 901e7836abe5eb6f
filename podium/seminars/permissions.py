"""Who may organize what: the series, people and speakers an organizer's account reaches.

The organizers' side (`/organize/`) asks these for every list and form, so that an
organizer of one series never sees or changes another's.
"""

from django.db.models import Q, QuerySet

from podium.seminars.models import Person, Series, TalkStatus
from podium.seminars.visibility import readable_series


def series_for_user(user) -> QuerySet[Series]:
    """The series a user may organize: all for a superuser, else those they organize."""
    if user.is_superuser:
        return Series.objects.all()
    if not user.is_authenticated or not user.is_staff:
        return Series.objects.none()
    return Series.objects.filter(organizers__user=user).distinct()


def people_for_user(user) -> QuerySet[Person]:
    """People an organizer may edit: speakers of their series, or not yet in any talk."""
    if user.is_superuser:
        return Person.objects.all()
    mine = series_for_user(user)
    return Person.objects.filter(
        Q(talk_roles__talk__series__in=mine) | Q(talk_roles__isnull=True)
    ).distinct()


def pickable_people(user) -> QuerySet[Person]:
    """People an organizer may name as speakers: anyone already public, plus their own."""
    if user.is_superuser:
        return Person.objects.all()
    public = Q(talk_roles__talk__series__in=readable_series()) & ~Q(
        talk_roles__talk__status=TalkStatus.DRAFT
    )
    own = people_for_user(user).values("pk")
    return Person.objects.filter(
        Q(pk__in=own) | Q(pk__in=Person.objects.filter(public).values("pk"))
    )
