from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """Assumed: error envelope; the docs do not document error bodies. Modeled as {"error": "<message>"} plus optional
    machine-readable fields, following the message-plus-code convention of the peer media APIs.

        Attributes:
            error (str): Human-readable message.
            allowed (list[Any] | Unset): Assumed: allowed values of the offending field, when it is an enum.
            code (str | Unset): Assumed: machine-readable code: unauthorized, validation_error, unknown_operation,
                insufficient_credits, forbidden, not_found, idempotency_conflict, rate_limited, server_error.
            field (str | Unset): Assumed: JSON path of the offending field for validation errors, e.g. input.aspect_ratio.
            request_id (str | Unset): Assumed: the request id, when the error concerns one.
    """

    error: str
    allowed: list[Any] | Unset = UNSET
    code: str | Unset = UNSET
    field: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        allowed: list[Any] | Unset = UNSET
        if not isinstance(self.allowed, Unset):
            allowed = self.allowed

        code = self.code

        field = self.field

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if code is not UNSET:
            field_dict["code"] = code
        if field is not UNSET:
            field_dict["field"] = field
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        error = d.pop("error")

        allowed = cast(list[Any], d.pop("allowed", UNSET))

        code = d.pop("code", UNSET)

        field = d.pop("field", UNSET)

        request_id = d.pop("request_id", UNSET)

        error_response = cls(
            error=error,
            allowed=allowed,
            code=code,
            field=field,
            request_id=request_id,
        )

        error_response.additional_properties = d
        return error_response

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
