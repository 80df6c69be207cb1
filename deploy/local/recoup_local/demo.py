"""`recoup demo`: push a realistic sample placement through the client API of a running stack.

    recoup demo [--base-url http://127.0.0.1:8001] [--cases 300] [--client-id demo-bank]
                [--bad-rows 3] [--seed N] [--placement-ref REF] [--timeout 120]

The generator (`make_placement`) is also what tests and benchmarks use for realistic data:
Chinese names, valid ID numbers (GB 11643, some in the old 15-digit form), Luhn-valid card
numbers, mobiles, landlines with the city's area code, contact persons, addresses across
provinces, amounts that add up, DPDs, the occasional special flag and client remark.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

# (6-digit region code, province, city, district, area code)
REGIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("110105", "北京市", "北京市", "朝阳区", "010"),
    ("110108", "北京市", "北京市", "海淀区", "010"),
    ("310115", "上海市", "上海市", "浦东新区", "021"),
    ("310104", "上海市", "上海市", "徐汇区", "021"),
    ("120101", "天津市", "天津市", "和平区", "022"),
    ("500103", "重庆市", "重庆市", "渝中区", "023"),
    ("440106", "广东省", "广州市", "天河区", "020"),
    ("440305", "广东省", "深圳市", "南山区", "0755"),
    ("441900", "广东省", "东莞市", "东莞市", "0769"),
    ("330106", "浙江省", "杭州市", "西湖区", "0571"),
    ("330203", "浙江省", "宁波市", "海曙区", "0574"),
    ("320102", "江苏省", "南京市", "玄武区", "025"),
    ("320505", "江苏省", "苏州市", "虎丘区", "0512"),
    ("410105", "河南省", "郑州市", "金水区", "0371"),
    ("410102", "河南省", "郑州市", "中原区", "0371"),
    ("410302", "河南省", "洛阳市", "老城区", "0379"),
    ("420106", "湖北省", "武汉市", "武昌区", "027"),
    ("430104", "湖南省", "长沙市", "岳麓区", "0731"),
    ("510107", "四川省", "成都市", "武侯区", "028"),
    ("370102", "山东省", "济南市", "历下区", "0531"),
    ("370202", "山东省", "青岛市", "市南区", "0532"),
    ("210102", "辽宁省", "沈阳市", "和平区", "024"),
    ("610113", "陕西省", "西安市", "雁塔区", "029"),
    ("350203", "福建省", "厦门市", "思明区", "0592"),
    ("130102", "河北省", "石家庄市", "长安区", "0311"),
    ("340104", "安徽省", "合肥市", "蜀山区", "0551"),
    ("360102", "江西省", "南昌市", "东湖区", "0791"),
    ("450103", "广西壮族自治区", "南宁市", "青秀区", "0771"),
    ("530102", "云南省", "昆明市", "五华区", "0871"),
    ("520102", "贵州省", "贵阳市", "南明区", "0851"),
    ("230103", "黑龙江省", "哈尔滨市", "南岗区", "0451"),
    ("220102", "吉林省", "长春市", "南关区", "0431"),
    ("140105", "山西省", "太原市", "小店区", "0351"),
    ("620102", "甘肃省", "兰州市", "城关区", "0931"),
    ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", "0991"),
)
# Area codes whose local numbers have 7 digits (the others have 8), per libphonenumber's CN data.
SEVEN_DIGIT_AREAS = frozenset({"0592", "0771", "0351", "0931", "0991"})
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
            "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫")
GIVEN_CHARS = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强红梅玉兰海燕晓东文斌"
               "浩宇子涵欣怡梓轩雨萱俊杰思远嘉怡佳琪博文一诺鑫鹏晨曦婷婷丹丹亮辉")
STREETS = ("人民路", "解放路", "中山路", "建设路", "花园路", "文化路", "和平路", "长江路", "黄河路", "新华路",
           "胜利路", "学府路", "科技路", "金水路", "经三路", "农业路", "东风路", "北京路", "南京路", "延安路")
COMPANIES = ("机械有限公司", "商贸有限公司", "科技有限公司", "建筑工程有限公司", "物流有限公司", "餐饮管理有限公司",
             "电子有限公司", "食品有限公司", "服装有限公司", "房地产开发有限公司")
RELATIONSHIPS = ("spouse", "parent", "sibling", "child", "friend", "colleague", "relative")
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183",
                   "185", "186", "187", "188", "189", "191", "198", "199")
CARD_BINS = ("622202", "622848", "621700", "622588", "625965", "628288", "622262", "621483", "622155")
FLAGS = ("complaint_history", "dispute", "fraud_claim", "stolen_card", "do_not_contact",
         "special_population")
REMARKS = ("客户曾于 2026-09 投诉", "分期协商中，请勿催收家人", "客户称已失业", "客户在外地务工",
           "曾承诺还款未履约", "客户要求仅短信联系")
PRODUCTS = ("credit_card", "personal_loan", "consumer_loan")


def luhn_complete(partial: str) -> str:
    """Append the Luhn check digit (bank card numbers carry one)."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return partial + str((10 - total % 10) % 10)


