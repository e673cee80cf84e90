"""Data only: the regexes, cue words and thresholds that extraction runs on.

Every rule that recognises a kind of line (menu, widget, footer, date line, credit line)
lives here as data, so the code in load.py, lines.py, heads.py, body.py and metadata.py
stays a small set of steps and a new portal's quirk is a one-line change in one place.
The rules of one stage only have their own modules beside this one: field_patterns.py
(titles, sources, sites), html_patterns.py (HTML pages and their head), document_patterns.py
(the documents an article mentions). No rule names a site: they describe
shapes that Chinese news and government portals share.
"""

from __future__ import annotations

import re

# --- sizes ------------------------------------------------------------------------------

MAX_FILE_BYTES = 20 * 1024 * 1024  # larger files are skipped unread: no article is that big
SNIFF_BYTES = 4096  # how much of a file decides "binary" and "HTML"
MAX_CONTROL_RATIO = 0.01  # more control characters than this in decoded text means binary
# A page may have a few invalid bytes and still be read (with replacement): at most this
# share of its characters, and never more than this many; a short page (a news flash)
# may have up to MIN_REPLACED, while they stay a small share of its text.
MAX_REPLACED_SHARE = 0.005
MAX_REPLACED = 64
MIN_REPLACED = 4
MAX_SHORT_REPLACED_SHARE = 0.05

MAX_DATELINE_CHARS = 120  # a date/source line is short; longer lines are prose
MAX_DATELINE_REST = 14  # a cue-less date line may carry only this much besides the date
MAX_CHROME_CHARS = 40  # widgets, editor credits and labels are never longer than this
MIN_DOUBLED_CHARS = 4  # a line of one text twice, alt text beside its caption (lines.undoubled)
MAX_DOUBLED_GAP = 3  # spaces between the two copies
MAX_CRUMB_CHARS = 80  # breadcrumbs and image names; a longer line is something else
MENU_LINK_RATIO = 0.6  # a line mostly made of link text (and no full stop) is navigation
MAX_FOOTER_CHARS = 160  # licence/copyright lines; prose mentioning "电话" is longer
MAX_CREDIT_CHARS = 120  # "(摘编自:...)" and "来源:..." lines
MAX_TITLE_CHARS = 100
MIN_TITLE_CHARS = 4
MIN_BULLET_PROSE_CHARS = 50  # a bulleted line this long with a full stop is content
MIN_REPEAT_CHARS = 20  # a repeated run shorter than this (in folded chars) is kept
MIN_BODY_CHARS = 20  # less prose than this is not an article
MIN_HEADLESS_BODY_CHARS = 60  # nor this much without a full stop, under no headline and byline
FULL_STOP = "。"
# A news flash: one closed sentence under a headline and its dated byline may be shorter
# ("美联储宣布维持利率不变。"); taken only when no longer run on the page is an article.
MIN_FLASH_CHARS = 8
MIN_TITLE_HAN = 2  # a headline of a Chinese page holds Chinese characters
MAX_NOISE_CHARS = 12  # a line this short without Chinese characters is an icon or counter
# Article heads (heads.py): how a byline block and its headline may be spread out.
MAX_BYLINE_LINES = 8  # lines a byline block may reach from its date line, up or down
MAX_LINES_OVER_BYLINE = 2  # other lines that may stand between a headline and its byline
MAX_HEADLINE_SCAN = 40  # lines looked at over a byline block, blank and widget lines included
NAMED_HEAD_SHARE = 0.5  # a head <title> names wins with this share of the best head's prose
MAX_HEAD_TO_BODY_LINES = 25  # lines, not counting blank, widget or image, from byline to text
MIN_TEXT_BEFORE_RELATED = 150  # prose under a byline that a related-links box then ends
MAX_HEAD_TO_BODY_SCAN = 100  # lines looked at under a byline block, blank and widget included
MAX_SHARE_BAR_WORD = 4  # a lone "评论" this short under a byline is a share-bar link

