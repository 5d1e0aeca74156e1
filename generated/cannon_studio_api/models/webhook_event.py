from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.request_object import RequestObject


T = TypeVar("T", bound="WebhookEvent")


@_attrs_define
class WebhookEvent:
    """Assumed: terminal-delivery payload (the docs only say terminal delivery is attempted). Sent as a Standard Webhooks
    message: headers webhook-id, webhook-timestamp and webhook-signature (v1 HMAC-SHA256 with a whsec_ secret).

        Attributes:
            data (RequestObject): The request object returned by GET /api/v1/requests/{requestId} (get-request and lifecycle
                pages).
            id (str): Event id; equals the webhook-id header (use it to dedupe).
            timestamp (datetime.datetime): When the event was created, ISO-8601 UTC.
            type_ (str): Event type: request.succeeded or request.failed (open string).
    """

    data: RequestObject
    id: str
    timestamp: datetime.datetime
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        id = self.id

        timestamp = self.timestamp.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "id": id,
                "timestamp": timestamp,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.request_object import RequestObject  # noqa: PLC0415

        d = dict(src_dict)
        data = RequestObject.from_dict(d.pop("data"))

        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        type_ = d.pop("type")

        webhook_event = cls(
            data=data,
            id=id,
            timestamp=timestamp,
            type_=type_,
        )

        webhook_event.additional_properties = d
        return webhook_event

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