class CaseFactory:
    """Realistic placement cases, reproducible from a seed. `unique` keeps card numbers distinct
    across factories with different `client_salt` values."""

    def __init__(self, seed: int | None = None, *, today: date | None = None, client_salt: int = 0) -> None:
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.client_salt = client_salt
        self._serial = 0
        self._offsets: dict[int, int] = {}

    # --- pieces ---------------------------------------------------------------------------
    def name(self) -> str:
        r = self.rng
        surname = r.choice(COMPOUND_SURNAMES) if r.random() < 0.02 else r.choice(SURNAMES)
        return surname + "".join(r.choice(GIVEN_CHARS) for _ in range(r.choice((1, 2, 2))))

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self, area: str) -> str:
        rest = 6 if area in SEVEN_DIGIT_AREAS else 7
        subscriber = str(self.rng.randint(2, 6)) + f"{self.rng.randrange(10**rest):0{rest}d}"
        return f"{area}-{subscriber}"

    def card_number(self) -> str:
        """Luhn-valid, distinct within one factory (a bijection of a serial number), random
        across factories (a per-factory offset)."""
        self._serial += 1
        length = self.rng.choice((16, 16, 19))
        body_len = length - 6 - 1
        mod = 10 ** body_len
        offset = self._offsets.setdefault(body_len, self.rng.randrange(mod) + self.client_salt)
        body = (offset + self._serial * 999_999_937) % mod
        return luhn_complete(self.rng.choice(CARD_BINS) + f"{body:0{body_len}d}")

    def id_number(self, region: str, birth: date, gender: str, *, old_form: bool = False) -> str:
        from recoup_shared.identifiers import make_id15, make_id_number

        seq = self.rng.randrange(1000)
        if old_form and 1900 <= birth.year <= 1999:
            seq = seq - (seq % 2) + (1 if gender == "M" else 0)
            return make_id15(region, birth, seq % 1000)
        return make_id_number(region, birth, seq, gender)

    def address(self, kind: str, region: tuple[str, str, str, str, str], *, employer: str | None = None) -> dict[str, Any]:
        r = self.rng
        _, province, city, district, _ = region
        if kind == "work":
            line = f"{r.choice(STREETS)} {r.randint(1, 300)} 号"
            if r.random() < 0.5:
                line += f" {r.randint(1, 30)} 楼"
        else:
            line = f"{r.choice(STREETS)} {r.randint(1, 300)} 号 {r.randint(1, 12)} 单元 {r.randint(1, 30)}{r.randint(1, 4):02d}"
        address = {"kind": kind, "province": province, "city": city, "district": district, "line": line}
        if employer:
            address["employer"] = employer
        return address

    # --- one case ---------------------------------------------------------------------------
    def case(self, *, product: str = "credit_card") -> dict[str, Any]:
        r = self.rng
        home = r.choice(REGIONS)
        lives = home if r.random() < 0.7 else r.choice(REGIONS)
        gender = r.choice("MF")
        birth = date(r.randint(1960, 2002), r.randint(1, 12), r.randint(1, 28))
        old_form = birth.year < 1990 and r.random() < 0.05
        id_number = self.id_number(home[0], birth, gender, old_form=old_form)
        name = self.name()
        principal = Decimal(r.randrange(200_000, 20_000_000)) / 100
        interest = (principal * Decimal(r.randrange(3, 25)) / 100).quantize(Decimal("0.01"))
        fees = Decimal(r.choice((0, 0, 50, 100, 150, 300, 500)) * 100) / 100
        placed = principal + interest + fees
        dpd = r.choice((r.randint(31, 90), r.randint(91, 180), r.randint(181, 720)))
        employer = f"{lives[2].removesuffix('市')}{r.choice(('华盛', '宏达', '鑫源', '恒通', '金泰', '远航'))}{r.choice(COMPANIES)}"
        phones: list[dict[str, Any]] = [{"number": self.mobile(), "kind": "mobile", "owner": "debtor"}]
        if r.random() < 0.3:
            phones.append({"number": self.mobile(), "kind": "mobile", "owner": "debtor"})
        if r.random() < 0.5:
            phones.append({"number": self.landline(lives[4]), "kind": "work", "owner": "debtor"})
        if r.random() < 0.3:
            phones.append({"number": self.landline(lives[4]), "kind": "home", "owner": "debtor"})
        for _ in range(r.choice((0, 1, 1, 2, 3))):
            phones.append({"number": self.mobile(), "kind": "mobile", "owner": "contact",
                           "name": self.name(), "relationship": r.choice(RELATIONSHIPS),
                           "knows_debt": r.random() < 0.4})
        addresses = [self.address("household_registration", home)]
        if r.random() < 0.8:
            addresses.append(self.address("home", lives))
        if r.random() < 0.6:
            addresses.append(self.address("work", lives, employer=employer))
        case: dict[str, Any] = {
            "account_ref": self.card_number(),
            "debtor": {"name": name, "id_number": id_number, "gender": gender},
            "currency": "CNY",
            "principal": f"{principal:.2f}", "interest": f"{interest:.2f}", "fees": f"{fees:.2f}",
            "placed_amount": f"{placed:.2f}",
        }
        if r.random() < 0.8:
            case["dpd"] = dpd
        else:
            case["overdue_since"] = (self.today - timedelta(days=dpd)).isoformat()
        if r.random() < 0.7:
            case["last_payment"] = {
                "on": (self.today - timedelta(days=dpd + r.randint(1, 60))).isoformat(),
                "amount": f"{Decimal(r.randrange(10_000, 500_000)) / 100:.2f}"}
        if product == "credit_card":
            case["credit_limit"] = f"{r.choice((5, 10, 20, 30, 50, 80, 100)) * 1000}.00"
        case["phones"] = phones
        case["addresses"] = addresses
        if r.random() < 0.6:
            case["employer"] = employer
        if r.random() < 0.04:
            case["flags"] = [r.choice(FLAGS)]
        if r.random() < 0.1:
            case["remarks"] = r.choice(REMARKS)
        return case

    def bad_case(self, kind: int, *, product: str = "credit_card") -> dict[str, Any]:
        """A case with one realistic defect that rejects its row (wrong checksum, a currency
        written out, 3-decimal amount...). A malformed phone does not reject a row (R-4): it is a
        warning."""
        case = self.case(product=product)
        k = kind % 5
        if k == 0:
            n = case["debtor"]["id_number"]
            if len(n) == 18:
                case["debtor"]["id_number"] = n[:17] + ("0" if n[17] != "0" else "1")
            else:
                case["debtor"]["id_number"] = n[:14]
        elif k == 1:
            case["currency"] = "人民币"
        elif k == 2:
            case["interest"] = "12.345"
        elif k == 3:
            case["placed_amount"] = "-1.00"
        else:
            case["dpd"] = "ninety"
            case.pop("overdue_since", None)
        return case