# Line weights for the densest-cluster search (body.select_body). Content lines weigh
# their length; everything else pulls the cluster apart.
WEIGHT_STOP = -100_000  # hard boundary: nothing crosses a footer or a prev/next link
WEIGHT_MENU = -30
WEIGHT_WIDGET = -30
WEIGHT_SHORT = -8  # a short unpunctuated line: a subheading inside a body, chrome outside
WEIGHT_LONG_BARE = -20  # a long line without any punctuation: a row of links
# A short punctuated line that ends without punctuation is a headline in a link list
# when it stands alone, or a subheading when prose surrounds it: it may not start or end a
# body, but it stays inside one.
WEIGHT_HEADLINE = -4
MAX_HEADLINE_CHARS = 40
# Site templates (templates.py): a line on this share of a site's pages is its chrome,
# once the corpus holds this many pages of the site; a paragraph longer than this is the
# site's reporting however often it recurs.
MIN_SITE_PAGES = 5
TEMPLATE_SHARE = 0.2
MAX_TEMPLATE_PROSE_CHARS = 60
# A line that can be told apart across pages: two Chinese characters, or a word of three
# Latin letters (an image's file name); "[1]" or "[    ]" recur on many pages by chance.
# A photo's credit ("（图片来源：全景视觉）", "▲图片提供：东方IC") names the agency of this
# article's picture: it stays with the article even when the site's pictures mostly come
# from one agency.
PHOTO_CREDIT_LINE = re.compile(
    r"^[\s（(【\[▲]*(?:图片|圖片|照片|图|圖)(?:来源|來源|提供|作者)?\s*[:：]"
)
TELLING_LINE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff].*[\u3400-\u9fff\uf900-\ufaff]|[A-Za-z]{3}")
# How a line may end and still be prose: any punctuation (a hard-wrapped paragraph breaks
# after commas too).
PROSE_CLOSE = re.compile(r"[,，。、！？!?；;：:…”’」』)）\]】\"'—-]$")
LONG_BARE_CHARS = 50
# A short line that only asks or exclaims, with no clause inside it, is a headline in a link
# list ("能否“计件反腐”?"), not a sentence of a body.
ASKING_HEADLINE = re.compile(r"^[^,，。;；、:：]*[?？!！]$")

# --- characters -------------------------------------------------------------------------

# Punctuation that marks prose (full-width and the NFKC half-width forms alike).
PROSE_PUNCT = re.compile(r"[,，。;；!！?？、:：]")
SENTENCE_END = re.compile(r"[。！？!?；;]")
BULLET = re.compile(r"^\s*(?:[•·▪◆◇●○■□►▶\-*+]|\d{1,2}[.、)])\s+")
# Markdown left by HTML-to-text converters: "# 标题", "[首页](http://...)", "![](a.jpg)".
MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.{1,200}?)(?<=\S)\1")  # bounded: see SITE_CUES
# A date a page lays out in pieces, one per line: the year, then the month and day, then
# maybe the time ("2019" / "09/07" / "19:02"): join_split_dates puts them back together.
DATE_PIECE_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})年?$")
DATE_PIECE_DAY = re.compile(r"^(?P<m>\d{1,2})\s*[/\-.月]\s*(?P<d>\d{1,2})日?$")
DATE_PIECE_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
# Box-drawing a text browser puts around boxed quotes and table cells: its edges, and lines
# made of nothing else.
# Characters stripped from a line's ends, as str.strip arguments: a regex for "spaces at
# the end" ([\s]+$) retries from every space of a long inner run, the square of its length.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)  # what \s and str.isspace take
# A run of spaces inside a dump line longer than this is cut to this: a wide gap still
# reads as one (field_patterns.COLUMN_GAP), and no pattern that starts or ends on spaces
# retries along a run of thousands, which costs the square of its length.
MAX_SPACE_RUN = 8
LONG_SPACE_RUN = re.compile(rf"\s{{{MAX_SPACE_RUN + 1},}}")
BOX_EDGE_CHARS = WHITESPACE + "".join(map(chr, range(0x2500, 0x2580)))  # box drawing
EDGE_SPACE_CHARS = WHITESPACE + "\u200b\ufeff"  # and zero-width space, BOM
URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What w3m prints for images and form fields: "[W020190918]", "[svg]", "[提 交]", "[    ]".
PLACEHOLDERS_ONLY = re.compile(r"^(?:\s*\[[^\[\]]{0,40}\])+\s*$")
SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")

