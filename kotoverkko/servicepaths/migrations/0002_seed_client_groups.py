"""The eight client groups of the integration service paths, so every install has them.

The rows are written out here (not read from a file) so the migration stays frozen.
"""

from django.db import migrations

CLIENT_GROUPS = [
    {
        "slug": "quota-refugees",
        "position": 10,
        "name": {"fi": "Kiintiöpakolaiset", "sv": "Kvotflyktingar", "en": "Quota refugees"},
        "description": {
            "fi": "Pakolaiskiintiössä Suomeen valitut henkilöt, jotka osoitetaan kuntaan "
            "sijoitussopimuksen perusteella.",
            "sv": "Personer som valts till Finland inom flyktingkvoten och som anvisas till en kommun "
            "enligt ett placeringsavtal.",
            "en": "People selected for Finland within the refugee quota and placed in a municipality "
            "under a placement agreement.",
        },
    },
    {
        "slug": "international-protection",
        "position": 20,
        "name": {
            "fi": "Kansainvälistä suojelua saaneet",
            "sv": "Personer som fått internationellt skydd",
            "en": "People granted international protection",
        },
        "description": {
            "fi": "Turvapaikanhakijat, jotka ovat saaneet kansainvälistä suojelua ja siirtyvät "
            "vastaanotosta kuntaan.",
            "sv": "Asylsökande som fått internationellt skydd och flyttar från mottagandet till en kommun.",
            "en": "Asylum seekers who have been granted international protection and move from "
            "reception to a municipality.",
        },
    },
    {
        "slug": "family-members",
        "position": 30,
        "name": {"fi": "Perheenjäsenet", "sv": "Familjemedlemmar", "en": "Family members"},
        "description": {
            "fi": "Suojelua saaneiden perheenjäsenet, jotka saapuvat perheenyhdistämisen kautta.",
            "sv": "Familjemedlemmar till personer som fått skydd och som kommer genom familjeåterförening.",
            "en": "Family members of people granted protection arriving through family reunification.",
        },
    },
    {
        "slug": "unaccompanied-minors",
        "position": 40,
        "name": {
            "fi": "Ilman huoltajaa tulleet alaikäiset",
            "sv": "Minderåriga som kommit utan vårdnadshavare",
            "en": "Unaccompanied minors",
        },
        "description": {
            "fi": "Alaikäiset, jotka ovat saapuneet ilman huoltajaa ja saaneet oleskeluluvan.",
            "sv": "Minderåriga som kommit utan vårdnadshavare och fått uppehållstillstånd.",
            "en": "Minors who arrived without a guardian and have been granted a residence permit.",
        },
    },
    {
        "slug": "temporary-protection",
        "position": 50,
        "name": {
            "fi": "Tilapäistä suojelua saavat",
            "sv": "Personer som får tillfälligt skydd",
            "en": "Beneficiaries of temporary protection",
        },
        "description": {
            "fi": "Tilapäistä suojelua saavat henkilöt, joilla on kotikunta.",
            "sv": "Personer som får tillfälligt skydd och har en hemkommun.",
            "en": "Beneficiaries of temporary protection who have a municipality of residence.",
        },
    },
    {
        "slug": "work-based-migrants",
        "position": 60,
        "name": {
            "fi": "Työperusteisesti muuttaneet",
            "sv": "Arbetskraftsinvandrare",
            "en": "Work-based migrants",
        },
        "description": {
            "fi": "Työn perusteella Suomeen muuttaneet ja heidän perheenjäsenensä.",
            "sv": "Personer som flyttat till Finland för arbete och deras familjemedlemmar.",
            "en": "People who moved to Finland for work and their family members.",
        },
    },
    {
        "slug": "students",
        "position": 70,
        "name": {"fi": "Opiskelijat", "sv": "Studerande", "en": "Students"},
        "description": {
            "fi": "Opiskelun perusteella Suomeen muuttaneet.",
            "sv": "Personer som flyttat till Finland för studier.",
            "en": "People who moved to Finland to study.",
        },
    },
    {
        "slug": "others",
        "position": 80,
        "name": {"fi": "Muut maahan muuttaneet", "sv": "Övriga invandrare", "en": "Other immigrants"},
        "description": {
            "fi": "Muut kotoutumista edistävien palvelujen piiriin kuuluvat maahan muuttaneet.",
            "sv": "Övriga invandrare som omfattas av tjänster som främjar integration.",
            "en": "Other immigrants covered by services promoting integration.",
        },
    },
]


def create_client_groups(apps, schema_editor):
    ClientGroup = apps.get_model("servicepaths", "ClientGroup")
    for row in CLIENT_GROUPS:
        # get_or_create leaves groups the platform admin has already edited untouched.
        ClientGroup.objects.get_or_create(
            slug=row["slug"],
            defaults={"name": row["name"], "description": row["description"], "position": row["position"]},
        )


class Migration(migrations.Migration):
    dependencies = [("servicepaths", "0001_client_groups")]

    operations = [migrations.RunPython(create_client_groups, migrations.RunPython.noop)]
