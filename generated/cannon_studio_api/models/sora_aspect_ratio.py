from enum import StrEnum


class SoraAspectRatio(StrEnum):
    LANDSCAPE_16_9 = "16:9"
    PORTRAIT_9_16 = "9:16"

    def __str__(self) -> str:
        return str(self.value)
