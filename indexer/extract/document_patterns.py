"""Data only: the shapes by which documents.py finds the policies an article mentions: the
kinds of document a 《…》 title may end with, the brackets and the shape of a document number,
and the bounds that keep the cost linear in the page (see documents.py for the rules).
"""

from __future__ import annotations

import re

MAX_DOCUMENTS = 50  # per article: a page listing a whole catalogue is not about each entry
TITLE_MAX = 100  # characters inside 《…》; longer is a stray bracket, not a title
ISSUER_MAX = 8  # characters of issuer code before the bracket (内政办发, 国科发区, 鄂府办发)

# The last words of a policy document's title.
DOCUMENT_KINDS = (
    "条例", "办法", "规定", "意见", "通知", "方案", "规划", "纲要", "决定", "措施", "细则",
    "指南", "计划", "要点", "报告", "法", "标准", "指引", "清单", "目录", "公告", "通告",
    "批复", "函", "令", "决议", "章程", "制度", "规则", "准则", "指导目录", "实施意见",
    "行动方案", "政策", "若干措施", "条", "说明", "纪要", "白皮书", "路线图",
)  # fmt: skip
KIND_SUFFIXES = tuple(sorted(DOCUMENT_KINDS, key=len, reverse=True))

TITLE = re.compile(rf"《([^《》\n]{{1,{TITLE_MAX}}})》")
INNER_TITLE = re.compile(r"〈([^〈〉]{1,100})〉")
OPEN_BRACKETS, CLOSE_BRACKETS = "〔[［(（【〖﹝", "〕]］)）】〗﹞"
NUMBER = re.compile(
    rf"[{re.escape(OPEN_BRACKETS)}]\s{{0,2}}((?:19|20)\d{{2}})\s{{0,2}}[{re.escape(CLOSE_BRACKETS)}]"
    r"\s{0,2}第?\s{0,2}(\d{1,5})\s{0,2}号"
)
ISSUER = re.compile(rf"[\u4e00-\u9fff]{{2,{ISSUER_MAX}}}$")
# Words that run into an issuer code when no punctuation separates them (要按照内政发〔…〕):
# the code starts after the last of them. Greedy over at most ISSUER_MAX characters.
LEAD_WORDS = re.compile(
    r"^.*(?:根据|按照|依据|依照|参照|对照|结合|落实|贯彻|执行|印发|转发|关于|详见|见|即|和|与|及|或|以|的|将|要|文件|号)"
)
SPACE = re.compile(r"\s+")
# A status note closing a title: (试行), （暂行）, (2023年修订), (征求意见稿).
NOTE = re.compile(r"[(（][^()（）]{1,12}[)）]$")
