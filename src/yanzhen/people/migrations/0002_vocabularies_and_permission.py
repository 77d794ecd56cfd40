from django.db import migrations

SOURCES = [
    "致富带头人",
    "外出务工经商返乡人员",
    "本土大学毕业生",
    "大学生村官",
    "退役军人",
    "返乡创业青年",
    "非公企业负责人",
    "优秀团员青年",
    "西部计划志愿者",
    "驻村工作队员",
    "现任村干部",
]
SKILLS = ["种植", "养殖", "电商", "乡村旅游", "农产品加工", "财会", "法律", "信息技术", "群众工作", "矛盾调解"]
FULL_DATA_ROLES = ["admin", "township_clerk"]


def create(apps, schema_editor):
    Source = apps.get_model("people", "Source")
    Skill = apps.get_model("people", "Skill")
    for order, name in enumerate(SOURCES):
        Source.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(SKILLS):
        Skill.objects.get_or_create(name=name, defaults={"order": order})
    # The permission itself is created after migrations; create it now so the roles can hold it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="people", model="person")
    permission, _ = Permission.objects.get_or_create(
        codename="view_full_personal_data",
        content_type=content_type,
        defaults={"name": "Can view full ID numbers and phones"},
    )
    for name in FULL_DATA_ROLES:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("accounts", "0003_role_groups")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
