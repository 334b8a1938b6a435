"""What a product title says: its words, model codes, sizes, colours and editions.

Chinese titles have no spaces between words, so a Chinese run is represented by its character
bigrams (收纳 纳箱 箱大 …) and by the words of jieba's dictionary it holds (收纳, 空军一号); Latin
text by its words, its model codes kept whole, its sizes and counts with their units (``16gb``,
``10件``) and its bare numbers. Marketing words that name no product (包邮, 新款, free
shipping …) are dropped first. :func:`tfidf` weighs the features over the titles compared.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

NOISE_WORDS = (
    "包邮 新款 正品 爆款 热卖 特价 官方 旗舰店 旗舰 清仓 限时 促销 推荐 家用 网红 同款".split()
    + ["ins", "2025", "2026"]
    + ["free shipping", "best seller", "new", "premium", "upgraded", "of", "set of", "for", "with"]
)
_CJK = re.compile(r"[\u3400-\u9fff]+")
_NOISE = re.compile(  # Latin words only as whole words: "ins" is not the end of "bins"
    "|".join(
        rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
        for w in sorted(NOISE_WORDS, key=len, reverse=True)
    )
)


def title_text(value) -> str:
    """A title cell as text: a missing cell (None, NaN) is an empty title, not ``"None"``."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@lru_cache(maxsize=1 << 17)  # the same titles come back in every pair and every TF-IDF
def _normal(title: str) -> str:
    text = unicodedata.normalize("NFKC", str(title)).lower()
    text = re.sub(r"(\d)\s*(?:\"|''|”|″)", r"\1in", text)  # 15.4" is 15.4 inches
    text = _NOISE.sub(" ", text)
    text = _join_codes(text)  # kdl-40w600b, wh-1000xm4, 293461-b21: one code each
    return re.sub(r"[^\w\u3400-\u9fff.]+", " ", text)


# a hyphen or slash inside a model code: letters before digits, or digits before a
# letter-and-digit part (never a range such as 16-50mm, nor 40-inch), as often as it comes
# (ga-110gb-1aer: every part joined), and digit codes: a style number and its colour
# (537384-090) or dotted reference groups (311.92.44.51.01.005)
_CODE_JOIN = (
    re.compile(r"\b([a-z]\w*)[-/](\d\w*)"),
    re.compile(r"\b(\d+)[-/]([a-z]+\d\w*)"),
    re.compile(r"\b(\d{5,})-(\d{2,})\b"),
)
_DOTTED = re.compile(r"\b\d+(?:\.\d+){2,}\b")
DIGIT_CODE = 7  # a run of this many digits or more is a reference number, not a quantity


def _join_codes(text: str) -> str:
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    if "-" in text or "/" in text:
        for pattern in _CODE_JOIN:
            joined = 1
            while joined:
                text, joined = pattern.subn(r"\1\2", text)
    return text


UNITS = {  # how a size, capacity or count is written → one spelling per unit
    **dict.fromkeys(["tb", "gb", "mb", "mah", "mm", "cm", "ml", "oz", "mp", "ghz", "hz"], None),
    **dict.fromkeys(["w", "v", "m", "l", "k", "ft", "qt", "gal", "ct", "cu", "p"], None),
    "lbs": "lb",
    "lb": "lb",
    "inch": "in",
    "inches": "in",
    "in": "in",
    '"': "in",
    "pack": "pk",
    "pk": "pk",
    "pcs": "pc",
    "pc": "pc",
    "piece": "pc",
    "pieces": "pc",
    **dict.fromkeys(list("件只个包套片层寸双支袋卷瓶盒条张号"), None),
}
_UNIT_NUMBER = re.compile(
    r"(?<![a-z\d.])(\d+(?:\.\d+)?)\s*("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![a-z])"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NO_STEM = ("ss", "us", "is", "ens", "ics")


def _stem(word: str) -> str:
    plural = len(word) > 3 and word.endswith("s") and not word.endswith(_NO_STEM)
    return word[:-1] if plural else word


def _units(text: str) -> dict[str, str]:
    """Sizes, capacities and counts, each with its unit: ``{"16gb": "gb", "10件": "件"}``."""
    out = {}
    for num, unit in _UNIT_NUMBER.findall(text):
        kind = UNITS[unit] or unit
        out[f"{float(num):g}{kind}"] = kind
    return out


