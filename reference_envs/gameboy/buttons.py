"""Joypad mask convention shared by both adapters: bit i set = button BUTTONS[i] held."""
BUTTONS = ("right", "left", "up", "down", "a", "b", "select", "start")


def mask_of(names) -> int:
    """Mask from button names, e.g. mask_of(["a", "right"]) == 0x11."""
    mask = 0
    for n in names:
        if n not in BUTTONS:
            raise ValueError(f"unknown button {n!r}; buttons are {BUTTONS}")
        mask |= 1 << BUTTONS.index(n)
    return mask
