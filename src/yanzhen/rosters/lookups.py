"""Matching what a roster names to the records of the system: villages and townships of the division,
post types, sources and skills. Each index is built once per import with a few queries."""

from __future__ import annotations

from collections import defaultdict

from yanzhen.divisions.codes import CODE_LENGTH, Level
from yanzhen.divisions.models import Division
from yanzhen.people.models import Skill, Source
from yanzhen.posts.models import PostType
from yanzhen.rosters.columns import (
    BOTH_POSTS,
    POST_SEPARATORS,
    POST_SYNONYMS,
    ValueProblem,
    compact,
    split_list,
)

VILLAGE_SUFFIXES = (
    "社区居民委员会",
    "村民委员会",
    "居民委员会",
    "社区居委会",
    "村委会",
    "居委会",
    "委员会",
    "社区",
    "村",
)
TOWNSHIP_SUFFIXES = ("人民政府", "党委", "街道办事处", "办事处", "街道", "镇", "乡")


def strip_suffixes(name: str, suffixes: tuple[str, ...]) -> str:
    """长城村委会, 长城村 and 长城 all become 长城 (but a name is never stripped to nothing)."""
    key = compact(name)
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
                break
    return key


class VillageIndex:
    """The villages and townships under the division of an import, by name with or without suffixes."""

    def __init__(self, division: Division):
        self.division = division
        county = division.code[: CODE_LENGTH[Level.COUNTY]] if len(division.code) >= 6 else division.code
        self.townships: dict[str, Division] = {}
        self._townships_by_key: dict[str, list[Division]] = defaultdict(list)
        self._villages_by_name: dict[str, list[Division]] = defaultdict(list)
        self._villages_by_key: dict[str, list[Division]] = defaultdict(list)
        # Names elsewhere in the county, only to say where a village really lies.
        self._elsewhere: dict[str, list[Division]] = defaultdict(list)
        units = Division.objects.filter(
            code__startswith=county, level__in=[Level.TOWNSHIP, Level.VILLAGE]
        ).only("code", "name", "level", "parent_id")
        names = {}
        for unit in units:
            names[unit.code] = unit.name
            inside = unit.code.startswith(division.code) or (
                unit.level == Level.TOWNSHIP and division.code.startswith(unit.code)
            )
            if unit.level == Level.TOWNSHIP:
                self.townships[unit.code] = unit
                if inside:
                    self._townships_by_key[strip_suffixes(unit.name, TOWNSHIP_SUFFIXES)].append(unit)
                    self._townships_by_key[compact(unit.name)].append(unit)
            elif inside:
                self._villages_by_name[compact(unit.name)].append(unit)
                self._villages_by_key[strip_suffixes(unit.name, VILLAGE_SUFFIXES)].append(unit)
            else:
                self._elsewhere[strip_suffixes(unit.name, VILLAGE_SUFFIXES)].append(unit)
        self._names = names
        self.only_village = division if division.level == Level.VILLAGE else None

    def township_name(self, village: Division) -> str:
        return self._names.get(village.code[: CODE_LENGTH[Level.TOWNSHIP]], "")

    def township(self, text: str) -> Division:
        found = self._townships_by_key.get(compact(text)) or self._townships_by_key.get(
            strip_suffixes(text, TOWNSHIP_SUFFIXES), []
        )
        found = list({unit.code: unit for unit in found}.values())
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueProblem(f"乡镇“{text}”不在本次导入的{self.division.name}范围内")
        raise ValueProblem(f"乡镇“{text}”不唯一：" + "、".join(unit.name for unit in found))

    def village(self, text: str, township: Division | None) -> Division:
        """The village a roster names, inside the division (and the township, when the row gives one)."""
        if not text:
            if self.only_village is not None:
                return self.only_village
            raise ValueProblem("村不能为空")
        found: list[Division] = []
        for candidates in (
            self._villages_by_name.get(compact(text), []),
            self._villages_by_key.get(strip_suffixes(text, VILLAGE_SUFFIXES), []),
        ):
            if township is not None:
                candidates = [unit for unit in candidates if unit.code.startswith(township.code)]
            if candidates:
                found = candidates
                break
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueProblem(
                f"村“{text}”在{self.division.name}内不唯一（"
                + "、".join(f"{self.township_name(unit)}{unit.name}" for unit in found)
                + "），请填写乡镇列"
            )
        where = township.name if township is not None else self.division.name
        elsewhere = self._elsewhere.get(strip_suffixes(text, VILLAGE_SUFFIXES), [])
        if township is not None:
            elsewhere += [
                unit
                for unit in self._villages_by_key.get(strip_suffixes(text, VILLAGE_SUFFIXES), [])
                if not unit.code.startswith(township.code)
            ]
        if elsewhere:
            places = "、".join(f"{self.township_name(unit)}{unit.name}" for unit in elsewhere[:3])
            raise ValueProblem(f"村“{text}”不在{where}（系统中的同名村属于{places}），不能导入")
        raise ValueProblem(f"在{where}找不到村“{text}”")


