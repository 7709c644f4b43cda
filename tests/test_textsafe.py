"""Data strings stay literal text: in Streamlit Markdown, in HTML, and as JSON inside a <script>."""

import pytest

from servicemap.textsafe import literal_rows, markdown_literal, markdown_table, script_safe_json


def test_markdown_specials_are_escaped():
    assert markdown_literal("[点我](javascript:alert(1))") == "\\[点我\\]\\(javascript\\:alert\\(1\\)\\)"
    assert markdown_literal("**粗体** $x$ <b>") == "\\*\\*粗体\\*\\* \\$x\\$ \\<b\\>"


def test_newlines_do_not_start_new_markdown_blocks():
    assert markdown_literal("一\n# 标题") == "一 \\# 标题"


def test_none_and_numbers():
    assert markdown_literal(None) == ""
    assert markdown_literal(18) == "18"


def test_markdown_table_cells_stay_literal_and_inside_their_column():
    table = markdown_table({"名称": ["a|b<script>x</script>", "二\n行"], "线索": ["", "**街道**"]})
    lines = table.split("\n")
    assert lines[0] == "| 名称 | 线索 |"
    assert lines[1] == "|---|---|"
    assert lines[2] == "| a\\|b\\<script\\>x\\<\\/script\\> | — |"  # the pipe cannot end the cell
    assert lines[3] == "| 二 行 | \\*\\*街道\\*\\* |"
    assert len(lines) == 4


def test_script_safe_json_cannot_close_its_script_and_refuses_nan():
    escaped = '{"a":"\\u003c/script>\\u003cb>","s":"\\u2028"}'
    assert script_safe_json({"a": "</script><b>", "s": "\u2028"}) == escaped
    assert script_safe_json({"名称": "卢沟桥"}) == '{"名称":"卢沟桥"}'  # UTF-8, not \\uXXXX
    with pytest.raises(ValueError):
        script_safe_json({"x": float("nan")})


def test_table_rows_for_markdown_tables_keep_links_and_images_as_text():
    rows = literal_rows([{"名称": "![](http://x/t.png) [链](javascript:a)", "电话": None, "已收录 / 已上图": "2 / 1"}])
    assert rows == [
        {
            "名称": "\\!\\[\\]\\(http\\:\\/\\/x\\/t\\.png\\) \\[链\\]\\(javascript\\:a\\)",
            "电话": "",
            "已收录 \\/ 已上图": "2 \\/ 1",
        }
    ]
