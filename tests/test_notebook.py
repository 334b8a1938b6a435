import pytest

from ecomops_helpers.page.i18n import Messages
from ecomops_helpers.page.notebook import hidden_text


@pytest.mark.parametrize("why", ["no plan export", "none in this period.", "没有数据。 "])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hidden_section_note_ends_with_one_full_stop(why, lang):
    text = hidden_text(Messages(lang), why)
    assert not text.endswith(("..", "。。", ".。", "。."))
    assert text.rstrip(".。") != text  # but it does end with one
