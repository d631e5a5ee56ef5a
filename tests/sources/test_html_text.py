"""HTML to plain text: tags dropped, entities decoded, line breaks kept, script text inert."""

from __future__ import annotations

from sources.text import html_to_text


def test_blocks_and_breaks_become_lines() -> None:
    html = "<p>First&nbsp;line<br>second  line</p><ul><li>one</li><li>two</li></ul>tail"
    assert html_to_text(html) == "First line\nsecond line\n\none\n\ntwo\n\ntail"


def test_entities_are_decoded_once() -> None:
    assert html_to_text("Tom &amp; Jerry &lt;3 &#1040;&#x0411; &amp;lt;b&amp;gt;") == (
        "Tom & Jerry <3 АБ &lt;b&gt;"
    )


def test_script_text_is_kept_as_text_and_style_dropped() -> None:
    html = "<div>hi<script>alert('x')</script><style>p{color:red}</style></div>"
    assert html_to_text(html) == "hialert('x')"


def test_pre_keeps_its_newlines_and_source_newlines_are_spaces() -> None:
    assert html_to_text("a\nb<pre>x\n  y</pre>") == "a b\nx\ny"
