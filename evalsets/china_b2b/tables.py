"""Static tables: cities (province, districts with division codes, area code), industries, names."""

from __future__ import annotations

from typing import NamedTuple


class City(NamedTuple):
    name: str  # 杭州
    province: str  # 浙江省; "" for the four municipalities
    province_short: str  # 浙江; the city itself for municipalities
    area: str  # 0571
    en: str  # Hangzhou
    districts: tuple[tuple[str, str], ...]  # (西湖区, 330106): name and administrative division code


_SHORT = {
    "广西壮族自治区": "广西",
    "内蒙古自治区": "内蒙古",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
}

_CITY_ROWS = """
北京 - 010 Beijing 朝阳区 110105 海淀区 110108 丰台区 110106
上海 - 021 Shanghai 浦东新区 310115 徐汇区 310104 闵行区 310112
天津 - 022 Tianjin 滨海新区 120116 南开区 120104 河西区 120103
重庆 - 023 Chongqing 渝北区 500112 江北区 500105 九龙坡区 500107
广州 广东省 020 Guangzhou 天河区 440106 白云区 440111 番禺区 440113
深圳 广东省 0755 Shenzhen 南山区 440305 福田区 440304 宝安区 440306
佛山 广东省 0757 Foshan 南海区 440605 顺德区 440606 禅城区 440604
东莞 广东省 0769 Dongguan 长安镇 441900 松山湖 441900 南城街道 441900
杭州 浙江省 0571 Hangzhou 西湖区 330106 滨江区 330108 余杭区 330110
宁波 浙江省 0574 Ningbo 鄞州区 330212 北仑区 330206 海曙区 330203
温州 浙江省 0577 Wenzhou 鹿城区 330302 瓯海区 330304 龙湾区 330303
南京 江苏省 025 Nanjing 江宁区 320115 鼓楼区 320106 玄武区 320102
苏州 江苏省 0512 Suzhou 吴中区 320506 相城区 320507 虎丘区 320505
无锡 江苏省 0510 Wuxi 滨湖区 320211 梁溪区 320213 新吴区 320214
常州 江苏省 0519 Changzhou 武进区 320412 新北区 320411 天宁区 320402
南通 江苏省 0513 Nantong 崇川区 320602 通州区 320612
合肥 安徽省 0551 Hefei 蜀山区 340104 包河区 340111 庐阳区 340103
济南 山东省 0531 Jinan 历下区 370102 槐荫区 370104 历城区 370112
青岛 山东省 0532 Qingdao 市南区 370202 黄岛区 370211 城阳区 370214
烟台 山东省 0535 Yantai 芝罘区 370602 莱山区 370613
郑州 河南省 0371 Zhengzhou 金水区 410105 二七区 410103 中原区 410102
武汉 湖北省 027 Wuhan 洪山区 420111 江汉区 420103 东西湖区 420112
长沙 湖南省 0731 Changsha 岳麓区 430104 雨花区 430111 开福区 430105
南昌 江西省 0791 Nanchang 红谷滩区 360113 东湖区 360102 青山湖区 360111
福州 福建省 0591 Fuzhou 鼓楼区 350102 仓山区 350104 晋安区 350111
厦门 福建省 0592 Xiamen 思明区 350203 湖里区 350206 集美区 350211
成都 四川省 028 Chengdu 武侯区 510107 锦江区 510104 青羊区 510105
西安 陕西省 029 Xi'an 雁塔区 610113 未央区 610112 碑林区 610103
昆明 云南省 0871 Kunming 五华区 530102 盘龙区 530103 官渡区 530111
贵阳 贵州省 0851 Guiyang 云岩区 520103 南明区 520102 观山湖区 520115
南宁 广西壮族自治区 0771 Nanning 青秀区 450103 西乡塘区 450107 江南区 450105
海口 海南省 0898 Haikou 龙华区 460106 美兰区 460108
沈阳 辽宁省 024 Shenyang 和平区 210102 浑南区 210112 铁西区 210106
大连 辽宁省 0411 Dalian 中山区 210202 甘井子区 210211 沙河口区 210204
长春 吉林省 0431 Changchun 朝阳区 220104 南关区 220102 绿园区 220106
哈尔滨 黑龙江省 0451 Harbin 南岗区 230103 道里区 230102 香坊区 230110
石家庄 河北省 0311 Shijiazhuang 长安区 130102 桥西区 130104 裕华区 130108
太原 山西省 0351 Taiyuan 小店区 140105 迎泽区 140106 杏花岭区 140107
呼和浩特 内蒙古自治区 0471 Hohhot 赛罕区 150105 新城区 150102
兰州 甘肃省 0931 Lanzhou 城关区 620102 七里河区 620103
乌鲁木齐 新疆维吾尔自治区 0991 Urumqi 天山区 650102 沙依巴克区 650103
银川 宁夏回族自治区 0951 Yinchuan 兴庆区 640104 金凤区 640106
"""


