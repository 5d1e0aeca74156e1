from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskOutput")


@_attrs_define
class TaskOutput:
    """Downstream task metadata without a known asset_type: the in-flight output shown on the lifecycle page, and the
    fallback for output kinds this client version does not know (unknown keys are kept as additional properties, so the
    data stays readable).

        Attributes:
            status (str): Downstream task status.
            asset_type (str | Unset): Asset kind, when present but not one this client knows.
            model (str | Unset): Model.
            provider (str | Unset): Provider.
            task_id (str | Unset): Downstream task id.
    """

    status: str
    asset_type: str | Unset = UNSET
    model: str | Unset = UNSET
    provider: str | Unset = UNSET
    task_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        asset_type = self.asset_type

        model = self.model

        provider = self.provider

        task_id = self.task_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if asset_type is not UNSET:
            field_dict["asset_type"] = asset_type
        if model is not UNSET:
            field_dict["model"] = model
        if provider is not UNSET:
            field_dict["provider"] = provider
        if task_id is not UNSET:
            field_dict["task_id"] = task_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        asset_type = d.pop("asset_type", UNSET)

        model = d.pop("model", UNSET)

        provider = d.pop("provider", UNSET)

        task_id = d.pop("task_id", UNSET)

        task_output = cls(
            status=status,
            asset_type=asset_type,
            model=model,
            provider=provider,
            task_id=task_id,
        )

        task_output.additional_properties = d
        return task_output

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
