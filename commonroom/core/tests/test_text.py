from commonroom.core.text import render_markdown


def test_markdown_is_sanitised():
    html = render_markdown(
        "**bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)"
    )
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript:' not in html
    assert '<a href="https://a.example" rel="noopener nofollow ugc">ok</a>' in html