class PostIndex:
    """Post types by name, code and the usual short names (书记, 主任, 网格员 ...)."""

    def __init__(self):
        self.by_code = {post.code: post for post in PostType.objects.all()}
        self._by_name: dict[str, PostType] = {}
        for post in self.by_code.values():
            self._by_name[compact(post.name)] = post
        for code, names in POST_SYNONYMS.items():
            if code in self.by_code:
                for name in names:
                    self._by_name.setdefault(compact(name), self.by_code[code])

    def read(self, text: str) -> list[PostType]:
        posts: list[PostType] = []
        unknown = []
        for part in split_list(text, POST_SEPARATORS):
            if part in BOTH_POSTS:
                found = [self.by_code[code] for code in ("secretary", "chair") if code in self.by_code]
            else:
                post = self._by_name.get(part) or self._by_name.get(part.removeprefix("村"))
                found = [post] if post is not None else []
                if not found:
                    unknown.append(part)
            posts.extend(post for post in found if post not in posts)
        if unknown:
            known = "、".join(post.name for post in self.by_code.values())
            raise ValueProblem(f"后备岗位“{'、'.join(unknown)}”无法识别（可填：{known}）")
        return posts


SOURCE_SYNONYMS = {
    "致富能手": "致富带头人",
    "致富带头人": "致富带头人",
    "返乡人员": "外出务工经商返乡人员",
    "务工返乡": "外出务工经商返乡人员",
    "外出务工返乡人员": "外出务工经商返乡人员",
    "返乡务工人员": "外出务工经商返乡人员",
    "大学毕业生": "本土大学毕业生",
    "大学生": "本土大学毕业生",
    "退伍军人": "退役军人",
    "复员退伍军人": "退役军人",
    "村干部": "现任村干部",
    "返乡创业": "返乡创业青年",
    "团员青年": "优秀团员青年",
    "志愿者": "西部计划志愿者",
    "工作队员": "驻村工作队员",
}


class SourceIndex:
    def __init__(self):
        self.sources = list(Source.objects.all())
        self._by_name = {compact(source.name): source for source in self.sources}

    def read(self, text: str) -> Source:
        key = compact(text)
        source = self._by_name.get(key) or self._by_name.get(SOURCE_SYNONYMS.get(key, ""))
        if source is not None:
            return source
        found = [s for s in self.sources if key in compact(s.name) or compact(s.name) in key]
        if len(found) == 1:
            return found[0]
        known = "、".join(source.name for source in self.sources)
        raise ValueProblem(f"来源“{text}”不在来源词表中（可填：{known}）")


class SkillIndex:
    def __init__(self):
        self._by_name = {compact(skill.name): skill for skill in Skill.objects.all()}

    def read(self, text: str) -> tuple[list[Skill], list[str]]:
        """(the skills of the vocabulary, the other parts as free text)."""
        skills: list[Skill] = []
        others: list[str] = []
        for part in split_list(text):
            skill = self._by_name.get(part)
            if skill is not None:
                if skill not in skills:
                    skills.append(skill)
            elif part not in others:
                others.append(part)
        return skills, others
