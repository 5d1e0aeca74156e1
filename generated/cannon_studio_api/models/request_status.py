from enum import StrEnum


class RequestStatus(StrEnum):
    FAILED = "failed"
    PROCESSING = "processing"
    QUEUED = "queued"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
