from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.api_key_info import ApiKeyInfo
    from ..models.credits_ import Credits


T = TypeVar("T", bound="StatusResponse")


@_attrs_define
class StatusResponse:
    """GET /api/v1/status: key check and credit balance (status page).

    Attributes:
        credits_remaining (int): Credits remaining.
        ok (bool): True when the key works.
        status (str): 'ok' when healthy; other values not documented.
        account (Account | Unset): The key's account.
        api_key (ApiKeyInfo | Unset): The key used for the call.
        credits_ (Credits | Unset): Credit balance.
        message (str | Unset): Human-readable message.
        server_time (datetime.datetime | Unset): Server time, ISO-8601 UTC with milliseconds.
    """

    credits_remaining: int
    ok: bool
    status: str
    account: Account | Unset = UNSET
    api_key: ApiKeyInfo | Unset = UNSET
    credits_: Credits | Unset = UNSET
    message: str | Unset = UNSET
    server_time: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        credits_remaining = self.credits_remaining

        ok = self.ok

        status = self.status

        account: dict[str, Any] | Unset = UNSET
        if not isinstance(self.account, Unset):
            account = self.account.to_dict()

        api_key: dict[str, Any] | Unset = UNSET
        if not isinstance(self.api_key, Unset):
            api_key = self.api_key.to_dict()

        credits_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.credits_, Unset):
            credits_ = self.credits_.to_dict()

        message = self.message

        server_time: str | Unset = UNSET
        if not isinstance(self.server_time, Unset):
            server_time = self.server_time.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "creditsRemaining": credits_remaining,
                "ok": ok,
                "status": status,
            }
        )
        if account is not UNSET:
            field_dict["account"] = account
        if api_key is not UNSET:
            field_dict["apiKey"] = api_key
        if credits_ is not UNSET:
            field_dict["credits"] = credits_
        if message is not UNSET:
            field_dict["message"] = message
        if server_time is not UNSET:
            field_dict["serverTime"] = server_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account import Account  # noqa: PLC0415
        from ..models.api_key_info import ApiKeyInfo  # noqa: PLC0415
        from ..models.credits_ import Credits  # noqa: PLC0415

        d = dict(src_dict)
        credits_remaining = d.pop("creditsRemaining")

        ok = d.pop("ok")

        status = d.pop("status")

        _account = d.pop("account", UNSET)
        account: Account | Unset
        if isinstance(_account, Unset):
            account = UNSET
        else:
            account = Account.from_dict(_account)

        _api_key = d.pop("apiKey", UNSET)
        api_key: ApiKeyInfo | Unset
        if isinstance(_api_key, Unset):
            api_key = UNSET
        else:
            api_key = ApiKeyInfo.from_dict(_api_key)

        _credits_ = d.pop("credits", UNSET)
        credits_: Credits | Unset
        if isinstance(_credits_, Unset):
            credits_ = UNSET
        else:
            credits_ = Credits.from_dict(_credits_)

        message = d.pop("message", UNSET)

        _server_time = d.pop("serverTime", UNSET)
        server_time: datetime.datetime | Unset
        if isinstance(_server_time, Unset):
            server_time = UNSET
        else:
            server_time = datetime.datetime.fromisoformat(_server_time)

        status_response = cls(
            credits_remaining=credits_remaining,
            ok=ok,
            status=status,
            account=account,
            api_key=api_key,
            credits_=credits_,
            message=message,
            server_time=server_time,
        )

        status_response.additional_properties = d
        return status_response

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
