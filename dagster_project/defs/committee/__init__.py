"""The committee pack of each closed month."""
