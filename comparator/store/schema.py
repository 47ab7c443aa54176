"""Storage schema: the ORM tables a checked corpus is written to.

Part of the storage stage (parse -> validate -> **store** -> compare -> report/ui). The
Alembic migrations in ``comparator/migrations/`` are written against ``Base.metadata``
here; production code never calls ``create_all``. Only :mod:`comparator.store` imports
SQLAlchemy.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


# Named constraints, so that migrations and compare_metadata agree on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Text columns holding what authors wrote have no length limit: SQLite ignores limits and
    PostgreSQL enforces them, so a limit would make the two backends accept different files."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _parent(target: str) -> Any:
    """A foreign key to a parent row, deleted with it (a reload replaces a whole file)."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), index=True)


class SourceFile(Base):
    """One loaded .dtr file: the unit of loading, replacing and exporting.

    ``path`` is the file's key: its path from the folder above its corpus root
    (``rules/cptpp.dtr``), so the same file gets the same key from any working directory
    or machine. ``layout`` is the top-level order of the file's blocks, as the formatter
    needs it (``[["regime", 0], ["article", 0], ["vocabulary", 12], ...]``), followed by the
    regime's coverage declaration when it has one (``["covers", ["data_flows.*"]]``,
    ``["not_encoded", ["open_government_data"]]``: docs/comparison.md, "Not encoded"), which
    is file-level metadata of the same kind and needs no column of its own.
    """

    __tablename__ = "source_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String, unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    layout: Mapped[list] = mapped_column(JSON)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped["RegimeRow | None"] = relationship(back_populates="source_file", lazy="selectin",
                                                      cascade="all, delete-orphan", passive_deletes=True)
    terms: Mapped[list["TermRow"]] = relationship(order_by="TermRow.position", lazy="selectin",
                                                  cascade="all, delete-orphan", passive_deletes=True)
    expectations: Mapped[list["ExpectationRow"]] = relationship(order_by="ExpectationRow.position", lazy="selectin",
                                                                cascade="all, delete-orphan", passive_deletes=True)


class RegimeRow(Base):
    __tablename__ = "regimes"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"), unique=True)
    code: Mapped[str] = mapped_column(String, unique=True)  # the regime id: CPTPP, UK_GDPR
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String, index=True)
    signed: Mapped[dt.date | None] = mapped_column(Date)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), server_default="en")  # ISO 639-1 of the quotes
    authentic: Mapped[str | None] = mapped_column(String)  # comma-separated codes; null = `language`

    source_file: Mapped[SourceFile] = relationship(back_populates="regime")
    parties: Mapped[list["PartyRow"]] = relationship(order_by="PartyRow.position", lazy="selectin",
                                                     cascade="all, delete-orphan", passive_deletes=True)
    jurisdictions: Mapped[list["JurisdictionRow"]] = relationship(
        order_by="JurisdictionRow.position", lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)
    articles: Mapped[list["ArticleRow"]] = relationship(order_by="ArticleRow.position", lazy="selectin",
                                                        cascade="all, delete-orphan", passive_deletes=True)
    dispute_settlement: Mapped["DisputeSettlementRow | None"] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class PartyRow(Base):
    __tablename__ = "regime_parties"
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String, index=True)  # "regimes binding GB"
    joined: Mapped[dt.date | None] = mapped_column(Date)
    left: Mapped[dt.date | None] = mapped_column(Date)


class JurisdictionRow(Base):
    __tablename__ = "regime_jurisdictions"
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String, index=True)


