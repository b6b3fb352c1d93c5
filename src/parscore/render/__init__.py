"""Renderers: the last stage. They read results and never reach back into scoring."""
