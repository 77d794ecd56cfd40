"""雁阵 yanzhen: management of village reserve cadres and village committee cadres."""

__version__ = "0.1.0"
