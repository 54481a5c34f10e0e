"""Colours and line weights. Widths are in world centimetres so they scale with the figure."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ink:
    color: str
    width: float
    dash: tuple[float, float] | None = None  # on, off lengths in cm


@dataclass(frozen=True)
class Style:
    name: str
    inks: dict[str, Ink]  # by layer role
    fills: dict[str, dict[str, str]] = field(default_factory=dict)  # role -> material -> colour

    def fill(self, role: str, material: str) -> str:
        if material == "ink":
            return self.inks[role].color
        by_material = self.fills[role]
        return by_material.get(material, by_material["*"])

    @property
    def widest(self) -> float:
        return max(ink.width for ink in self.inks.values())


_GHOST = Ink("#a0a0a0", 0.5, dash=(2.4, 1.5))
_COMMON_INKS = {"ghost": _GHOST, "floor": Ink("#000000", 0.7), "arrow": Ink("#000000", 0.85),
                "divider": Ink("#b4b4b4", 0.35)}

# Plain black on white: prints the same on any printer. Far limbs and props get light grey fills.
LINE = Style(
    "line",
    inks={**_COMMON_INKS, "near": Ink("#000000", 0.6), "far": Ink("#707070", 0.5),
          "prop": Ink("#404040", 0.5), "belt": Ink("#000000", 0.5), "strap": Ink("#505050", 1.6)},
    fills={
        "near": {"*": "#ffffff"},
        "far": {"*": "#e2e2e2"},
        "ghost": {"*": "#ffffff"},
        "prop": {"*": "#ffffff", "mat": "#f2f2f2", "wall": "#e4e4e4", "roller": "#dddddd"},
        "belt": {"*": "#a6a6a6"},
        "strap": {"*": "#505050"},
        "arrow": {"*": "#000000"},
        "divider": {"*": "#b4b4b4"},
    },
)

# Soft skin and clothing tints with outlines, for colour printing.
TINT = Style(
    "tint",
    inks={**_COMMON_INKS, "near": Ink("#2a2a2a", 0.6), "far": Ink("#707070", 0.5),
          "prop": Ink("#3a3a3a", 0.5), "belt": Ink("#3a2a20", 0.5), "strap": Ink("#c8553d", 1.6),
          "arrow": Ink("#1f3f66", 0.85)},
    fills={
        "near": {"*": "#ffffff", "skin": "#f2caa6", "shirt": "#8db3da", "trousers": "#5d7d9e", "shoe": "#6a6a6a"},
        "far": {"*": "#eeeeee", "skin": "#e6cdb8", "shirt": "#bdd0e4", "trousers": "#a3b3c4", "shoe": "#a8a8a8"},
        "ghost": {"*": "#ffffff"},
        "prop": {"*": "#f6f1e4", "mat": "#aed6bd", "ball": "#f4a261", "towel": "#e9c46a", "roller": "#79c2c2",
                 "wood": "#c9a47e", "door": "#dcc6a4", "wall": "#ece6da"},
        "belt": {"*": "#c8553d"},
        "strap": {"*": "#c8553d"},
        "arrow": {"*": "#1f3f66"},
        "divider": {"*": "#b4b4b4"},
    },
)

STYLES = {style.name: style for style in (LINE, TINT)}


def get_style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError(f"unknown figure style {name!r}; expected one of {', '.join(STYLES)}") from None