# A pinyin note left after a character that a broken conversion mangled into Latin or
# "?" ("規?;D(zhuǎn)型"). normalize.strip_pinyin_notes covers notes after Han characters;
# this catches the rest, still requiring a tone mark so "(R&D)" and "(abc)" stay.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A private-use character: an icon font's glyph (a share or a play button drawn as a
# character), which no text means and no reader can read.
ICON_GLYPH = re.compile("[\ue000-\uf8ff]")
STRAY_PINYIN_NOTE = re.compile(
    rf"(?<=[^\s(（])[(（](?=[a-zü{_TONED}]{{0,5}}[{_TONED}])[a-zü{_TONED}]{{1,6}}[)）]"
)

# --- dates ------------------------------------------------------------------------------

# Old pages print dates in full-width digits and marks ("２００８－０５－１２"): \d takes
# any decimal digit and int() reads it, so only the literal parts name both widths.
DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20|１９|２０)\d{2})(?:\s*[-/.年－／．]\s*|\s+(?=\d{1,2}[/／]\d{1,2}))"
    r"(?P<m>\d{1,2})\s*[-/.月－／．]\s*"
    # a dump may glue the time to the day ("2019-09-3007:42"): two digits then "HH:MM"
    r"(?P<d>\d{1,2})(?:(?!\d)|(?=\d{2}[:：]\d{2}(?!\d)))"
    r"\s*日?(?:(?:\s*|T)(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
# A date in Chinese numerals: "二〇〇九年十一月九日", "二〇二三年五月二十日".
HAN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
# A blog's localised date, month first and year last: "十一月 6th, 2009", "3月 21, 2010".
MONTH_FIRST_DATE = re.compile(
    r"(?<![一二三四五六七八九十\d])([一二三四五六七八九十]{1,3}|\d{1,2})月\s*(\d{1,2})"
    r"(?:st|nd|rd|th)?\s*[,，]\s*((?:19|20)\d{2})(?!\d)"
)
# A byline date platform pages print without its year ("发布时间：10-08 12:00") or with
# two digits of it ("发布时间：18-03-08 23:16"). Only after a publish cue and with a time,
# since "10-08" alone may be a score or a range; dumps glue the time on ("10-0812:00").
CUED_SHORT_DATE = re.compile(
    r"(?:发布|發布|发表|發表|时间|時間|日期)\s*[:：]?\s*"
    r"(?<!\d)(?:(?P<y>\d{2})-)?(?P<m>\d{1,2})-(?P<d>\d{2})\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?!\d)"
)
TWO_DIGIT_YEAR_PIVOT = 70  # "18-03-08" is 2018, "98-03-08" is 1998
# A byline date given relative to the day the page was served: "3小时前", "25分钟前",
# "2天前", "昨天 10:20". Read only against a reference date the page itself prints (its
# header's calendar); "今天"/"昨天" count only with a time, since alone they are words.
RELATIVE_DATE = re.compile(
    r"(?<!\d)(?P<n>\d{1,3})\s*(?P<unit>分钟|分鐘|小时|小時|天)前"
    r"|(?P<day>今天|昨天|前天)\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?!\d)"
    r"|^\s*(?P<alone>今天|昨天|前天)\s*$"  # the day alone, as a platform's post prints it
)
# A date in brackets closing a line above the body: old pages print it after the headline,
# "某市召开安全生产工作会议（2008-05-12）", or alone, "(2008-05-12 09:30:00)". A month
# follows the year: a span of years ("编年史（1978-2018）") is part of the headline.
BRACKETED_DATE_END = re.compile(
    r"[(（\[【]\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月][^()（）\[\]【】]{1,16}[)）\]】]\s*$"
)
HEADLINE_DATE_LINES = 3  # how far above the body the headline with its date may stand
# The note a republished article closes with, without a 来源 cue: the paper it ran in and
# that day's date ("（某某日报 2008年5月12日）", "（原载《某某日报》2008年5月12日第3版）").
PUBLICATION_NOTE = re.compile(
    r"^\s*[(（]?\s*(?:原载于?|原文刊载于|刊载于|刊于|载于|摘自|转自|选自|转载自)?\s*"
    r"(?P<outlet>《[^《》]{2,20}》|[\u4e00-\u9fff]{2,12}?(?:日报|晚报|时报|周报|报|网|網|社|"
    r"杂志|周刊|新闻|电视台|广播电台))\s*[(（]?\s*"
    r"(?P<date>(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*"
    r"(?:[,，]?\s*第?\s*[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版)?\s*[)）]?\s*[)）]?\s*$"
)
# A page header's calendar names the day the page was served: "今天是2024年3月5日 星期二".
TODAY_CUE = re.compile(r"今天是|今日是")
MAX_REFERENCE_LINES = 12  # the header's calendar sits among the page's first lines
# Words that make a short line with a date a byline rather than a sentence.
DATELINE_CUE = re.compile(
    r"发布|發布|日期|时间|時間|来源|來源|稿源|作者|编辑|編輯|点击|點擊|浏览|瀏覽|阅读|閱讀|"
    r"发表|發表|字号|字號|收藏|更新"
)
# Lines with a date that are page chrome, not the article's byline.
NOT_DATELINE = re.compile(
    r"今天是|今日是|天气|農曆|农历|版权|Copyright|ICP|"
    # a notice's own schedule ("申报时间:2024年5月10日至6月10日") is body, not byline
    r"(?:会议|活动|申报|报名|截止|开始|结束|举办|培训|考试|受理|征集|实施|办理|开放|提交|评审|"
    r"公示|缴费|报送)(?:时间|日期|期限)|\d日?\s*(?:至|到|—|~|～)\s*\d|"
    # a full-width hyphen is a range after a day or before a year, else a date's own mark
    r"\d日\s*－\s*\d|\d\s*－\s*(?:19|20|１９|２０)\d{2}",
    re.I,
)

