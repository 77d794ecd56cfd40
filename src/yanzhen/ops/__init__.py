"""Operations: the operator's backup and restore (`yanzhen backup`, `yanzhen restore`). No models of its own."""
