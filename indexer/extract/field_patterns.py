"""Data only: the cues, shapes and bounds by which titles.py, sources.py and sites.py each
find one field of an article (its headline, its credited sources, the site that printed it).

Kept apart from patterns.py, whose line kinds every stage shares, so a field's rule and its
finder are read side by side. No rule names a site: they describe shapes that Chinese news
and government portals share.
"""

from __future__ import annotations

import re

MAX_SITE_CHARS = 30
MAX_ACCOUNT_CHARS = 20  # a WeChat-style account name under the byline
MAX_INFERRED_TITLE_CHARS = 30
MIN_INFERRED_TITLE_CHARS = 8
MAX_HEADLINE_LINES = 3  # a long headline may be printed over this many lines
# Marks that come in pairs: a headline broken inside one is one headline (titles.py).
HEADLINE_PAIRS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"), ("【", "】"), ("「", "」"))
# A headline a table layout prints after its date in brackets: "[2008-05-12] 标题".
LEADING_BRACKETED_DATE = re.compile(
    r"^\s*[\[【(（]\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*[\]】)）]\s*"
)
# An official document's title ends with its kind (文种): a short line that does is the end
# of a title broken over two lines ("某某市科技局2024年" / "工作要点"), never a name.
DOC_KIND_END = re.compile(
    r"(?:通知|通告|公告|意见|办法|方案|要点|规划|决定|决议|批复|报告|细则|规定|措施|纲要|"
    r"计划|总结|函|公示|公报|条例|指南|清单|目录)$"
)
MAX_DOC_KIND_TAIL_CHARS = 12
# Where an inferred title may be cut: the end of the first clause.
CLAUSE_END = re.compile(r"[。！？!?；;，,：:]")
# Credit lines: "来源:内蒙古日报", "(摘编自:青城融媒、包头日报)", "转自 XX".
# The labels a byline's credit also goes by: who supplied the text (供稿, 信息提供), the
# issuing body of a government page (发布机构), where it was reposted from (转贴自, 出处).
SOURCE_CUE = re.compile(
    r"(?:信息来源|文章来源|本文来源|稿件来源|来源单位|来源于|來源於|来源|來源|稿源|摘编自|摘編自|"
    r"转载自|轉載自|转贴自|轉貼自|转自|轉自|编自|供稿单位|供稿單位|供稿|稿件提供|信息提供单位|信息提供單位|信息提供|撰稿单位|撰稿單位|"
    r"发布机构|發布機構|发布单位|發布單位|出处|出處|来自|來自)\s*[:：]\s*"
    r"|(?:信息来源|文章来源|稿件来源|来源|來源)\s*[/／]\s*(?=[\u4e00-\u9fff])"
    r"|(?:本文来源于|来源于|來源於|摘编自|摘編自|转载自|轉載自|转自|轉自)\s*"
    # a table layout's cells, "发布日期 2024-03-05 来源 市应急管理局": no colon, a space
    r"|(?<![\u4e00-\u9fff])(?:信息来源|文章来源|来源|來源)\s+(?=[\u4e00-\u9fff])"
)
# A cue the byline ends on: its value is the next line ("来源：" then "市应急管理局").
DANGLING_CUE = re.compile(r"(?:来源|來源|稿源|供稿|出处|出處|发布机构|信息提供)\s*[:：]\s*$")
# A news agency's dateline opening the body names the outlet: "新华社北京3月5日电",
# "中新网3月5日电"; "本报讯" names none.
AGENCY_DATELINE = re.compile(
    r"^\s*(?P<outlet>[^\s，,。:：（(【\d]{1,10}?(?:社|网|網|报|報|台))[\u4e00-\u9fff]{0,8}?"
    r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)"
)
# What ends a source value on a byline: the next field's label.
FIELD_LABEL = re.compile(
    r"\s*(?:发布|發布|日期|时间|時間|作者|编辑|編輯|责任编辑|点击|點擊|浏览|瀏覽|阅读|閱讀|字号|"
    r"字體|字体|发表|收藏|分享|打印|记者|記者|通讯员|通訊員|摄影|攝影|撰稿|撰文|文/|图/|图文/|"
    r"选稿|選稿|责编|責編|编审|編審|审核|審核|校对|校對|"
    # any labelled date or time field after a space, however named ("信息提供日期：")
    r"(?<=\s)[\u4e00-\u9fff]{1,4}?(?:日期|时间|時間)\s*[:：])"
)
PICTURE_CREDIT = re.compile(r"(?:图片|圖片|照片|图|圖|摄影|攝影|视频|視頻)\s*$")
CREDIT_LABEL_WORD = re.compile(
    r"^(?:原创稿?|原創稿?|独家|獨家|专稿|專稿|供稿|转载|轉載|综合|綜合)$"
)
# How a platform marks its own accounts' posts, printed apart before the headline
# ("原创 最不愁吃肉的国家…"): not the headline's words. Glued on, it may be ("原创歌曲…").
TITLE_LABEL = re.compile(r"^(?:原创|原創|独家|獨家)\s+(?=\S)")
# A credit that names nobody: "来源：网络" (found on the web), "来源：不详".
NO_OUTLET = re.compile(
    r"^(?:网络|網絡|互联网|互聯網|网上|網上|网友|網友|其他|其它|不详|不詳|未知)$"
)
# A credit for who gathered the text, not who wrote it: "酷勤网收集", "某某整理".
COMPILER_CREDIT = re.compile(r"(?:收集|整理|搜集)(?:整理)?$")
# Widget words a dump runs on after a credited name: "来源: 新华社举报".
TRAILING_WIDGET_WORDS = re.compile(r"(?:举报|纠错|分享|收藏|打印|评论|关注|订阅)+$")
# Labels a byline puts before its fields, cleared before looking for an uncued outlet.
BYLINE_LABELS = re.compile(
    r"(?:原创|原創|首发|發布時間|发布时间|发布日期|发稿时间|时间|時間|日期|更新时间|发表时间)\s*[:：]?"
)
# How an outlet's name ends (a person's name does not): 网, 报, 社, 站, 台, 刊, 新闻...
OUTLET_END = re.compile(
    r"(?:网|網|报|報|社|站|台|刊|新闻|新聞|在线|客户端|频道|頻道|杂志|雜誌|融媒|传媒|傳媒|"
    r"中心|局|委|厅|廳|部|办|辦|院|会|會|政府)$"
)
SOURCE_SPLIT = re.compile(r"[、,，;；/|｜\s]+")
DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$", re.I)
SOURCE_TRIM = "()（）【】[]<>《》“”\"' :：.。"
# A name printed before its cue ("中宏网版权所有") is bounded: unbounded, a long run of
# text without the cue is tried from every one of its characters to its end, the square of
# its length.
_NAME_BEFORE_CUE = rf"[^\s:：©|,，]{{2,{2 * MAX_SITE_CHARS}}}?"
# Branding lines, in the order a site name is trusted: (regex, group holding the name).
# "中宏网版权所有" puts the name before the cue, "版权所有:XX" after it.
SITE_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?:版权所有|版權所有)\s*(?:[:：]|©|\(c\)|(?=\d{4}))\s*(?:©|\(c\))?\s*"
        r"(?:\d{4}(?:\s*-\s*\d{4})?)?\s*"
        r"(?P<name>[^\s:：©|,，]{2,})",
        re.I,
    ),
    re.compile(rf"(?P<name>{_NAME_BEFORE_CUE})\s*(?:版权所有|版權所有)"),
    re.compile(r"(?:版权所有|版權所有)\s*(?P<name>[\u4e00-\u9fff][^\s:：©|,，]+)"),
    # "39健康网 - …平台 Copyright © 2000-2024": the portal's name opens its copyright line.
    re.compile(r"^\s*(?P<name>[^\s:：©|,，]{1,20}?(?:网|網))\s.*(?:Copyright|©)", re.I),
    re.compile(r"(?:主办单位|主辦單位|主办|主辦)\s*[:：]\s*(?P<name>[^\s:：|,，]{2,})"),
    re.compile(r"(?:运营机构|運營機構|运营单位|運營單位)\s*[:：]\s*(?P<name>[^\s:：|,，]{2,})"),
    re.compile(rf"(?P<name>{_NAME_BEFORE_CUE})(?:主办|主辦)(?:单位)?(?=\s|$)"),
    re.compile(r"(?:运营管理|承办单位|承辦單位)\s*[:：]\s*(?P<name>[^\s:：|,，]{2,})"),
    re.compile(
        r"(?:Copyright|©)\s*(?:©|\(c\)|@)?\s*(?:\d{4}(?:\s*-\s*\d{4})?)?\s*(?:by\s+)?"
        r"(?P<name>[^\s:：©|,，]*[\u4e00-\u9fff][^\s:：©|,，]*)",
        re.I,
    ),
)
# A government portal is run by the government's general office: "XX市人民政府办公室主办"
# names the office, the portal is "XX市人民政府".
OFFICE_OF = re.compile(r"^(?P<portal>.{2,}(?:政府|公署|委员会|管委会|厅|局|委))(?:办公室|办公厅)$")
HEADER_LINES = 3  # how many lines at the top of a page may carry the portal's own name
# A "标题:" row in a government document's information table names the title outright.
TITLE_FIELD = re.compile(
    r"^\s*(?:标题|標題|题名|名称|名稱|文件名称|文件标题|公文标题|信息名称)\s*[:：]\s*(?P<title>\S.*)$"
)
TRAILING_CREDIT_LINES = 16  # how far under the body a credit inside another line may sit
# A body that opens with its reporter's outlet: "经济观察报记者 田国宝 3月下旬…".
REPORTER_OF = re.compile(r"^\s*(?P<outlet>[^\s，,。:：（(]{2,12}?)\s*(?:特约记者|记者|通讯员)")
SELF_REFERENCE = re.compile(r"^(?:本报|本網|本网|本台|本站|本刊)")  # "本报记者": names no outlet
REPORTER_PARAGRAPHS = 2  # a picture credit may stand before the reporter's line
MIN_BELOW_TITLE_CHARS = 8  # a headline under the byline is longer than an account name
# A name this short right over a byline, under a longer headline, is its author's or
# account's ("加拿大必读" under the headline, over "发布时间：…"), not the headline.
MAX_NAME_OVER_BYLINE_CHARS = 6
# A writer's card between headline and byline (heads.card_name): a name of two to four
# Chinese characters alone, then a caption that runs the name into the writer's post.
CARD_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
MAX_CARD_CAPTION_CHARS = 40
CARD_PUNCTUATION = re.compile(r"[，,。！？!?：:；;、\s“”\"《》]")
# The author and the outlet printed as one short credit over the byline: "甲乙/某某日报".
NAME_AND_OUTLET = re.compile(r"^[\u4e00-\u9fff·]{2,4}\s*[/／]\s*[\u4e00-\u9fff]{2,10}$")
# An image a text browser names by its file ("[xin_1930609]", "[W020190918]"): no words.
FILE_PLACEHOLDER = re.compile(r"\[[A-Za-z0-9_.\-]{1,40}\]")
# The gap a text dump leaves between two columns of a table layout on one row (dumps
# shrink wider runs to four spaces): what follows it belongs to another column.
COLUMN_GAP = re.compile(r"[ \u3000]{3,}")
# WeChat-style bylines name the publishing account: "原创 科技内蒙古 2024-02-20 18:32".
ACCOUNT_BYLINE = re.compile(r"^(?:原创|原創)\s+(?P<name>[^\s\d][^\s]{1,19})\s")
# A licence number a dump runs on after the name on a copyright line: "明日大盘京ICP备…".
LICENCE_TAIL = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]?"
    r"(?:ICP|公网安备|公網安備).*$",
    re.I,
)
# The portal a byline opens with, before the date: "新华网河北频道 ( 2012-06-04 … )".
BYLINE_PORTAL = re.compile(r"^\s*(?P<name>[^\s\d:：()（）|]{2,20})\s*[(（]?\s*$")
# A portal credited for gathering the text: "酷勤网收集" on the byline.
GATHERED_BY = re.compile(r"(?P<name>[^\s:：，,]{1,12}?(?:网|網|站))\s*(?:收集|整理|搜集)")
SITE_JUNK = re.compile(r"^(?:©|\(c\)|copyright|all|rights|reserved|\d{4}(?:-\d{4})?)$", re.I)
# "<title>" suffixes: "Article title_Site name", "Article title - Site name".
TITLE_SUFFIX_SEPS: tuple[str, ...] = ("_", " - ", " — ", " – ", "--", " | ", "｜", "-", "－")
# Separators headlines use themselves: a suffix after them must name a site (…网, …报).
TITLE_SEPS_NEEDING_SITE_WORD = frozenset({"|", "｜", "-", "－"})
# Site names: what surrounds a portal's name in footers and meta tags.
SITE_AFFIXES = re.compile(
    r"^(?:本网站由|本站由|由|关注|欢迎访问|欢迎来到|欢迎光临)|"
    r"(?:主办方|主办|主辦|承办|运营|版权所有|互联网新闻信息服务许可证.*|官方微博|官方微信|"
    r"[Cc]opyright.*|[Aa]ll\s*[Rr]ights.*)$"
)
SITE_PART_SPLIT = re.compile(
    r"\s+[-－—–|｜_]\s+|\s*[|｜_·•]\s*|\s+-|-\s+|(?<=[\u4e00-\u9fff])[-－](?=[\u4e00-\u9fff《])|"
    # a slogan after a double dash ("快科技--科技改变未来"); the name's English form after
    # the Chinese one ("澎湃新闻-The Paper", "新浪网 Sina")
    r"\s*[-－—]{2,}\s*|(?<=[\u4e00-\u9fff])(?:\s*[-－—]\s*|\s+)(?=[A-Za-z])"
)
SITE_PART_TRIM = "-－—–_|｜·• "  # what a part of a name split on separators never ends with
# A note in brackets after a portal's name: "快科技(驱动之家旗下媒体)" is 快科技.
SITE_NOTE_TAIL = re.compile(r"(?<=\S\S)\s*[(（][^()（）]{2,20}[)）]\s*$")
SITE_PREFIX_DOT = re.compile(r"[·•]")  # "中国·浙江省…": the longest part is the name
# A company's legal form after its brand: "网易公司", "新华网股份有限公司", "凤凰新媒体",
# with its branch office ("…有限公司深圳分公司"). A 网 ends the brand: "千龙网络有限公司"
# runs 千龙网.
_BRANCH = r"(?:[^\s网]{1,6}分公司)?"
SITE_COMPANY = re.compile(
    r"(?<=\S)(?:[^\s网]{0,16}?(?:股份有限公司|有限责任公司|有限公司)" + _BRANCH + r"|公司|集团|"
    r"集團|新媒体|新媒體|杂志社|雜誌社|(?<=新闻)报社|(?<=新聞)報社|(?<=报)社|(?<=報)社)$"
)
# Only a company's legal form, when nothing before it ends the brand: "北京晨星科技有限公司"
# keeps "北京晨星科技" (the brand is all the line names), never a single character.
LEGAL_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|公司|集团|集團)" + _BRANCH + "$")
# A site named in Latin letters only ("ZAKER", "TechNode", "ITmedia"), as its meta tags,
# its <title> suffix or its copyright line brand it: letters first, at least two of them.
LATIN_SITE = re.compile(r"^(?=(?:.*[A-Za-z]){2})[A-Za-z][A-Za-z0-9&'’ .\-]{0,28}[A-Za-z0-9]$")
# What follows a Latin brand on its copyright line: the rights notice, a legal form.
LATIN_SITE_TAIL = re.compile(
    r"[\s,.]*(?:All\s+Rights\s+Reserved.*|Inc\.?|Ltd\.?|Co\.?,?\s*Ltd\.?|Corp(?:oration|\.)?|"
    r"LLC|Limited)\s*\.?$",
    re.I,
)
# "Copyright © 2011-2024 TechNode All Rights Reserved": the Latin brand after the years.
LATIN_COPYRIGHT = re.compile(
    r"(?:Copyright|©|\(c\))\s*(?:©|\(c\))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?:by\s+)?"
    r"(?P<name>[A-Za-z][A-Za-z0-9&'’ .\-]{1,40}?)"
    r"(?=\s*(?:[,，]\s*)?All\s+Rights|\s*[,，|｜]|\s{2,}|\s*(?:版权|版權)|\s*\.?\s*$|\.\s)",
    re.I,
)
NOT_A_SITE = re.compile(
    r"^(?:本站|本网|本站原创|原创|首页|网站首页|当前位置|链接)|"
    # A channel named by its beat alone ("国内新闻 > 正文"): every portal has one.
    r"^(?:国内|国际|社会|财经|体育|科技|娱乐|军事|地方|本地|要闻|图片|视频|时政|综合|滚动|"
    r"即时|最新|热点|國內|國際|財經|體育|軍事)(?:新闻|新聞|资讯|資訊|频道|頻道)$|"
    # An office inside the publisher, credited by its bare name ("办公室", "科技处", "宣传部"):
    # who wrote it, not whose site it is.
    r"^[\u4e00-\u9fff]{0,2}(?:办公室|辦公室|处|處|科|室|股|组|組|宣传部|宣傳部)$|"
    # A disclaimer after the copyright sign ("© 2013 非本网站内容…概不负责"): a sentence
    # about what the site answers for, not its name.
    r"^[非不]本|(?:负责|負責|无关|無關|责任|責任)$"
)
# The operator's descriptor inside a portal's branded name: "长江互动传媒网" is the portal
# "长江网" run by a media company; the short name is used where the page says it.
PORTAL_DESCRIPTOR = re.compile(
    r"^(?P<stem>[^\s]{2,8}?)(?:互动|互動|传媒|傳媒|网络|網絡|文化传播|文化傳播|数字|數字)+"
    r"(?P<end>网|網)$"
)
# A <title> that ends with the site's domain ("…_新闻中心_长江网_cjn.cn"): the part before
# the domain names the site.
MIN_GLUED_OUTLET_CHARS = 3  # an outlet glued before the site's name: "人民日报海外版中国青年网"
TITLE_DOMAIN_TAIL = re.compile(
    r"\s*(?:_|\s[-|｜–—]\s|\|)\s*(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\s*$", re.I
)
MAX_BARE_TITLE_SITE_CHARS = 16  # a <title> of the site's name alone (sites.bare_title_site)
BARE_TITLE_SITE = re.compile(
    r"(?:网|網|站|台|报|報|社|政府|门户|門戶|厅|廳|局|委员会|委員會|委|院|办公室|中心)$"
)
# A portal's name printed alone as the first line of a dump (the logo's text): how a
# portal or a public body ends its name, never a section's ("新闻中心", "工作动态").
HEADER_SITE = re.compile(r"(?:网|網|网站|網站|政府|门户|門戶|厅|廳|局|委员会|委員會)$")
PORTAL_END = re.compile(r"(?:网|網|站|台|报|報|政府|门户|門戶)$")
# The first crumb of a breadcrumb trail: "新华网 > 时政 > 正文", "人民网>>经济·科技".
CRUMB_ROOT = re.compile(
    r"^\s*(?:(?:当前位置|您的位置|你的位置|现在位置|所在位置)\s*[:：]?\s*)?"
    r"(?P<name>[^\s>＞»›:：]{2,20}?)\s*(?:>>?|＞|»|›)"
)
# Publishing platforms that host many accounts: their name is not the site, the account is.
PLATFORM_SITES = frozenset(
    {
        "微信公众平台",
        "微信",
        "wechat",
        "今日头条",
        "头条号",
        "百家号",
        "搜狐号",
        "网易号",
        "企鹅号",
        "澎湃号",
    }
)