def make_placement(n: int, *, placement_ref: str | None = None, seed: int | None = None,
                   placed_on: date | None = None, product: str = "credit_card", bad_rows: int = 0,
                   client_salt: int = 0) -> dict[str, Any]:
    """A contracts.md placement body with `n` cases, `bad_rows` of them defective (spread out)."""
    placed_on = placed_on or date.today()
    factory = CaseFactory(seed, today=placed_on, client_salt=client_salt)
    bad_at = set()
    if bad_rows and n:
        step = max(1, n // bad_rows)
        bad_at = {min(n - 1, i * step + step // 2) for i in range(bad_rows)}
    kinds = {row: k for k, row in enumerate(sorted(bad_at))}
    cases = [factory.bad_case(kinds[i], product=product) if i in bad_at else factory.case(product=product)
             for i in range(n)]
    return {
        "placement_ref": placement_ref or f"DEMO-{placed_on:%Y%m%d}-{int(time.time() * 1000) % 10**9:09d}",
        "product": product,
        "placed_on": placed_on.isoformat(),
        "recall_on": _add_months(placed_on, 3).isoformat(),
        "cases": cases,
    }


def _add_months(d: date, months: int) -> date:
    import calendar

    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def prepare_allocation(allocation_url: str, client_id: str) -> bool:
    """Allocation's part of the demo: a demo team and `client_id`'s rules (automatic allocation),
    set up before the placement so its cases are allocated as they arrive. False if allocation
    is not running (the demo then stops at intake)."""
    import asyncio

    from .demo_allocation import DemoSetupError, setup_demo_team

    try:
        asyncio.run(setup_demo_team(allocation_url, client_id, timeout=5))
        return True
    except (DemoSetupError, OSError, Exception) as exc:  # noqa: BLE001 - reported, demo goes on
        print(f"allocation at {allocation_url} not set up ({exc.__class__.__name__}: {exc}); "
              "cases will stay unallocated", file=sys.stderr)
        return False


def prepare_fieldops(fieldops_url: str) -> None:
    """Fieldops' part of the demo: a field team over the demo's cities and its agents. Reported and
    skipped if fieldops is not running."""
    import asyncio

    from .demo_fieldops import FIELD_TEAM_ID, setup_field_team

    try:
        asyncio.run(setup_field_team(fieldops_url, timeout=5))
        print(f"field team {FIELD_TEAM_ID} ready at {fieldops_url}")
    except Exception as exc:  # noqa: BLE001 - reported, demo goes on
        print(f"fieldops at {fieldops_url} not set up ({exc.__class__.__name__}: {exc}); no field team",
              file=sys.stderr)


def wait_allocated(allocation_url: str, client_id: str, expected: int, timeout: float) -> int:
    """Poll allocation until `expected` cases of the client are assigned; returns how many are."""
    import httpx

    from recoup_shared.auth import mint_token

    headers = {"authorization": "Bearer " + mint_token(sub="demo-admin", roles=["admin"])}
    deadline = time.monotonic() + timeout
    assigned = 0
    with httpx.Client(base_url=allocation_url, headers=headers, timeout=30) as c:
        while time.monotonic() < deadline:
            assigned, cursor = 0, None
            while True:
                params = {"client_id": client_id, "status": "assigned", "limit": 1000}
                if cursor:
                    params["cursor"] = cursor
                page = c.get("/v1/cases", params=params).json()
                assigned += len(page.get("items", []))
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            if assigned >= expected:
                return assigned
            time.sleep(0.5)
    return assigned


# --- the command ------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="recoup demo", description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default="http://127.0.0.1:8001", help="the intake service")
    p.add_argument("--cases", type=int, default=300, help="number of cases (default 300)")
    p.add_argument("--client-id", default="demo-bank", help="the client the token is bound to")
    p.add_argument("--bad-rows", type=int, default=3, help="defective rows to show row errors (default 3)")
    p.add_argument("--seed", type=int, default=None, help="random seed (reproducible data)")
    p.add_argument("--placement-ref", default=None, help="the client's batch reference")
    p.add_argument("--product", default="credit_card", choices=PRODUCTS)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for publication")
    p.add_argument("--allocation-url", default="http://127.0.0.1:8002",
                   help="the allocation service (demo team + automatic allocation)")
    p.add_argument("--fieldops-url", default="http://127.0.0.1:8005",
                   help="the fieldops service (demo field team and agents)")
    return p


def main(argv: list[str] | None = None) -> int:
    import json

    import httpx

    from recoup_shared.auth import mint_token

    args = _parser().parse_args(argv)
    body = make_placement(args.cases, placement_ref=args.placement_ref, seed=args.seed,
                          product=args.product, bad_rows=min(args.bad_rows, args.cases))
    token = mint_token(sub=f"{args.client_id}-system", roles=["client"], client_id=args.client_id)
    headers = {"authorization": f"Bearer {token}"}
    ref = body["placement_ref"]
    allocating = prepare_allocation(args.allocation_url, args.client_id)
    prepare_fieldops(args.fieldops_url)
    print(f"pushing placement {ref} ({args.cases} cases, client {args.client_id}) to {args.base_url}")
    try:
        with httpx.Client(base_url=args.base_url, headers=headers, timeout=300) as client:
            t0 = time.monotonic()
            r = client.post("/v1/placements", json=body)
            elapsed = time.monotonic() - t0
            print(f"HTTP {r.status_code} in {elapsed:.2f}s")
            print(json.dumps(r.json(), ensure_ascii=False, indent=2))
            if r.status_code != 202:
                return 1
            deadline = time.monotonic() + args.timeout
            status: dict[str, Any] = {}
            while time.monotonic() < deadline:
                status = client.get(f"/v1/placements/{ref}").json()
                if status.get("status") == "published":
                    break
                time.sleep(0.5)
            print(json.dumps({k: status.get(k) for k in ("status", "counts", "timings")},
                             ensure_ascii=False, indent=2))
            if status.get("status") != "published":
                print(f"not published within {args.timeout:.0f}s", file=sys.stderr)
                return 1
            accepted = status["counts"]["accepted"]
            print(f"{accepted} cases published as case.received")
            if allocating:
                assigned = wait_allocated(args.allocation_url, args.client_id, accepted, args.timeout)
                print(f"{assigned} of {accepted} cases allocated to the demo team "
                      f"(see {args.allocation_url}/docs: GET /v1/teams/demo-team/load)")
                if assigned < accepted:
                    return 1
            return 0
    except httpx.HTTPError as exc:
        print(f"recoup demo: cannot reach intake at {args.base_url}: {exc!r} (is `make up` running?)",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
