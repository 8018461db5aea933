"""Domain errors. Services raise these; the API exception handler maps them to the error body
`{"code", "message", "fields"}` and views turn them into Chinese messages on the form."""


class DomainError(Exception):
    """Base: a machine code, a Chinese message and optional per-field messages."""

    status = 400
    code = "invalid"
    default_message = "请求无效"

    def __init__(self, message=None, *, code=None, fields=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = {k: [v] if isinstance(v, str) else list(v) for k, v in (fields or {}).items()}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    status = 400
    code = "invalid"
    default_message = "输入有误，请检查标注的字段"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = "您没有执行此操作的权限"


class NotFound(DomainError):
    """Also raised for objects outside the caller's scope: their existence is not revealed."""

    status = 404
    code = "not_found"
    default_message = "未找到该记录，或不在您的管辖范围内"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = "当前状态不允许此操作"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = "当前状态不允许此操作"
