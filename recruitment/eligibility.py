"""The automatic eligibility check: an application's data against its call's rules, with a
reason for each rule not met (empty: eligible)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from participants.models import Participant, Region


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years on ``day`` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def region_accepted(region: Region, accepted: list[Region]) -> bool:
    """A regency is accepted when it, or its province, is among the accepted regions."""
    if not accepted:
        return True
    codes = {r.code for r in accepted}
    return region.code in codes or region.code.split(".")[0] in codes


def check(
    call,
    *,
    birth_date: datetime.date,
    gender: str,
    education_level: str,
    region: Region,
    track: str,
    documents: list[str],
) -> list[str]:
    """The reasons the applicant does not meet the call's rules, in the rules' order."""
    reasons = []
    age = age_on(birth_date, call.age_reference_date)
    if not call.min_age <= age <= call.max_age:
        reasons.append(
            _("Age %(age)d on %(day)s is outside %(min)d–%(max)d years.")
            % {
                "age": age,
                "day": call.age_reference_date.strftime("%d-%m-%Y"),
                "min": call.min_age,
                "max": call.max_age,
            }
        )
    levels = call.education_levels or []
    if levels and education_level not in levels:
        labels = dict(Participant.Education.choices)
        reasons.append(
            _("Education %(level)s is not among those accepted (%(accepted)s).")
            % {
                "level": labels.get(education_level, education_level),
                "accepted": ", ".join(str(labels[x]) for x in levels if x in labels),
            }
        )
    accepted = list(call.regions.all())
    if not region_accepted(region, accepted):
        reasons.append(
            _("%(region)s is not among the regions accepted (%(accepted)s).")
            % {"region": region.name, "accepted": ", ".join(r.name for r in accepted)}
        )
    if call.sex and gender != call.sex:
        reasons.append(
            _("This call is open to %(sex)s applicants only.")
            % {"sex": str(Participant.Gender(call.sex).label).lower()}
        )
    if call.quota_for(track) <= 0:
        reasons.append(
            _("This call takes no %(track)s.") % {"track": Participant.Track(track).label}
        )
    given = set(documents)
    missing = [name for name in call.required_documents or [] if name not in given]
    if missing:
        reasons.append(_("Documents missing: %(names)s.") % {"names": ", ".join(missing)})
    return reasons
