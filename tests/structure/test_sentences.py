from alignment.schema import Span
from alignment.structure import split_sentences


def texts(text, offset=0):
    return [text[s.char_start - offset:s.char_end - offset] for s in split_sentences(text, offset)]


def test_splits_after_full_stops_semicolons_and_marks():
    assert texts("加强领导。完善制度；健全机制！是否可行？最后一句") == [
        "加强领导。", "完善制度；", "健全机制！", "是否可行？", "最后一句"]


def test_closing_quotes_and_brackets_stay_with_the_sentence():
    assert texts("他说：“必须坚持。”随后（详见附件。）继续。") == [
        "他说：“必须坚持。”", "随后（详见附件。）", "继续。"]


def test_lines_are_separate_sentences_and_blanks_are_trimmed():
    text = "　　第一行没有句号\n\n\u200b\n  第二行。  \n"
    assert texts(text) == ["第一行没有句号", "第二行。"]


def test_offset_shifts_spans():
    assert split_sentences("甲。乙。", 100) == [Span(100, 102), Span(102, 104)]


def test_blank_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\u3000\n") == []


def test_ellipsis_and_repeated_marks_end_one_sentence():
    assert texts("真的吗？！好……然后") == ["真的吗？！", "好……", "然后"]
