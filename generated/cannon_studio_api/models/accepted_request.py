from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_status import RequestStatus

if TYPE_CHECKING:
    from ..models.request_urls import RequestUrls


T = TypeVar("T", bound="AcceptedRequest")


@_attrs_define
class AcceptedRequest:
    """202 body of POST /api/v1/requests (create-request page).

    Attributes:
        id (str): Request id.
        operation (str): Operation id.
        poll_after_ms (int): Milliseconds to wait before the first poll (2000 in the docs).
        status (RequestStatus): Request lifecycle state (lifecycle page): queued -> processing -> succeeded | failed.
            succeeded and failed are terminal. This is the complete documented set.
        urls (RequestUrls): URLs of the request.
    """

    id: str
    operation: str
    poll_after_ms: int
    status: RequestStatus
    urls: RequestUrls
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        operation = self.operation

        poll_after_ms = self.poll_after_ms

        status = self.status.value

        urls = self.urls.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "operation": operation,
                "poll_after_ms": poll_after_ms,
                "status": status,
                "urls": urls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.request_urls import RequestUrls  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        operation = d.pop("operation")

        poll_after_ms = d.pop("poll_after_ms")

        status = RequestStatus(d.pop("status"))

        urls = RequestUrls.from_dict(d.pop("urls"))

        accepted_request = cls(
            id=id,
            operation=operation,
            poll_after_ms=poll_after_ms,
            status=status,
            urls=urls,
        )

        accepted_request.additional_properties = d
        return accepted_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
