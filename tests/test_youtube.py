"""YouTube links as people paste them -> an 11-character id and a start time."""

import pytest

from hipdash import youtube

ID = "fcnv4gyMzf8"


@pytest.mark.parametrize(
    ("url", "start"),
    [
        (f"https://youtu.be/{ID}", None),
        (f"https://youtu.be/{ID}?si=AbCdEfGh12345", None),
        (f"youtu.be/{ID}", None),
        (f"<https://youtu.be/{ID}>", None),
        (f"https://www.youtube.com/watch?v={ID}", None),
        (f"https://www.youtube.com/watch?v={ID}&list=PL123&index=2&feature=shared", None),
        (f"https://www.youtube.com/watch?feature=share&v={ID}", None),
        (f"https://www.youtube.com/watch?v={ID}&t=45s", 45),
        (f"https://youtube.com/watch?v={ID}&t=1m30s", 90),
        (f"https://youtu.be/{ID}?t=90", 90),
        (f"https://www.youtube.com/watch?v={ID}&t=1h2m3s", 3723),
        (f"https://www.youtube.com/embed/{ID}?start=90", 90),
        (f"https://m.youtube.com/watch?v={ID}&t=12", 12),
        (f"http://m.youtube.com/watch?v={ID}", None),
        (f"https://www.youtube.com/shorts/{ID}", None),
        (f"https://youtube.com/shorts/{ID}?feature=share", None),
        (f"https://www.youtube.com/embed/{ID}", None),
        (f"https://www.youtube-nocookie.com/embed/{ID}", None),
        (f"https://www.youtube-nocookie.com/embed/{ID}?start=7", 7),
        (f"https://www.youtube.com/live/{ID}", None),
        (f"https://www.youtube.com/watch?v={ID}#t=30", 30),
    ],
)
def test_every_common_form_gives_the_id_and_start(url, start):
    assert youtube.parse(url) == youtube.YouTubeRef(ID, start)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://www.instagram.com/reel/CYZRNkRqcu0/",
        "https://www.youtube.com/",
        "https://www.youtube.com/@somechannel",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=fcnv4gyMzf8toolong",
        "https://youtu.be/bad$chars!!",
        "javascript:alert(1)//youtu.be/fcnv4gyMzf8",
        "https://evil.example/youtu.be/fcnv4gyMzf8",
        "https://youtube.com.evil.example/watch?v=fcnv4gyMzf8",
        "ftp://youtu.be/fcnv4gyMzf8",
    ],
)
def test_anything_else_is_not_a_video(url):
    assert youtube.parse(url) is None


def test_a_zero_or_unreadable_start_is_no_start():
    assert youtube.parse(f"https://youtu.be/{ID}?t=0").start is None
    assert youtube.parse(f"https://youtu.be/{ID}?t=soon").start is None


def test_embeds_use_the_privacy_enhanced_domain_and_the_start_time():
    assert youtube.embed_url(ID) == f"https://www.youtube-nocookie.com/embed/{ID}?rel=0"
    assert youtube.embed_url(ID, 90).endswith("&start=90")
    assert youtube.watch_url(ID, 45) == f"https://www.youtube.com/watch?v={ID}&t=45s"


@pytest.mark.parametrize("bad", ["", "abc", 'x" onload="alert(1)', "../../etc/pas"])
def test_no_player_url_is_built_from_anything_but_an_id(bad):
    with pytest.raises(ValueError):
        youtube.embed_url(bad)
