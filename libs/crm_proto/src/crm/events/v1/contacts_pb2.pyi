from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class PartyChanged(_message.Message):
    __slots__ = ("party_id", "kind", "display_name", "owner_id", "team_id", "changed_fields", "other_party_id", "other_display_name", "role")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OTHER_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    OTHER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    kind: str
    display_name: str
    owner_id: str
    team_id: str
    changed_fields: _containers.RepeatedScalarFieldContainer[str]
    other_party_id: str
    other_display_name: str
    role: str
    def __init__(self, party_id: _Optional[str] = ..., kind: _Optional[str] = ..., display_name: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., changed_fields: _Optional[_Iterable[str]] = ..., other_party_id: _Optional[str] = ..., other_display_name: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class PartyMerged(_message.Message):
    __slots__ = ("survivor_id", "merged_id", "survivor_display_name", "merged_display_name")
    SURVIVOR_ID_FIELD_NUMBER: _ClassVar[int]
    MERGED_ID_FIELD_NUMBER: _ClassVar[int]
    SURVIVOR_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    MERGED_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    survivor_id: str
    merged_id: str
    survivor_display_name: str
    merged_display_name: str
    def __init__(self, survivor_id: _Optional[str] = ..., merged_id: _Optional[str] = ..., survivor_display_name: _Optional[str] = ..., merged_display_name: _Optional[str] = ...) -> None: ...

class NoteAdded(_message.Message):
    __slots__ = ("note_id", "party_id", "author_id", "mentions", "excerpt")
    NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    EXCERPT_FIELD_NUMBER: _ClassVar[int]
    note_id: str
    party_id: str
    author_id: str
    mentions: _containers.RepeatedScalarFieldContainer[str]
    excerpt: str
    def __init__(self, note_id: _Optional[str] = ..., party_id: _Optional[str] = ..., author_id: _Optional[str] = ..., mentions: _Optional[_Iterable[str]] = ..., excerpt: _Optional[str] = ...) -> None: ...