# A clause after a comma closed by a sentence end ("…的公告，…已无法进行。那么…？"): a
# sentence, never a byline, however many byline cues and dates it holds.
CLOSED_CLAUSE = re.compile(r"[，,][^，,。！？!?]*[。！？!?]")

# A weekday beside a date is a page header's calendar ("2024年3月5日 星期二"), unless a
# byline cue (DATELINE_CUE) says the line is a byline ("时间：2012年3月5日 星期一").
WEEKDAY = re.compile(r"星期|礼拜|週|周[一二三四五六日天]")

# The note under a law's or a document's title: when and by whom it was adopted or issued.
DOC_NOTE = re.compile(
    r"^\s*[(（][^()（）]{0,40}(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[^()（）]{0,60}"
    r"(?:通过|发布|印发|公布|施行|修订|修正|批准)[^()（）]{0,20}[)）]\s*$"
)

# --- line kinds -------------------------------------------------------------------------

# Hard stops: after one of these the article is over (or before one, not yet begun).
PREV_NEXT = re.compile(
    r"^[\s\[【(（]*(?:阅读|查看|閱讀)?(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)"
)
# Editor credits open a line, or sit in brackets after another widget ("【纠错】【责任编辑:X】").
EDITOR = re.compile(
    r"^[\s\[【(（]*(?:责任编辑|責任編輯|责编|責編|编辑|編輯|审核|審核|审校|审稿|校对|終審|终审|"
    r"初审|复审|监制|值班编辑|网络编辑)\s*[:：]|"
    r"[\[【(（]\s*(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]"
)
# Footer cues: anywhere in a short line for the unmistakable ones, at the line start for
# labels that prose could also use ("电话" is fine in a sentence, "电话:" opening a line is not).
FOOTER = re.compile(
    r"ICP\s*[备證证]|ICP\d|公网安备|公網安備|网安备|版权所有|版權所有|Copyright|©|网站标识码|"
    r"^\s*(?:主办单位|主辦單位|主办|承办单位|承辦單位|承办|协办单位|运营机构|運營機構|运营管理|"
    r"运营单位|技术支持|技術支持|地址|电话|電話|传真|傳真|邮编|郵編|联系电话|服务电话|"
    r"E-?mail|邮箱)\s*[:：\d]|"
    r"^\s*(?:网站地图|网站声明|联系我们|关于我们|隐私政策|免责声明|网站纠错|版权声明|"
    r"互联网新闻信息服务许可证|增值电信业务|广播电视节目制作|信息网络传播视听)",
    re.I,
)
RELATED = re.compile(
    r"^[\s•·\-*]*(?:相关推荐|相关阅读|相关新闻|相关文章|相关链接|相关稿件|为您推荐|为你推荐|推荐阅读|"
    r"热点推荐|热门推荐|热门文章|热点新闻|最新资讯|最新文章|最新新闻|最新动态|延伸阅读|"
    r"猜你喜欢|更多新闻|更多阅读|精彩推荐|往期回顾|热门阅读|网友评论|发表评论|我要评论|全部评论|"
    r"热门评论|精彩评论|评论|留言|我要留言|网友留言)\s*[:：>》]?\s*$"
)
# One related link under its label ("此前报道：某地出台新规", "延伸阅读：…"): another
# story's headline, no sentence of this one; articles print one inside their text too.
RELATED_LINK = re.compile(
    r"^[\s•·\-*]*(?:相关报道|相關報道|此前报道|此前報道|前情回顾|延伸阅读|延伸閱讀|推荐阅读|相关阅读|"
    r"相关新闻|相关链接|往期回顾|点击进入专题|點擊進入專題)\s*[:：>》]\s*[^。！？!?]{0,40}$"
)
# Reprint, copyright and disclaimer notices that portals print under an article: the
# article is over when one starts.
NOTICE = re.compile(
    r"未经(?:授权|许可|允许|书面授权)[^。]{0,12}(?:不得|禁止|严禁|请勿|谢绝)[^。]{0,6}(?:转载|使用|复制)|"
    r"(?:如需|如要|欢迎)转载|转载请(?:注明|联系|与)|(?:不得|禁止|严禁|请勿|谢绝)转载|"
    r"必究|版权(?:归|属于|均属)|权益归.{0,20}所有|"
    r"使用了您的图片|与本站联系索取稿酬|本文仅代表作者|仅代表作者(?:本人)?观点|"
    r"^[\s【\[(（]*(?:免责声明|郑重声明|版权声明|风险提示|声明)\s*[】\])）:：]|"
    # A platform's note under a post its users upload: "…本平台仅提供信息存储服务。"
    r"仅提供信息存储(?:空间)?服务|^Notice: The content above"
)
MAX_NOTICE_CHARS = 200
CRUMB_TAIL = re.compile(r"^\s*正文\s*$")  # the last crumb of a breadcrumb, on its own line
SUMMARY_BOX = re.compile(
    r"^\s*(?:【\s*(?:摘要|导读|導讀|内容提要|提要)\s*】|(?:摘要|导读|内容提要)\s*[:：])"
)
# A promo's call to action in brackets ("…火热进行中！【点击投票】", "[点击进入专题]"): the
# line advertises something else, whatever prose it holds.
CALL_TO_ACTION = re.compile(r"[【\[]\s*(?:点击|點擊|立即|马上|馬上|戳|猛戳)[^】\]]{1,8}[】\]]")
MAX_PROMO_CHARS = 200
APP_PROMPT = re.compile(r"下载\s*APP|扫一扫下载|扫码下载|打开APP", re.I)
# A prompt to follow an account by its QR code ("扫描下方二维码关注…官方微信"): a promo,
# however much about the account it says.
FOLLOW_PROMPT = re.compile(
    r"(?:扫描|扫一扫|掃描|长按|長按|识别|識別)[^。，,]{0,8}二维码[^。]{0,10}关注"
)

