from enum import IntEnum


class SoraDuration(IntEnum):
    SECONDS_4 = 4
    SECONDS_8 = 8
    SECONDS_12 = 12
    SECONDS_16 = 16
    SECONDS_20 = 20

    def __str__(self) -> str:
        return str(self.value)
