from enum import StrEnum


class VideoResolution(StrEnum):
    RES_1080P = "1080p"
    RES_480P = "480p"
    RES_720P = "720p"

    def __str__(self) -> str:
        return str(self.value)