# A link glued to the end of a paragraph, past its last sentence: "…仍将持续。返回首页>>".
# The arrow says it is a way out of the page, not the article's words.
LINK_TAIL = re.compile(
    r"(?<=[。！？!?])\s*[●•·]?\s*([^。！？!?\s][^。！？!?]{0,19}(?:>>|＞＞|»|›))\s*$"
)
BREADCRUMB = re.compile(
    r"当前位置|當前位置|您的位置|你的位置|您现在的位置|所在位置|[>＞»›]\s*正文\s*$|\S\s*[>＞»›]\s*$|"
    # the home link, then the path ("首页 > 新闻") or one short section ("首页 - 新闻动态")
    r"^\s*首页\s*(?:[>＞»/›]|[-－—]\s*\S{1,8}\s*$)"
)
# A row of links a text dump prints with separators between them ("网站首页 | 政务公开 |
# 办事指南"): three or more short words, nothing else. A headline holds at most one
# separator between long parts; a table row holds figures; a credit row names the staff
# ("撰文| 某某 摄影|某某").
LINK_ROW = re.compile(
    r"^(?!.*(?:撰文|摄影|攝影|记者|記者|编辑|編輯|作者|通讯员|责编|校对|审核|供图|制图|监制))\s*[^\s|｜│，。,：:；;！？!?\d]{1,8}(?:\s*[|｜│]\s*[^\s|｜│，。,：:；;！？!?\d]{1,8}){2,}\s*$"
)
# The publishing account's card a platform prints over a post: its id and its blurb.
ACCOUNT_CARD = re.compile(r"^\s*(?:微信号|微信號|功能介绍|功能介紹)\s*[:：]?\s*\S")
# A toolbar that opens with the font-size switch ("【字号大中小】 打印 留言 纠错 E-mail推荐:"):
# a widget row however many tools follow it.
FONT_SIZE_BAR = re.compile(r"^[\s\[【]*(?:字体|字體|字号|字號)\s*(?:[:：]|[大中小]\s*[大中小])")
WIDGET = re.compile(
    r"^[\s\[【]*(?:字体|字體|字号|字號)\s*[:：]|打印本页|打印本頁|打印此页|关闭窗口|关闭本页|"
    r"分享到|分享至|扫一扫|掃一掃|扫描二维码|微信扫描|二维码|返回顶部|返回首页|我要纠错|"
    r"浏览器(?:暂时|暂)?(?:无法|不能|不支持)播放|瀏覽器(?:暫時)?(?:無法|不能|不支援)播放|"
    r"加入收藏|^\s*\d*\s*收藏\s*$|^\s*[【\[]?\s*[大中小]\s*[|｜]\s*[大中小]|^\s*[【\[]?\s*打印\s*[】\]]?\s*$|"
    r"^\s*[【\[]?\s*关闭\s*[】\]]?\s*$|浏览次数|阅读次数|点击数|^\s*(?:微信|微博|QQ空间|手机版)\s*$|"
    r"无障碍|長輩版|长辈版|适老化|繁體|简体版|^\s*正文\s*$|"
    r"^\s*(?:下载|下載)?客户端(?:下载|下載)?\s*$|"  # the app's download link beside a byline
    r"^\s*[+＋]?\s*(?:关注|關注|已关注|订阅|訂閱|点赞|點讚)\s*$",  # an account's follow button
    re.I,
)
IMAGE = re.compile(
    r"^\s*(?:图片|圖片|图|圖|image|img|photo)\s*\d*\s*$|"
    r"^\s*\S*\.(?:jpe?g|png|gif|bmp|webp|tiff?)\s*$|微信图片_|微信圖片_|"
    # an image's file name a dump prints as its alt text: one token of letters, six or
    # more digits and nothing else ("003ednc20190925", "W020190918123")
    r"^\s*(?=(?:[A-Za-z_-]*\d){6})(?=[\d_-]*[A-Za-z])[A-Za-z0-9_-]{8,40}\s*$",
    re.I,
)
# A bare attachment or share label with nothing after the colon.
LABEL = re.compile(r"^\s*(?:附件|相关附件|附件下载|附件列表|分享|标签|关键词|關鍵詞)\s*[:：]?\s*$")