class ArticleRow(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("regime_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    regime_id: Mapped[int] = _parent("regimes.id")
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String)
    title: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    provisions: Mapped[list["ProvisionRow"]] = relationship(order_by="ProvisionRow.position", lazy="selectin",
                                                            cascade="all, delete-orphan", passive_deletes=True)
    exceptions: Mapped[list["ExceptionRow"]] = relationship(order_by="ExceptionRow.position", lazy="selectin",
                                                            cascade="all, delete-orphan", passive_deletes=True)
    definitions: Mapped[list["DefinitionRow"]] = relationship(order_by="DefinitionRow.position", lazy="selectin",
                                                              cascade="all, delete-orphan", passive_deletes=True)


class _ArticleItem:
    """Columns shared by the three things an article holds.

    ``position`` is the index within its own list (provisions, exceptions, definitions);
    ``seq`` is its place among all items of the article, which restores Article.order.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str | None] = mapped_column(Text)
    translation: Mapped[bool] = mapped_column(Boolean)  # the quote itself is an English translation
    translation_text: Mapped[str | None] = mapped_column(Text)  # English beside a non-English quote
    translation_source: Mapped[str | None] = mapped_column(Text)
    gloss: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)


class ProvisionRow(_ArticleItem, Base):
    """A provision and its norm (a provision holds at most one; ``modality`` is null without)."""

    __tablename__ = "provisions"
    __table_args__ = (Index("ix_provisions_regime_id_ref", "regime_id", "ref"),)
    article_id: Mapped[int] = _parent("articles.id")
    # Denormalised so lookups by topic/action/object need no join through articles.
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String)
    modality: Mapped[str | None] = mapped_column(String)
    stance: Mapped[str | None] = mapped_column(String)
    action: Mapped[str | None] = mapped_column(String, index=True)
    object_word: Mapped[str] = mapped_column(String)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped[RegimeRow] = relationship()
    items: Mapped[list["ProvisionItem"]] = relationship(
        order_by="(ProvisionItem.field, ProvisionItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class ProvisionItem(Base):
    """One element of one of a provision's lists, in order.

    ``field`` is topic, bearer, object, destination, condition, unless or exclude. One
    table with an index on (field, value) serves every lookup the comparison engine makes
    (provisions by topic, by object, by bearer, by excluded scope).
    """

    __tablename__ = "provision_items"
    __table_args__ = (Index("ix_provision_items_field_value", "field", "value"),)
    provision_id: Mapped[int] = mapped_column(ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ExceptionRow(_ArticleItem, Base):
    __tablename__ = "exceptions"
    article_id: Mapped[int] = _parent("articles.id")
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"))
    ref: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, index=True)
    in_force: Mapped[dt.date | None] = mapped_column(Date)
    until: Mapped[dt.date | None] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(String)

    regime: Mapped[RegimeRow] = relationship()
    items: Mapped[list["ExceptionItem"]] = relationship(
        order_by="(ExceptionItem.field, ExceptionItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class ExceptionItem(Base):
    """``applies_to`` targets (a ref, or ``all``), ``test`` and ``exclude`` entries of an exception."""

    __tablename__ = "exception_items"
    __table_args__ = (Index("ix_exception_items_field_value", "field", "value"),)
    exception_id: Mapped[int] = mapped_column(ForeignKey("exceptions.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DefinitionRow(_ArticleItem, Base):
    __tablename__ = "definitions"
    article_id: Mapped[int] = _parent("articles.id")
    term: Mapped[str] = mapped_column(String, index=True)


class DisputeSettlementRow(Base):
    __tablename__ = "dispute_settlements"
    id: Mapped[int] = mapped_column(primary_key=True)
    regime_id: Mapped[int] = mapped_column(ForeignKey("regimes.id", ondelete="CASCADE"), unique=True)
    applies: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    excepted: Mapped[list["DisputeSettlementExcepted"]] = relationship(
        order_by="DisputeSettlementExcepted.position", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)
    deferrals: Mapped[list["DeferralRow"]] = relationship(order_by="DeferralRow.position", lazy="selectin",
                                                          cascade="all, delete-orphan", passive_deletes=True)


class DisputeSettlementExcepted(Base):
    """A provision that dispute settlement does not cover."""

    __tablename__ = "dispute_settlement_excepted"
    dispute_settlement_id: Mapped[int] = mapped_column(
        ForeignKey("dispute_settlements.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String)


class DeferralRow(Base):
    __tablename__ = "deferrals"
    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_settlement_id: Mapped[int] = _parent("dispute_settlements.id")
    position: Mapped[int] = mapped_column(Integer)
    until_date: Mapped[dt.date | None] = mapped_column(Date)
    until_text: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list["DeferralItem"]] = relationship(
        order_by="(DeferralItem.field, DeferralItem.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class DeferralItem(Base):
    """The ``party`` and ``provision`` entries of a deferral."""

    __tablename__ = "deferral_items"
    deferral_id: Mapped[int] = mapped_column(ForeignKey("deferrals.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String)


class TermRow(Base):
    """A vocabulary term, held by the file that declares it (a vocabulary file or a regime file)."""

    __tablename__ = "terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = _parent("source_files.id")
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String, index=True)
    label: Mapped[str | None] = mapped_column(Text)
    label_zh: Mapped[str | None] = mapped_column(Text)
    label_es: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)

    links: Mapped[list["TermLink"]] = relationship(
        order_by="(TermLink.field, TermLink.position)", lazy="selectin",
        cascade="all, delete-orphan", passive_deletes=True)


class TermLink(Base):
    """``broader``, ``alias`` and ``member`` entries of a term; indexed to resolve aliases and narrower terms."""

    __tablename__ = "term_links"
    __table_args__ = (Index("ix_term_links_field_value", "field", "value"),)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String)


class ExpectationRow(Base):
    __tablename__ = "expectations"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = _parent("source_files.id")
    position: Mapped[int] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str | None] = mapped_column(String)
    a_regime: Mapped[str] = mapped_column(String)
    a_ref: Mapped[str] = mapped_column(String)
    b_regime: Mapped[str] = mapped_column(String)
    b_ref: Mapped[str] = mapped_column(String)
    bound: Mapped[str | None] = mapped_column(String)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    line: Mapped[int | None] = mapped_column(Integer)

    assumptions: Mapped[list["ExpectationAssumption"]] = relationship(
        order_by="ExpectationAssumption.position", lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class ExpectationAssumption(Base):
    """``assume REGIME = COUNTRY`` clauses of an expectation."""

    __tablename__ = "expectation_assumptions"
    expectation_id: Mapped[int] = mapped_column(ForeignKey("expectations.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[str] = mapped_column(String)
    country: Mapped[str] = mapped_column(String)


class LoadHistory(Base):
    """One row per file per load: what was loaded, from where, when, with which hash, by whom.

    No foreign key: history outlives the rows it describes (a reload deletes them).
    """

    __tablename__ = "load_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(36), index=True)  # one `dtrc load` run
    path: Mapped[str] = mapped_column(String, index=True)
    regime: Mapped[str | None] = mapped_column(String)
    sha256: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))  # added | replaced | unchanged
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    loaded_by: Mapped[str | None] = mapped_column(String)
