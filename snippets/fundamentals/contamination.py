"""Contamination check: how many of a test item's word n-grams also occur in the training corpus."""
import re


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """Word n-grams after lower-casing and dropping punctuation, so trivial edits do not hide a copy."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def build_index(corpus: list[str], n: int) -> set[tuple[str, ...]]:
    index = set()
    for document in corpus:
        index |= ngrams(document, n)
    return index


def overlap(item: str, index: set[tuple[str, ...]], n: int) -> float:
    """Share of the item's n-grams found in the index (0 if the item is shorter than n words)."""
    grams = ngrams(item, n)
    return len(grams & index) / len(grams) if grams else 0.0


def flag_contaminated(items: list[str], corpus: list[str], n: int = 13, threshold: float = 0.5) -> list[int]:
    """Indices of test items whose n-gram overlap with the corpus reaches the threshold."""
    index = build_index(corpus, n)
    return [i for i, item in enumerate(items) if overlap(item, index, n) >= threshold]


train = ["Large language models are trained on text crawled from the web, books and code repositories.",
         "Quarterly report: revenue grew while the cost of serving each customer fell for the third quarter.",
         # a benchmark question and its answer, copied into a web page that was crawled:
         "Forum post. Q: A train leaves the station at 3 pm travelling at 60 km per hour and a second train "
         "leaves at 4 pm at 80 km per hour; when does the second train catch up? A: at 7 pm."]
test = ["A train leaves the station at 3 pm travelling at 60 km per hour and a second train leaves at "
        "4 pm at 80 km per hour; when does the second train catch up?",
        "A cyclist starts at 9 am riding at 20 km per hour and a runner follows at 10 am at 12 km per hour; "
        "how far apart are they at noon?"]
print([round(overlap(item, build_index(train, 13), 13), 2) for item in test])
assert flag_contaminated(test, train) == [0]