CREDIT_LINE = re.compile(
    r"^[\s(（【\[]*(?:信息来源|文章来源|本文来源|稿件来源|来源于|来源|來源|稿源|摘编自|摘編自|转载自|"
    r"轉載自|转自|轉自|本文转自|文章转自|本文转载自)\s*[:：]?"
)
# An author, reporter or photographer field on its own line in a byline block.
# An author box under an article opens with the reporter's title alone on a line
# ("经济观察报地产部记者", "田国宝经济观察报记者"): the article has ended.
AUTHOR_BOX = re.compile(
    r"^[^\s，。,：:；;！!？?]{2,24}(?:记者|記者|特约撰稿人|特約撰稿人|专栏作者|專欄作者)$"
)
MAX_AUTHOR_BOX_LINES = 2  # lines about the writer under the title line of an author box
AUTHOR_LINE = re.compile(
    r"^[\s(（【\[]*(?:作者|作\s*者|记者|記者|通讯员|通訊員|撰文|撰稿|摄影|攝影|文|图|文/图|图/文)"
    r"\s*[:：/]|^(?:本报记者|本報記者|本报通讯员|本報通訊員|本网记者|本網記者|新华社记者|新華社記者)"
)
URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
PLACEHOLDER = re.compile(r"\[[^\[\]]{0,40}\]")  # one w3m image or form-field placeholder
# A widget in lenticular brackets beside a byline's date: "【打印本页】【关闭窗口】".
BRACKETED_WIDGET = re.compile(r"【[^【】]{0,12}】")

