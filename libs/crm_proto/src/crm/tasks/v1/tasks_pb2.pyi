import datetime

from crm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskLink(_message.Message):
    __slots__ = ("kind", "id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    id: str
    def __init__(self, kind: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class DueChange(_message.Message):
    __slots__ = ("old_due_at", "new_due_at", "changed_by", "changed_at", "reason")
    OLD_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    NEW_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    old_due_at: _timestamp_pb2.Timestamp
    new_due_at: _timestamp_pb2.Timestamp
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, old_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., new_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class Outcome(_message.Message):
    __slots__ = ("result_code", "text")
    RESULT_CODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    result_code: str
    text: str
    def __init__(self, result_code: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("id", "type", "subject", "description", "due_at", "duration_minutes", "priority", "status", "assignee_id", "co_executor_ids", "watcher_ids", "creator_id", "team_id", "links", "remind_before_minutes", "overdue", "outcome", "started_at", "completed_at", "cancelled_at", "cancel_reason", "follow_up_task_id", "previous_task_id", "due_changes", "overdue_notified_at", "version", "created_at", "updated_at", "process_instance_id", "process_step_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_MINUTES_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_ID_FIELD_NUMBER: _ClassVar[int]
    CO_EXECUTOR_IDS_FIELD_NUMBER: _ClassVar[int]
    WATCHER_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    LINKS_FIELD_NUMBER: _ClassVar[int]
    REMIND_BEFORE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REASON_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_TASK_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_TASK_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_CHANGES_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_NOTIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    PROCESS_INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_STEP_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    subject: str
    description: str
    due_at: _timestamp_pb2.Timestamp
    duration_minutes: int
    priority: str
    status: str
    assignee_id: str
    co_executor_ids: _containers.RepeatedScalarFieldContainer[str]
    watcher_ids: _containers.RepeatedScalarFieldContainer[str]
    creator_id: str
    team_id: str
    links: _containers.RepeatedCompositeFieldContainer[TaskLink]
    remind_before_minutes: int
    overdue: bool
    outcome: Outcome
    started_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    cancel_reason: str
    follow_up_task_id: str
    previous_task_id: str
    due_changes: _containers.RepeatedCompositeFieldContainer[DueChange]
    overdue_notified_at: _timestamp_pb2.Timestamp
    version: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    process_instance_id: str
    process_step_id: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_minutes: _Optional[int] = ..., priority: _Optional[str] = ..., status: _Optional[str] = ..., assignee_id: _Optional[str] = ..., co_executor_ids: _Optional[_Iterable[str]] = ..., watcher_ids: _Optional[_Iterable[str]] = ..., creator_id: _Optional[str] = ..., team_id: _Optional[str] = ..., links: _Optional[_Iterable[_Union[TaskLink, _Mapping]]] = ..., remind_before_minutes: _Optional[int] = ..., overdue: _Optional[bool] = ..., outcome: _Optional[_Union[Outcome, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_reason: _Optional[str] = ..., follow_up_task_id: _Optional[str] = ..., previous_task_id: _Optional[str] = ..., due_changes: _Optional[_Iterable[_Union[DueChange, _Mapping]]] = ..., overdue_notified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., process_instance_id: _Optional[str] = ..., process_step_id: _Optional[str] = ...) -> None: ...

class CreateTaskRequest(_message.Message):
    __slots__ = ("task", "allow_past_due")
    TASK_FIELD_NUMBER: _ClassVar[int]
    ALLOW_PAST_DUE_FIELD_NUMBER: _ClassVar[int]
    task: Task
    allow_past_due: bool
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., allow_past_due: _Optional[bool] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class UpdateTaskRequest(_message.Message):
    __slots__ = ("task", "update_mask", "expected_version", "due_change_reason")
    TASK_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    DUE_CHANGE_REASON_FIELD_NUMBER: _ClassVar[int]
    task: Task
    update_mask: _field_mask_pb2.FieldMask
    expected_version: int
    due_change_reason: str
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ..., expected_version: _Optional[int] = ..., due_change_reason: _Optional[str] = ...) -> None: ...

class StartTaskRequest(_message.Message):
    __slots__ = ("id", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class CompleteTaskRequest(_message.Message):
    __slots__ = ("id", "outcome", "next_task", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    NEXT_TASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: Outcome
    next_task: Task
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, _Mapping]] = ..., next_task: _Optional[_Union[Task, _Mapping]] = ..., expected_version: _Optional[int] = ...) -> None: ...

class CompleteTaskResponse(_message.Message):
    __slots__ = ("task", "next_task")
    TASK_FIELD_NUMBER: _ClassVar[int]
    NEXT_TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    next_task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., next_task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class CancelTaskRequest(_message.Message):
    __slots__ = ("id", "reason", "expected_version")
    ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    id: str
    reason: str
    expected_version: int
    def __init__(self, id: _Optional[str] = ..., reason: _Optional[str] = ..., expected_version: _Optional[int] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("filters", "sort", "limit", "cursor", "mine", "team")
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    SORT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    TEAM_FIELD_NUMBER: _ClassVar[int]
    filters: _containers.RepeatedCompositeFieldContainer[_common_pb2.Filter]
    sort: str
    limit: int
    cursor: str
    mine: bool
    team: bool
    def __init__(self, filters: _Optional[_Iterable[_Union[_common_pb2.Filter, _Mapping]]] = ..., sort: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., mine: _Optional[bool] = ..., team: _Optional[bool] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ("tasks", "next_cursor")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    next_cursor: str
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class GetTaskCountersRequest(_message.Message):
    __slots__ = ("time_zone",)
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    def __init__(self, time_zone: _Optional[str] = ...) -> None: ...

class Counts(_message.Message):
    __slots__ = ("open", "due_today", "overdue")
    OPEN_FIELD_NUMBER: _ClassVar[int]
    DUE_TODAY_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    open: int
    due_today: int
    overdue: int
    def __init__(self, open: _Optional[int] = ..., due_today: _Optional[int] = ..., overdue: _Optional[int] = ...) -> None: ...

class UserCounters(_message.Message):
    __slots__ = ("user_id", "counts")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    counts: Counts
    def __init__(self, user_id: _Optional[str] = ..., counts: _Optional[_Union[Counts, _Mapping]] = ...) -> None: ...

class TeamCounters(_message.Message):
    __slots__ = ("team_id", "counts")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    counts: Counts
    def __init__(self, team_id: _Optional[str] = ..., counts: _Optional[_Union[Counts, _Mapping]] = ...) -> None: ...

class TaskCounters(_message.Message):
    __slots__ = ("mine", "users", "teams")
    MINE_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    mine: Counts
    users: _containers.RepeatedCompositeFieldContainer[UserCounters]
    teams: _containers.RepeatedCompositeFieldContainer[TeamCounters]
    def __init__(self, mine: _Optional[_Union[Counts, _Mapping]] = ..., users: _Optional[_Iterable[_Union[UserCounters, _Mapping]]] = ..., teams: _Optional[_Iterable[_Union[TeamCounters, _Mapping]]] = ...) -> None: ...
