import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PortalUser(_message.Message):
    __slots__ = ("id", "email", "name", "party_id", "organisation_id", "language", "active", "status", "invited_by", "invited_at", "activated_at", "invitation_expires_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INVITED_BY_FIELD_NUMBER: _ClassVar[int]
    INVITED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTIVATED_AT_FIELD_NUMBER: _ClassVar[int]
    INVITATION_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    name: str
    party_id: str
    organisation_id: str
    language: str
    active: bool
    status: str
    invited_by: str
    invited_at: _timestamp_pb2.Timestamp
    activated_at: _timestamp_pb2.Timestamp
    invitation_expires_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., language: _Optional[str] = ..., active: _Optional[bool] = ..., status: _Optional[str] = ..., invited_by: _Optional[str] = ..., invited_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., activated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., invitation_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class InvitePortalUserRequest(_message.Message):
    __slots__ = ("party_id", "email", "language")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    email: str
    language: str
    def __init__(self, party_id: _Optional[str] = ..., email: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class ListPortalUsersRequest(_message.Message):
    __slots__ = ("organisation_id", "party_id", "query", "status", "limit", "cursor")
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    organisation_id: str
    party_id: str
    query: str
    status: str
    limit: int
    cursor: str
    def __init__(self, organisation_id: _Optional[str] = ..., party_id: _Optional[str] = ..., query: _Optional[str] = ..., status: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListPortalUsersResponse(_message.Message):
    __slots__ = ("users", "next_cursor", "total")
    USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[PortalUser]
    next_cursor: str
    total: int
    def __init__(self, users: _Optional[_Iterable[_Union[PortalUser, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class GetPortalUserRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SetPortalUserActiveRequest(_message.Message):
    __slots__ = ("id", "active")
    ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    id: str
    active: bool
    def __init__(self, id: _Optional[str] = ..., active: _Optional[bool] = ...) -> None: ...

class AcceptInvitationRequest(_message.Message):
    __slots__ = ("token", "password")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    token: str
    password: str
    def __init__(self, token: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class AuthenticatePortalUserRequest(_message.Message):
    __slots__ = ("email", "password")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class PortalSession(_message.Message):
    __slots__ = ("session_id", "user")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    user: PortalUser
    def __init__(self, session_id: _Optional[str] = ..., user: _Optional[_Union[PortalUser, _Mapping]] = ...) -> None: ...

class CheckPortalSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class EndPortalSessionRequest(_message.Message):
    __slots__ = ("session_id",)
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    def __init__(self, session_id: _Optional[str] = ...) -> None: ...

class EndPortalSessionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Survey(_message.Message):
    __slots__ = ("id", "name", "question_ru", "question_en", "segment_id", "status", "owner_id", "team_id", "recipients", "answers", "sent_at", "created_at", "version")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUESTION_RU_FIELD_NUMBER: _ClassVar[int]
    QUESTION_EN_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    question_ru: str
    question_en: str
    segment_id: str
    status: str
    owner_id: str
    team_id: str
    recipients: int
    answers: int
    sent_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., question_ru: _Optional[str] = ..., question_en: _Optional[str] = ..., segment_id: _Optional[str] = ..., status: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., recipients: _Optional[int] = ..., answers: _Optional[int] = ..., sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class CreateSurveyRequest(_message.Message):
    __slots__ = ("name", "question_ru", "question_en", "segment_id", "team_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUESTION_RU_FIELD_NUMBER: _ClassVar[int]
    QUESTION_EN_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    question_ru: str
    question_en: str
    segment_id: str
    team_id: str
    def __init__(self, name: _Optional[str] = ..., question_ru: _Optional[str] = ..., question_en: _Optional[str] = ..., segment_id: _Optional[str] = ..., team_id: _Optional[str] = ...) -> None: ...

class GetSurveyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListSurveysRequest(_message.Message):
    __slots__ = ("limit", "cursor")
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    limit: int
    cursor: str
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListSurveysResponse(_message.Message):
    __slots__ = ("surveys", "next_cursor", "total")
    SURVEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    surveys: _containers.RepeatedCompositeFieldContainer[Survey]
    next_cursor: str
    total: int
    def __init__(self, surveys: _Optional[_Iterable[_Union[Survey, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...

class SendSurveyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class SendSurveyResponse(_message.Message):
    __slots__ = ("sent", "skipped", "failed", "survey")
    SENT_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    SURVEY_FIELD_NUMBER: _ClassVar[int]
    sent: int
    skipped: int
    failed: int
    survey: Survey
    def __init__(self, sent: _Optional[int] = ..., skipped: _Optional[int] = ..., failed: _Optional[int] = ..., survey: _Optional[_Union[Survey, _Mapping]] = ...) -> None: ...

class GetSurveyResultsRequest(_message.Message):
    __slots__ = ("id", "limit", "cursor")
    ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    id: str
    limit: int
    cursor: str
    def __init__(self, id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class NpsAnswer(_message.Message):
    __slots__ = ("id", "survey_id", "party_id", "organisation_id", "name", "email", "score", "group", "comment", "answered_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    SURVEY_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    survey_id: str
    party_id: str
    organisation_id: str
    name: str
    email: str
    score: int
    group: str
    comment: str
    answered_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., survey_id: _Optional[str] = ..., party_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., name: _Optional[str] = ..., email: _Optional[str] = ..., score: _Optional[int] = ..., group: _Optional[str] = ..., comment: _Optional[str] = ..., answered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SurveyResults(_message.Message):
    __slots__ = ("survey", "promoters", "passives", "detractors", "score", "answers", "next_cursor")
    SURVEY_FIELD_NUMBER: _ClassVar[int]
    PROMOTERS_FIELD_NUMBER: _ClassVar[int]
    PASSIVES_FIELD_NUMBER: _ClassVar[int]
    DETRACTORS_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    survey: Survey
    promoters: int
    passives: int
    detractors: int
    score: int
    answers: _containers.RepeatedCompositeFieldContainer[NpsAnswer]
    next_cursor: str
    def __init__(self, survey: _Optional[_Union[Survey, _Mapping]] = ..., promoters: _Optional[int] = ..., passives: _Optional[int] = ..., detractors: _Optional[int] = ..., score: _Optional[int] = ..., answers: _Optional[_Iterable[_Union[NpsAnswer, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetNpsFormRequest(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class NpsForm(_message.Message):
    __slots__ = ("survey_name", "question", "language", "answered")
    SURVEY_NAME_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_FIELD_NUMBER: _ClassVar[int]
    survey_name: str
    question: str
    language: str
    answered: bool
    def __init__(self, survey_name: _Optional[str] = ..., question: _Optional[str] = ..., language: _Optional[str] = ..., answered: _Optional[bool] = ...) -> None: ...

class AnswerNpsRequest(_message.Message):
    __slots__ = ("token", "score", "comment")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    token: str
    score: int
    comment: str
    def __init__(self, token: _Optional[str] = ..., score: _Optional[int] = ..., comment: _Optional[str] = ...) -> None: ...