def _city(row: str) -> City:
    name, province, area, en, *rest = row.split()
    province = "" if province == "-" else province
    short = _SHORT.get(province, province.removesuffix("省")) or name
    districts = tuple((rest[i], rest[i + 1]) for i in range(0, len(rest), 2))
    return City(name, province, short, area, en, districts)


CITIES: tuple[City, ...] = tuple(_city(row) for row in _CITY_ROWS.strip().splitlines())


class Industry(NamedTuple):
    key: str
    descs: tuple[str, ...]  # the trade word of a registered name: 医疗器械, 医疗科技, ...
    abbrs: tuple[str, ...]  # what salespeople write after the trade name: 医械, 医疗
    en: str  # English trade word: Medical
    token: str  # for e-mail domains: med


# key, English word, e-mail token, registered trade words | salespeople's abbreviations
_INDUSTRY_ROWS = """
medical Medical med 医疗器械 医疗科技 医疗设备 | 医械 医疗
ivd Biotech bio 生物科技 生物技术 诊断技术 生物医药科技 | 生物 诊断
machinery Machinery mach 机械 机械设备 精密机械 自动化设备 | 机械 机电
chemicals Chemical chem 化工 新材料 精细化工 化学 | 化工 材料
electronics Electronics elec 电子 电子科技 电气 光电科技 | 电子 电气
logistics Logistics wl 物流 供应链管理 国际货运代理 运输 | 物流 供应链
software Software soft 软件 信息技术 网络科技 数据科技 | 软件 信息
building Building_Materials jc 建材 新型建材 建筑材料 装饰材料 | 建材
food Food food 食品 食品科技 农业科技 调味品 | 食品
"""


def _industry(row: str) -> Industry:
    head, abbrs = row.split("|")
    key, en, token, *descs = head.split()
    return Industry(key, tuple(descs), tuple(abbrs.split()), en.replace("_", " "), token)


INDUSTRIES: tuple[Industry, ...] = tuple(_industry(row) for row in _INDUSTRY_ROWS.strip().splitlines())


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# legal forms of a registered name, with weights; a branch has none (it ends in 分公司)
LEGAL_FORMS: dict[str, float] = {"有限公司": 0.80, "有限责任公司": 0.12, "股份有限公司": 0.08}

# characters that trade names (字号) are made of; two or three of them, no character twice
TRADE_CHARS = (
    "华恒信达鑫源泰宏盛丰瑞康安博创新科联智诚德嘉汇隆海天金正中顺通远昌永和兴利佳美润凯航腾飞宇晨"
    "星光明峰成启益祥福众合力邦胜辉卓越思睿君奥普迈特立方圆云贝尔维捷迅高精锐鼎晟昊宸锦俊东南江山"
    "川蓝青银冠亚洲威龙凤鹏欣悦怡乐和宁致远晶磊"
)
# the common, generic trade names many unrelated small companies in different cities share
GENERIC_TRADES = _words(
    "宏达 鑫源 恒信 华泰 永兴 东方 华信 金达 长城 中天 宏远 天成 鑫盛 恒通 新华 同创 华创 恒达 瑞丰 鸿运 "
    "金鑫 鑫达 宏图 华联 华美 兴业 盛达 宏盛 天宇 中信 新世纪 恒源 永安 富康 万通 金源 华盛 远大 东升 正大"
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆建国志文海东林峰亮新春永忠"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳晶颖倩洁慧红梅丹萍秀英华玉兰琴"

# (role, title after the surname: 王总, title after the full name: 王建国总经理, department)
ROLES: tuple[tuple[str, str, str, str], ...] = (
    ("boss", "总", "总经理", "总经办"),
    ("manager", "经理", "经理", "业务部"),
    ("engineer", "工", "工程师", "技术部"),
    ("purchasing", "经理", "采购经理", "采购部"),
    ("finance", "会计", "财务", "财务部"),
    ("lab", "主任", "主任", "设备科"),
    ("teacher", "老师", "老师", "检验科"),
    ("clerk", "", "", "行政部"),
)

MOBILE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 "
    "170 173 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199"
)
FREE_MAIL = ("163.com", "126.com", "sina.com", "139.com", "foxmail.com", "hotmail.com", "sohu.com")

