from enum import StrEnum


class UpscaleResolution(StrEnum):
    RES_1080P = "1080p"
    RES_2K = "2k"
    RES_4K = "4k"

    def __str__(self) -> str:
        return str(self.value)
