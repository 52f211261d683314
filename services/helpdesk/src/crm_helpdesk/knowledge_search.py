"""Full-text search of articles in PostgreSQL, each article in its own language.

An article's `search_vector` (knowledge_models) is built with the configuration of its language, so a
query is parsed twice, once per configuration, and each article is matched, ranked and highlighted with
the query of its language: "оплата счетов" becomes 'оплат' & 'счет' and finds "оплатить счёт";
"invoices" becomes 'invoic' and finds "invoice". The condition is an OR of (language, @@) pairs, so the
GIN index serves both halves.

A search (ListArticles) uses websearch_to_tsquery: every word must match, "phrases", -excluded, or.
A suggestion (SuggestArticles) reads a whole ticket, where no article has every word, so it ORs the
text's lexemes instead and lets ts_rank put the articles sharing the most (and the rarer title words)
first.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Numeric, and_, case, cast, func, literal, literal_column, or_
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from crm_helpdesk.knowledge_models import ArticleRow

CONFIGS: dict[str, Any] = {"ru": literal_column("'russian'::regconfig"), "en": literal_column("'english'::regconfig")}
START, STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
)
CONFIG_NAMES = {"ru": "russian", "en": "english"}
# Lexemes of a suggestion's text an OR query takes: the most frequent, then the earliest (the subject's come
# first); a ticket rarely has more.
MAX_LEXEMES = 200
LEXEMES = sql(
    "SELECT lexeme FROM unnest(to_tsvector(CAST(CAST(:config AS text) AS regconfig), CAST(:text AS text)))"
    f" ORDER BY cardinality(positions) DESC, positions[1], lexeme LIMIT {MAX_LEXEMES}"
)


@dataclass(frozen=True)
class TextQuery:
    """A tsquery per language (SQL expressions), and which languages to look in."""

    queries: dict[str, Any]

    def matches(self) -> ColumnElement[bool]:
        """Articles whose vector matches the query of their language."""
        return or_(
            *(
                and_(ArticleRow.language == language, ArticleRow.search_vector.op("@@")(query))
                for language, query in self.queries.items()
            )
        )

    def _by_language(self, make: Any) -> Any:
        whens = [(ArticleRow.language == language, make(language, query)) for language, query in self.queries.items()]
        return case(*whens[:-1], else_=whens[-1][1]) if len(whens) > 1 else whens[0][1]

    def rank(self) -> Any:
        """ts_rank with the query of the article's language, rounded (numeric) so a cursor can hold it exactly."""
        ranked = self._by_language(lambda _, query: func.ts_rank(ArticleRow.search_vector, query))
        return func.round(cast(ranked, Numeric), 6)

    def headline(self) -> Any:
        """The body's passages with the matched words between START and STOP."""
        return self._by_language(
            lambda language, query: func.ts_headline(CONFIGS[language], ArticleRow.body, query, HEADLINE_OPTIONS)
        )


def search_query(text: str, languages: tuple[str, ...]) -> TextQuery:
    """websearch_to_tsquery of `text` in each language."""
    return TextQuery({language: func.websearch_to_tsquery(CONFIGS[language], text) for language in languages})


async def any_word_query(session: AsyncSession, text: str, languages: tuple[str, ...]) -> TextQuery | None:
    """An OR of the text's lexemes in each language (None when the text has none, e.g. only stop words)."""
    queries: dict[str, Any] = {}
    for language in languages:
        lexemes = (await session.execute(LEXEMES, {"config": CONFIG_NAMES[language], "text": text})).scalars().all()
        if lexemes:
            quoted = " | ".join(_quoted(lexeme) for lexeme in lexemes)
            queries[language] = cast(literal(quoted), TSQUERY)
    return TextQuery(queries) if queries else None


def _quoted(lexeme: str) -> str:
    """A lexeme as tsquery input takes it: in quotes, quotes and backslashes doubled."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def snippet_texts(headline: str | None) -> tuple[str, str]:
    """A headline as plain text and as HTML (escaped, the matches in <mark>)."""
    if not headline:
        return "", ""
    plain = headline.replace(START, "").replace(STOP, "")
    marked = html.escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
    return plain, marked