# Any "label: value" row of such a table (索引号:, 发文字号:, 主题分类:): never a headline.
# Headlines use "人名:话题" too, so only the table's own labels count.
FIELD_ROW = re.compile(
    r"^\s*(?:索引号|索引號|主题分类|主題分類|发文机关|發文機關|发布机构|發布機構|成文日期|发文字号|"
    r"發文字號|文号|文號|主题词|主題詞|信息分类|公开方式|公開方式|公开范围|有效性|组配分类|"
    r"体裁分类|服务对象|所属机构|信息名称|标题|標題|生成日期|发文日期|实施日期|废止日期|"
    r"原标题|原標題)\s*[:：]"
)
# A document's sign-off: issuer line(s), a bare date, maybe a publication note.
SIGNOFF_NOTE = re.compile(r"^[(（](?:此件|此页|本件)[^)）]{0,12}[)）]$")
MAX_SIGNOFF_LINES = 3
# A note in brackets that closes an article: who wrote it ("（作者系…研究员）", "(记者 高伟)"),
# what it was first called ("（原标题 …）"), a contributor's thanks. An editor's credit in
# brackets is a wall (EDITOR), a 来源 credit a CREDIT line: neither is taken.
CLOSING_NOTE = re.compile(r"^\s*[(（][^()（）]{2,40}[)）]\s*$")
MAX_CLOSING_NOTES = 2
MAX_CLOSING_NOTE_SCAN = 6  # lines looked at under the body, blank ones included
MAX_SIGNOFF_CHARS = 30
# Credit lines at a body's edges (credits.py): who reported, shot or drew the article, on
# a short line of its own right above the first paragraph or right under the last one
# ("本报记者 王珂 北京报道", "□实习记者 向家莹", "新华社北京3月21日电", "制图：郭祥",
# "资料图：招聘会。韩章云 摄"). An editor's credit is not one of them: it is a wall (EDITOR).
REPORTER_CREDIT = re.compile(
    r"记者|記者|通讯员|通訊員|实习生|實習生|特约撰稿|特約撰稿|撰文|(?:报道|報道)$|"
    r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊)$"
)
# A picture's credit under it, with the agency's notice: "图片来源：某某图库 版权作品请勿转载"
# is a caption inside the article, not a footer's rights notice.
PICTURE_SOURCE = re.compile(
    r"^[\s（(【\[]*(?:图片来源|圖片來源|图片|圖片|图源|圖源|供图|供圖)\s*[:：/]"
)
CAPTION_CREDIT = re.compile(
    r"^[\s（(【\[▲□■●]*(?:资料图|資料圖|资料照片|图为|圖為|制图|製圖|摄影|攝影|图/|圖/)|"
    r"(?:摄|攝)\s*[)）]?\s*$"
)
# A line with a sentence end or a quotation is a subtitle that mentions reporters.
NOT_REPORTER_CREDIT = re.compile(r"[。！？!?；;“”「」]")
# The page's editor credit without a colon ("责编 甲"): a credit, but of the page.
EDITOR_FIRST = re.compile(r"^[\s\[【(（]*(?:责任编辑|責任編輯|责编|責編)")
# Two or more names of one to four Chinese characters apart by spaces, nothing else.
NAMES_LINE = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:[ \u3000]+[\u4e00-\u9fff]{1,4}){1,9}$")
MAX_REPORTER_CREDIT_CHARS = 40  # a reporters' line, however many names it lists
MAX_PICTURE_CREDIT_CHARS = 80  # a caption with its photographer's credit
MAX_EDGE_CREDITS = 3  # credit lines kept at one edge of a body
MAX_EDGE_CREDIT_SCAN = 6  # lines looked at beyond an edge, blank and image lines included
TRAILING_DATE_LINES = 12  # how far under the body a labelled date line may sit
SUBTITLE = re.compile(r"^\s*(?:——|—|--)")  # "——记某某" under a headline is not the headline