COLOURS = {  # colour words → one name each; the WDC offers come in five languages
    "black": "black schwarz noir negro nero 黑色 黑",
    "white": "white weiß weiss blanc blanco bianco 白色 白",
    "red": "red rot rouge rojo rosso 红色 红",
    "blue": "blue blau bleu azul blu navy 蓝色 藏青 蓝",
    "green": "green grün vert verde 绿色 绿 军绿",
    "yellow": "yellow gelb jaune amarillo giallo 黄色 黄",
    "pink": "pink rosa 粉红色 粉色 粉红",
    "purple": "purple lila violet morado viola 紫色 紫",
    "grey": "grey gray grau gris grigio 灰色 灰",
    "silver": "silver silber argent plata argento 银色",
    "gold": "gold oro 金色",
    "brown": "brown braun marron marrón 棕色 咖啡色 棕",
    "orange": "orange naranja arancione 橙色 橘色 橙",
    "beige": "beige khaki 米色 卡其 杏色",
}
EDITIONS = {  # words that make another edition of the same product line
    "upgrade": "upgrade upg upsell 升级版",
    "academic": "academic student education edu 学生版 教育版",
    "mac": "mac macintosh osx 苹果版",
    "windows": "windows win pc",
    "pro": "pro professional 专业版",
    "plus": "plus 加强版 增强版",
    "mini": "mini 迷你",
    "max": "max",
    "lite": "lite light 轻量版",
    "kids": "kids junior jr youth gs bg 儿童 童鞋 童装",
    "women": "women womens woman wmns ladies mujer femme donna damen 女款 女士 女",
    "men": "men mens hombre homme uomo herren 男款 男士 男",
}
ACCESSORIES = (  # a word naming a part or add-on: "case for iphone" is not the iphone
    "case cover sleeve skin protector film charger adapter cable cord mount "
    "holder stand dock strap band bag pouch battery refill cartridge ink toner replacement "
    "kit accessory accessories remote "
    "手机壳 保护壳 保护套 钢化膜 贴膜 充电器 数据线 支架 配件 替换 滤芯 电池 遥控器 收纳袋"
).split()


class _Vocabulary:
    """Words that stand for one name each.

    Latin ones are looked up as whole words, Chinese ones found anywhere in the text.
    """

    def __init__(self, names: dict):
        self.name = {w: name for name, words in names.items() for w in words.split()}
        self.chinese = sorted((w for w in self.name if not w.isascii()), key=len, reverse=True)

    def __call__(self, text: str) -> frozenset:
        words = [w for w in text.split() if w in self.name]
        if _CJK.search(text):
            for w in self.chinese:  # longest first: 粉红 is pink, not pink and red
                if w in text:
                    words.append(w)
                    text = text.replace(w, " ")
        return frozenset(self.name[w] for w in words)


_COLOURS = _Vocabulary(COLOURS)
_EDITIONS = _Vocabulary(EDITIONS)
_ACCESSORIES = _Vocabulary({w: w for w in ACCESSORIES})


@lru_cache(maxsize=1 << 17)
def title_facts(title: str) -> dict:
    """What a title says of its product beyond words.

    Model codes keep their letters and digits whole and lose their hyphens, slashes and case
    (``KDL-40W600B`` → ``kdl40w600b``); units are normalised (``16 GB`` → ``16gb``,
    ``15.4"`` → ``15.4in``, ``10件``); bare numbers are versions and model numbers (``2007``);
    colours and editions (upgrade, mac, kids …) have one name each in any language;
    accessories are the part words the title carries (case, charger, 手机壳 …).
    """
    text = _normal(title)
    units = _units(text)
    rest = _UNIT_NUMBER.sub(" ", text)
    codes = frozenset(
        t
        for t in rest.split()
        if (len(t) >= 3 and re.search(r"[a-z]", t) and re.search(r"\d", t))
        or (t.isdigit() and len(t) >= DIGIT_CODE)
    )
    numbers = frozenset(n for t in rest.split() if t not in codes for n in _NUMBER.findall(t))
    return {
        "codes": codes,
        "units": frozenset(units),
        "unit_kinds": units,  # each size's unit: 16gb and 32gb are both gb
        "numbers": numbers,
        "colours": _COLOURS(text),
        "editions": _EDITIONS(text),
        "accessories": _ACCESSORIES(text),
        "squashed": re.sub(r"[\s.]+", "", text),  # for a code written with spaces elsewhere
    }


