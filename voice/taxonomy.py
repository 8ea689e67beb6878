"""The default topic taxonomy every organization starts with (issue 4), and its seeding.

The analyzer matches a keyword when it occurs in a clause (substring), so keywords are words
or short phrases specific enough not to fire on unrelated text (no single generic characters).
"""

from __future__ import annotations

from django.db import transaction

from voice.models import Topic

#: name → keywords/phrases. The names are part of the product (alert rules, reports).
DEFAULT_TAXONOMY: dict[str, tuple[str, ...]] = {
    "物流配送": (
        "快递", "物流", "配送", "发货", "送达", "送货", "到货", "收货", "次日达", "当日达",
        "包装破损", "包装", "快递员", "配送员", "骑手", "送错", "丢件", "漏发", "少发",
        "派送", "揽收", "运费险", "顺丰", "京东快递", "中通", "圆通", "韵达", "外卖小哥",
        "签收", "在途", "催单", "送餐", "送得快", "送到",
    ),
    "产品质量": (
        "质量", "做工", "坏了", "瑕疵", "次品", "残次", "掉色", "开线", "异味", "变质",
        "过期", "破损", "划痕", "劣质", "假货", "正品", "材质", "用料", "故障", "失灵",
        "不耐用", "耐用", "味道", "口感", "新鲜", "不新鲜", "尺码", "色差", "品质", "货不对板",
    ),
    "价格费用": (
        "价格", "价钱", "太贵", "好贵", "有点贵", "便宜", "性价比", "划算", "不值", "物有所值", "优惠", "折扣",
        "优惠券", "满减", "涨价", "降价", "差价", "收费", "乱收费", "手续费", "服务费",
        "配送费", "会员费", "额外费用", "价保", "实惠", "溢价",
    ),
    "服务态度": (
        "态度", "服务", "客服", "热情", "耐心", "礼貌", "不耐烦", "冷漠", "敷衍", "推诿",
        "爱答不理", "骂人", "甩锅", "专业", "贴心", "周到", "小姐姐", "店员", "服务员",
        "工作人员", "导购", "回复及时", "不回复", "机器人客服", "人工客服",
    ),
    "售后退换": (
        "售后", "退货", "换货", "退换货", "退款", "退钱", "退换", "维修", "保修", "返修",
        "三包", "七天无理由", "无理由退", "补发", "理赔", "赔偿", "投诉", "12315", "质保",
        "退回", "换新", "申请退", "售后服务",
    ),
    "支付结算": (
        "支付", "付款", "付不了", "扣款", "扣费", "重复扣", "多扣", "微信支付", "支付宝",
        "刷卡", "银行卡", "信用卡", "花呗", "分期", "结账", "收银", "买单", "发票", "开票",
        "到账", "余额", "积分抵扣", "账单",
    ),
    "应用体验": (
        "APP", "App", "app", "应用", "小程序", "软件", "界面", "闪退", "卡顿", "卡死",
        "加载", "打不开", "登录", "注册", "验证码", "更新", "版本", "bug", "BUG", "崩溃",
        "页面", "操作", "不好用", "好用", "流畅", "白屏", "推送", "下单页", "搜索功能",
    ),
    "门店环境": (
        "门店", "店里", "店内", "环境", "装修", "卫生", "干净", "整洁", "很脏", "脏乱",
        "停车", "停车位", "座位", "空调", "灯光", "噪音", "吵闹", "拥挤", "宽敞", "洗手间",
        "厕所", "氛围", "陈列", "试衣间",
    ),
    "等待时长": (
        "等待", "等了", "排队", "久等", "太久", "很久", "半天", "占线", "没人接",
        "响应慢", "回复慢", "处理慢", "效率低", "效率高", "拖延", "耽误", "等候", "迟迟",
        "催了", "一直没", "好几天", "慢吞吞",
    ),
}


def default_topic_names() -> list[str]:
    return list(DEFAULT_TAXONOMY)


@transaction.atomic
def taxonomy_install_default(*, organization_id: int) -> int:
    """Give an organization the default taxonomy; returns how many topics were created.

    Idempotent: a topic whose name already exists (edited, deactivated or custom) is left as
    it is, so re-running never overwrites a tenant's changes.
    """
    existing = set(Topic.all_orgs.filter(organization_id=organization_id,
                                         name__in=list(DEFAULT_TAXONOMY))
                   .values_list("name", flat=True))
    new = [Topic(organization_id=organization_id, name=name, keywords=list(keywords),
                 origin=Topic.Origin.DEFAULT)
           for name, keywords in DEFAULT_TAXONOMY.items() if name not in existing]
    Topic.all_orgs.bulk_create(new, ignore_conflicts=True)
    return len(new)


def on_organization_created(*, organization_id: int, **_payload) -> None:
    """cem's ORGANIZATION_CREATED: seed the default taxonomy in the creator's transaction."""
    taxonomy_install_default(organization_id=organization_id)
