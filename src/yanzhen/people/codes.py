"""National code lists for person records, with the standard codes as stored values (../shared/CODES.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """GB/T 2261.1-2003."""

    MALE = "1", "男"
    FEMALE = "2", "女"


class PoliticalStatus(models.TextChoices):
    """GB/T 4762-1984 (short names)."""

    CPC_MEMBER = "01", "中共党员"
    CPC_PROBATIONARY = "02", "中共预备党员"
    CYL_MEMBER = "03", "共青团员"
    RCCK = "04", "民革会员"
    CDL = "05", "民盟盟员"
    CNDCA = "06", "民建会员"
    CAPD = "07", "民进会员"
    CPWDP = "08", "农工党党员"
    CZGP = "09", "致公党党员"
    JIUSAN = "10", "九三社员"
    TDSGL = "11", "台盟盟员"
    NON_PARTY = "12", "无党派人士"
    MASSES = "13", "群众"


PARTY_MEMBER_STATUSES = frozenset({PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY})

ETHNICITY_NAMES = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 "
    "佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 "
    "阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 "
    "珞巴族 基诺族"
).split()

# GB/T 3304-1991: 01 汉族 … 56 基诺族.
Ethnicity = models.TextChoices(  # type: ignore[call-overload]  # the functional API, not in the stubs
    "Ethnicity",
    [(f"E{index:02d}", (f"{index:02d}", name)) for index, name in enumerate(ETHNICITY_NAMES, start=1)],
)


class Education(models.TextChoices):
    """GB/T 4658-2006 学历代码."""

    GRADUATE = "10", "研究生教育"
    DOCTOR = "11", "博士研究生毕业"
    DOCTOR_COMPLETED = "12", "博士研究生结业"
    DOCTOR_INCOMPLETE = "13", "博士研究生肄业"
    MASTER = "14", "硕士研究生毕业"
    MASTER_COMPLETED = "15", "硕士研究生结业"
    MASTER_INCOMPLETE = "16", "硕士研究生肄业"
    GRADUATE_CLASS = "17", "研究生班毕业"
    GRADUATE_CLASS_COMPLETED = "18", "研究生班结业"
    GRADUATE_CLASS_INCOMPLETE = "19", "研究生班肄业"
    UNDERGRADUATE = "20", "大学本科教育"
    BACHELOR = "21", "大学本科毕业"
    BACHELOR_COMPLETED = "22", "大学本科结业"
    BACHELOR_INCOMPLETE = "23", "大学本科肄业"
    ORDINARY_CLASS = "28", "大学普通班毕业"
    JUNIOR_COLLEGE = "30", "大学专科教育"
    JUNIOR_COLLEGE_GRADUATE = "31", "大学专科毕业"
    JUNIOR_COLLEGE_COMPLETED = "32", "大学专科结业"
    JUNIOR_COLLEGE_INCOMPLETE = "33", "大学专科肄业"
    VOCATIONAL = "40", "中等职业教育"
    SECONDARY_SPECIALISED = "41", "中等专科毕业"
    SECONDARY_SPECIALISED_COMPLETED = "42", "中等专科结业"
    SECONDARY_SPECIALISED_INCOMPLETE = "43", "中等专科肄业"
    VOCATIONAL_HIGH = "44", "职业高中毕业"
    VOCATIONAL_HIGH_COMPLETED = "45", "职业高中结业"
    VOCATIONAL_HIGH_INCOMPLETE = "46", "职业高中肄业"
    TECHNICAL_SCHOOL = "47", "技工学校毕业"
    TECHNICAL_SCHOOL_COMPLETED = "48", "技工学校结业"
    TECHNICAL_SCHOOL_INCOMPLETE = "49", "技工学校肄业"
    HIGH_SCHOOL_EDUCATION = "60", "普通高级中学教育"
    HIGH_SCHOOL = "61", "普通高中毕业"
    HIGH_SCHOOL_COMPLETED = "62", "普通高中结业"
    HIGH_SCHOOL_INCOMPLETE = "63", "普通高中肄业"
    JUNIOR_HIGH_EDUCATION = "70", "初级中学教育"
    JUNIOR_HIGH = "71", "初中毕业"
    JUNIOR_HIGH_INCOMPLETE = "73", "初中肄业"
    PRIMARY_EDUCATION = "80", "小学教育"
    PRIMARY = "81", "小学毕业"
    PRIMARY_INCOMPLETE = "83", "小学肄业"
    OTHER = "90", "其他"


class EducationBand(models.TextChoices):
    """The two bands of the structure statistics: 大专及以上 = codes 10–33, 中专及以下 = the rest."""

    COLLEGE_OR_ABOVE = "college_or_above", "大专及以上"
    SECONDARY_OR_BELOW = "secondary_or_below", "中专及以下"


def education_band(code: str | None) -> EducationBand | None:
    if not code:
        return None
    return EducationBand.COLLEGE_OR_ABOVE if 10 <= int(code) <= 33 else EducationBand.SECONDARY_OR_BELOW


def education_rank(code: str) -> int:
    """Lower is higher education; 90 其他 ranks below 小学."""
    return int(code) if code != Education.OTHER else 99


class EducationKind(models.TextChoices):
    FULL_TIME = "full_time", "全日制"
    IN_SERVICE = "in_service", "在职"


class Degree(models.TextChoices):
    """GB/T 6864-2003, first level, which is enough for village cadres."""

    NONE = "0", "无"
    HONORARY_DOCTOR = "1", "名誉博士"
    DOCTOR = "2", "博士"
    MASTER = "3", "硕士"
    BACHELOR = "4", "学士"


class Relation(models.TextChoices):
    """称谓 of 家庭主要成员 (LRMX carries free text; these are the usual ones)."""

    SPOUSE = "配偶", "配偶"
    HUSBAND = "丈夫", "丈夫"
    WIFE = "妻子", "妻子"
    SON = "儿子", "儿子"
    DAUGHTER = "女儿", "女儿"
    FATHER = "父亲", "父亲"
    MOTHER = "母亲", "母亲"
    BROTHER = "兄弟", "兄弟"
    SISTER = "姐妹", "姐妹"
    OTHER = "其他", _("other")
