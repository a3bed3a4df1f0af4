"""The records of one company, varied the way CRM exports, ad leads and spreadsheets vary them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from evalsets.china_b2b import tables
from evalsets.china_b2b.rates import SOURCES, Tally
from evalsets.china_b2b.text import (
    HOMOPHONES,
    NEAR_FORMS,
    USCC_CHARSET,
    chinese_number,
    pinyin,
    substitute,
    typo_spots,
)
from evalsets.china_b2b.world import Company

Record = tuple[str, str, str, str, str, str]  # company, contact, phone, email, address, uscc


class Person(NamedTuple):
    surname: str
    given: str
    female: bool
    role: tuple[str, str, str, str]
    mobile: str
    extension: str
    local: str  # corporate mailbox name: wangjianguo, jianguo.wang, wangjg
    free_mail: str  # 12345678@qq.com, wangjianguo1985@163.com


def person(t: Tally) -> Person:
    r = t.rng
    female = r.random() < 0.4
    pool = tables.GIVEN_FEMALE if female else tables.GIVEN_MALE
    surname, given = r.choice(tables.SURNAMES), "".join(r.sample(pool, 1 if r.random() < 0.4 else 2))
    sur, giv = pinyin(surname)[0], pinyin(given)
    full = "".join(giv)
    local = r.choice((sur + full, f"{full}.{sur}", sur + "".join(p[0] for p in giv), f"{sur}.{full}"))
    qq = t.flag("email:qq_digits")
    tail = r.choice(("", str(r.randint(1970, 2002)), str(r.randint(1, 999))))
    free = (
        f"{r.randint(10000, 3999999999)}@qq.com" if qq else f"{sur}{full}{tail}@{r.choice(tables.FREE_MAIL)}"
    )
    mobile = r.choice(tables.MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"
    return Person(
        surname, given, female, r.choice(tables.ROLES), mobile, str(r.randint(100, 8999)), local, free
    )


def _typo(t: Tally, key: str, text: str, table: dict[str, tuple[str, ...]]) -> str:
    spots = typo_spots(text, table)
    return substitute(t.rng, text, table, spots) if spots and t.flag(key) else text


def _legal_form(t: Tally, form: str) -> str:
    if t.flag("name:legal_form_swap"):
        form = {"有限公司": "有限责任公司", "有限责任公司": "有限公司", "股份有限公司": "股份公司"}[form]
    if t.flag("name:legal_form_wrong"):
        form = "有限公司" if form.startswith("股份") else "股份有限公司"
    return form


def company_name(t: Tally, c: Company) -> str:
    r = t.rng
    head = c.parent or c
    branch = f"{c.city.name}分公司" if c.parent else ""
    trade, desc = c.trade, head.desc
    form = t.pick("name")
    if form == "english":
        en = "".join(pinyin(trade)).capitalize()
        if c.parent:
            return f"{en} {c.industry.en} {c.city.en} Branch"
        return r.choice(
            (f"{c.city.en} {en} {c.industry.en} Co., Ltd.", f"{en} {c.industry.en}", f"{en.upper()} CO.,LTD")
        )
    if form in ("full", "bracket_region", "no_region"):
        legal = _legal_form(t, head.form)
        if form == "full":
            name = f"{head.region}{trade}{desc}{legal}{branch}"
        elif form == "no_region":
            name = f"{trade}{desc}{legal}{branch}"
        else:
            left, right = "()" if t.flag("name:halfwidth_brackets") else "（）"
            name = f"{trade}{desc}{left}{head.region}{right}{legal}{branch}"
    elif form == "short":
        name = f"{trade}{desc[:2]}{branch}" if branch else f"{c.city.name}{trade}{desc[:2]}"
    elif form == "trade_abbrev":
        name = f"{trade}{r.choice(c.industry.abbrs)}{branch}"
    else:
        name = f"{c.city.name}{trade}" if form == "city_trade" else trade
    name = _typo(t, "name:homophone_typo", name, HOMOPHONES)
    name = _typo(t, "name:near_form_typo", name, NEAR_FORMS)
    if len(name) >= 4 and t.flag("name:dropped_char"):
        i = r.randrange(len(name))
        name = name[:i] + name[i + 1 :]
    if len(name) >= 4 and t.flag("name:swapped_chars"):
        i = r.randrange(len(name) - 1)
        name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name


def contact(t: Tally, p: Person) -> str:
    r = t.rng
    _, short_title, long_title, dept = p.role
    form = t.pick("contact")
    lady = "女士" if p.female else "先生"
    if form == "surname_title":
        return p.surname + (short_title or lady)
    if form == "dept_surname":
        return f"{dept}{p.surname}{lady}"
    full = _typo(t, "contact:homophone_typo", p.surname + p.given, HOMOPHONES)
    if form == "full_title" and long_title:
        return r.choice((f"{full}{long_title}", f"{full}({long_title})", f"{full} {long_title}"))
    return full


def _digit_typo(t: Tally, digits: str) -> str:
    i = t.rng.randrange(1, len(digits))
    return digits[:i] + str((int(digits[i]) + t.rng.randint(1, 9)) % 10) + digits[i + 1 :]


def _mobile(t: Tally, m: str) -> str:
    form = t.pick("mobile")
    spaced = f"{m[:3]} {m[3:7]} {m[7:]}"
    if form == "plain":
        return m
    return {"spaced": spaced, "dashed": spaced.replace(" ", "-"), "plus86_spaced": "+86 " + spaced}.get(
        form, "+86" + m
    )


def _landline(t: Tally, area: str, local: str, extension: str) -> str:
    form = t.pick("landline")
    split = f"{local[:-4]} {local[-4:]}"
    text = {
        "dashed": f"{area}-{local}",
        "compact": area + local,
        "paren_spaced": f"({area}) {split}",
        "paren": f"({area}){local}",
        "spaced": f"{area} {split}",
        "no_area_code": local,
        "intl": f"+86 {area[1:]} {split}",
    }[form]
    if t.flag("phone:extension"):
        text += t.rng.choice(("-", "转", " ext.", "-")) + extension
    return text


def phone(t: Tally, c: Company, p: Person) -> str:
    mobile = p.mobile
    landline = c.landline
    use_landline = landline is not None and t.flag("phone:landline")
    two = landline is not None and t.flag("phone:two_numbers")
    if t.flag("phone:digit_typo"):
        if use_landline and landline is not None:
            landline = (landline[0], _digit_typo(t, landline[1]))
        else:
            mobile = _digit_typo(t, mobile)
    if landline is None or not (use_landline or two):
        return _mobile(t, mobile)
    fixed = _landline(t, landline[0], landline[1], p.extension)
    if not two:
        return fixed
    first, second = (fixed, _mobile(t, mobile)) if use_landline else (_mobile(t, mobile), fixed)
    return first + t.rng.choice(("/", "；", " ", "、", ",")) + second


def email(t: Tally, c: Company, p: Person) -> str:
    if c.domain is not None and t.flag("email:corporate"):
        role = t.flag("email:role_mailbox")
        local = t.rng.choice(("sales", "info", "service", "purchase", "admin")) if role else p.local
        address = f"{local}@{c.domain}"
    else:
        address = p.free_mail
    if t.flag("email:uppercase"):
        address = address.upper() if t.rng.random() < 0.5 else address.capitalize()
    return address


def address(t: Tally, c: Company) -> str:
    a = c.address
    if c.second_address is not None and t.flag("address:second_site"):
        a = c.second_address
    form = t.pick("address")
    number = chinese_number(a.number) if t.flag("address:chinese_numerals") else str(a.number)
    hao = "號" if t.flag("address:traditional_hao") else "号"
    suffix = "" if a.suffix and t.flag("address:drop_suffix") else a.suffix
    core = f"{a.street}{number}{hao}{suffix}"
    city, province = a.city.name + "市", a.city.province
    return {
        "full": f"{province}{city}{a.district}{core}",
        "no_province": f"{city}{a.district}{core}",
        "city_street": city + core,
        "street_only": core,
        "no_district": province + city + core,
        "city_no_shi": f"{a.city.name}{a.district}{core}",
    }[form]


def uscc(t: Tally, code: str) -> str:
    if not t.flag("uscc:typo"):
        return code
    r = t.rng
    how = r.choice(("replace", "replace", "swap", "drop", "letter", "lower"))
    i = r.randrange(17)
    if how == "swap" and code[i] != code[i + 1]:
        return code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    if how == "drop":
        return code[:i] + code[i + 1 :]
    if how == "letter" and ("0" in code or "1" in code):
        return code.replace("0", "O", 1) if "0" in code else code.replace("1", "I", 1)
    if how == "lower" and code.upper() != code.lower():
        return code.lower()
    return code[:i] + r.choice(USCC_CHARSET.replace(code[i], "")) + code[i + 1 :]


def records(t: Tally, c: Company, size: int) -> Iterator[Record]:
    r = t.rng
    people = [person(t) for _ in range(min(size, r.choices((1, 2, 3, 4), (0.45, 0.3, 0.17, 0.08))[0]))]
    for _ in range(size):
        fill = SOURCES[t.pick("source")][1]
        has = {field: r.random() < p for field, p in fill.items()}
        if not has["company"]:
            has["contact"] = has["phone"] = True
        for field, present in has.items():
            t.count(f"present:{field}", present)
        p = r.choice(people)
        yield (
            company_name(t, c) if has["company"] else "",
            contact(t, p) if has["contact"] else "",
            phone(t, c, p) if has["phone"] else "",
            email(t, c, p) if has["email"] else "",
            address(t, c) if has["address"] else "",
            uscc(t, c.uscc) if has["uscc"] else "",
        )
