"""A content pipeline for wellness publishers: Markdown articles in, newsletter, feeds and
social posts out, every one of them carrying the article's medical disclaimer."""

__version__ = "0.1.0"