def features(title: str) -> list[str]:
    """A title's features: CJK bigrams and words, Latin words, codes, sizes, numbers.

    Chinese runs give their character bigrams and the dictionary words they hold.
    Latin words lose a plural ``s``; model codes stay whole; sizes and counts keep their
    units; bare numbers are versions and model numbers (``office 2007``).
    """
    return list(_features(title_text(title)))


@lru_cache(maxsize=1 << 17)
def _features(title: str) -> tuple[str, ...]:
    """The cached features of one title (see :func:`features`)."""
    text = _normal(title)
    out = []
    for run in _CJK.findall(text):
        out += [run[i : i + 2] for i in range(len(run) - 1)] or [run]
        out += _words(run)
    facts = title_facts(title)
    out += sorted(facts["codes"]) + sorted(facts["units"]) + sorted(facts["numbers"])
    latin = _UNIT_NUMBER.sub(" ", _CJK.sub(" ", text))
    for token in latin.split():
        if token not in facts["codes"] and not _NUMBER.fullmatch(token):
            word = re.sub(r"[\d.]+", "", token)
            if len(word) > 1:
                out.append(_stem(word))
    return tuple(out)


WORD_LENGTHS = (2, 6)  # Chinese dictionary words of 2–5 characters, taken beside the bigrams


def _words(run: str) -> list[str]:
    """The dictionary words of 2–5 characters inside a run of Chinese characters.

    jieba's dictionary read in its full mode (全模式: every word the run holds, overlaps
    kept), by direct lookup: ten times faster than its segmenter at 30,000 titles. A bigram
    that is a word thus counts twice (收纳), one that straddles two words once (纳箱).
    """
    words = _dictionary()
    return [
        run[i : i + n]
        for n in range(*WORD_LENGTHS)
        for i in range(len(run) - n + 1)
        if run[i : i + n] in words
    ]


@cache
def _dictionary() -> frozenset[str]:
    """The Chinese words of two to five characters in jieba's dictionary file, read once."""
    # found without importing jieba, whose import pulls in pkg_resources (and its warning)
    folder = importlib.util.find_spec("jieba").submodule_search_locations[0]
    lines = (Path(folder) / "dict.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if 2 <= len(w := line.split(" ", 1)[0]) <= 5)


def is_word(text: str) -> bool:
    """Whether jieba's dictionary holds ``text`` as a word."""
    return text in _dictionary()


def char_ngrams(title: str, lo: int = 2, hi: int = 4) -> list[str]:
    """The character ``lo``- to ``hi``-grams of a title (lower case, spaces folded)."""
    text = " ".join(unicodedata.normalize("NFKC", str(title)).lower().split())
    return [text[i : i + n] for n in range(lo, hi + 1) for i in range(len(text) - n + 1)]


def tfidf(titles, featurize=None) -> sparse.csr_matrix:
    """Rows of L2-normalised TF-IDF weights, one per title, IDF over these titles.

    Each title's features (``featurize``, default :func:`features`) are extracted once;
    callers compare rows of the one matrix.
    """
    docs = [(featurize or features)(t) for t in titles]
    flat = list(chain.from_iterable(docs))
    codes, vocab = pd.factorize(pd.Series(flat, dtype=object))
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    m = sparse.csr_matrix(
        (np.ones(len(flat)), (rows, codes)), shape=(len(docs), max(len(vocab), 1))
    )
    m.sum_duplicates()  # term counts
    m.data = 1 + np.log(m.data)
    doc_freq = np.bincount(m.indices, minlength=m.shape[1])
    m = m @ sparse.diags(np.log((1 + len(docs)) / (1 + doc_freq)) + 1)
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    return (sparse.diags(1 / np.where(norms > 0, norms, 1)) @ m).tocsr()
