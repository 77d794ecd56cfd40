from django.db import migrations

# The departments of the joint qualification review (资格联审) most counties ask.
DEPARTMENTS = [
    "纪委监委",
    "组织部",
    "政法委",
    "公安",
    "检察院",
    "法院",
    "司法局",
    "信访局",
    "民政局",
    "人社局",
    "卫健委",
    "市场监管局",
    "税务局",
    "农业农村局",
]


def create(apps, schema_editor):
    ReviewDepartment = apps.get_model("elections", "ReviewDepartment")
    for order, name in enumerate(DEPARTMENTS):
        ReviewDepartment.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
