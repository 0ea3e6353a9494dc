"""Pooling layers: max and average over windows, and global pooling."""
