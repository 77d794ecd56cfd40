from django.db import migrations

# (code, name, key, practice)
POST_TYPES = [
    ("secretary", "村党组织书记", True, False),
    ("deputy_secretary", "村党组织副书记", False, False),
    ("chair", "村委会主任", True, False),
    ("deputy_chair", "村委会副主任", False, False),
    ("member", "两委委员", False, False),
    ("supervision_chair", "村务监督委员会主任", False, False),
    ("secretary_assistant", "村党组织书记助理", False, True),
    ("grid_worker", "专职网格员", False, True),
    ("group_leader", "村民小组长", False, True),
]


def create(apps, schema_editor):
    PostType = apps.get_model("posts", "PostType")
    for order, (code, name, key, practice) in enumerate(POST_TYPES):
        PostType.objects.get_or_create(code=code, defaults={"name": name, "is_key": key, "is_practice": practice, "order": order})


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