STREETS = _words(
    "人民路 解放路 中山路 建设路 文三路 科技路 学院路 工业大道 创新路 长江路 黄河路 滨江大道 高新大道 "
    "东风路 和平路 胜利路 光明路 新华路 江南大道 软件园路 迎宾大道 金桥路 振华路 华山路 天目山路 "
    "发展大道 开元路 园区路 湖滨路 青年路"
)
PARKS = ("东部软件园", "科技园", "创业园", "产业园", "工业园", "创新中心", "孵化基地", "总部基地")
TOWERS = ("华润大厦", "国贸大厦", "金融中心", "世纪大厦", "时代广场", "万达广场", "财富中心", "绿地中心")

# near-form characters (形近字) a hurried typist swaps
_NEAR_PAIRS = _words(
    "泰秦 锦绵 博搏 瑞端 捷睫 贝见 天夭 永水 太大 宇字 辉挥 峰锋 腾滕 宏宋 诚城 润涧 杨扬 未末"
)
NEAR_FORMS: dict[str, str] = {**{p[0]: p[1] for p in _NEAR_PAIRS}, **{p[1]: p[0] for p in _NEAR_PAIRS}}

# extra everyday characters, so that most characters in a name have a same-pinyin neighbour for the
# homophone typos (grouped by toneless pinyin, as an IME offers them)
COMMON_CHARS = (
    "一衣依以已易义意亦益艺亿忆议异役译宜移仪之知支只指志至制治致质直值执职纸址止旨置芝汁枝织连莲廉怜"
    "帘练炼恋链良梁粮凉量辆亮两聊辽料了气汽弃企启起其奇期齐棋旗骑谢泻卸写协鞋邪斜可克客刻课颗及记机计"
    "既季纪际寄急级极集即击基积鸡迹又友由油游邮右优忧幽悠线现县先显险献仙鲜闲贤工功攻宫供共贡恭弓思斯"
    "私丝四似寺肆话化画划花滑桓环还换欢缓信心新薪辛欣星性姓行形兴型达大答打搭源元原员园远愿院缘泰太态"
    "台抬宏红洪虹鸿弘盛胜圣省升生声绳丰风封峰锋蜂枫瑞锐睿蕊康抗慷糠安按岸案暗博波伯薄搏创窗床闯科颗"
    "壳咳联连廉智至志制置治诚城成承程乘呈德得嘉家佳加甲价假汇会惠慧辉挥回隆龙笼聋海还害孩天田添填金今"
    "进近津斤正政证整争征中钟忠终种众顺舜通同童铜统远昌常长场厂唱永勇涌用泳和合何河荷核利力立丽理里礼"
    "美每梅煤没润闰凯开楷慨航行杭腾藤疼飞非菲肥宇雨语玉羽遇晨辰陈沉尘臣光广明名鸣铭成益亿祥想香相详福"
    "富付服府复力邦帮帮胜卓桌越月岳悦君军俊骏奥澳傲普谱浦迈麦卖特立方芳房圆员缘云运允贝备被尔二而维为"
    "伟位捷杰洁节迅训讯高告糕精经京晶锐鼎顶定晟昊好号宸锦进东冬懂南男难江将疆山衫善川穿传蓝兰篮青清"
    "轻银因音引冠关官管亚压雅洲州周威微围龙凤锋鹏朋彭欣心乐勒宁凝致磊垒医疗器械有限公司械"
)
