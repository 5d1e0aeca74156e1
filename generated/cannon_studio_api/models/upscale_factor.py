from enum import IntEnum


class UpscaleFactor(IntEnum):
    X1 = 1
    X2 = 2
    X4 = 4

    def __str__(self) -> str:
        return str(self.value)
