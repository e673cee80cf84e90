"""What a text dump of a two-column table layout looks like (dump_columns.py): data only.

A narrow cell's length; the indent of a row whose narrow cell is empty (dumps indent at
most six spaces); the gap between the cells of a row; a cell of images between the two;
how wide a row wrapped at the wide cell's width is (within WRAP_SLACK display columns of
the widest row, and at least MIN_WRAP_WIDTH); what closes a paragraph.
"""

from __future__ import annotations

import re

MAX_SIDE_CELL_CHARS = 16
SIDE_CELL_INDENT = 6
CELL_GAP = re.compile(r" {3,}")
GAP_TEXT = "   "  # what every CELL_GAP holds
MAX_FIRST_CELL_CHARS = 48  # a narrow cell, its bullet or an image's bracketed name: the widest
MIN_TWO_CELL_ROWS = 3
MIN_LONE_AFTER = 2  # narrow cells alone after a block that show a menu running on
MAX_SIDELESS_ROWS = 3  # rows without a narrow cell that end a block of a right-hand column
WRAP_SLACK = 4
MIN_WRAP_WIDTH = 40
IMAGE_CELL = re.compile(r"^\s*(?P<image>\[[^\[\]]{1,40}\]) {3,}(?=\S)")
PARAGRAPH_END = re.compile(r"[。！？!?；;…”」』）)：:]\s*$")
